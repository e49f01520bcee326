"""A cache on disk for what is costly to build and depends only on content the caller hashes.

One pickle per key under the user's cache folder ($FINSAM_AUDIT_CACHE, else
$XDG_CACHE_HOME/finsam-audit, else ~/.cache/finsam-audit; FINSAM_AUDIT_CACHE=off turns
it off). The cache is never needed: a missing, stale, corrupt or unwritable entry just
means the value is built again. Keys hash everything the value depends on, the tool's
code and the Python and library versions included, so a stale entry is never found.
Entries are written atomically and only the newest few of a name are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "FINSAM_AUDIT_CACHE"
KEEP = 8  # entries of one name: a few checkouts or rule sets side by side
_FORMAT = b"finsam-audit disk cache 1"


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off."""
    configured = os.environ.get(CACHE_ENV, "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "finsam-audit"


def content_key(*parts: bytes | str) -> str:
    """A key for a value built from these parts (and this Python)."""
    digest = hashlib.sha256(_FORMAT)
    digest.update(sys.version.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _entry(folder: Path, name: str, key: str) -> Path:
    return folder / f"{name}-{key}.pickle"


def load(name: str, key: str) -> Any | None:
    """The value stored under this name and key, or None when there is none that can be read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return pickle.loads(_entry(folder, name, key).read_bytes())
    except Exception:  # noqa: BLE001 - absent, unreadable or corrupt: the caller builds the value again
        return None


def store(name: str, key: str, value: Any) -> None:
    """Keep the value for the next run; any problem writing it is ignored (the cache is optional)."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, _entry(folder, name, key))
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _prune(folder, name)


def _prune(folder: Path, name: str) -> None:
    entries = sorted(folder.glob(f"{name}-*.pickle"), key=_modified, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
