"""Layer rules from DESIGN.md, checked in fresh interpreters: the core never imports
textual; arena.ratings imports nothing of the project but itself; litellm only when a
call is made."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "arena"
CORE = [
    "arena.debate.engine",
    "arena.ratings.leaderboard",
    "arena.store.store",
    "arena.tournament",
    "arena.play",
    "arena.llm.gateway",
    "arena.motions",
]


def modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE)
def test_core_never_imports_textual_or_litellm(module):
    loaded = modules_after_import(module)
    assert "textual" not in loaded
    assert "litellm" not in loaded


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_ratings_import_only_ratings():
    for path in (ROOT / "ratings").glob("*.py"):
        project = {m for m in imports_of(path) if m.split(".")[0] == "arena"}
        assert all(m.startswith("arena.ratings") for m in project), (path.name, project)


def test_only_the_llm_package_imports_litellm():
    for path in ROOT.rglob("*.py"):
        if "llm" in path.relative_to(ROOT).parts[:1]:
            continue
        assert not any(m.split(".")[0] == "litellm" for m in imports_of(path)), path


def test_only_the_tui_imports_textual():
    for path in ROOT.rglob("*.py"):
        if path.relative_to(ROOT).parts[0] == "tui":
            continue
        assert not any(m.split(".")[0] == "textual" for m in imports_of(path)), path
