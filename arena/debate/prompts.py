"""Prompt templates live as text files in arena/prompts/; this renders them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"


@cache
def template(name: str) -> Template:
    return Template((PROMPT_DIR / f"{name}.txt").read_text(encoding="utf-8"))


def render(name: str, **values: object) -> str:
    """Fill a template; a missing value is a bug, so it raises rather than leaving $name."""
    return template(name).substitute({k: str(v) for k, v in values.items()}).strip()
