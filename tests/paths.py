"""Where the tests find the repository's files and the real seed documents beside it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"
REGRESSIONS = REPO_ROOT / "tests" / "regressions"
# The five real plan documents live outside the repository, in ../shared/seeds.
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
