"""A person as a group member (issue 22, item 1): the group code asks a `PersonAnswers`
for the person's turns and shows it exactly what a model member is shown; from the
CLI a person is refused with a pointer to the app."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from arena.config import Config
from arena.errors import UsageProblem
from arena.store.group_store import load_groups
from arena.studies.group_run import GroupSpec, PersonTurn, history, run_group
from arena.studies.groups import Event

TOPIC = "Cities should ban private cars from their centres"


class Person:
    """Types fixed answers and keeps every turn it was shown."""

    def __init__(self) -> None:
        self.turns: list[PersonTurn] = []

    async def opinion(self, turn: PersonTurn) -> tuple[str, int]:
        self.turns.append(turn)
        return f"my view after round {turn.round}", 2 + turn.round

    async def post(self, turn: PersonTurn) -> str:
        self.turns.append(turn)
        return f"I strongly disagree: cars carry the elderly (round {turn.round})"

    async def message(self, turn: PersonTurn) -> tuple[str, str] | None:
        self.turns.append(turn)
        return ("C", "Between us: I could be persuaded") if turn.round == 1 else None


async def test_a_person_answers_at_its_seat_and_sees_what_a_member_sees(recording_gateway, store):
    person = Person()
    spec = GroupSpec(TOPIC, ["human:ada", "sim/b?conformity=0.5", "sim/c", "sim/d"], rounds=2, seed=3)
    d = await run_group(spec, Config(), recording_gateway, store, people=person)
    # Every phase asked the person once: an initial opinion, then post, message, opinion per round.
    assert [(t.phase, t.round) for t in person.turns] == [
        ("opinion", 0),
        ("post", 1),
        ("message", 1),
        ("opinion", 1),
        ("post", 2),
        ("message", 2),
        ("opinion", 2),
    ]
    # Each turn shows exactly history(what came before the phase, "A"), as a model member gets it.
    for turn in person.turns:
        before = seen_by(list(d.events), turn)
        assert turn.history == history(before, "A")
        assert turn.label == "A" and turn.others == ("B", "C", "D") and turn.topic == TOPIC
    # The person's events are in the discussion, in order, as any member's.
    mine = [(e.kind, e.round, e.slider, e.recipient) for e in d.events if e.member == "A"]
    assert mine == [
        ("opinion", 0, 2, None),
        ("post", 1, None, None),
        ("message", 1, None, "C"),
        ("opinion", 1, 3, None),
        ("post", 2, None, None),
        ("opinion", 2, 4, None),
    ]
    # The models see the person's post, and only C the message; nobody its private opinions.
    prompts = {
        label: "\n".join(
            "\n".join(m.content for m in r.messages)
            for r in recording_gateway.requests
            if r.purpose == "group_opinion" and f"You are member {label}" in r.messages[0].content
        )
        for label in "BCD"
    }
    assert all("Post by A (round 1): I strongly disagree" in p for p in prompts.values())
    assert "Message from A to you (round 1): Between us" in prompts["C"]
    assert not any("Between us" in prompts[x] for x in "BD")
    assert not any("my view after round" in p for p in prompts.values())
    # The rater measured the person's post like any other.
    assert all(e.stance is not None for e in d.events if e.kind == "post" and e.member == "A")
    (stored,) = load_groups(store)
    seat = stored.members[0]
    assert (seat.label, seat.participant, seat.kind) == ("A", "human:ada", "person")
    assert [m.kind for m in stored.members[1:]] == ["model"] * 3


def seen_by(events: list[Event], turn: PersonTurn) -> list[Event]:
    """What was said before a phase: earlier rounds, then this round's earlier phases."""
    if turn.round == 0:
        return []
    earlier = {"post": (), "message": ("post",), "opinion": ("post", "message")}[turn.phase]
    return [e for e in events if e.round < turn.round or (e.round == turn.round and e.kind in earlier)]


async def test_without_a_front_end_a_person_is_refused(store):
    with pytest.raises(UsageProblem, match=re.escape('ctrl+p "New group discussion"')):
        await run_group(GroupSpec(TOPIC, ["human:ada", "sim/b"]), Config(), None, store)
    with pytest.raises(UsageProblem, match="needs a name"):
        await run_group(GroupSpec(TOPIC, ["human:", "sim/b"]), Config(), None, store, people=Person())


def test_cli_points_a_person_to_the_app(db_path):
    out = subprocess.run(
        [sys.executable, "-m", "arena", "group", "run", "--topic", TOPIC, "--members", "human:ada,sim/a,sim/b"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip() == (
        "error: --members human:ada: a person takes part in a group discussion in the app: run `arena`, "
        'then ctrl+p "New group discussion"'
    )
