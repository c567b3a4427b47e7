"""`arena import debate-groups`: conversations in the DEBATE schema (read by
arena/importers/debate_groups.py) into a collection of their own, each public post's
stance measured by the same kind of rater as `arena group run`'s (so that a comparison
measures both sides alike). Ids are content hashes: importing a folder again adds only
what is new."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from arena.config import Config
from arena.debate.model_names import model_settings
from arena.debate.turns import ModelGateway
from arena.importers.debate_groups import ImportProblem, csv_files, extra_json, parse_dir, read_as, unrecognised
from arena.store.group_store import group_ids, save_group
from arena.store.group_tables import GroupDiscussion, GroupMember
from arena.store.store import Store
from arena.studies.asking import Calls
from arena.studies.group_run import event_rows, rate_post
from arena.studies.groups import Event

DEFAULT_COLLECTION = "debate-groups"


@dataclass
class GroupImportOutcome:
    collection: str
    files: int = 0
    imported: int = 0
    skipped: int = 0  # already in this collection
    problems: list[ImportProblem] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    event_types: Counter[str] = field(default_factory=Counter)  # over the files read

    @property
    def unrecognised(self) -> dict[str, int]:
        """Event types outside the mapping (kept as 'other', in no metric), with counts."""
        return {t: n for t, n in sorted(self.event_types.items()) if unrecognised(t)}

    @property
    def failed(self) -> bool:
        return bool(self.problems) and not self.imported and not self.skipped

    def as_dict(self) -> dict[str, object]:
        return {
            "collection": self.collection,
            "files": self.files,
            "imported": self.imported,
            "skipped": self.skipped,
            "ids": self.ids,
            "event_types": [
                {"event_type": t, "count": n, "read_as": read_as(t)} for t, n in sorted(self.event_types.items())
            ],
            "unrecognised_event_types": self.unrecognised,
            "problems": [{"path": str(p.path), "line": p.line, "message": p.message} for p in self.problems],
        }


def group_id(digest: str, collection: str) -> str:
    return f"debate-{digest[:16]}-{hashlib.sha256(collection.encode('utf-8')).hexdigest()[:6]}"


async def import_debate_groups(
    path: Path,
    collection: str,
    rater: str,
    topic: str | None,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    progress: Callable[[str], None] = lambda _: None,
) -> GroupImportOutcome:
    rater_settings = model_settings(rater, config)
    outcome = GroupImportOutcome(collection, files=len(csv_files(path)))
    groups, outcome.problems = parse_dir(path, topic)
    ids = [group_id(g.digest, collection) for g in groups]
    stored = group_ids(store, ids)
    for g in groups:
        outcome.event_types.update(g.event_types)
    for g, gid in zip(groups, ids):
        if gid in stored:
            outcome.skipped += 1
            continue
        calls = Calls()
        events = []
        for seq, e in enumerate(g.events):
            stance = None
            if e.kind == "post":
                stance = await rate_post(gateway, rater_settings, g.topic, e.text, seq, calls)
            events.append(Event(seq, e.round, e.kind, e.member, e.text, e.recipient, e.slider, stance))
        row = GroupDiscussion(
            id=gid,
            collection=collection,
            topic=g.topic,
            rounds=max((e.round for e in g.events if e.kind == "opinion"), default=0),
            source=g.source.name,
            rater=rater_settings.participant_id,
            calls=calls.calls,
            tokens=calls.tokens,
            cost=calls.cost,
            created_at=time.time(),
        )
        members = [
            GroupMember(group_id=gid, position=i, label=label, kind="person") for i, label in enumerate(g.members)
        ]
        save_group(store, row, members, event_rows(gid, events, [extra_json(e) for e in g.events]))
        stored.add(gid)
        outcome.imported += 1
        outcome.ids.append(gid)
        progress(f"{g.source.name}: {len(g.members)} members, {len(events)} events")
    return outcome
