"""The import-linter contracts in pyproject.toml hold for the code as it is, and they
bite: a copy of the package with one upward import, one textual import in the core or
one SQL import outside the store is reported as broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, capture_output=True, text=True, timeout=300,
                          env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(root)})


def test_the_contracts_hold():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("arena/ratings/leak.py", "import arena.store.store\n", "Layers: imports point downwards only"),
    ("arena/debate/leak.py", "import textual.app\n", "Only the TUI imports textual"),
    ("arena/tui/leak.py", "import sqlmodel\n", "SQL lives in arena.store"),
    ("arena/commands/leak.py", "import litellm\n", "Only arena.llm imports litellm and llama.cpp"),
])
def test_a_broken_rule_is_reported(tmp_path: Path, module: str, line: str, contract: str):
    shutil.copytree(REPO / "arena", tmp_path / "arena", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line)
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
