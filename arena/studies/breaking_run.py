"""Running the adaptive-break study: each planned debate is played with adaptive break
(stored in the `study-break` collection), then replayed to the end with the same seed and
id (not stored as a debate) to count what the early end saved and whether it agreed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from arena.config import Config
from arena.debate.turns import ModelGateway
from arena.motions import load_motions
from arena.store import study_tables as st
from arena.store.store import Store
from arena.store.study_query import add_rows
from arena.studies.running import StudyOptions, motion_ids, plan, run_into, setup_for

COLLECTION = "study-break"


async def run_break_study(
    options: StudyOptions,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    progress: Callable[[str], None] = lambda _: None,
    replay: bool = True,
) -> list[str]:
    """Play the plan; returns the ids of the stored debates."""
    library = load_motions()
    motions = motion_ids(options, library)
    ids = []
    for slot in plan(options, motions):
        setup = setup_for(slot, options, config, gateway, library, adaptive_break=True)
        setup.debate_id = f"brk-{options.seed}-{slot.index}-{slot.seed:x}"[:40]
        record = await run_into(setup, store, gateway, COLLECTION)
        ids.append(record.id)
        note = f"after round {record.broke_after_round}" if record.broke_after_round else "played to the end"
        if replay and record.status == "finished":
            full = await run_into(
                replace(setup, options=replace(setup.options, adaptive_break=False)), None, gateway, COLLECTION
            )
            add_rows(
                store,
                [
                    st.BreakReplay(
                        debate_id=record.id,
                        replay_winner=full.verdict.winner if full.verdict else None,
                        replay_calls=full.usage.calls,
                        replay_cost=full.usage.cost,
                        replay_tokens=full.usage.tokens_in + full.usage.tokens_out,
                    )
                ],
            )
            note += f"; replay {full.verdict.winner if full.verdict else 'void'} ({full.usage.calls} calls vs {record.usage.calls})"
        progress(f"debate {slot.index + 1}/{options.debates} {record.id}: {record.status}, {note}")
    return ids
