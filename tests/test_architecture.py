"""The package tree shows the pipeline, and imports run one way through it.

text -> read -> audit -> review -> report -> serve -> cli: a stage may import the stages before
it (and the shared helpers in common/ and the plan model), never one after it. The
public hypothesis strategies (testing/) build plan models and plan text and need no
stage at all. Lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "finsam_audit"
ORDER = ["common", "model", "read", "audit", "review", "report", "serve", "cli", "__main__"]
# What each part may import besides itself.
ALLOWED = {stage: set(ORDER[: index]) for index, stage in enumerate(ORDER)}
ALLOWED["testing"] = {"common", "model"}
ALLOWED["__init__"] = set()
MAX_LINES = 600


def _part(module: str) -> str:
    """finsam_audit.audit.facts.core -> audit; finsam_audit.model -> model."""
    return module.split(".")[1] if "." in module else "__init__"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, module: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if name == "finsam_audit" or name.startswith("finsam_audit.")}


MODULES = _modules()


def test_every_stage_has_its_package() -> None:
    for stage in ["common", "read", "audit", "review", "report", "serve", "testing"]:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), f"finsam_audit/{stage}/ is missing"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), (
            f"{init} says nothing of what the stage takes and gives"
        )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module: str) -> None:
    part = _part(module)
    wrong = sorted(
        imported for imported in _imports(MODULES[module], module)
        if _part(imported) not in ALLOWED[part] | {part} and imported != "finsam_audit"
    )
    assert not wrong, f"{module} ({part}) imports {wrong}, a later stage"


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    # The direction test above must be able to fail: a read module importing the audit.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from finsam_audit.audit import audit_documents\n", encoding="utf-8")
    imported = _imports(bad, "finsam_audit.read.bad")
    assert any(_part(name) not in ALLOWED["read"] | {"read"} for name in imported)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_too_long_without_a_reason(module: str) -> None:
    text = MODULES[module].read_text(encoding="utf-8")
    if len(text.splitlines()) <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "longer than" in docstring.lower(), f"{module} has {len(text.splitlines())} lines and no reason in its docstring"
