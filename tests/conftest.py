"""Suite-wide setup: the hypothesis profile (tests/profiles.py), and under CI the real
seed documents must be there: a CI run that checks no real document is no CI run."""

from __future__ import annotations

import os

import pytest

import tests.profiles  # noqa: F401  (registers and loads the hypothesis profile)
from tests.paths import SEEDS


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI") and not any(SEEDS.glob("*.txt")):
        pytest.exit(f"CI: the real seed documents are missing at {SEEDS}; "
                    "the tests over real plans would all be skipped", returncode=1)
