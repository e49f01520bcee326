"""The condition language of the rule files: durable-rules' JSON over one fact.

Pure Python (no durable import): the catalog validates conditions with it and the
engine guards them before compiling. A condition is durable's own JSON, restricted
to what is safe with durable-rules 2.0.28:

    cond   := {"field": scalar}                       equality
            | {"$lt"|"$lte"|"$gt"|"$gte"|"$neq": {"field": rvalue}}
            | {"$and"|"$or": [cond, ...]}
            | {"$ex"|"$nex": {"field": 1}}
    rvalue := scalar | {"$m": "field"} | {"$add"|"$sub"|"$mul": {"$l": rvalue, "$r": rvalue}}
    scalar := int | str | "${param}"

Every object has exactly one key: durable silently reads only the first key of
`{"$ex": {"a": 1, "b": 1}}`, so a two-key object would fail open. Floats are not
allowed (durable's C parser crashes on some float spellings); `$div` is left out
because it yields floats.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

COMPARISONS = ("$lt", "$lte", "$gt", "$gte", "$neq")
LOGICAL = ("$and", "$or")
EXISTENCE = ("$ex", "$nex")
ARITHMETIC = ("$add", "$sub", "$mul")
PARAM = re.compile(r"^\$\{([a-z_][a-z0-9_]*)\}$")
FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
RESERVED_FIELDS = ("sid",)  # the engine's run key; matching on it breaks isolation
# durable-rules 2.0.28 keeps each pattern's logical groups in one sequence of 32 slots,
# two per $and/$or (open and end): with 16 groups it fails with "Could not create
# ruleset, error code: 113" (ERR_EXPRESSION_LIMIT_EXCEEDED). Counted as the engine gets
# the condition: every atom guarded by its own $and, all under the fact kind's $and.
MAX_LOGICAL_GROUPS = 15


class ConditionError(ValueError):
    """A condition that is not in the supported language; the message says where."""


def _single(obj: Any, where: str) -> tuple[str, Any]:
    if not isinstance(obj, dict) or len(obj) != 1:
        raise ConditionError(f"{where}: väntade ett objekt med exakt en nyckel, fick {obj!r}")
    return next(iter(obj.items()))


def _field(name: Any, where: str) -> str:
    if not isinstance(name, str) or not FIELD.match(name) or name in RESERVED_FIELDS:
        raise ConditionError(f"{where}: ogiltigt fältnamn {name!r}")
    return name


def _scalar(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConditionError(f"{where}: bara heltal och text är tillåtna, fick {value!r}")
    if isinstance(value, str) and not _is_unicode(value):
        raise ConditionError(f"{where}: texten innehåller ogiltig Unicode (ett ensamt surrogattecken)")


def _is_unicode(text: str) -> bool:
    """False for a text with a lone surrogate ("\\ud800" in JSON): it cannot be encoded."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate(cond: Any, where: str = "villkor") -> None:
    """Raise ConditionError unless `cond` is in the supported language."""
    key, body = _single(cond, where)
    if key in LOGICAL:
        if not isinstance(body, list) or not body:
            raise ConditionError(f"{where}: {key} kräver en icke-tom lista")
        for index, child in enumerate(body):
            validate(child, f"{where}.{key}[{index}]")
    elif key in EXISTENCE:
        field, flag = _single(body, f"{where}.{key}")
        _field(field, f"{where}.{key}")
        if flag != 1:
            raise ConditionError(f"{where}.{key}: värdet ska vara 1")
    elif key in COMPARISONS:
        field, rvalue = _single(body, f"{where}.{key}")
        _field(field, f"{where}.{key}")
        _validate_rvalue(rvalue, f"{where}.{key}.{field}")
    elif key.startswith("$"):
        raise ConditionError(f"{where}: okänd operator {key}")
    else:
        _field(key, where)
        _scalar(body, f"{where}.{key}")


def _validate_rvalue(rvalue: Any, where: str) -> None:
    if not isinstance(rvalue, dict):
        _scalar(rvalue, where)
        return
    key, body = _single(rvalue, where)
    if key == "$m":
        _field(body, where)
    elif key in ARITHMETIC:
        if not isinstance(body, dict) or set(body) != {"$l", "$r"}:
            raise ConditionError(f"{where}.{key}: kräver exakt $l och $r")
        _validate_rvalue(body["$l"], f"{where}.{key}.$l")
        _validate_rvalue(body["$r"], f"{where}.{key}.$r")
    else:
        raise ConditionError(f"{where}: okänt uttryck {key}")


def check_engine_limits(cond: dict, where: str = "villkor") -> None:
    """Raise ConditionError when the engine cannot compile `cond` (see MAX_LOGICAL_GROUPS)."""
    groups = 1 + _logical_groups(guard(cond))  # 1: the $and joining the fact kind
    if groups > MAX_LOGICAL_GROUPS:
        raise ConditionError(
            f"{where}: villkoret blir {groups} grupper ($and/$or, med en vakt per jämförelse) i regelmotorn, "
            f"som klarar högst {MAX_LOGICAL_GROUPS}; dela upp regeln i varianter eller förenkla villkoret"
        )


def _logical_groups(cond: dict) -> int:
    key, body = next(iter(cond.items()))
    if key in LOGICAL:
        return 1 + sum(_logical_groups(child) for child in body)
    return 0


def check_compilable(cond: Any, where: str = "villkor") -> None:
    """What the engine receives: parameters substituted, no constant-only arithmetic."""
    if isinstance(cond, str) and PARAM.match(cond):
        raise ConditionError(f"{where}: parametern {cond} är inte ersatt")
    if isinstance(cond, list):
        for child in cond:
            check_compilable(child, where)
    elif isinstance(cond, dict):
        for key, value in cond.items():
            if key in ARITHMETIC and not _rvalue_fields({key: value}):
                raise ConditionError(f"{where}: {key} utan fält matchar aldrig i durable-rules; räkna ut värdet")
            check_compilable(value, where)


def _rvalue_fields(rvalue: Any) -> set[str]:
    if not isinstance(rvalue, dict):
        return set()
    key, body = next(iter(rvalue.items()))
    if key == "$m":
        return {body}
    return _rvalue_fields(body["$l"]) | _rvalue_fields(body["$r"])


def atom_fields(cond: dict) -> set[str]:
    """The fact fields one comparison or equality atom reads."""
    key, body = next(iter(cond.items()))
    if key in COMPARISONS:
        field, rvalue = next(iter(body.items()))
        return {field} | _rvalue_fields(rvalue)
    return {key}


def comparisons(cond: dict) -> list[tuple[str, Any]]:
    """(field, right-hand side) of every equality and comparison in a condition."""
    key, body = next(iter(cond.items()))
    if key in LOGICAL:
        return [pair for child in body for pair in comparisons(child)]
    if key in EXISTENCE:
        return []
    if key in COMPARISONS:
        return [next(iter(body.items()))]
    return [(key, body)]


def rvalue_type(rvalue: Any, field_type: Callable[[str], type]) -> type:
    """int or str: what a right-hand side is; arithmetic must be on integers.

    Text never meets an integer in a condition: durable-rules compares the two as text
    with a length it leaves uninitialised, so the outcome is not defined.
    """
    if not isinstance(rvalue, dict):
        return type(rvalue)
    key, body = next(iter(rvalue.items()))
    if key == "$m":
        return field_type(body)
    for side in (body["$l"], body["$r"]):
        if rvalue_type(side, field_type) is not int:
            raise ConditionError(f"{key} räknar bara med heltal, fick {side!r}")
    return int


def fields(cond: dict) -> set[str]:
    """Every fact field a condition mentions (for checking it against the fact's schema)."""
    key, body = next(iter(cond.items()))
    if key in LOGICAL:
        return set().union(*(fields(child) for child in body))
    if key in EXISTENCE:
        return set(body)
    return atom_fields(cond)


def guaranteed(cond: dict) -> set[str]:
    """Fields certainly present in a fact whenever `cond` holds (after guarding).

    A template may only use an optional field the condition guarantees, so a rule
    never renders a message about a number the fact does not have.
    """
    key, body = next(iter(cond.items()))
    if key == "$and":
        return set().union(*(guaranteed(child) for child in body))
    if key == "$or":
        return set.intersection(*(guaranteed(child) for child in body))
    if key == "$ex":
        return set(body)
    if key == "$nex":
        return set()
    return atom_fields(cond)


def guard(cond: dict) -> dict:
    """Wrap every atom in one `$ex` per field it reads.

    durable-rules compares a missing right-hand operand as TRUE (fails open), so
    an atom only holds when its fields exist. Guards sit at the atom, not at the
    top, so a field that is absent in one `$or` branch does not block the other.
    """
    key, body = next(iter(cond.items()))
    if key in LOGICAL:
        return {key: [guard(child) for child in body]}
    if key in EXISTENCE:
        return cond
    checks: list[dict] = [{"$ex": {name: 1}} for name in sorted(atom_fields(cond))]
    return {"$and": [*checks, cond]}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def params_used(cond: Any) -> set[str]:
    """Names of the "${param}" placeholders in a condition."""
    if isinstance(cond, dict):
        return set().union(set(), *(params_used(value) for value in cond.values()))
    if isinstance(cond, list):
        return set().union(set(), *(params_used(value) for value in cond))
    if isinstance(cond, str) and (match := PARAM.match(cond)):
        return {match.group(1)}
    return set()


_OPERATIONS = {"$add": lambda a, b: a + b, "$sub": lambda a, b: a - b, "$mul": lambda a, b: a * b}


def substitute(cond: Any, params: dict[str, Any]) -> Any:
    """Replace every "${name}" by the parameter's value (ints and text only).

    Arithmetic on two constants is folded here: durable-rules silently never matches
    `{"$mul": {"$l": 25, "$r": 100}}`, so `"${limit_percent}" × 100` must reach it as 2500.
    """
    if isinstance(cond, dict):
        result = {key: substitute(value, params) for key, value in cond.items()}
        if len(result) == 1:
            key, body = next(iter(result.items()))
            if key in _OPERATIONS and _is_int(body.get("$l")) and _is_int(body.get("$r")):
                return _OPERATIONS[key](body["$l"], body["$r"])
        return result
    if isinstance(cond, list):
        return [substitute(value, params) for value in cond]
    if isinstance(cond, str) and (match := PARAM.match(cond)):
        value = params[match.group(1)]
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ConditionError(f"parametern {match.group(1)} måste vara ett heltal eller text i ett villkor")
        return value
    return cond


_WORDS = {"$lt": "är mindre än", "$lte": "är högst", "$gt": "är större än", "$gte": "är minst", "$neq": "är inte"}
_ARITHMETIC_SIGNS = {"$add": "+", "$sub": "−", "$mul": "×"}


def describe(cond: dict, field_word: Any = str, param_word: Any = str) -> str:
    """A condition in Swedish words for `explain`: "shortfall_kr är minst min_shortfall_kr".
    `field_word` and `param_word` name a field and a parameter (with its meaning, its default)."""
    key, body = next(iter(cond.items()))
    if key in LOGICAL:
        parts = [describe(child, field_word, param_word) for child in body]
        parts = [f"({part})" if next(iter(child)) in LOGICAL else part for part, child in zip(parts, body, strict=False)]
        return (" och " if key == "$and" else " eller ").join(parts)
    if key in EXISTENCE:
        return f"{field_word(next(iter(body)))} {'finns' if key == '$ex' else 'saknas'}"
    if key in COMPARISONS:
        field, rvalue = next(iter(body.items()))
        return f"{field_word(field)} {_WORDS[key]} {_rvalue_words(rvalue, field_word, param_word)}"
    return f"{field_word(key)} är {_rvalue_words(body, field_word, param_word)}"


def _rvalue_words(rvalue: Any, field_word: Any, param_word: Any) -> str:
    if isinstance(rvalue, dict):
        key, body = next(iter(rvalue.items()))
        if key == "$m":
            return field_word(body)
        left, right = (_rvalue_words(body[side], field_word, param_word) for side in ("$l", "$r"))
        return f"({left} {_ARITHMETIC_SIGNS[key]} {right})"
    if isinstance(rvalue, str):
        param = PARAM.match(rvalue)
        return param_word(param.group(1)) if param else f"”{rvalue}”"
    return str(rvalue)
