"""Compare a hand-verified seed fixture with what the parser made of the seed.

The fixtures in ``fixtures/seeds/<seed stem>.expected.yaml`` are written by a person
reading the real documents in ``../shared/seeds`` (beside the repository). They are the
ground truth the parser is measured against; see their headers for the conventions.

``compare(expected, result)`` walks the fixture and the parser's ``ParseResult`` field by
field and returns ``(fields_checked, mismatches)``; every mismatch is one failed field, so
``fields_checked - len(mismatches)`` fields matched.

Matching rules:
  - documents, budget lines, insatser, goals, ceilings: by order (a list of a different
    length is one failed field, and every field of a missing item fails);
  - labels, names, subjects: whitespace collapsed; labels and names without leading bullet
    characters, names and subjects case-insensitive; a förbund name with its dashes
    normalised ("Härnösand – Timrå" = "Härnösand-Timrå");
  - insats members: as a set of member kinds; others: as a set of non-member party names,
    case-insensitive;
  - insats ``text_amounts``: per year, one parsed amount of that year must equal it and every
    other must agree with it within its own precision (an amount of another insats read into
    this one fails); a parsed year the fixture does not list is a mismatch;
  - goal ``starts``: prefix of Goal.text (whitespace collapsed, case-insensitive, markdown
    ``*`` and leading bullets removed); ``has_*``: whether the parsed field is a non-empty
    string; ``targets``: in order, equal when one contains the other (case-insensitive) or
    both carry the same numbers ("Minst 10 kunskapshöjande insatser" = "minst 10"); an empty
    target matches only an empty one; ``financial`` / ``means`` against the Goal's flags;
  - equity: each expected entry is matched to the parsed entries with the same (year,
    timing) not matched to an earlier expected entry, and passes when it agrees on every field
    given; parsed entries left unmatched (another year or timing, or a statement read twice)
    are one mismatch;
  - statements: ``individ_target`` / ``equity_limit`` against ``Statement.value`` as
    Decimal; a statement the fixture leaves out must be absent from the parse.

Keys for what issue 9 asks the reader to keep but the plan model may not have yet. Each is
checked only when the parsed Document HAS the attribute (``hasattr``); until then it is
skipped and not counted, so the comparison stays correct today and becomes strict as soon as
the reader grows the field:
  - ``status``: ``draft`` for a proposal before decision ("FÖRSLAG", "Behandlas av
    styrelsen ...", att-clauses), else ``adopted``; against ``Document.status`` (enum value).
  - ``history``: a list of ``{label, year, column, kronor}``, one per cell of a history
    column of the budget table (``column``: utfall, bokslut, prognos, or budget for the
    current year's budget shown beside the plan years). Against ``Document.history``, a list
    of entries with ``label``, ``year``, ``column`` and ``kronor`` (or ``amount.kronor``);
    each listed entry must be found by (label, year, column) with equal kronor. The fixture
    may list a subset; history cells never appear among the budget lines' plan years.
  - ``members``: the document's member parties as a set of member kinds, against
    ``Document.members`` (``Party.member``).

Run ``python tests/fixture_compare.py`` (or ``python -m tests.fixture_compare``) from the
repository for a per-seed table of the field-level match rate and the mismatches
(``--quiet``: the table only).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path
from collections.abc import Callable
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = REPO_ROOT / "fixtures" / "seeds"
SEED_DIR = REPO_ROOT.parent / "shared" / "seeds"

_WS = re.compile(r"\s+")
# Bullets as the seeds write them: "•", "−", "–", "-", "*", "e" is NOT stripped (OCR bullets
# are real letters); private-use glyphs from PDF symbol fonts (U+F0B7, U+F0A7, U+F0D8 ...).
_LEADING_BULLETS = re.compile(r"^[\s\-\u2212\u2013\u2014\u2022\u00b7\u25cf\u25aa*\uf000-\uf0ff]+")
_DASHES = re.compile(r"\s*[\-\u2212\u2013\u2014]\s*")
_QUOTES = "\"'\u201d\u201c\u2019\u2018\u00bb\u00ab"
_NUMBER_WORDS = {
    "en": "1", "ett": "1", "två": "2", "tre": "3", "fyra": "4", "fem": "5", "sex": "6",
    "sju": "7", "åtta": "8", "nio": "9", "tio": "10",
}

DOCUMENT_KEYS = (
    "kind", "forbund", "decided", "plan_year", "years", "unit", "budget_lines", "equity",
    "insatser", "goals", "statements", "ceilings", "first_line",
    "status", "history", "members", "excerpt",
)
# Document keys checked only when the parsed Document has the attribute (see the docstring).
OPTIONAL_DOCUMENT_KEYS = ("status", "history", "members")
HISTORY_KEYS = ("label", "year", "column", "kronor")
LINE_KEYS = ("label", "kind", "funder", "group", "section", "equity_timing", "amounts")
EQUITY_KEYS = ("year", "timing", "kronor", "approximate", "percent")
INSATS_KEYS = ("name", "kind", "members", "others", "text_amounts", "has_goal", "has_follow_up", "line")
GOAL_KEYS = ("starts", "has_measure", "has_follow_up", "targets", "financial", "means", "line")
CEILING_KEYS = ("subject", "per_year", "total", "first_year", "last_year")
STATEMENT_KEYS = ("individ_target", "equity_limit")


# ----------------------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    """Enum -> its value, date -> ISO text, Amount-like -> kronor; everything else unchanged."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if hasattr(value, "kronor"):
        return value.kronor
    return value


def _collapse(text: Any) -> str:
    return _WS.sub(" ", str(text)).strip()


def _label(text: Any) -> str:
    return _LEADING_BULLETS.sub("", _collapse(text)).strip()


def _name(text: Any) -> str:
    return _label(text).strip(_QUOTES).strip().casefold()


def _forbund(text: Any) -> str:
    return _DASHES.sub("-", _collapse(text))


def _goal_text(text: Any) -> str:
    return _collapse(_LEADING_BULLETS.sub("", _collapse(str(text).replace("*", "")))).casefold()


def _numbers(text: str) -> list[str]:
    out = []
    for token in re.findall(r"\d+(?:[ ,.]\d+)*|[a-zåäö]+", text.casefold()):
        if token[0].isdigit():
            out.append(re.sub(r"[ ,.]", "", token))
        elif token in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[token])
    return out


def _target_matches(expected: str, got: str) -> bool:
    e, g = _collapse(expected).casefold(), _collapse(got).casefold()
    if not e or not g:  # an empty target matches nothing (only another empty one)
        return e == g
    if e in g or g in e:
        return True
    return bool(_numbers(e)) and _numbers(e) == _numbers(g)


def _filled(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _repr(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(repr(v) for v in value)) + "}" if value else "{}"
    return str(value)


class _Checker:
    """Counts checked fields and collects one message per failed field."""

    def __init__(self) -> None:
        self.checked = 0
        self.mismatches: list[str] = []

    def check(self, path: str, expected: Any, got: Any, equal: bool | None = None) -> bool:
        self.checked += 1
        ok = (expected == got) if equal is None else equal
        if not ok:
            self.mismatches.append(f"{path}: expected {_repr(expected)}, got {_repr(got)}")
        return ok

    def fail(self, path: str, message: str) -> None:
        self.checked += 1
        self.mismatches.append(f"{path}: {message}")

    def missing(self, path: str, expected_item: Any, what: str = "item") -> None:
        """Every field of an expected item (or document) the parse does not have fails."""
        for leaf_path, value in _leaves(path, expected_item):
            self.fail(leaf_path, f"expected {_repr(_plain(value))}, got <missing {what}>")


def _leaves(path: str, value: Any) -> list[tuple[str, Any]]:
    """The checkable fields of a fixture value: dicts and lists of dicts are walked."""
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for key, item in value.items():
            out.extend(_leaves(f"{path}.{key}", item))
        return out
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        out = [(f"{path}.len", len(value))]
        for i, item in enumerate(value):
            out.extend(_leaves(f"{path}[{i}]", item))
        return out
    return [(path, value)]


def _unknown_keys(where: str, item: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(item) - set(allowed)
    if unknown:
        raise ValueError(f"fixture {where}: unknown key(s) {sorted(unknown)}; allowed: {list(allowed)}")


def _list_length(c: _Checker, path: str, expected: list[Any], got: list[Any], describe) -> None:  # type: ignore[no-untyped-def]
    if len(expected) == len(got):
        c.check(f"{path}.len", len(expected), len(got))
        return
    extra = ""
    if len(got) > len(expected):
        extra = "; extra: " + ", ".join(describe(item) for item in got[len(expected):])
    c.fail(f"{path}.len", f"expected {len(expected)}, got {len(got)}{extra}")


def _amounts(c: _Checker, path: str, expected: dict[int, Any], got: dict[int, Any]) -> None:
    got = {int(year): _plain(amount) for year, amount in (got or {}).items()}
    for year, value in expected.items():
        c.check(f"{path}.{year}", int(value), got.get(int(year), "<none>"))
    extra = sorted(set(got) - {int(y) for y in expected})
    if extra:
        c.fail(f"{path}", f"unexpected year(s) {extra}: " + ", ".join(str(got[y]) for y in extra))


# ------------------------------------------------------------------------ per section


def _budget_line(c: _Checker, path: str, exp: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, exp, LINE_KEYS)
    for key in LINE_KEYS:
        if key not in exp:
            continue
        if key == "amounts":
            _amounts(c, f"{path}.amounts", exp["amounts"], got.amounts)
        elif key == "label":
            c.check(f"{path}.label", _label(exp["label"]), _label(got.label))
        elif key == "section":
            c.check(f"{path}.section", _collapse(exp["section"] or ""), _collapse(got.section or ""))
        else:
            c.check(f"{path}.{key}", exp[key], _plain(getattr(got, key)))


def _equity(c: _Checker, path: str, expected: list[dict[str, Any]], got: list[Any]) -> None:
    used: set[int] = set()  # indexes of parsed entries: each stands for one statement in the document
    for i, exp in enumerate(expected):
        _unknown_keys(f"{path}[{i}]", exp, EQUITY_KEYS)
        key = (int(exp["year"]), exp["timing"])
        matching = [n for n, e in enumerate(got) if (e.year, _plain(e.timing)) == key]
        unused = [n for n in matching if n not in used]
        where = f"{path}[{i}]({key[0]} {key[1]})"
        fields = [k for k in ("kronor", "approximate", "percent") if k in exp]
        if not unused:  # none for the year and timing, or the document states it fewer times than the fixture says
            said = f"every parsed {key[0]} {key[1]} entry already matched" if matching else f"no entry for {key[0]} {key[1]}"
            for field in fields:
                c.fail(f"{where}.{field}", f"expected {_repr(exp[field])}, got <{said}>")
            continue
        best_index = max(unused, key=lambda n: sum(_equity_values(got[n])[f] == _wanted_equity(exp, f) for f in fields))
        used.add(best_index)
        best = got[best_index]
        note = f" (closest of {len(unused)} parsed entries, line {best.line})"
        for field in fields:
            if not c.check(f"{where}.{field}", _wanted_equity(exp, field), _equity_values(best)[field]):
                c.mismatches[-1] += note
    # Parsed entries no expected one matched: another (year, timing), or a duplicate.
    extra = sorted((e.year, _plain(e.timing), e.amount.kronor) for n, e in enumerate(got) if n not in used)
    c.check(
        f"{path}.unexpected",
        [],
        [f"{year} {timing} {kronor}" for year, timing, kronor in extra],
    )


def _equity_values(entry: Any) -> dict[str, Any]:
    return {
        "kronor": entry.amount.kronor,
        "approximate": entry.amount.approximate,
        "percent": None if entry.percent is None else Decimal(entry.percent),
    }


def _wanted_equity(exp: dict[str, Any], field: str) -> Any:
    value = exp[field]
    return Decimal(str(value)) if field == "percent" and value is not None else value


def _text_amounts(c: _Checker, path: str, expected: dict[int, Any], got: list[Any]) -> None:
    by_year: dict[int, list[Any]] = {}
    for amount in got:
        if amount.year is not None:
            by_year.setdefault(int(amount.year), []).append(amount.amount)
    for year, value in expected.items():
        found = by_year.get(int(year), [])
        # Tied to this insats: the amount is read, and every amount read for the year
        # says the same within its own precision ("3,7 miljoner" beside 3 730 000 kr).
        agree = any(a.kronor == int(value) for a in found) and all(
            abs(a.kronor - int(value)) <= a.tolerance for a in found)
        c.check(f"{path}.{year}", int(value), [a.kronor for a in found] or "<none>", agree)
    extra = sorted(set(by_year) - {int(y) for y in expected})
    if extra:
        c.fail(path, f"unexpected year(s) {extra}: {[by_year[y] for y in extra]}")


# What an insats's expected key is compared with: (the expected value, the parsed one).
_INSATS_CHECKS: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "name": lambda want, got: (_name(want), _name(got.name)),
    "kind": lambda want, got: (want, _plain(got.kind)),
    "members": lambda want, got: (set(want), {_plain(p.member) for p in got.parties or [] if p.member is not None}),
    "others": lambda want, got: ({_name(n) for n in want}, {_name(p.name) for p in got.parties or [] if p.member is None}),
    "has_goal": lambda want, got: (want, _filled(got.goal)),
    "has_follow_up": lambda want, got: (want, _filled(got.follow_up)),
    "line": lambda want, got: (want, got.line),
}


def _insats(c: _Checker, path: str, exp: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, exp, INSATS_KEYS)
    for key in (key for key in INSATS_KEYS if key in exp):
        if key == "text_amounts":
            _text_amounts(c, f"{path}.text_amounts", exp["text_amounts"], got.text_amounts or [])
        else:
            c.check(f"{path}.{key}", *_INSATS_CHECKS[key](exp[key], got))


def _goal(c: _Checker, path: str, exp: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, exp, GOAL_KEYS)
    for key in GOAL_KEYS:
        if key not in exp:
            continue
        if key == "starts":
            text = _goal_text(got.text)
            prefix = _goal_text(exp["starts"])
            c.check(f"{path}.starts", exp["starts"], _collapse(got.text)[:80], text.startswith(prefix))
        elif key == "has_measure":
            c.check(f"{path}.has_measure", exp["has_measure"], _filled(got.measure))
        elif key == "has_follow_up":
            c.check(f"{path}.has_follow_up", exp["has_follow_up"], _filled(got.follow_up))
        elif key == "targets":
            want, have = list(exp["targets"]), list(got.targets or [])
            ok = len(want) == len(have) and all(_target_matches(w, h) for w, h in zip(want, have, strict=False))
            c.check(f"{path}.targets", want, have, ok)
        elif key == "financial":
            c.check(f"{path}.financial", exp["financial"], bool(got.financial))
        elif key == "means":
            c.check(f"{path}.means", exp["means"], bool(got.means))
        elif key == "line":
            c.check(f"{path}.line", exp["line"], got.line)


def _ceiling(c: _Checker, path: str, exp: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, exp, CEILING_KEYS)
    for key in CEILING_KEYS:
        if key not in exp:
            continue
        value = getattr(got, key)
        if key == "subject":
            c.check(f"{path}.subject", _name(exp["subject"]), _name(value or ""))
        elif key in ("per_year", "total"):
            c.check(f"{path}.{key}", exp[key], None if value is None else value.kronor)
        else:
            c.check(f"{path}.{key}", exp[key], value)


def _statements(c: _Checker, path: str, expected: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, expected or {}, STATEMENT_KEYS)
    for key in STATEMENT_KEYS:
        statement = getattr(got, key, None) if got is not None else None
        value = None if statement is None or statement.value is None else Decimal(statement.value)
        want = (expected or {}).get(key)
        if want is None:
            c.check(f"{path}.{key}", None, value, statement is None)
        else:
            c.check(f"{path}.{key}", Decimal(str(want)), value)


def _history(c: _Checker, path: str, expected: list[dict[str, Any]], got: list[Any]) -> None:
    def kronor(entry: Any) -> Any:
        value = getattr(entry, "kronor", None)
        if value is None and getattr(entry, "amount", None) is not None:
            value = _plain(entry.amount)
        return value

    parsed = {(_label(getattr(e, "label", "")).casefold(), int(getattr(e, "year", 0) or 0),
               str(_plain(getattr(e, "column", ""))).casefold()): kronor(e) for e in got}
    for i, exp in enumerate(expected):
        _unknown_keys(f"{path}[{i}]", exp, HISTORY_KEYS)
        key = (_label(exp["label"]).casefold(), int(exp["year"]), str(exp["column"]).casefold())
        where = f"{path}[{i}]({exp['label']} {exp['column']} {exp['year']})"
        if key not in parsed:
            c.fail(where, f"expected {exp['kronor']}, got <no such history cell>")
        else:
            c.check(where, int(exp["kronor"]), parsed[key])


def _items(c: _Checker, path: str, want: list[dict[str, Any]], items: list[Any], kind: str) -> None:
    """A list compared by order: its length, then each expected item against the parsed one
    at its place (every field of an item the parse lacks fails)."""
    keys, check, describe = _ITEM_LISTS[kind]
    _list_length(c, path, want, items, describe)
    for i, item in enumerate(want):
        where = f"{path}[{i}]"
        if i < len(items):
            check(c, where, item, items[i])
        else:
            _unknown_keys(where, item, keys)
            c.missing(where, item)


_ITEM_LISTS = {
    "budget_lines": (LINE_KEYS, _budget_line, lambda line: repr(_label(line.label))),
    "insatser": (INSATS_KEYS, _insats, lambda item: repr(item.name)),
    "goals": (GOAL_KEYS, _goal, lambda goal: repr(_collapse(goal.text)[:50])),
    "ceilings": (CEILING_KEYS, _ceiling, lambda ceiling: repr(ceiling.subject)),
}


def _forbund_equal(want: str | None, have: str | None) -> bool:
    if want is None or have is None:
        return want is None and have is None
    return _forbund(want) == _forbund(have)


def _document_field(c: _Checker, path: str, key: str, want: Any, got: Any) -> None:
    where = f"{path}.{key}"
    if key in _ITEM_LISTS:
        _items(c, where, want, list(getattr(got, key) or []), key)
    elif key == "history":
        _history(c, where, want or [], list(got.history or []))
    elif key == "equity":
        _equity(c, where, want or [], list(got.equity or []))
    elif key == "statements":
        _statements(c, where, want, got.statements)
    elif key == "members":
        c.check(where, set(want), {_plain(p.member) for p in (got.members or []) if p.member is not None})
    elif key == "forbund":
        c.check(where, want, got.forbund, _forbund_equal(want, got.forbund))
    elif key == "years":
        c.check(where, [int(y) for y in want], list(got.years or []))
    elif key == "excerpt":
        have = got.excerpt
        c.check(where, want, None if have is None else {"pages_read": have.pages_read, "pages_total": have.pages_total})
    else:  # kind, unit, plan_year, first_line, decided, status: plain values
        c.check(where, _plain(want), _plain(getattr(got, key)))


def _document(c: _Checker, path: str, exp: dict[str, Any], got: Any) -> None:
    _unknown_keys(path, exp, DOCUMENT_KEYS)
    for key in DOCUMENT_KEYS:
        if key not in exp or (key in OPTIONAL_DOCUMENT_KEYS and not hasattr(got, key)):
            continue
        _document_field(c, path, key, exp[key], got)


# ---------------------------------------------------------------------------- public


def compare(expected: dict, result: Any) -> tuple[int, list[str]]:
    """Compare a loaded ``*.expected.yaml`` with a ``ParseResult``.

    Returns (number of fields checked, human-readable mismatches, one per failed field).
    """
    c = _Checker()
    want = list(expected.get("documents") or [])
    got = list(getattr(result, "documents", None) or [])
    _list_length(c, "documents", want, got, lambda doc: f"{_plain(doc.kind)}@{doc.first_line}")
    for i, doc in enumerate(want):
        if i < len(got):
            _document(c, f"doc[{i}]", doc, got[i])
        else:
            _unknown_keys(f"doc[{i}]", doc, DOCUMENT_KEYS)
            c.missing(f"doc[{i}]", doc, what=f"{doc.get('kind')} document")
    return c.checked, c.mismatches


def load_expected(path: str | Path) -> dict:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def fixture_paths() -> list[Path]:
    return sorted(FIXTURE_DIR.glob("*.expected.yaml"))


def seed_path(expected: dict) -> Path:
    return SEED_DIR / expected["seed"]


def run_one(fixture: Path) -> tuple[int, list[str]]:
    """Parse the fixture's seed and compare; a parse that raises is one failed field."""
    from finsam_audit.read import parse_file

    expected = load_expected(fixture)
    try:
        result = parse_file(seed_path(expected))
    except Exception as error:  # noqa: BLE001 - report, do not crash the table
        return 1, [f"parse_file raised {type(error).__name__}: {error}"]
    return compare(expected, result)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    show_all = "--quiet" not in argv
    if not SEED_DIR.is_dir():
        print(f"{SEED_DIR} not found: the real seed documents are not beside this checkout")
        return 2
    rows: list[tuple[str, int, int]] = []
    details: list[tuple[str, list[str]]] = []
    for fixture in fixture_paths():
        name = fixture.name.removesuffix(".expected.yaml")
        checked, mismatches = run_one(fixture)
        rows.append((name, checked, checked - len(mismatches)))
        details.append((name, mismatches))

    header = ("seed", "checked", "matched", "match rate")
    table = [(name, str(checked), str(matched), f"{(matched / checked * 100 if checked else 0):.1f} %")
             for name, checked, matched in rows]
    total_checked = sum(r[1] for r in rows)
    total_matched = sum(r[2] for r in rows)
    table.append(("total", str(total_checked), str(total_matched),
                  f"{(total_matched / total_checked * 100 if total_checked else 0):.1f} %"))
    widths = [max(len(header[i]), *(len(row[i]) for row in table)) for i in range(4)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=False)))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in table:
        if row[0] == "total":
            print("  ".join("-" * w for w in widths))
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=False))))
    if show_all:
        for name, mismatches in details:
            if mismatches:
                print(f"\n{name}: {len(mismatches)} mismatch(es)")
                for message in mismatches:
                    print(f"  {message}")
    return 0 if all(not m for _, m in details) else 1


if __name__ == "__main__":
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    raise SystemExit(main())
