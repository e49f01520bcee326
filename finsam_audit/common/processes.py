"""Child processes started safely wherever threads may run.

fork copies only the thread that calls it: a lock another thread holds at that moment stays
held in the child for ever, and the child deadlocks when it takes it (Python 3.12+ warns: "This
process is multi-threaded, use of fork() may lead to deadlocks in the child"). The web server
(`serve`: uvicorn and its thread pool) is such a process. So a child is forked while this
process runs one thread only (nothing can hold a lock then, and the child inherits what is
loaded at no cost), and otherwise comes from the fork server: a single-threaded process
started clean, whose children get their arguments pickled and adopt the parent's environment.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from multiprocessing import reduction
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from typing import Any


def process_context(preload: Sequence[str] = ()) -> ForkContext | ForkServerContext | SpawnContext:
    """How to start child processes from here, now: fork while this process runs one thread,
    else the fork server (importing the modules `preload` names once, when it starts), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and thread_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))  # no effect once the server runs
    return context


def thread_count() -> int:
    """The threads of this process, the operating system's (C libraries' threads too) where it
    tells, else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def adopt_environment(environment: dict[str, str]) -> None:
    """In a child: the environment its parent had when it started the child, as a forked child
    has it (the fork server's is the one of the moment the server started)."""
    if os.environ != environment:
        os.environ.clear()
        os.environ.update(environment)


class SharedFd:
    """An open file descriptor for a child process: a forked child inherits it as it is; one
    started by the fork server or spawned gets a duplicate, passed when the process starts
    (so it may only be among the arguments of the process or of its pool's initializer)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, ...]:
        return _received, (reduction.DupFd(self.fd),)


def _received(duplicate: Any) -> SharedFd:
    return SharedFd(duplicate.detach())
