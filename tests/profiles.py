"""Hypothesis profiles, one choice for the whole suite.

- `ci`: the same examples on every run (derandomized, no example database, no shrinking:
  a failure is reported as drawn). Selected when CI is set; `.ci/run` selects it by name.
- `dev` (the default locally): new examples on every run; failures are shrunk and kept in
  .hypothesis/ to be replayed first.
- `long`: ten times the examples of each test, for a local exploration run:
  `HYPOTHESIS_PROFILE=long python -m pytest tests/read/test_metamorphic.py tests/testing`.

Tests give their example counts with `examples(n)`, which the profile scales.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    "report_multiple_bugs": False,
}
_SCALE = {"ci": 1, "dev": 1, "long": 10}

settings.register_profile(
    "ci", derandomize=True, database=None, phases=(Phase.explicit, Phase.reuse, Phase.generate), max_examples=15, **_COMMON
)
settings.register_profile("dev", max_examples=15, **_COMMON)
settings.register_profile("long", max_examples=150, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def examples(count: int) -> settings:
    """Settings drawing `count` examples (times ten under the `long` profile)."""
    return settings(max_examples=count * _SCALE.get(PROFILE, 1))
