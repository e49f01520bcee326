"""The condition language: validation, guards, what a condition guarantees, parameters."""

from __future__ import annotations

import pytest

from finsam_audit.audit import conditions
from finsam_audit.audit.conditions import ConditionError


@pytest.mark.parametrize(
    "cond",
    [
        {"$ex": {"a": 1, "b": 1}},  # durable reads only the first key
        {"$gt": {"a": 1, "b": 2}},
        {"a": 1, "b": 2},
        {"$gt": {"a": 1.5}},
        {"$gt": {"a": True}},
        {"$div": {"a": 1}},
        {"$gt": {"a": {"$div": {"$l": 1, "$r": 2}}}},
        {"$and": []},
        {"$gt": {"sid": 1}},
        {"$gt": {"Bad": 1}},
        [],
    ],
)
def test_unsupported_conditions_are_rejected(cond):
    with pytest.raises(ConditionError):
        conditions.validate(cond)


def test_guard_wraps_every_atom_with_one_ex_per_field():
    cond = {"$or": [{"$gt": {"a": {"$m": "b"}}}, {"c": 0}]}
    assert conditions.guard(cond) == {"$or": [
        {"$and": [{"$ex": {"a": 1}}, {"$ex": {"b": 1}}, {"$gt": {"a": {"$m": "b"}}}]},
        {"$and": [{"$ex": {"c": 1}}, {"c": 0}]},
    ]}


def test_guaranteed_fields_follow_and_or():
    cond = {"$and": [{"$gt": {"a": {"$m": "b"}}}, {"$or": [{"$ex": {"c": 1}}, {"$lt": {"c": 0}}]}, {"$nex": {"d": 1}}]}
    assert conditions.guaranteed(cond) == {"a", "b", "c"}
    assert conditions.guaranteed({"$or": [{"a": 1}, {"b": 1}]}) == set()


def test_substitute_fills_parameters_and_folds_constant_arithmetic():
    cond = {"$gt": {"share_bp": {"$mul": {"$l": "${limit}", "$r": 100}}}}
    assert conditions.substitute(cond, {"limit": 25}) == {"$gt": {"share_bp": 2500}}
    assert conditions.params_used(cond) == {"limit"}


def test_substituting_a_boolean_into_a_condition_is_refused():
    with pytest.raises(ConditionError):
        conditions.substitute({"$gt": {"a": "${flag}"}}, {"flag": True})
