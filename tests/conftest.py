"""Suite-wide setup: the hypothesis profile (tests/profiles.py), and under CI the real
seed documents must be there: a CI run that checks no real document is no CI run."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Generator, Iterator

import pytest

import tests.profiles  # noqa: F401  (registers and loads the hypothesis profile)
from tests.paths import SEEDS


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI") and not any(SEEDS.glob("*.txt")):
        pytest.exit(f"CI: the real seed documents are missing at {SEEDS}; "
                    "the tests over real plans would all be skipped", returncode=1)


# A fork while other threads run can deadlock the child (finsam_audit/common/processes.py).
# Python 3.12+ warns of it, but clears the warning when a filter makes it an error, so
# `filterwarnings = error` cannot catch it: the warning is looked for here and fails the test.
FORK_BESIDE_THREADS = re.compile(r"This process \(pid=\d+\) is multi-threaded, use of fork\(\)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    return (yield from _no_fork_beside_threads())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    return (yield from _no_fork_beside_threads())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    return (yield from _no_fork_beside_threads())


def _no_fork_beside_threads() -> Generator[None, None, None]:
    """The phase's warnings as the filters have them, this one failing the test, the others
    passed on to pytest's own record."""
    with warnings.catch_warnings(record=True) as caught:
        outcome = yield
    forks = [w for w in caught if issubclass(w.category, DeprecationWarning) and FORK_BESIDE_THREADS.match(str(w.message))]
    for other in caught:
        if other not in forks:
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno, source=other.source)
    if forks:
        pytest.fail(f"fork() while other threads ran: {forks[0].filename}:{forks[0].lineno}: {forks[0].message}", pytrace=False)
    return outcome
