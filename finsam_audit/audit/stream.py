"""Many files audited with memory flat and on all cores (`audit FOLDER --jobs N`).

Each file is read (in `jobs` processes) and its parse result kept in an unnamed temporary
file; only an index of its documents (förbund, date) stays in memory. Once every file is read
(only then is a dossier known to be complete), each dossier is loaded, audited and let go,
dossiers in parallel, the largest first. The results are put in the order one process gives,
so the output is the same byte for byte whatever the number of processes.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from finsam_audit.audit.catalog import Catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.run import (
    AuditResult,
    DocumentResult,
    FileSummary,
    assemble,
    audit_dossier,
    dossier_place,
    group_dossiers,
)
from finsam_audit.model import ParseResult
from finsam_audit.read import expand_inputs, read_each

if TYPE_CHECKING:  # processes are started for --jobs above 1 only: one file needs no multiprocessing
    from concurrent.futures import Executor, Future

    from finsam_audit.common.processes import SharedFd

# Fewer files than this are read and audited in this process: starting processes costs more.
MIN_PARALLEL_FILES = 4

Place = tuple[int, int]  # offset and length of a pickled ParseResult in the spool
Task = list[tuple[Place, int]]  # a dossier: each document as its file's place and its index there


def available_cores() -> int:
    """The cores this process may run on (the default of --jobs)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def audit_files(
    paths: Iterable[str],
    config: AuditConfig,
    catalog: Catalog,
    jobs: int = 1,
    on_read: Callable[[str, ParseResult], None] = lambda path, result: None,
    progress: bool = True,
) -> tuple[AuditResult | None, list[tuple[str, str]]]:
    """Read and audit every file given (folders: the plan files under them) in `jobs` processes.

    `on_read(path, result)` is called for each file read, in the order given. Returns the
    audit (None when no file could be read) and the files that could not be read (path,
    "FILE[:LINE]: message").
    """
    files, failures = expand_inputs(paths)
    with _spool() as spool, _pool(jobs if len(files) >= MIN_PARALLEL_FILES else 1, spool, config, catalog) as pool:
        summaries: list[FileSummary] = []
        places: list[tuple[str, dt.date]] = []  # each document's place among the dossiers
        owners: list[tuple[int, Place, int]] = []  # each document's file: number, place in the spool, index there
        for path, read in read_each(files, pool, progress):
            if isinstance(read, str):
                failures.append((path, read))
                continue
            on_read(path, read)
            place = spool.add(read)
            for index, document in enumerate(read.documents):
                owners.append((len(summaries), place, index))
                places.append(dossier_place(document, len(places)))
            summaries.append(FileSummary.of(read))
        if not summaries:
            return None, failures
        groups = group_dossiers(places, config.separately)
        tasks = [[(owners[number][1], owners[number][2]) for number in group] for group in groups]
        audited = _audit_all(tasks, pool, spool.fd, config, catalog, len(places))
        ordered = [
            (owners[number][0], result) for group, results in zip(groups, audited, strict=True)
            for number, result in zip(group, results, strict=True)
        ]
    return assemble(ordered, summaries, config.separately), failures


def _audit_all(
    tasks: list[Task], pool: Executor | None, spool: int, config: AuditConfig, catalog: Catalog, given: int
) -> Iterator[list[DocumentResult | None]]:
    """Each dossier's results, in the order of the tasks; in the pool the largest dossiers start first."""
    if pool is None:
        return (_audit_task(task, spool, config, catalog, given) for task in tasks)
    futures: dict[int, Future[list[DocumentResult | None]]] = {}
    for number in sorted(range(len(tasks)), key=lambda number: -len(tasks[number])):
        futures[number] = pool.submit(_audit_in_worker, tasks[number], given)
    return (futures[number].result() for number in range(len(tasks)))


def _audit_task(task: Task, spool: int, config: AuditConfig, catalog: Catalog, given: int) -> list[DocumentResult | None]:
    """A dossier loaded from the spool (each file once) and audited."""
    loaded: dict[Place, ParseResult] = {}
    for place, _ in task:
        if place not in loaded:
            loaded[place] = _load(spool, place)
    return audit_dossier([loaded[place].documents[index] for place, index in task], config, catalog, given)


# --- the processes ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}  # in a worker process: the spool, the configuration and the catalog


def _start_worker(spool: SharedFd, config: AuditConfig, catalog: Catalog, environment: dict[str, str]) -> None:
    from finsam_audit.common.processes import adopt_environment

    adopt_environment(environment)
    _WORKER.update(spool=spool.fd, config=config, catalog=catalog)


def _audit_in_worker(task: Task, given: int) -> list[DocumentResult | None]:
    return _audit_task(task, _WORKER["spool"], _WORKER["config"], _WORKER["catalog"], given)


@contextmanager
def _pool(jobs: int, spool: _Spool, config: AuditConfig, catalog: Catalog) -> Iterator[Executor | None]:
    """`jobs` processes that know the spool, the configuration and the catalog; none for one
    job (the work is then done here). Forked, so the catalog is inherited, not pickled, unless
    this process runs threads (common/processes.py)."""
    if jobs <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    from finsam_audit.common.processes import SharedFd, process_context

    context = process_context(preload=[__name__])
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                             initargs=(SharedFd(spool.fd), config, catalog, dict(os.environ))) as pool:
        yield pool


class _Spool:
    """Parse results kept in an unnamed temporary file while the others are read, so memory
    stays flat; written here, read by position (pread) here and in the worker processes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._end = 0

    def add(self, result: ParseResult) -> Place:
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        os.pwrite(self.fd, data, self._end)
        place = (self._end, len(data))
        self._end += len(data)
        return place


@contextmanager
def _spool() -> Iterator[_Spool]:
    with tempfile.TemporaryFile(prefix="finsam-audit-") as file:
        yield _Spool(file.fileno())


def _load(spool: int, place: Place) -> ParseResult:
    offset, length = place
    result: ParseResult = pickle.loads(os.pread(spool, length, offset))
    return result
