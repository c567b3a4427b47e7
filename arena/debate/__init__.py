"""The debate engine: formats, debaters (models, agent teams, people), judges and bets.

`engine.run_debate` plays one format stage by stage and emits typed events
(`events.py`); it never prints and never stores. The caller (`arena.play`, the
tournament runner) renders the events and persists the returned `DebateRecord`.
Nothing here imports textual, the store or the CLI.
"""
