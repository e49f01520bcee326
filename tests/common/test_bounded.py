"""Bounded input for configuration-like files: regular files, limited nesting and integers."""

from __future__ import annotations

import json
import tomllib

import pytest

from finsam_audit.common.bounded import MAX_DEPTH, load_bounded, read_utf8
from finsam_audit.common.errors import InputError


@pytest.mark.parametrize(
    ("load", "text", "message"),
    [
        (json.loads, "[" * 100_000 + "]" * 100_000, "nästlad djupare än"),
        (json.loads, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nästlad djupare än"),
        (tomllib.loads, "a = " + "[" * 1000 + "]" * 1000, "nästlad djupare än"),
        (json.loads, "9" * 5000, "ett heltal med fler än 30 siffror"),
        (tomllib.loads, "a = " + "9" * 5000, "ett heltal med fler än 30 siffror"),
        (tomllib.loads, "a = " + "9" * 31, "ett heltal med fler än 30 siffror"),
    ],
    ids=["json-recursion", "json-depth", "toml-recursion", "json-digits", "toml-digits", "toml-31-digits"],
)
def test_too_deep_or_too_long_is_one_clear_error(load, text, message):
    with pytest.raises(InputError, match=message) as raised:
        load_bounded(load, text, "regler.toml")
    assert raised.value.source == "regler.toml"


def test_syntax_errors_pass_through_to_the_caller():
    with pytest.raises(json.JSONDecodeError):
        load_bounded(json.loads, "{", "a.json")


def test_ordinary_data_loads():
    assert load_bounded(tomllib.loads, "[params.FA201]\nlimit_percent = 20\n", "c.toml") == {
        "params": {"FA201": {"limit_percent": 20}}
    }


def test_configuration_from_a_fifo_is_refused(tmp_path):
    import os

    fifo = tmp_path / "finsam.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="ingen vanlig fil"):
        read_utf8(fifo)


def test_configuration_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "finsam.toml"
    path.write_bytes(b"a = 1\nb = '\xff'\n")
    with pytest.raises(InputError, match="inte UTF-8") as raised:
        read_utf8(path)
    assert raised.value.line == 2
