"""Headless tournaments: scheduling, concurrent execution within limits and budget, resume.

    schedule.py  who meets whom (pure): round-robin, Swiss, random
    plan.py      the plan in the store: one Debate row per slot, deterministic ids and seeds
    runner.py    playing the plan: asyncio, global and per-model limits, faults, Ctrl-C
    lease.py     one runner per tournament at a time
    estimate.py  the dry run: calls, tokens and cost per model
    progress.py  live display on stderr
    status.py    reading tournaments back (list, show --json)
"""
