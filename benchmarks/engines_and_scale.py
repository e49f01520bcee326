"""Speed at every scale in one run (issue 11): every figure a median over repetitions.

Run by hand from the repository root (not a timed test):

    python benchmarks/engines_and_scale.py                    # folders of 10, 100 and 1 000 plans
    python benchmarks/engines_and_scale.py --plans 10 100     # quicker
    python benchmarks/engines_and_scale.py --write            # and write benchmarks/RESULTS.md
    python benchmarks/engines_and_scale.py --profile          # and where the time goes

Prints, side by side in one run, one table per part:
- per seed, in process: parse / facts / engine (each engine) / report ms, and parse + audit
  (the parser's caches cleared before each repetition, so every parse is a first one);
- audited plans per second on generated plans, one core, per engine: the audit alone (facts,
  engine, findings) and the engine alone;
- `finsam-audit audit FOLDER` of 10, 100, 1 000 plans (half copies of the seeds, half generated
  plans rendered to text or YAML): wall time, time per plan and peak RSS, with --jobs 1 and with
  --jobs N (the cores), and whether both printed the same;
- `finsam-audit audit SEED` wall time against `python -c pass`, run alternately.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finsam_audit.audit.catalog import load_catalog  # noqa: E402
from finsam_audit.audit.config import AuditConfig  # noqa: E402
from finsam_audit.audit.engine import durable_available, evaluate  # noqa: E402
from finsam_audit.audit.facts import Dossier, derive_facts  # noqa: E402
from finsam_audit.audit.run import audit_document, audit_parse_results  # noqa: E402
from finsam_audit.audit.stream import available_cores  # noqa: E402
from finsam_audit.common import text as folding  # noqa: E402
from finsam_audit.model import Document, DocumentKind  # noqa: E402
from finsam_audit.read import parse_file  # noqa: E402
from finsam_audit.report.text import render  # noqa: E402

SEEDS = next((folder / "shared" / "seeds" for folder in ROOT.parents if (folder / "shared" / "seeds").is_dir()),
             Path("/work/shared/seeds"))
ENGINES = ["durable", "python"] if durable_available() else ["python"]
CLI = [sys.executable, "-m", "finsam_audit"]


def clear_caches() -> None:
    """The folding caches (common/text.py), so a repeated parse is not read from a warm cache."""
    for value in vars(folding).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def median_ms(action: Callable[[], object], repeats: int, cold: bool = False) -> float:
    times = []
    for _ in range(repeats):
        if cold:
            clear_caches()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def number(value: float, decimals: int = 0) -> str:
    """Swedish: 1 234,5."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


# --- per seed ---------------------------------------------------------------------------------


def per_seed(repeats: int) -> str:
    catalog = load_catalog()
    params = catalog.resolve_params()
    ruleset = catalog.ruleset(params)
    config = AuditConfig()
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        result = parse_file(path)
        plans = [d for d in result.documents if d.kind == DocumentKind.PLAN]
        dossier = Dossier(result.documents)
        facts = [derive_facts(plan, params, dossier) for plan in plans]
        audited = audit_parse_results([result], config, catalog)
        parse = median_ms(lambda path=path: parse_file(path), repeats, cold=True)
        derive = median_ms(lambda plans=plans, dossier=dossier: [derive_facts(p, params, dossier) for p in plans], repeats)
        engines = [median_ms(lambda e=e, facts=facts: [evaluate(ruleset, f, e) for f in facts], repeats) for e in ENGINES]
        audit = median_ms(lambda result=result: audit_parse_results([result], config, catalog), repeats)
        report = median_ms(lambda audited=audited: render(audited, "table"), repeats)
        rows.append([path.name[:3], number(parse, 1), number(derive, 1), *(number(ms, 2) for ms in engines),
                     number(report, 1), number(audit, 1), f"**{number(parse + audit, 1)}**"])
    head = ["seed", "parse", "facts", *(f"engine {e}" for e in ENGINES), "report", "audit", "parse + audit"]
    return f"## Per seed, in process (median of {repeats}, ms)\n\n" + table(head, rows)


# --- generated plans --------------------------------------------------------------------------


def generated(count: int) -> list[Document]:
    """`count` plans drawn by the public strategy (derandomized: the same every run)."""
    from finsam_audit.testing.strategies import drawn_plans

    return drawn_plans(count)


def throughput(drawn: list[Document]) -> str:
    catalog = load_catalog()
    params = catalog.resolve_params()
    ruleset = catalog.ruleset(params)
    facts = [derive_facts(plan, params) for plan in drawn]
    rows = []
    for engine in ENGINES:
        config = AuditConfig(engine=engine)
        evaluate(ruleset, facts[0], engine)  # compiled once, before the clock
        audit_ms = median_ms(lambda config=config: [audit_document(p, catalog, config) for p in drawn], 3)
        engine_ms = median_ms(lambda engine=engine: [evaluate(ruleset, f, engine) for f in facts], 3)
        rows.append([engine, f"**{number(len(drawn) / audit_ms * 1000)}**", number(len(drawn) / engine_ms * 1000)])
    return (f"## Audited plans per second, one core ({number(len(drawn))} generated plans, median of 3)\n\n"
            + table(["engine", "audit alone (facts, engine, findings)", "engine alone"], rows))


# --- folders ----------------------------------------------------------------------------------


def timed(*command: str) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS (KB, from /usr/bin/time) and standard output of one run."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as usage:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-o", usage.name, "-f", "%M", *command], stdout=out,
                       stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        out.seek(0)
        return wall, int(usage.read().split()[-1]), out.read()


def fill_folder(folder: Path, size: int, drawn: list[Document]) -> None:
    """Half copies of the seeds, half generated plans rendered to text (each style in turn) or YAML."""
    from finsam_audit.read.yaml_plan import dump_documents
    from finsam_audit.testing.render import STYLES, render as render_plan

    seeds = sorted(SEEDS.glob("*.txt"))
    for index in range(size):
        if index % 2 == 0:
            seed = seeds[index // 2 % len(seeds)]
            shutil.copy(seed, folder / f"{index:05d}_{seed.name}")
            continue
        plan = drawn[index // 2 % len(drawn)]
        if index % 4 == 1:
            (folder / f"{index:05d}_plan.yaml").write_text(dump_documents([plan], "yaml"), encoding="utf-8")
        else:
            style = STYLES[index // 4 % len(STYLES)]
            (folder / f"{index:05d}_plan.txt").write_text(render_plan(plan, style), encoding="utf-8")


def folders(sizes: list[int], drawn: list[Document], jobs: int) -> str:
    rows = []
    per_plan: dict[tuple[int, int], float] = {}
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"finsam-bench-{size}-"))
        try:
            fill_folder(folder, size, drawn)
            outputs = []
            for jobs_given in sorted({1, jobs}):
                command = [*CLI, "audit", "--format", "json", "--quiet", "--jobs", str(jobs_given), str(folder)]
                runs = [timed(*command) for _ in range(1 if size >= 1000 else 3)]
                wall = statistics.median(run[0] for run in runs)
                rss = max(run[1] for run in runs)
                outputs.append(runs[0][2])
                per_plan[size, jobs_given] = wall / size * 1000
                rows.append([number(size), str(jobs_given), number(wall, 2), number(wall / size * 1000, 1),
                             number(rss / 1024)])
            rows[-1].append("ja" if all(out == outputs[0] for out in outputs) else "**NEJ**")
            if len(outputs) > 1:
                rows[-2].append("")
        finally:
            shutil.rmtree(folder)
    text = ("## `finsam-audit audit FOLDER` (half seed copies, half generated plans as text or YAML)\n\n"
            + table(["plans", "--jobs", "wall s", "ms per plan", "peak RSS MB", "same output"], rows))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        text += "\n\n" + "; ".join(
            f"--jobs {j}: ms per plan at {number(large)} / at {number(small)} = "
            f"{number(per_plan[large, j] / per_plan[small, j], 2)}" for j in sorted({1, jobs})
        )
    return text


# --- start-up ---------------------------------------------------------------------------------


def startup(repeats: int) -> str:
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    bare, audit = [], []
    for _ in range(repeats):  # alternately: the machine's load hits both alike
        bare.append(timed(sys.executable, "-c", "pass")[0])
        audit.append(timed(*CLI, "audit", seed)[0])
    b, a = statistics.median(bare), statistics.median(audit)
    return (f"## CLI start-up (median of {repeats}, wall s)\n\n"
            + table(["`python -c pass`", "`finsam-audit audit SEED`", "ratio"],
                    [[number(b, 3), number(a, 3), f"**{number(a / b, 1)}×**"]]))


def profiles(drawn: list[Document]) -> str:
    catalog = load_catalog()
    config = AuditConfig()
    seed = sorted(SEEDS.glob("003_*.txt"))[0]
    out = io.StringIO()
    for title, action in (
        (f"parse + audit of {seed.name}, 20 times", lambda: [audit_parse_results([parse_file(seed)], config, catalog)
                                                              for _ in range(20)]),
        ("audit of 500 generated plans", lambda: [audit_document(plan, catalog, config) for plan in drawn[:500]]),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        action()
        profiler.disable()
        out.write(f"\n### Profile: {title}\n\n```\n")
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        out.write("```\n")
    return out.getvalue()


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in subprocess.run(
        ["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines() if line.startswith("Model name")), "?")
    return (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {model}, {os.cpu_count()} cores "
            f"({available_cores()} usable), load {number(os.getloadavg()[0], 1)} at the start; "
            f"Python {platform.python_version()}, engines: {', '.join(ENGINES)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--generated", type=int, default=500, help="generated plans drawn (throughput and folders)")
    parser.add_argument("--plans", type=int, nargs="*", default=[10, 100, 1000], help="folder sizes")
    parser.add_argument("--jobs", type=int, default=available_cores(), help="the parallel run's --jobs")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the tables to benchmarks/RESULTS.md")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(ROOT)
    if not SEEDS.is_dir():
        raise SystemExit(f"no seeds at {SEEDS}")
    parts = [f"Measured {machine()}."]
    print(parts[0], flush=True)
    drawn = generated(args.generated)
    for part in (lambda: per_seed(args.repeats), lambda: throughput(drawn),
                 lambda: folders(args.plans, drawn, args.jobs), lambda: startup(args.repeats)):
        parts.append(part())
        print("\n" + parts[-1], flush=True)
    if args.profile:
        print(profiles(drawn))
    if args.write:
        (ROOT / "benchmarks" / "RESULTS.md").write_text(
            "# Benchmark results\n\n`python benchmarks/engines_and_scale.py --write`\n\n" + "\n\n".join(parts) + "\n",
            encoding="utf-8")


if __name__ == "__main__":
    main()
