"""A bug met while auditing is said as one: one line naming the file, whichever process met it."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from finsam_audit.common.errors import InternalError, bug, bug_line, set_debug
from finsam_audit.common.processes import process_context


def _audit_with_a_bug(source: str) -> None:
    try:
        {}["FA201"]
    except KeyError as error:
        raise bug(source, error, "vid granskningen") from error


def test_a_bug_names_the_file_the_stage_and_the_exception():
    with pytest.raises(InternalError) as raised:
        _audit_with_a_bug("plan.yaml")
    assert str(raised.value) == "plan.yaml: internt fel vid granskningen (KeyError: 'FA201')"


def test_a_bug_in_a_worker_process_reaches_the_command_line_whole():
    with ProcessPoolExecutor(1, mp_context=process_context()) as pool, pytest.raises(InternalError) as raised:
        pool.submit(_audit_with_a_bug, "plan.yaml").result()
    assert (raised.value.source, raised.value.message) == ("plan.yaml", "internt fel vid granskningen (KeyError: 'FA201')")


def test_the_command_lines_line_hints_at_debug_and_debug_prints_the_traceback(capsys):
    error = ZeroDivisionError("division by zero")
    assert bug_line(error) == "internt fel (ZeroDivisionError: division by zero); kör igen med --debug för att se felspårningen"
    set_debug(True)
    try:
        with pytest.raises(InternalError) as raised:
            _audit_with_a_bug("plan.yaml")
        assert bug_line(raised.value) == "plan.yaml: internt fel vid granskningen (KeyError: 'FA201')"
    finally:
        set_debug(False)
    assert "Traceback" in capsys.readouterr().err
