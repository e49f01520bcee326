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
SEEDS = REPO.parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
YAML_PLAN = REPO / "fixtures" / "example-plan.yaml"
TIMEOUT = 60
MEMORY = 3 * 2**30
GLOBAL_CASES = ("rules", "config", "param", "output")
ODD_CHARS = ["\x1b]0;x\x07", "\x00", "\x1b[31m", "\u0301", "\u200b", "\ufeff", "\u202e", "²", "٣", "１", "\t", "|"]
ODD_DIGITS = "²³¹٠١٢٣٤٥٦٧٨٩０１２３４５６７８９߀०"


def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(["delete", "duplicate", "digit", "huge", "unicode_digit", "odd", "truncate", "longline"])
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == "delete" and len(lines) > 1:
            del lines[i : i + rng.randint(1, 20)]
        elif op == "duplicate":
            lines[i:i] = lines[i : i + rng.randint(1, 30)]
        elif op == "digit":
            chars = list(lines[i])
            spots = [k for k, c in enumerate(chars) if c.isdigit()]
            for k in rng.sample(spots, min(len(spots), 3)):
                chars[k] = rng.choice("0123456789")
            lines[i] = "".join(chars)
        elif op == "huge":
            lines[i] += " " + rng.choice(["9" * rng.choice([16, 30, 400, 5000]), "-10000000000000000000000000", "1e308"])
        elif op == "unicode_digit":
            lines[i] = "".join(rng.choice(ODD_DIGITS) if c.isdigit() and rng.random() < 0.3 else c for c in lines[i])
        elif op == "odd":
            k = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:k] + rng.choice(ODD_CHARS) + lines[i][k:]
        elif op == "truncate":
            lines = lines[: rng.randint(1, len(lines))]
        elif op == "longline":
            lines[i] += " " + " ".join(str(rng.randint(1, 999)) for _ in range(rng.choice([50, 2000])))
    return "\n".join(lines)


def mutate_yaml(text: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.15:
        depth = rng.choice([50, 500, 5000])
        return text + "\nextra: " + "[" * depth + "]" * depth + "\n"
    if choice < 0.2:
        return 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
            f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
        )
    replacements = [
        ("plan_year: 2026", f"plan_year: {rng.choice([1, -5, 99999, 1989, 2101, '2026' + '0' * 5000])}"),
        ("2_400_000", rng.choice(["9" * 30, "-10000000000000000000000000", "9" * 5000, "1e400", ".nan", "٣٠٠"])),
        ("Samordningsförbundet Exempelbygd", rng.choice([
            '"Namn\\n# Rubrik | x |"', '"\\e]0;titel\\a"', '"\\ud800"', '"<script>alert(1)</script>"',
            '"[x](javascript:alert(1))"', '"' + "A" * 5000 + '"'])),
        ("{2026: 900_000, 2027: 950_000}", "{2026: 900_000, 2027: 950_000, 2035: 5}"),
        ("Steget vidare", rng.choice(['"\\ud83d"', '"x\\u0000y"', '"' + "L" * 3000 + '"'])),
    ]
    for old, new in rng.sample(replacements, rng.randint(1, 3)):
        text = text.replace(old, str(new), 1)
    if rng.random() < 0.3:
        text = mutate_text(text, rng)
    return text


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
        jobs: list[tuple[str, list[str], list[str]]] = [(name, [good, *extra[:1]] if name in ("fifo", "device") else [good], extra[1:] if name in ("fifo", "device") else extra) for name, extra in crafted(workdir)]
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
