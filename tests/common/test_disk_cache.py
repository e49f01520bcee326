"""The disk cache is optional: a missing, corrupt, stale or unwritable entry means the value is built again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from finsam_audit.common import disk_cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(disk_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_stored_value_is_found_under_its_key_only(folder: Path) -> None:
    key = disk_cache.content_key("regler", b"FA101")
    disk_cache.store("catalog", key, {"FA101": [1, 2]})
    assert disk_cache.load("catalog", key) == {"FA101": [1, 2]}
    assert disk_cache.load("catalog", disk_cache.content_key("regler", b"FA102")) is None


def test_keys_tell_apart_how_the_parts_are_split() -> None:
    assert disk_cache.content_key("ab", "c") != disk_cache.content_key("a", "bc")


def test_a_corrupt_entry_is_no_value(folder: Path) -> None:
    key = disk_cache.content_key("x")
    disk_cache.store("catalog", key, "värde")
    entry = next(folder.glob("catalog-*.pickle"))
    entry.write_bytes(entry.read_bytes()[:10])
    assert disk_cache.load("catalog", key) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_no_error(folder: Path) -> None:
    folder.mkdir()
    folder.chmod(0o500)
    try:
        disk_cache.store("catalog", "k", "värde")
        assert disk_cache.load("catalog", "k") is None
    finally:
        folder.chmod(0o700)


def test_a_cache_folder_that_is_a_file_is_no_error(folder: Path) -> None:
    folder.write_text("inte en katalog")
    disk_cache.store("catalog", "k", "värde")
    assert disk_cache.load("catalog", "k") is None


def test_turned_off_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(disk_cache.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    disk_cache.store("catalog", "k", "värde")
    assert disk_cache.load("catalog", "k") is None
    assert not list(tmp_path.rglob("*.pickle"))


def test_only_the_newest_entries_of_a_name_are_kept(folder: Path) -> None:
    for index in range(disk_cache.KEEP + 3):
        disk_cache.store("catalog", f"k{index}", index)
        os.utime(folder / f"catalog-k{index}.pickle", (index, index))  # strictly increasing ages
    kept = sorted(int(path.stem.removeprefix("catalog-k")) for path in folder.glob("catalog-*.pickle"))
    assert kept == list(range(3, disk_cache.KEEP + 3))  # the oldest three were removed
    assert not list(folder.glob(".*.tmp"))
