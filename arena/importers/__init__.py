"""Importers: turn other people's debate files into the arena's own records.

Imported debates always land in a collection of their own, never in `arena`, so a study
replayed here cannot leak into the arena's ratings.
"""
