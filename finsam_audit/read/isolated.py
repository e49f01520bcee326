"""Run a reader in a child process with a memory and a time limit.

A PDF that decompresses to gigabytes makes PDFium allocate until the process dies,
or abort from inside C when memory runs out. In a child process with RLIMIT_AS that is
the child's end: the parent names the file and goes on with the others. The child is forked,
or comes from the fork server where this process runs threads (common/processes.py): the web
server reads uploads in its thread pool.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from typing import Any

from finsam_audit.common.errors import InputError, internal_error
from finsam_audit.common.processes import adopt_environment, process_context


def run_limited(function: Callable[..., Any], *args: Any, source: str, memory: int, seconds: float, what: str) -> Any:
    """`function(*args)` in a child process allowed `memory` more bytes of address space than it
    starts with and `seconds` of time; an InputError it raises is raised here, anything else
    names `source`. `function` and `args` are pickled where the child is not forked."""
    context = process_context(preload=[function.__module__])
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, function, args, source, memory, dict(os.environ)), daemon=True)
    child.start()
    send.close()
    try:
        outcome: tuple[Any, ...] = receive.recv() if receive.poll(seconds) else ("timeout",)
    except EOFError:  # the child died without a word: killed, or aborted inside C
        outcome = ("died",)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "input":
        raise InputError(*outcome[1:])
    if outcome[0] == "timeout":
        raise InputError(source, f"{what} tog längre än {seconds:.0f} s och avbröts")
    if outcome[0] == "memory":
        raise InputError(source, f"{what} behövde mer än {memory // 2**20} MB minne och avbröts (en dekomprimeringsbomb?)")
    raise InputError(source, f"{what} avbröts av systemet (troligen slut på minne inom gränsen {memory // 2**20} MB)")


def _child(send: Any, function: Callable[..., Any], args: tuple, source: str, memory: int, environment: dict[str, str]) -> None:
    adopt_environment(environment)  # PATH finds Tesseract
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        outcome: tuple = ("ok", function(*args))
    except InputError as error:
        outcome = ("input", error.source, error.message, error.line)
    except MemoryError:
        outcome = ("memory",)
    except Exception as error:  # noqa: BLE001 - reported by the parent as this file's internal error
        unexpected = internal_error(source, error, "vid läsningen")
        outcome = ("input", unexpected.source, unexpected.message, None)
    send.send(outcome)
    send.close()


def _address_space() -> int:
    """This process's virtual memory size in bytes; 0 where /proc is missing (there RLIMIT_AS
    is not enforced anyway)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0
