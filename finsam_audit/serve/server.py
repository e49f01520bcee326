"""Running the app: uvicorn on 127.0.0.1 only, without an access log.

`bind` takes the port first (0: a free one) so the address can be printed before the
server runs; uvicorn logs only warnings and errors, never a request, a file name or a
file's content.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from finsam_audit.common.errors import InputError
from finsam_audit.serve.app import create_app

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:port; InputError in Swedish when the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise InputError(f"--port {port}", "porten är upptagen eller får inte användas; välj en annan, "
                         "eller --port 0 för en ledig") from None
    return sock


def address(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}/"


def make_server() -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", access_log=False, server_header=False))


def serve(port: int, on_ready: Callable[[str], None]) -> None:
    """Serve the page on 127.0.0.1:port until Ctrl+C; `on_ready` gets the address once the port is bound."""
    sock = bind(port)
    on_ready(address(sock))
    make_server().run(sockets=[sock])
