"""Where the tests find the repository's files and the real seed documents beside it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"
REGRESSIONS = REPO_ROOT / "tests" / "regressions"
# The five real plan documents live outside the repository, in ../shared/seeds; a git
# worktree one folder deeper finds them in the nearest ancestor's shared/seeds.
SEEDS = next(
    (folder / "shared" / "seeds" for folder in REPO_ROOT.parents if (folder / "shared" / "seeds").is_dir()),
    REPO_ROOT.parent / "shared" / "seeds",
)
