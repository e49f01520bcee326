"""Many files audited with memory flat and on all cores (`audit FOLDER --jobs N`).

Each file is read (in `jobs` processes) and its parse result kept in an unnamed temporary
file (common/spool.py); only an index of its documents (förbund, date) stays in memory. Once
every file is read (only then is a dossier known to be complete), each dossier is loaded,
audited and let go, dossiers in parallel, the largest first, and each document's result is
spooled to disk as soon as it is put in its place: the audit handed on is a sequence on disk,
so no plan's findings are kept in memory. The results are put in the order one process gives,
so the output is the same byte for byte whatever the number of processes.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any

from finsam_audit.audit.catalog import Catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.audit.run import (
    AuditResult,
    DocumentResult,
    FileSummary,
    assembled,
    audit_dossier,
    dossier_place,
    group_dossiers,
)
from finsam_audit.common.spool import Place, Spool, load
from finsam_audit.model import ParseResult
from finsam_audit.read import expand_inputs, read_each

if TYPE_CHECKING:  # processes are started for --jobs above 1 only: one file needs no multiprocessing
    from concurrent.futures import Executor, Future

    from finsam_audit.common.processes import SharedFd

# Fewer files than this are read and audited in this process: starting processes costs more.
MIN_PARALLEL_FILES = 4
# Dossiers handed to the processes at a time, per process: enough to keep each busy, few enough
# that the results waiting for their turn stay few.
IN_FLIGHT_PER_JOB = 4

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
    audit (None when no file could be read), its documents spooled on disk, and the files that
    could not be read (path, "FILE[:LINE]: message").
    """
    files, failures = expand_inputs(paths)
    jobs = jobs if len(files) >= MIN_PARALLEL_FILES else 1
    with closing(Spool()) as parsed, _pool(jobs, parsed, config, catalog) as pool:
        summaries: list[FileSummary] = []
        places: list[tuple[str, dt.date]] = []  # each document's place among the dossiers
        owners: list[tuple[int, Place, int]] = []  # each document's file: number, place in the spool, index there
        for path, read in read_each(files, pool, progress):
            if isinstance(read, str):
                failures.append((path, read))
                continue
            on_read(path, read)
            place = parsed.add(read)
            for index, document in enumerate(read.documents):
                owners.append((len(summaries), place, index))
                places.append(dossier_place(document, len(places)))
            summaries.append(FileSummary.of(read))
        if not summaries:
            return None, failures
        groups = group_dossiers(places, config.separately)
        tasks = [[(owners[number][1], owners[number][2]) for number in group] for group in groups]
        audited = _audit_all(tasks, pool, jobs, parsed.fd, config, catalog, len(places))
        ordered = (
            (owners[number][0], result) for group, results in zip(groups, audited, strict=True)
            for number, result in zip(group, results, strict=True)
        )
        documents = Spool().sequence(assembled(ordered, summaries, config.separately))
    return AuditResult.model_construct(documents=documents), failures  # constructed: validating would load them


def _audit_all(
    tasks: list[Task], pool: Executor | None, jobs: int, parsed: int, config: AuditConfig, catalog: Catalog, given: int
) -> Iterator[list[DocumentResult | None]]:
    """Each dossier's results, in the order of the tasks."""
    if pool is None:
        return (_audit_task(task, parsed, config, catalog, given) for task in tasks)
    return _audit_in_pool(tasks, pool, jobs, given)


def _audit_in_pool(tasks: list[Task], pool: Executor, jobs: int, given: int) -> Iterator[list[DocumentResult | None]]:
    """The dossiers audited in the pool, the largest first, a few per process at a time; each
    dossier's results kept on disk as it comes back, then given in the order of the tasks."""
    from concurrent.futures import FIRST_COMPLETED, wait

    done = Spool()
    places: dict[int, Place] = {}
    running: dict[Future[bytes], int] = {}

    def collect() -> None:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            places[running.pop(future)] = done.add_pickled(future.result())

    for number in sorted(range(len(tasks)), key=lambda number: -len(tasks[number])):
        if len(running) >= IN_FLIGHT_PER_JOB * jobs:
            collect()
        running[pool.submit(_audit_in_worker, tasks[number], given)] = number
    while running:
        collect()
    with closing(done):
        yield from (load(done.fd, places.pop(number)) for number in range(len(tasks)))


def _audit_task(task: Task, parsed: int, config: AuditConfig, catalog: Catalog, given: int) -> list[DocumentResult | None]:
    """A dossier loaded from the spool (each file once) and audited."""
    loaded: dict[Place, ParseResult] = {}
    for place, _ in task:
        if place not in loaded:
            loaded[place] = load(parsed, place)
    return audit_dossier([loaded[place].documents[index] for place, index in task], config, catalog, given)


# --- the processes ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}  # in a worker process: the spool of parse results, the configuration and the catalog


def _start_worker(parsed: SharedFd, config: AuditConfig, catalog: Catalog, environment: dict[str, str]) -> None:
    from finsam_audit.common.processes import adopt_environment

    adopt_environment(environment)
    _WORKER.update(parsed=parsed.fd, config=config, catalog=catalog)


def _audit_in_worker(task: Task, given: int) -> bytes:
    """The dossier's results pickled here: the parent writes them to disk as they are."""
    results = _audit_task(task, _WORKER["parsed"], _WORKER["config"], _WORKER["catalog"], given)
    return pickle.dumps(results, pickle.HIGHEST_PROTOCOL)


@contextmanager
def _pool(jobs: int, parsed: Spool, config: AuditConfig, catalog: Catalog) -> Iterator[Executor | None]:
    """`jobs` processes that know the spool of parse results, the configuration and the catalog;
    none for one job (the work is then done here). Forked, so the catalog is inherited, not
    pickled, unless this process runs threads (common/processes.py)."""
    if jobs <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    from finsam_audit.common.processes import SharedFd, process_context

    context = process_context(preload=[__name__])
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                             initargs=(SharedFd(parsed.fd), config, catalog, dict(os.environ))) as pool:
        yield pool
