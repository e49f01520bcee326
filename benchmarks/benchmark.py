"""Benchmark of parse, audit, CLI start-up, memory and the rules engine's overhead.

Run by hand (not a timed test):

    python benchmarks/benchmark.py            # full run (10 000 plans for memory)
    python benchmarks/benchmark.py --quick    # fewer repetitions and plans
    python benchmarks/benchmark.py --profile  # also cProfile the slow paths

Targets (issue 5): ≤ 20 ms parse+audit per seed in process, ≥ 500 audited plans/s on
one core, ≤ 0,4 s wall for `finsam-audit audit <seed>`, memory flat over 10 000 plans.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"

from finsam_audit.audit import conditions  # noqa: E402
from finsam_audit.audit.run import audit_documents  # noqa: E402
from finsam_audit.audit.catalog import load_catalog  # noqa: E402
from finsam_audit.audit.config import AuditConfig  # noqa: E402
from finsam_audit.audit.engine import evaluate  # noqa: E402
from finsam_audit.audit.facts import derive_facts  # noqa: E402
from finsam_audit.read import parse_text  # noqa: E402
from finsam_audit.common import text as _text  # noqa: E402

TARGET_SEED_MS = 20.0
TARGET_PLANS_PER_S = 500.0
TARGET_CLI_S = 0.4


def clear_caches() -> None:
    """The parser's lru caches, so repeated runs do not read from a warm cache."""
    _text.fold.cache_clear()
    _text._fold_char.cache_clear()


def median_time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- a plain-Python evaluator of the condition language (the floor) ----------------


def _rvalue(rvalue: Any, fact: dict[str, Any]) -> Any:
    if not isinstance(rvalue, dict):
        return rvalue
    key, body = next(iter(rvalue.items()))
    if key == "$m":
        return fact.get(body, _MISSING)
    left, right = _rvalue(body["$l"], fact), _rvalue(body["$r"], fact)
    if left is _MISSING or right is _MISSING:
        return _MISSING
    if key == "$add":
        return left + right
    if key == "$sub":
        return left - right
    return left * right


_MISSING = object()
_COMPARE = {
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
    "$neq": lambda a, b: a != b,
}


def plain_holds(cond: dict, fact: dict[str, Any]) -> bool:
    """Does `cond` (guarded semantics: an atom needs its fields) hold for `fact`?"""
    key, body = next(iter(cond.items()))
    if key == "$and":
        return all(plain_holds(child, fact) for child in body)
    if key == "$or":
        return any(plain_holds(child, fact) for child in body)
    if key == "$ex":
        return next(iter(body)) in fact
    if key == "$nex":
        return next(iter(body)) not in fact
    if key in _COMPARE:
        name, rvalue = next(iter(body.items()))
        if name not in fact:
            return False
        right = _rvalue(rvalue, fact)
        if right is _MISSING:
            return False
        left = fact[name]
        if isinstance(left, str) != isinstance(right, str):
            return key == "$neq"
        return _COMPARE[key](left, right)
    return key in fact and fact[key] == body


def plain_evaluate(ruleset, facts: list[dict[str, Any]]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(rule key, fact id) of every match, in fact order then rule order (as engine.evaluate)."""
    by_kind: dict[str, list] = {}
    for rule in ruleset.rules:
        by_kind.setdefault(rule.fact_kind, []).append(rule)
    return [
        (rule.key, fact["id"])
        for fact in facts
        for rule in by_kind.get(fact.get("kind"), ())
        if plain_holds(rule.condition, fact)
    ]


# --- the measurements -------------------------------------------------------------


def seed_times(repeat: int, catalog, config) -> list[tuple[str, float, float, int]]:  # type: ignore[no-untyped-def]
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parse_text(text, path.name)  # warm imports
        audit_documents(parse_text(text, path.name).documents, config, catalog)
        parse_s = median_time(lambda text=text, path=path: parse_text(text, path.name), repeat)
        both_s = median_time(
            lambda text=text, path=path: audit_documents(parse_text(text, path.name).documents, config, catalog), repeat
        )
        findings = len(audit_documents(parse_text(text, path.name).documents, config, catalog).findings())
        rows.append((path.name, parse_s * 1000, both_s * 1000, findings))
    return rows


def draw_plans(count: int) -> list:  # type: ignore[type-arg]
    import warnings

    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import NonInteractiveExampleWarning

    from finsam_audit.testing.strategies import plans

    drawn: list = []  # type: ignore[type-arg]

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(plans())
    def collect(plan) -> None:  # type: ignore[no-untyped-def]
        drawn.append(plan)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        collect()
    unique = list({id(plan): plan for plan in drawn}.values())
    # hypothesis stops early once it has explored enough; cycle what it drew
    return [unique[index % len(unique)] for index in range(count)], len(unique)


def audit_rate(plans: list, catalog, config) -> float:  # type: ignore[no-untyped-def,type-arg]
    for plan in plans[:20]:
        audit_documents([plan], config, catalog)
    gc.collect()
    start = time.perf_counter()
    for plan in plans:
        audit_documents([plan], config, catalog)
    return len(plans) / (time.perf_counter() - start)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_over(plans: list, catalog, config) -> dict[str, float]:  # type: ignore[no-untyped-def,type-arg]
    """RSS and traced Python heap after the first and the last 1000 of the plans."""
    gc.collect()
    tracemalloc.start()
    marks: dict[str, float] = {"rss_start_mb": current_rss_mb()}
    for index, plan in enumerate(plans, 1):
        audit_documents([plan], config, catalog)
        if index == 1000 or index == len(plans) - 1000 or index == len(plans):
            gc.collect()
            heap, _ = tracemalloc.get_traced_memory()
            marks[f"rss_at_{index}_mb"] = current_rss_mb()
            marks[f"heap_at_{index}_mb"] = heap / 2**20
    marks["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    marks["maxrss_mb"] = maxrss_mb()
    return marks


def cli_wall(repeat: int) -> tuple[float, list[float]]:
    seed = sorted(SEEDS.glob("000_*.txt"))[0]
    exe = Path(sys.executable).with_name("finsam-audit")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "finsam_audit.cli"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([*command, "audit", str(seed)], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def import_time() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import finsam_audit.cli"], check=True)
    return time.perf_counter() - start


def engine_overhead(documents: list, catalog, config, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def,type-arg]
    """The same compiled conditions over the same facts: durable-rules vs plain Python."""
    params = catalog.resolve_params(*config.layers_for(None), source=config.source)
    ruleset = catalog.ruleset(params)
    fact_sets = [derive_facts(document, params, []) for document in documents]
    # Both must agree before we compare their times.
    for facts in fact_sets:
        engine = sorted((match.key, match.fact["id"]) for match in evaluate(ruleset, facts))
        plain = sorted(set(plain_evaluate(ruleset, facts)))
        plain_guarded = sorted(set(
            (rule.key, fact["id"])
            for fact in facts
            for rule in ruleset.rules
            if rule.fact_kind == fact["kind"] and plain_holds(conditions.guard(rule.condition), fact)
        ))
        if engine != plain or plain != plain_guarded:
            raise SystemExit(f"plain evaluator disagrees with the engine:\n{engine}\n{plain}")

    def run_engine() -> None:
        for facts in fact_sets:
            evaluate(ruleset, facts)

    def run_plain() -> None:
        for facts in fact_sets:
            plain_evaluate(ruleset, facts)

    def run_derive() -> None:
        for document in documents:
            derive_facts(document, params, [])

    n_facts = sum(len(facts) for facts in fact_sets)
    engine_s = median_time(run_engine, repeat) / len(fact_sets)
    plain_s = median_time(run_plain, repeat) / len(fact_sets)
    derive_s = median_time(run_derive, repeat) / len(fact_sets)
    return {
        "facts_per_plan": n_facts / len(fact_sets),
        "rules": len(ruleset.rules),
        "engine_ms": engine_s * 1000,
        "plain_ms": plain_s * 1000,
        "derive_ms": derive_s * 1000,
        "ratio": engine_s / plain_s if plain_s else float("inf"),
    }


def profile(fn, top: int = 15) -> str:  # type: ignore[no-untyped-def]
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    out.write("\n--- by own time ---\n")
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:10]
    return "\n".join([
        f"nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        f"python: {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}",
        *lscpu,
    ])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--plans", type=int, default=None, help="generated plans for the memory run")
    args = parser.parse_args()
    repeat = 5 if args.quick else 21
    n_memory = args.plans or (2000 if args.quick else 10_000)
    n_rate = min(n_memory, 2000)

    config = AuditConfig()
    catalog = load_catalog(config.rules)
    out: list[str] = ["# Benchmark results", "", "```", machine(), "```", ""]

    if not SEEDS.is_dir():
        raise SystemExit(f"no seeds at {SEEDS}")
    rows = seed_times(repeat, catalog, config)
    out += [f"## Parse and audit per seed (in process, median of {repeat}, caches cleared)", "",
            "| seed | parse ms | parse+audit ms | findings | ≤ 20 ms |", "|---|---:|---:|---:|---|"]
    for name, parse_ms, both_ms, findings in rows:
        out.append(f"| {name} | {parse_ms:.1f} | {both_ms:.1f} | {findings} | {verdict(both_ms <= TARGET_SEED_MS)} |")
    out.append("")

    start = time.perf_counter()
    plans, distinct = draw_plans(n_memory)
    draw_s = time.perf_counter() - start
    rate = audit_rate(plans[:n_rate], catalog, config)
    out += ["## Generated plans", "",
            f"- drawn up front: {n_memory} plans ({distinct} distinct, cycled) in {draw_s:.1f} s",
            f"- audited plans per second (one core, audit alone, {n_rate} plans): **{rate:.0f}/s** "
            f"(target ≥ 500: {verdict(rate >= TARGET_PLANS_PER_S)})", ""]

    overhead = engine_overhead(plans[:200], catalog, config, max(3, repeat // 3))
    out += ["## Engine overhead (same compiled conditions, same facts, 200 generated plans)", "",
            f"- rules (compiled outcomes): {overhead['rules']}, facts per plan: {overhead['facts_per_plan']:.1f}",
            f"- durable-rules `engine.evaluate`: {overhead['engine_ms']:.3f} ms/plan",
            f"- plain-Python evaluator: {overhead['plain_ms']:.3f} ms/plan",
            f"- engine / plain: **{overhead['ratio']:.1f}×**",
            f"- for scale, derive_facts: {overhead['derive_ms']:.3f} ms/plan", ""]

    cli_s, cli_all = cli_wall(5)
    imports_s = import_time()
    out += ["## CLI", "",
            f"- `finsam-audit audit 000_*.txt` start to exit, median of 5: **{cli_s:.3f} s** "
            f"(target ≤ 0,4 s: {verdict(cli_s <= TARGET_CLI_S)}); runs: {', '.join(f'{t:.3f}' for t in cli_all)}",
            f"- `python -c 'import finsam_audit.cli'`: {imports_s:.3f} s", ""]

    marks = memory_over(plans, catalog, config)
    first_rss, last_rss = marks["rss_at_1000_mb"], marks[f"rss_at_{n_memory}_mb"]
    first_heap, last_heap = marks["heap_at_1000_mb"], marks[f"heap_at_{n_memory}_mb"]
    out += [f"## Memory over {n_memory} audited generated plans (tracemalloc on, so slower)", "",
            "| after plan | RSS MB | traced Python heap MB |", "|---:|---:|---:|",
            *(f"| {key.split('_')[2]} | {marks[key]:.1f} | {marks[key.replace('rss', 'heap')]:.2f} |"
              for key in marks if key.startswith("rss_at_")),
            "",
            f"- growth from plan 1000 to plan {n_memory}: RSS {last_rss - first_rss:+.1f} MB, "
            f"Python heap {last_heap - first_heap:+.3f} MB "
            f"(flat: {verdict(last_rss - first_rss < 5 and last_heap - first_heap < 1)})",
            f"- peak RSS (ru_maxrss, whole benchmark process, includes the drawn plans): {marks['maxrss_mb']:.0f} MB; "
            f"traced heap peak {marks['heap_peak_mb']:.1f} MB", ""]

    text = "\n".join(out)
    print(text)
    if args.profile:
        seed = sorted(SEEDS.glob("*.txt"))[0]
        seed_text = seed.read_text(encoding="utf-8")
        print("\n# Profile: parse+audit of", seed.name, "×20\n")
        print(profile(lambda: [audit_documents(parse_text(seed_text, seed.name).documents, config, catalog) for _ in range(20)]))
        print("\n# Profile: audit of 500 generated plans\n")
        print(profile(lambda: [audit_documents([plan], config, catalog) for plan in plans[:500]]))
    if not args.quick and not args.plans:
        (ROOT / "benchmarks" / "RESULTS.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
