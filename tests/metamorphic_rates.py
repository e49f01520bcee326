"""Invariance rate per metamorphic family over the real seeds (issue 9's measure).

    python -m tests.metamorphic_rates --examples 200 [--families abc] [--show 3] [--seed 0]

For each family, draws N transformations (seed chosen round-robin over the seeds the family
applies to, a seeded random.Random per draw), parses each and compares its audited content
with the original's; prints equal/total and the first differences. Exit 0 always.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import metamorphic as mm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--families", default="".join(mm.FAMILIES))
    parser.add_argument("--show", type=int, default=3, help="differences shown per family")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not mm.SEED_DIR.is_dir():
        print(f"{mm.SEED_DIR} not found: the real seed documents are not beside this checkout")
        return 0
    print(f"{'family':<44} {'equal':>6} {'total':>6} {'rate':>7}  seeds")
    for family in args.families:
        seeds = mm.applicable_seeds(family)
        equal = 0
        shown: list[str] = []
        causes: Counter[str] = Counter()
        failed_by_seed: Counter[str] = Counter()
        started = time.time()
        for k in range(args.examples):
            seed = seeds[k % len(seeds)]
            rng = random.Random(f"{args.seed}-{family}-{k}")
            text = mm.transform(family, seed, rng)
            diff = mm.differences(mm.original_content(seed), mm.content_of(text, seed))
            if not diff:
                equal += 1
                continue
            failed_by_seed[seed[:3]] += 1
            for d in diff:
                path = d.split(":")[0]
                causes["parse refused" if "'error'" in d else re.sub(r"\[\d+\]|\.\d{4}", "", path) or "."] += 1
            if len(shown) < args.show:
                shown.append(f"  #{k} {seed[:3]}: " + "; ".join(x[:200] for x in diff[:3]))
        name = f"({family}) {mm.FAMILY_NAMES[family]}"
        rate = 100 * equal / args.examples if args.examples else 0.0
        print(f"{name:<44} {equal:>6} {args.examples:>6} {rate:>6.1f} %  {' '.join(s[:3] for s in seeds)}"
              f"  [{time.time() - started:.0f} s]")
        if failed_by_seed:
            print("  failures by seed: " + ", ".join(f"{s} {n}" for s, n in sorted(failed_by_seed.items())))
            print("  differing fields: " + ", ".join(f"{c} {n}" for c, n in causes.most_common(6)))
        for line in shown:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
