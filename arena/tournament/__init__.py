"""Headless tournaments: scheduling, concurrent execution within limits and budget, resume.

    schedule.py  who meets whom (pure): round-robin, Swiss, random
    adaptive.py  the adaptive schedule (pure): next pairings where one more debate narrows
                 the neighbours' intervals most; adaptive_sim.py plays it on a simulated pool
    planning.py  the dry run's sample size: half-widths and resolvable gaps of the plan
    plan.py      the plan in the store: one Debate row per slot, deterministic ids and seeds
    runner.py    playing the plan: claims debates under per-debate leases (any number of
                 workers, any machines), asyncio, global and per-model limits, faults, Ctrl-C
    lease.py     one run/resume per tournament at a time; workers, and whether they live
    estimate.py  the dry run: calls, tokens and cost per model
    progress.py  live display on stderr
    status.py    reading tournaments back (list, show --json)

The package holds no SQL: its statements are named queries in arena.store
(tournaments, debate_leases, run_registry).
"""
