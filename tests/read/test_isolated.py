"""Readers in a child process: a memory or time limit costs that file, never the run."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from finsam_audit.common.errors import InputError
from finsam_audit.read import parse_file, pdf
from finsam_audit.read.isolated import run_limited
from tests.paths import REPO_ROOT
from tests.pdf_maker import make_text_pdf

LAYOUT = REPO_ROOT / "fixtures" / "texts" / "layout-sidbrytning.txt"  # four pages as tests/pdf_maker.py lays it out


def _allocate() -> int:
    return len(bytearray(4 * 2**30))


def _sleep() -> None:
    time.sleep(30)


def _abort() -> None:
    os.abort()


_HELD = threading.Lock()  # held by another thread of the parent while a child is started


def _take_the_lock() -> str:
    with _HELD:
        return "taken"


def _environment_value(name: str) -> str | None:
    return os.environ.get(name)


def _refuse(source: str) -> None:
    raise InputError(source, "nej", 3)


def _limited(function, *args):  # type: ignore[no-untyped-def]
    return run_limited(function, *args, source="plan.pdf", memory=256 * 2**20, seconds=5, what="läsningen av PDF:en")


def test_the_result_comes_back():
    assert _limited(sum, [1, 2, 3]) == 6


def test_a_memory_bomb_is_a_clear_message():
    with pytest.raises(InputError, match=r"^plan.pdf: läsningen av PDF:en behövde mer än 256 MB minne"):
        _limited(_allocate)


def test_a_crash_inside_c_is_a_clear_message():
    with pytest.raises(InputError, match="plan.pdf: läsningen av PDF:en avbröts av systemet"):
        _limited(_abort)


def test_a_reader_that_takes_too_long_is_stopped():
    start = time.monotonic()
    with pytest.raises(InputError, match="tog längre än 1 s och avbröts"):
        run_limited(_sleep, source="plan.pdf", memory=2**30, seconds=1, what="läsningen av PDF:en")
    assert time.monotonic() - start < 10


def test_an_input_error_keeps_its_file_and_line():
    with pytest.raises(InputError) as raised:
        _limited(_refuse, "plan.pdf")
    assert (raised.value.source, raised.value.message, raised.value.line) == ("plan.pdf", "nej", 3)


def test_a_bug_in_the_reader_is_an_internal_error_of_the_file():
    with pytest.raises(InputError, match=r"plan.pdf: internt fel vid läsningen \(ZeroDivisionError"):
        _limited(divmod, 1, 0)


def test_too_many_pages_is_refused_with_the_count(tmp_path, monkeypatch):
    path = tmp_path / "plan.pdf"
    make_text_pdf(LAYOUT.read_text(encoding="utf-8"), path)
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 1)
    # Read here: a child started by the fork server (this process may run threads) would not see the limit set.
    monkeypatch.setattr(pdf, "run_limited", lambda function, *args, **limits: function(*args))
    with pytest.raises(InputError, match=r"PDF:en har 4 sidor; högst 1 läses"):
        parse_file(path)


@pytest.fixture
def lock_held_by_another_thread() -> Iterator[None]:
    """What a web server's thread pool is: another thread holding a lock while a child starts."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _HELD:
            taken.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(30)
    yield
    release.set()
    holder.join()


def test_a_child_started_while_another_thread_holds_a_lock_does_not_deadlock(lock_held_by_another_thread):
    # A forked child would inherit the lock held and wait for it until the time limit.
    assert _limited(_take_the_lock) == "taken"


def test_the_memory_limit_holds_in_a_child_started_beside_other_threads(lock_held_by_another_thread):
    with pytest.raises(InputError, match=r"^plan.pdf: läsningen av PDF:en behövde mer än 256 MB minne"):
        _limited(_allocate)


def test_a_child_started_beside_other_threads_has_the_environment_of_the_moment(lock_held_by_another_thread, monkeypatch):
    # (PATH finds Tesseract.) The fork server, once started, keeps the environment it had.
    assert _limited(sum, [1]) == 1
    monkeypatch.setenv("FINSAM_AUDIT_TEST_VALUE", "ändrad")
    assert _limited(_environment_value, "FINSAM_AUDIT_TEST_VALUE") == "ändrad"


def test_a_pdf_is_read_beside_other_threads(tmp_path, lock_held_by_another_thread):
    path = tmp_path / "plan.pdf"
    make_text_pdf(LAYOUT.read_text(encoding="utf-8"), path)
    text, _ = pdf.pdf_text(path)
    assert "Samordningsförbundet" in text
