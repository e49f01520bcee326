"""Many files: read and audited in parallel processes (--jobs), dossiers loaded from disk one at
a time; the output must not depend on either."""

from __future__ import annotations

import gc
import shutil
import threading
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from finsam_audit.audit import audit_parse_results
from finsam_audit.audit.catalog import load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.stream import audit_files
from finsam_audit.cli import main
from finsam_audit.common import text as folding
from finsam_audit.model import Document
from finsam_audit.read import parse_file
from finsam_audit.report.text import render_parts
from finsam_audit.testing.render import STYLES
from finsam_audit.testing.render import render as render_plan
from finsam_audit.testing.strategies import drawn_plans
from tests.paths import FIXTURES, SEEDS


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Seeds (when present), the fixture texts and the YAML example, and a file that cannot be read."""
    broken = tmp_path_factory.mktemp("broken") / "trasig.txt"
    broken.write_bytes(b"\x00\x01binary\x00")
    seeds = [str(SEEDS)] if SEEDS.is_dir() else []
    return [*seeds, str(FIXTURES / "texts"), str(FIXTURES / "example-plan.yaml"), str(broken)]


@pytest.mark.parametrize("fmt", ["json", "table", "markdown", "html", "summary"])
def test_parallel_processes_give_the_same_output_byte_for_byte(inputs: list[str], fmt: str) -> None:
    runs = [CliRunner().invoke(main, ["audit", "--format", fmt, "--jobs", jobs, *inputs]) for jobs in ("1", "3")]
    serial, parallel = [(run.exit_code, run.stdout, run.stderr) for run in runs]
    assert serial[0] == 2 and "trasig.txt" in serial[2]  # the unreadable file is named, the others audited
    assert serial[1].count("Samordningsförbundet") > 5
    assert parallel == serial


def test_a_folder_streamed_from_disk_is_audited_as_the_files_in_memory(tmp_path: Path) -> None:
    files = sorted((FIXTURES / "texts").glob("*.txt"))
    for index, path in enumerate([*files, *files]):  # each förbund's plans twice: dossiers of copies
        shutil.copy(path, tmp_path / f"{index:03d}_{path.name}")
    config = AuditConfig()
    streamed, failures = audit_files([str(tmp_path)], config, load_catalog(), jobs=2)
    in_memory = audit_parse_results([parse_file(path) for path in sorted(tmp_path.iterdir())], config)
    assert failures == [] and streamed is not None
    assert streamed.model_dump_json() == in_memory.model_dump_json()
    assert len(streamed.documents) == 2 * len(files)
    assert any("finns också i" in warning for document in streamed.documents for warning in document.warnings)


def test_processes_started_beside_other_threads_give_the_same_audit(tmp_path: Path) -> None:
    """Where this process runs threads (a web server's, a test runner's) the workers are not
    forked (common/processes.py): the spool, the configuration and the catalog reach them all the same."""
    for path in sorted((FIXTURES / "texts").glob("*.txt"))[:6]:
        shutil.copy(path, tmp_path / path.name)
    config, catalog = AuditConfig(), load_catalog()
    serial, _ = audit_files([str(tmp_path)], config, catalog, jobs=1)
    running = threading.Event()
    other = threading.Thread(target=running.wait, args=(60,))
    other.start()
    try:
        parallel, failures = audit_files([str(tmp_path)], config, catalog, jobs=2)
    finally:
        running.set()
        other.join()
    assert failures == [] and serial is not None and parallel is not None
    assert len(serial.documents) == 6 and serial.findings()
    assert parallel.model_dump_json() == serial.model_dump_json()


def test_nothing_readable_gives_no_audit_and_every_failure(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    (tmp_path / "a.txt").write_bytes(b"\x00\x00")
    audited, failures = audit_files([str(tmp_path / "tom"), str(tmp_path / "a.txt")], AuditConfig(), load_catalog())
    assert audited is None
    assert [Path(path).name for path, _ in failures] == ["tom", "a.txt"]


# --- memory flat in the number of plans ------------------------------------------------------

def _folder(folder: Path, drawn: list[Document], count: int) -> str:
    """`count` plans as text, the drawn plans in turn in each style (half of them the same förbund)."""
    folder.mkdir()
    for index in range(count):
        text = render_plan(drawn[index % len(drawn)], STYLES[index % len(STYLES)])
        (folder / f"{index:04d}.txt").write_text(text, encoding="utf-8")
    return str(folder)


def _clear_folding_caches() -> None:
    for value in vars(folding).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def _memory(folder: str) -> tuple[int, dict[str, int]]:
    """Bytes still held once the folder is audited (the folding caches emptied), and per format
    the most held at once while its report is made, beyond that."""
    catalog = load_catalog()
    gc.collect()
    tracemalloc.start()
    try:
        result, _ = audit_files([folder], AuditConfig(), catalog, progress=False)
        assert result is not None
        _clear_folding_caches()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        peaks = {}
        for fmt in ("json", "table", "markdown", "html"):
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            for _ in render_parts(result, fmt):
                pass
            peaks[fmt] = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    return held, peaks


def test_a_folder_audit_holds_no_plan_in_memory_while_its_report_is_written(tmp_path: Path) -> None:
    """Four times the plans may not hold more than a few kB a plan more: index entries, the
    summary's rows. A plan's findings alone are about 40 kB, its report text 3-20 kB."""
    drawn = drawn_plans(60)
    _memory(_folder(tmp_path / "warm", drawn, 4))  # what is made once (engine, imports) is made here
    few, many = 25, 100
    held_few, peaks_few = _memory(_folder(tmp_path / "few", drawn, few))
    held_many, peaks_many = _memory(_folder(tmp_path / "many", drawn, many))
    per_plan = 4096
    assert held_many - held_few < (many - few) * per_plan, (held_few, held_many)
    for fmt, peak in peaks_many.items():
        assert peak - peaks_few[fmt] < (many - few) * per_plan, (fmt, peaks_few[fmt], peak)
