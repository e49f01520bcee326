"""Start-up: a command loads what it needs and nothing more (issue 11).

`finsam-audit audit PLAN.txt` reads a text plan and prints a table: it has no use for
YAML, accepted findings, a baseline, the HTML/PDF/Word reports, the PDF reader or the
web page, and with `--engine python` none for durable-rules. Each of those costs tens of
milliseconds of every run when loaded anyway.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT, SEEDS

OPTIONAL = [
    "yaml", "finsam_audit.read.yaml_plan", "finsam_audit.review.acceptances", "finsam_audit.review.baseline",
    "finsam_audit.report.html", "finsam_audit.report.charts", "finsam_audit.serve", "starlette", "uvicorn",
    "weasyprint", "docx", "pypdfium2", "hypothesis", "finsam_audit.testing", "durable",
]

PROBE = """
import json, sys
from finsam_audit.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_by(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_a_plain_audit_of_a_text_plan_loads_no_optional_part():
    plan = sorted((REPO_ROOT / "fixtures" / "texts").glob("*.txt"))[0]
    loaded = loaded_by("audit", "--engine", "python", str(plan))
    assert "finsam_audit.audit.run" in loaded  # the probe did audit
    assert not {name for name in loaded if any(name == o or name.startswith(o + ".") for o in OPTIONAL)}


def test_help_loads_no_stage():
    loaded = loaded_by("--help")
    assert not {name for name in loaded if name.startswith(("finsam_audit.read", "finsam_audit.audit", "pydantic"))}


def test_the_seeds_are_audited_without_yaml():
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"the seed documents are not in {SEEDS}")
    loaded = loaded_by("audit", "--format", "json", *map(str, seeds))
    assert "finsam_audit.audit.run" in loaded
    assert "yaml" not in loaded and "finsam_audit.review.acceptances" not in loaded


def test_one_file_starts_no_process_machinery():
    """Fewer files than a pool is worth are read and audited in this process: multiprocessing
    and concurrent.futures (a tenth of the start-up) are loaded only for --jobs pools."""
    plan = sorted((REPO_ROOT / "fixtures" / "texts").glob("*.txt"))[0]
    loaded = loaded_by("audit", "--jobs", "2", str(plan))
    assert "finsam_audit.audit.run" in loaded
    assert not {name for name in loaded if name.split(".")[0] in ("multiprocessing", "concurrent")}
