"""The import-linter contracts in pyproject.toml hold for the code as it is, and they
bite: a copy of the package with one upward import, one textual import in the core or
one SQL import outside the store is reported as broken. They cover every package and
top-level module of arena/, so a new one cannot slip out of them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(root)},
    )


def contracts() -> dict[str, dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def top_level_modules() -> set[str]:
    """arena's packages and top-level modules (the root package itself aside)."""
    found = {f"arena.{p.name}" for p in (REPO / "arena").iterdir() if (p / "__init__.py").is_file()}
    return found | {f"arena.{p.stem}" for p in (REPO / "arena").glob("*.py") if p.name != "__init__.py"}


def every_module() -> set[str]:
    return {
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in (REPO / "arena").rglob("*.py")
    } - {"arena"}


def layers() -> list[set[str]]:
    """The layers contract, top first: the names on each line."""
    lines = contracts()["Layers: imports point downwards only"]["layers"]
    return [{name.strip() for name in line.replace(":", "|").split("|")} for line in lines]


def test_every_module_is_in_a_layer():
    named = set().union(*layers())
    assert named == top_level_modules(), "the layers contract must name exactly arena's packages and modules"
    outside = sorted(m for m in every_module() if not any(m == n or m.startswith(n + ".") for n in named))
    assert not outside, f"modules no layer names: {outside}"


# Who may import what the "everyone but …" contracts forbid, and why.
EXEMPT = {
    "Only the TUI imports textual": {"arena.tui", "arena.cli", "arena.__main__"},  # the CLI opens the TUI
    "Only arena.llm imports litellm and llama.cpp": {"arena.llm"},
    "SQL lives in arena.store": {"arena.store"},
}


@pytest.mark.parametrize("name", sorted(EXEMPT))
def test_a_forbidding_contract_names_every_other_module(name: str):
    assert set(contracts()[name]["source_modules"]) == top_level_modules() - EXEMPT[name]


def test_ratings_import_no_project_module_below_them():
    """The layers forbid what is above arena.ratings; the purity contract, what is below."""
    stack = layers()
    below = set().union(*stack[next(i for i, line in enumerate(stack) if "arena.ratings" in line) + 1 :])
    forbidden = set(
        contracts()["Ratings are pure math: no project imports but their own, no I/O libraries"]["forbidden_modules"]
    )
    assert below <= forbidden


def test_the_contracts_hold():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("arena/ratings/leak.py", "import arena.store.store\n", "Layers: imports point downwards only"),
        ("arena/store/leak.py", "import arena.studies.report\n", "Layers: imports point downwards only"),
        ("arena/audit/leak.py", "import arena.store.store\n", "Layers: imports point downwards only"),
        ("arena/debate/leak.py", "import textual.app\n", "Only the TUI imports textual"),
        ("arena/tui/leak.py", "import sqlmodel\n", "SQL lives in arena.store"),
        ("arena/studies/leak.py", "import sqlalchemy\n", "SQL lives in arena.store"),
        ("arena/commands/leak.py", "import litellm\n", "Only arena.llm imports litellm and llama.cpp"),
    ],
)
def test_a_broken_rule_is_reported(tmp_path: Path, module: str, line: str, contract: str):
    shutil.copytree(REPO / "arena", tmp_path / "arena", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line)
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
