"""`arena confidence`: (being built)."""

from __future__ import annotations

commands: list = []
