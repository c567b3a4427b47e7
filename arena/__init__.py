"""Debate Arena: models, agent teams and people debate; judges decide; ratings keep score."""

__version__ = "0.1.0"
