"""A long fuzz campaign against the command line, one child process per case.

Every case is a mutated seed text or YAML plan (or a crafted hostile file) audited
beside an intact seed, so a case that wipes out the whole run shows as "lost". The
counts: cases, exit codes, tracebacks, timeouts, signals, lost runs, time and memory
maxima. Usage (from the repository root):

    /work/venv/bin/python benchmarks/fuzz_campaign.py --cases 600 --seed 1 [--keep DIR]

Cases that misbehave (a traceback, a signal, a timeout, exit code outside 0/1/2,
exit 1 with an error, or a lost run) are copied to --keep for tests/fuzz/cases/.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from finsam_audit.testing.mutations import mutate_text, mutate_yaml  # noqa: E402  (the checkout's own package)
SEEDS = REPO.parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
YAML_PLAN = REPO / "fixtures" / "example-plan.yaml"
TIMEOUT = 60
MEMORY = 3 * 2**30
GLOBAL_CASES = ("rules", "config", "param", "output")


def crafted(workdir: Path) -> list[tuple[str, list[str]]]:
    """Hand-made hostile inputs: (name, extra CLI arguments after the files)."""
    cases = []
    fifo = workdir / "fifo" / "plan.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    cases.append(("fifo", [str(fifo)]))
    cases.append(("device", ["/dev/zero"]))
    rules = workdir / "rules_or14"
    rules.mkdir()
    branches = ", ".join(f'{{"$gt": {{"excess_kr": {i}}}}}' for i in range(14))
    (rules / "FA901.toml").write_text(_rule_toml("FA901", f'{{"$or": [{branches}]}}'))
    cases.append(("rules-or14", ["--rules", str(rules)]))
    many = workdir / "rules_many"
    many.mkdir()
    builtin = {path.stem for path in (REPO / "rules").glob("FA*.toml")}
    for rule_id in [f"FA{i:03}" for i in range(1000) if f"FA{i:03}" not in builtin][:600]:
        (many / f"{rule_id}.toml").write_text(_rule_toml(rule_id, '{"$gt": {"excess_kr": 1}}'))
    cases.append(("rules-600", ["--rules", str(many)]))
    for name, condition in [("surrogate", '{"limit_source": "\\ud800"}'),
                            ("huge-int", '{"$gt": {"excess_kr": ' + "9" * 5000 + '}}'),
                            ("nested", '{"$and": [' * 600 + '{"$gt": {"excess_kr": 1}}' + ']}' * 600)]:
        folder = workdir / f"rules_{name}"
        folder.mkdir()
        (folder / "FA902.toml").write_text(_rule_toml("FA902", condition))
        cases.append((f"rules-{name}", ["--rules", str(folder)]))
    deep = workdir / "config_deep.toml"
    deep.write_text("a = " + "[" * 1000 + "]" * 1000 + "\n")
    cases.append(("config-deep", ["--config", str(deep)]))
    cases.append(("param-huge", ["--param", "FA201.limit_percent=" + "9" * 5000]))
    cases.append(("param-negative", ["--param", "FA201.limit_percent=-20"]))
    cases.append(("param-unicode", ["--param", "FA201.limit_percent=٣"]))
    cases.append(("output-missing-dir", ["--output", str(workdir / "nope" / "r.md")]))
    return cases


def _rule_toml(rule_id: str, condition: str) -> str:
    """FA201 with another id and condition."""
    text = (REPO / "rules" / "FA201.toml").read_text(encoding="utf-8").replace('id = "FA201"', f'id = "{rule_id}"', 1)
    quotes = "'" * 3
    pattern = re.compile(f"condition = {quotes}.*?{quotes}", re.S)
    return pattern.sub(lambda _: f"condition = {quotes}{condition}{quotes}", text, count=1)


def run_case(files: list[str], extra: list[str]) -> dict:
    command = [sys.executable, "-c", "from finsam_audit.cli import main; main()", "audit", *files,
               "--format", "json", *extra]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err, preexec_fn=limit)
        deadline = start + TIMEOUT
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                return {"timeout": True, "seconds": TIMEOUT, "rss_mb": usage.ru_maxrss / 1024}
            time.sleep(0.02)
        child.returncode = 0  # reaped by wait4
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    return {"timeout": False, "code": code, "seconds": time.monotonic() - start, "rss_mb": usage.ru_maxrss / 1024,
            "traceback": "Traceback" in stderr, "stdout": stdout, "stderr": stderr}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = sorted(SEEDS.glob("*.txt"))
    plan_yaml = YAML_PLAN.read_text(encoding="utf-8")
    counts: collections.Counter = collections.Counter()
    maxima = {"seconds": 0.0, "rss_mb": 0.0}
    bad: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        good = str(seeds[0])
        jobs: list[tuple[str, list[str], list[str]]] = [
            (
                name,
                [good, *extra[:1]] if name in ("fifo", "device") else [good],
                extra[1:] if name in ("fifo", "device") else extra,
            )
            for name, extra in crafted(workdir)
        ]
        for index in range(args.cases):
            if rng.random() < 0.35:
                path = workdir / f"case{index}.yaml"
                path.write_text(mutate_yaml(plan_yaml, rng), encoding="utf-8", errors="surrogatepass")
            else:
                seed = rng.choice(seeds)
                path = workdir / f"case{index}.txt"
                path.write_text(mutate_text(seed.read_text(encoding="utf-8"), rng), encoding="utf-8", errors="surrogatepass")
            jobs.append((path.name, [good, str(path)], []))
        for name, files, extra in jobs:
            outcome = run_case(files, extra)
            counts["cases"] += 1
            maxima["seconds"] = max(maxima["seconds"], outcome["seconds"])
            maxima["rss_mb"] = max(maxima["rss_mb"], outcome["rss_mb"])
            problem = _problem(outcome, good, refuse=name.startswith(GLOBAL_CASES))
            if outcome["timeout"]:
                counts["timeout"] += 1
            else:
                counts[f"exit {outcome['code']}"] += 1
                counts["traceback"] += outcome["traceback"]
            if problem:
                counts[problem] += 1
                bad.append(f"{name}: {problem}")
                if args.keep and not name.startswith(("fifo", "device", *GLOBAL_CASES)):
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(files[-1], args.keep / f"{problem.replace(' ', '-')}-{name}")
    print(json.dumps({"counts": dict(sorted(counts.items())), "maxima": maxima, "problems": bad[:60]},
                     indent=1, ensure_ascii=False))


def _problem(outcome: dict, good: str, refuse: bool) -> str | None:
    """What went wrong; a bad rule file, configuration or option must be refused (exit 2)."""
    if outcome["timeout"]:
        return "timeout"
    code = outcome["code"]
    if code < 0:
        return "signal"
    if outcome["traceback"]:
        return "traceback"
    if code not in (0, 1, 2):
        return "bad exit code"
    if refuse:
        return None if code == 2 else "not refused"
    if good not in outcome["stdout"]:
        return "lost run"
    return None


if __name__ == "__main__":
    main()
