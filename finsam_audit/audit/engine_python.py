"""The built-in engine: each rule condition compiled once into Python closures.

It gives exactly the matches durable-rules 2.0.28 gives through engine_durable.py
(tests/audit/test_engine_differential.py checks it), so it evaluates conditions the
way durable's C code does (src/rules/events.c, reduceExpression and friends):

* an atom holds only when every field it reads is present, as the adapter's
  `$ex` guards make durable do (a missing right-hand operand would otherwise
  compare true, P7);
* integers compare as 64-bit integers and arithmetic wraps like C's `long long`;
  arithmetic on text is not supported, so the atom does not hold;
* text compares byte by byte (`strncmp` over the longer length) on its UTF-8 JSON
  spelling, escapes kept (durable never unescapes strings). A fact's text is read in
  place in the JSON message, so it ends in the closing quote; a rule's constant ends
  in NUL. That decides order when one text is a prefix of the other: the fact's "ab"
  is greater than the rule's "ab!" (`"` is 0x22, `!` 0x21);
* an integer compared with text is printed (`%lld`) and compared as text. A rule's
  integer constant, or a computed one, has no length in durable (uninitialised
  memory, 0 in practice), so only the fact text's length is compared: the text "1"
  equals the constant 12. The catalog never compares across types (catalog.py), so
  this matters only to callers of engine.evaluate with facts of their own;
* a rule whose `$or` holds in several branches matches a fact once (the durable
  adapter removes the repeated firings).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from finsam_audit.audit.engine import Match, Ruleset

Fact = dict[str, Any]
Test = Callable[[Fact], bool]
Getter = Callable[[Fact], Any]

_MISSING = object()  # the field is absent, or the value cannot be computed
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge,
    "$neq": operator.ne, "$eq": operator.eq,
}
_ARITHMETIC: dict[str, Callable[[int, int], int]] = {"$add": operator.add, "$sub": operator.sub, "$mul": operator.mul}
# Where a text operand comes from decides the byte after it in durable's memory.
_FROM_FACT = b'"'
_FROM_RULE = b"\0"


@lru_cache(maxsize=4096)
def _spelling(text: str) -> bytes:
    """The bytes durable holds for a text: its JSON spelling without the quotes."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8")


def _as_text(value: Any, origin: bytes) -> tuple[bytes, int]:
    """The bytes durable compares (with the byte after them) and the length it assumes."""
    if isinstance(value, str):
        raw = _spelling(value)
        return raw + origin, len(raw)
    printed = str(value).encode("ascii")  # printed with %lld into a NUL-terminated buffer
    # A fact's integer keeps the length of its JSON text; a rule's constant or a computed
    # integer has no length set in durable's C code (uninitialised; 0 in practice).
    return printed + _FROM_RULE, len(printed) if origin == _FROM_FACT else 0


def _compare_mixed(op: Callable[[Any, Any], bool], left: Any, right: Any, right_origin: bytes) -> bool:
    """durable's reduceString: strncmp over the longer of the two lengths it assumes."""
    left_bytes, left_length = _as_text(left, _FROM_FACT)
    right_bytes, right_length = _as_text(right, right_origin)
    return op(_strncmp(left_bytes, right_bytes, max(left_length, right_length)), 0)


def _strncmp(a: bytes, b: bytes, n: int) -> int:
    for x, y in zip(a[:n], b[:n], strict=False):
        if x != y:
            return 1 if x > y else -1
        if x == 0:
            return 0
    return 0  # a text never ends before the compared length: after its last byte comes " or NUL


def _wrap64(value: int) -> int:
    return (value + 2**63) % 2**64 - 2**63


def _rvalue(rvalue: Any) -> tuple[Getter, bytes]:
    """A getter for the right-hand side, and where its text would come from."""
    if not isinstance(rvalue, dict):
        return (lambda fact: rvalue), _FROM_RULE
    key, body = next(iter(rvalue.items()))
    if key == "$m":
        return (lambda fact: fact.get(body, _MISSING)), _FROM_FACT
    apply = _ARITHMETIC[key]
    left, _ = _rvalue(body["$l"])
    right, _ = _rvalue(body["$r"])

    def arithmetic(fact: Fact) -> Any:
        a, b = left(fact), right(fact)
        if type(a) is int and type(b) is int:
            return _wrap64(apply(a, b))
        return _MISSING  # a missing field, or text: durable does not support it

    return arithmetic, _FROM_RULE


def _atom(name: str, op_name: str, rvalue: Any) -> Test:
    op = _OPS[op_name]
    if not isinstance(rvalue, dict) and type(rvalue) is int:
        constant = rvalue

        def against_int(fact: Fact) -> bool:
            value = fact.get(name, _MISSING)
            if type(value) is int:
                return op(value, constant)
            return value is not _MISSING and _compare_mixed(op, value, constant, _FROM_RULE)

        return against_int
    get, origin = _rvalue(rvalue)
    same_text_test = op_name in ("$eq", "$neq")

    def test(fact: Fact) -> bool:
        value = fact.get(name, _MISSING)
        if value is _MISSING:
            return False
        other = get(fact)
        if other is _MISSING:
            return False
        if type(value) is type(other) and (type(value) is int or same_text_test):
            return op(value, other)  # equal texts have equal spellings
        return _compare_mixed(op, value, other, origin)

    return test


def _all(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda fact: first(fact) and second(fact)
    return lambda fact: all(test(fact) for test in tests)


def _any(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    return lambda fact: any(test(fact) for test in tests)


def compile_condition(cond: dict) -> Test:
    """One closure for a condition of the language (conditions.validate)."""
    key, body = next(iter(cond.items()))
    if key == "$and":
        return _all([compile_condition(child) for child in body])
    if key == "$or":
        return _any([compile_condition(child) for child in body])
    if key in ("$ex", "$nex"):
        (name,) = body
        return (lambda fact: name in fact) if key == "$ex" else (lambda fact: name not in fact)
    if key.startswith("$"):
        ((name, rvalue),) = body.items()
        return _atom(name, key, rvalue)
    return _atom(key, "$eq", body)


class PythonEngine:
    """engine.Engine in plain Python; rulesets compiled once, indexed by fact kind."""

    def __init__(self) -> None:
        self._compiled: dict[str, dict[str, list[tuple[str, Test]]]] = {}

    def _by_kind(self, ruleset: Ruleset) -> dict[str, list[tuple[str, Test]]]:
        digest = ruleset.digest()
        compiled = self._compiled.get(digest)
        if compiled is None:
            ruleset.check_conditions()
            compiled = {}
            for rule in ruleset.rules:
                compiled.setdefault(rule.fact_kind, []).append((rule.key, compile_condition(rule.condition)))
            self._compiled[digest] = compiled
        return compiled

    def matches(self, ruleset: Ruleset, facts: list[Fact]) -> list[Match]:
        by_kind = self._by_kind(ruleset)
        found = []
        for fact in facts:
            for key, test in by_kind.get(fact["kind"], ()):
                if test(fact):
                    found.append(Match(key, fact))
        return found


ENGINE = PythonEngine()
