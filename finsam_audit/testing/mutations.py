"""Mutations of plan texts and YAML plans for fuzzing the command line.

Each takes a `random.Random`: the fuzz test draws it from hypothesis (`st.randoms()`,
so failures shrink), the long campaign (benchmarks/fuzz_campaign.py) seeds it. They
make what real inputs and hostile ones do: lines deleted and duplicated, digits
flipped, huge numbers, Unicode digits and combining marks, control characters,
truncation, very long rows, deep nesting, alias bombs, out-of-range years.
"""

from __future__ import annotations

import random

ODD_CHARS = ("\x1b]0;x\x07", "\x00", "\x1b[31m", "\u0301", "\u200b", "\ufeff", "\u202e", "²", "٣", "１", "\t", "|", "\x85")
ODD_DIGITS = "²³¹٠١٢٣٤٥٦٧٨٩０１２３４５６７８９߀०"
HUGE = ("9" * 16, "9" * 30, "9" * 400, "9" * 5000, "-10000000000000000000000000", "1e308")
TEXT_OPERATIONS = ("delete", "duplicate", "digit", "huge", "unicode_digit", "odd", "truncate", "longline")


def mutate_text(text: str, rng: random.Random, operations: int | None = None) -> str:
    """`text` with one to six mutations, line by line."""
    lines = text.split("\n") or [""]
    for _ in range(operations if operations is not None else rng.randint(1, 6)):
        lines = _mutate_lines(lines or [""], rng.choice(TEXT_OPERATIONS), rng)
    return "\n".join(lines)


def _mutate_lines(lines: list[str], operation: str, rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    if operation == "delete" and len(lines) > 1:
        del lines[i : i + rng.randint(1, 20)]
    elif operation == "duplicate":
        lines[i:i] = lines[i : i + rng.randint(1, 30)]
    elif operation == "digit":
        chars = list(lines[i])
        spots = [k for k, c in enumerate(chars) if c in "0123456789"]
        for k in rng.sample(spots, min(len(spots), 3)):
            chars[k] = rng.choice("0123456789")
        lines[i] = "".join(chars)
    elif operation == "huge":
        lines[i] += " " + rng.choice(HUGE)
    elif operation == "unicode_digit":
        lines[i] = "".join(rng.choice(ODD_DIGITS) if c in "0123456789" and rng.random() < 0.3 else c for c in lines[i])
    elif operation == "odd":
        k = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:k] + rng.choice(ODD_CHARS) + lines[i][k:]
    elif operation == "truncate":
        lines = lines[: rng.randint(1, len(lines))]
    elif operation == "longline":
        lines[i] += " " + " ".join(str(rng.randint(1, 999)) for _ in range(rng.choice((50, 2000))))
    return lines


def alias_bomb(levels: int = 8) -> str:
    """A small YAML document whose aliases expand to 9^(levels + 1) values."""
    names = "abcdefghijklmnop"[: levels + 1]
    return 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip(names, names[1:], strict=False)
    )


def mutate_yaml(text: str, rng: random.Random) -> str:
    """The example YAML plan (fixtures/example-plan.yaml) with hostile values or structure."""
    choice = rng.random()
    if choice < 0.15:
        depth = rng.choice((50, 500, 5000))
        return text + "\nextra: " + "[" * depth + "]" * depth + "\n"
    if choice < 0.2:
        return alias_bomb()
    replacements = [
        ("plan_year: 2026", f"plan_year: {rng.choice((1, -5, 99999, 1989, 2101, '2026' + '0' * 5000))}"),
        ("2_400_000", rng.choice(("9" * 30, "-10000000000000000000000000", "9" * 5000, "1e400", ".nan", "٣٠٠"))),
        ("Samordningsförbundet Exempelbygd", rng.choice((
            '"Namn\\n# Rubrik | x |"', '"\\e]0;titel\\a"', '"\\ud800"', '"<script>alert(1)</script>"',
            '"[x](javascript:alert(1))"', '"' + "A" * 5000 + '"'))),
        ("{2026: 900_000, 2027: 950_000}", "{2026: 900_000, 2027: 950_000, 2035: 5}"),
        ("Steget vidare", rng.choice(('"\\ud83d"', '"x\\u0000y"', '"' + "L" * 3000 + '"'))),
    ]
    for old, new in rng.sample(replacements, rng.randint(1, 3)):
        text = text.replace(old, str(new), 1)
    return mutate_text(text, rng) if rng.random() < 0.3 else text
