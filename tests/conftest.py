"""Hypothesis profiles: `ci` (derandomized, no database) when CI is set, else `dev`.

Choose another with HYPOTHESIS_PROFILE, e.g. the long metamorphic run:
    HYPOTHESIS_PROFILE=long python -m pytest tests/read/test_metamorphic.py
Tests that pass their own settings(max_examples=...) keep their counts under every profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

settings.register_profile("ci", derandomize=True, database=None, max_examples=15, **_COMMON)
settings.register_profile("dev", max_examples=15, **_COMMON)
settings.register_profile("long", max_examples=300, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
