"""The web page's server for the tests: uvicorn in a thread, in this process, on a free port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from finsam_audit.serve.server import address, bind, make_server

START_SECONDS = 20


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The page's address, http://127.0.0.1:PORT/."""
    sock = bind(0)
    running = make_server()
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield address(sock)
    finally:
        running.should_exit = True
        thread.join(timeout=START_SECONDS)
        sock.close()
