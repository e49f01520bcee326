"""Issue 11 in one run: per-seed stages, both engines' throughput, folders at scale, CLI start-up.

Run by hand from the repository root (not a timed test); every figure is a median:

    python benchmarks/engines_and_scale.py               # folders of 10 and 100 plans
    python benchmarks/engines_and_scale.py --plans 1000  # and 1 000

Prints one table per part:
- per seed: parse / facts / engine (durable, python) / report ms, in process;
- audited plans per second on generated plans, per engine: the audit alone (facts,
  engine, findings) and the engine alone, one core;
- `finsam-audit audit FOLDER` on copies of the seeds: wall time, time per plan and peak RSS;
- `finsam-audit audit SEED` wall time against `python -c pass`, side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finsam_audit.audit.catalog import load_catalog  # noqa: E402
from finsam_audit.audit.config import AuditConfig  # noqa: E402
from finsam_audit.audit.engine import durable_available, evaluate  # noqa: E402
from finsam_audit.audit.facts import derive_facts  # noqa: E402
from finsam_audit.audit.run import audit_document, audit_parse_results  # noqa: E402
from finsam_audit.model import DocumentKind  # noqa: E402
from finsam_audit.read import parse_file  # noqa: E402
from finsam_audit.report.text import render  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
ENGINES = ["durable", "python"] if durable_available() else ["python"]


def median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def per_seed(repeats: int) -> None:
    catalog = load_catalog()
    params = catalog.resolve_params()
    ruleset = catalog.ruleset(params)
    print("\n## Per seed, in process (median ms)\n")
    print("| seed | parse | facts | " + " | ".join(f"engine {e}" for e in ENGINES) + " | audit+report | parse+audit |")
    print("|---|" + "---:|" * (4 + len(ENGINES)))
    for path in sorted(SEEDS.glob("*.txt")):
        result = parse_file(path)
        plans = [d for d in result.documents if d.kind == DocumentKind.PLAN]
        facts = [derive_facts(plan, params, result.documents) for plan in plans]
        parse = median_ms(lambda path=path: parse_file(path), repeats)
        derive = median_ms(lambda result=result, plans=plans: [derive_facts(p, params, result.documents) for p in plans], repeats)
        engines = [median_ms(lambda e=e, facts=facts: [evaluate(ruleset, f, e) for f in facts], repeats) for e in ENGINES]
        audited = median_ms(lambda result=result: render(audit_parse_results([result], AuditConfig(), catalog), "table"), repeats)
        print(f"| {path.name[:3]} | {parse:.1f} | {derive:.1f} | " + " | ".join(f"{ms:.2f}" for ms in engines)
              + f" | {audited:.1f} | {parse + audited:.1f} |")


def throughput(count: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import NonInteractiveExampleWarning

    from finsam_audit.testing.strategies import plans

    drawn = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(plans())
    def collect(plan):  # type: ignore[no-untyped-def]
        drawn.append(plan)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        collect()
    catalog = load_catalog()
    params = catalog.resolve_params()
    ruleset = catalog.ruleset(params)
    facts = [derive_facts(plan, params) for plan in drawn]
    print(f"\n## Audited plans per second, one core ({len(drawn)} generated plans, median of 3)\n")
    print("| engine | audit alone (facts, engine, findings) | engine alone |")
    print("|---|---:|---:|")
    for engine in ENGINES:
        config = AuditConfig(engine=engine)
        evaluate(ruleset, facts[0], engine)  # compile once
        audit_ms = median_ms(lambda config=config: [audit_document(p, catalog, config) for p in drawn], 3)
        engine_ms = median_ms(lambda engine=engine: [evaluate(ruleset, f, engine) for f in facts], 3)
        print(f"| {engine} | {len(drawn) / audit_ms * 1000:,.0f} | {len(drawn) / engine_ms * 1000:,.0f} |".replace(",", " "))


def cli(*args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one run."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *args], capture_output=True, text=True, check=False)
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss)


def folders(sizes: list[int], jobs: list[str]) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    command = [sys.executable, "-c", "from finsam_audit.cli import main; main()", "audit", "--format", "json"]
    print("\n## `audit FOLDER` of seed copies (one förbund per seed: dossiers grow with the folder)\n")
    print("| plans | wall s | ms per plan | peak RSS MB |")
    print("|---:|---:|---:|---:|")
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"finsam-{size}-"))
        try:
            for index in range(size):
                seed = seeds[index % len(seeds)]
                shutil.copy(seed, folder / f"{index:05d}_{seed.name}")
            wall, rss = cli(*command, str(folder), *jobs)
            print(f"| {size} | {wall:.1f} | {wall / size * 1000:.0f} | {rss / 1024:.0f} |")
        finally:
            shutil.rmtree(folder)


def startup(repeats: int) -> None:
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    pass_s, audit_s = [], []
    for _ in range(repeats):  # side by side: the machine's load hits both alike
        pass_s.append(cli(sys.executable, "-c", "pass")[0])
        audit_s.append(cli(sys.executable, "-c", "from finsam_audit.cli import main; main()", "audit", seed)[0])
    p, a = statistics.median(pass_s), statistics.median(audit_s)
    print("\n## CLI start-up (median wall s)\n")
    print("| `python -c pass` | `finsam-audit audit SEED` | ratio |")
    print("|---:|---:|---:|")
    print(f"| {p:.2f} | {a:.2f} | {a / p:.1f}× |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--plans", type=int, nargs="*", default=[10, 100])
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    print(
        f"Python {sys.version.split()[0]}, engines: {', '.join(ENGINES)}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    per_seed(args.repeats)
    throughput(args.generated)
    folders(args.plans, [])
    startup(args.repeats)


if __name__ == "__main__":
    main()
