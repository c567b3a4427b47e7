"""Widgets shared by the arena's screens."""
