"""Running a group discussion (arena group run): members (models, personas, simulated
members) each give an initial private opinion, then per round a public post, an
optional direct message to one member and a private opinion again; a rater measures
each public post's stance (blind to its author). Every event is stored in order.

Each member is shown what a person in the study would see: the public posts, the
messages addressed to it, and its own history (its posts, messages and private
opinions), never another member's private opinion or a message between two others.
Within a phase the members answer from the same view (simultaneously).

A member may be a person (`human:NAME`): its turns go to a `PersonAnswers`, the front end
that can reach the person (the app opens a form: tui/screens/group_new.py), with a
`PersonTurn` holding exactly what a model member is shown: the same `history` and
moment. Nothing here knows about screens; without a front end a person is refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from arena.config import Config, ModelSettings
from arena.debate.call_log import LoggedCall, recording, scope
from arena.debate.human import human_id
from arena.debate.model_names import model_settings
from arena.debate.prompts import render
from arena.debate.transcript import clean_speech
from arena.debate.turns import ModelGateway
from arena.errors import UsageProblem
from arena.llm.types import LLMError, LLMRequest, Message
from arena.prompt_markers import (
    MESSAGE_TO,
    NO_MESSAGE,
    OPINION_SLIDER,
    OPINION_SLIDER_TAG,
    OPINION_TEXT,
    OPINION_TEXT_TAG,
    RATED_POST,
    STANCE_ANSWER,
    STANCE_TAG,
    one_line,
)
from arena.store.group_store import save_group
from arena.store.group_tables import GroupDiscussion, GroupEvent, GroupMember
from arena.store.store import Store
from arena.studies.asking import Calls
from arena.studies.groups import Discussion, Event
from arena.studies.running import run_id

COLLECTION = "groups"
DEFAULT_RATER = "sim/rater"
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_MEMBERS = len(LABELS)
SLIDER_RANGE = (1, 6)
POST_WORDS = 60
MESSAGE_WORDS = 40

# llama.cpp grammars: the embedded model can only answer in the shapes asked for.
OPINION_GRAMMAR = "\n".join(
    [
        f'root ::= "<{OPINION_TEXT_TAG}>" text "</{OPINION_TEXT_TAG}>\\n<{OPINION_SLIDER_TAG}>" '
        f'[1-6] "</{OPINION_SLIDER_TAG}>"',
        "text ::= [^<]{1,300}",
    ]
)
STANCE_GRAMMAR = f'root ::= "<{STANCE_TAG}>" [0-6] "</{STANCE_TAG}>"'


def message_grammar(labels: list[str]) -> str:
    choices = " | ".join(f'"{label}"' for label in labels)
    return "\n".join(
        [f'root ::= "{NO_MESSAGE}" | "TO: " who "\\n" text', f"who ::= {choices}", "text ::= [^<\\n]{1,300}"]
    )


@dataclass(frozen=True)
class GroupSpec:
    topic: str
    members: list[str]
    personas: list[str] = field(default_factory=list)  # in member order; "" none
    rounds: int = 3
    seed: int = 1
    rater: str = DEFAULT_RATER
    collection: str = COLLECTION


@dataclass(frozen=True)
class Seat:
    label: str
    settings: ModelSettings | None  # None: a person
    persona: str
    person: str = ""  # a person's name (participant human:NAME)

    @property
    def participant_id(self) -> str:
        if self.settings is None:
            return human_id(self.person)
        return self.settings.participant_id

    @property
    def model(self) -> ModelSettings:
        assert self.settings is not None, "a person's seat calls no model"
        return self.settings


@dataclass(frozen=True)
class PersonTurn:
    """A person member's turn and what the person may see: exactly a model member's view."""

    label: str  # the person's label in the group (A, B, …)
    phase: str  # "opinion" | "post" | "message"
    round: int  # 0: the initial private opinion
    rounds: int
    topic: str
    history: str  # history(seen, label): the text the model members get
    moment: str = ""  # an opinion's: before the discussion, or which round has ended
    others: tuple[str, ...] = ()  # the other members' labels (a message's possible recipients)
    word_limit: int = 0  # a post's or a message's, as the models are told


class PersonAnswers(Protocol):
    """Where a person member answers (the app's forms). Each call may take minutes;
    cancelling it cancels the discussion."""

    async def opinion(self, turn: PersonTurn) -> tuple[str, int]:
        """(the private opinion's text, the slider 1-6)."""
        ...

    async def post(self, turn: PersonTurn) -> str:
        """The public post."""
        ...

    async def message(self, turn: PersonTurn) -> tuple[str, str] | None:
        """(recipient label, text) of a direct message, or None for none."""
        ...


def parse_opinion(text: str) -> tuple[str, int]:
    """(text, slider 1-6) from a tagged answer; raises ValueError saying what is wrong."""
    found = OPINION_SLIDER.search(text)
    if not found:
        raise ValueError(f"no <{OPINION_SLIDER_TAG}>N</{OPINION_SLIDER_TAG}> with a whole number")
    slider = int(found.group(1))
    if not 1 <= slider <= 6:
        raise ValueError(f"the slider {slider} is outside 1-6")
    said = OPINION_TEXT.search(text)
    return one_line(clean_speech(said.group(1) if said else OPINION_SLIDER.sub("", text))), slider


def parse_stance(text: str) -> float | None:
    """A rater's stance 1-6, None for "no stance" (0); raises ValueError when unreadable."""
    found = STANCE_ANSWER.search(text)
    if not found:
        raise ValueError(f"no <{STANCE_TAG}>N</{STANCE_TAG}>")
    value = float(found.group(1))
    if value == 0:
        return None
    if not 1 <= value <= 6:
        raise ValueError(f"the stance {value:g} is outside 1-6")
    return value


def clipped(text: str, word_limit: int) -> str:
    """A post or message as stored: on one line, at most twice the word limit the member
    was told (an overrun is cut, not refused)."""
    return " ".join(text.split()[: 2 * word_limit])


def parse_message(text: str, sender: str, labels: list[str]) -> tuple[str, str] | None:
    """(recipient, message) or None: no message, or none to another member."""
    found = MESSAGE_TO.match(text.strip())
    if not found:
        return None
    wanted = found.group(1).strip().upper()
    if wanted == sender.upper() or wanted not in [label.upper() for label in labels]:
        return None
    body = one_line(clean_speech(text.strip()[found.end() :]))
    return (wanted, body) if body else None


def history(events: list[Event], label: str) -> str:
    """What member `label` has seen of the discussion, one line per event, in order."""
    lines = []
    for e in events:
        if e.kind == "post":
            who = "Your post" if e.member == label else f"Post by {e.member}"
            lines.append(f"{who} (round {e.round}): {e.text}")
        elif e.kind == "message" and e.member == label:
            lines.append(f"Your message to {e.recipient} (round {e.round}): {e.text}")
        elif e.kind == "message" and e.recipient == label:
            lines.append(f"Message from {e.member} to you (round {e.round}): {e.text}")
        elif e.kind == "opinion" and e.member == label and e.slider is not None:
            lines.append(f"Your private opinion (round {e.round}): {e.slider}/6 - {e.text}")
    if not lines:
        return "Nothing has been said yet.\n"
    return "What you have seen so far:\n" + "\n".join(lines) + "\n"


async def rate_post(
    gateway: ModelGateway, rater: ModelSettings, topic: str, text: str, seed: int, calls: Calls
) -> float | None:
    """A public post's stance (1-6) as the rater reads it, blind to its author; None when
    it takes none, or the answer never reads (asked once more first)."""
    if not text.strip():
        return None
    prompt = render("group_stance", topic=topic, rated_post=RATED_POST, post=one_line(text))
    messages = [Message("user", prompt)]
    for attempt in range(2):
        req = LLMRequest(
            model=rater.model,
            messages=messages,
            purpose="group_stance",
            max_tokens=24,
            temperature=rater.temperature,
            grammar=STANCE_GRAMMAR,
            api_base=rater.api_base,
            seed=seed + 5 * attempt,
        )
        try:
            completion = await gateway.complete(req)
        except LLMError:
            return None
        calls.add(completion.usage.tokens_in + completion.usage.tokens_out, completion.usage.cost)
        try:
            return parse_stance(completion.text)
        except ValueError as problem:
            messages = [
                *messages,
                Message("assistant", completion.text),
                Message("user", render("group_stance_retry", problem=problem)),
            ]
    return None


class GroupRun:
    def __init__(
        self,
        spec: GroupSpec,
        seats: list[Seat],
        rater: ModelSettings,
        gateway: ModelGateway,
        people: PersonAnswers | None = None,
    ) -> None:
        self.spec, self.seats, self.rater, self.gateway, self.people = spec, seats, rater, gateway, people
        self.events: list[Event] = []
        self.calls = Calls()
        self.labels = [s.label for s in seats]

    def _system(self, seat: Seat) -> str:
        others = [label for label in self.labels if label != seat.label]
        persona = render("group_persona", persona=seat.persona) if seat.persona else ""
        return render(
            "group_system",
            member=seat.label,
            size=len(self.seats),
            others=", ".join(others),
            rounds=self.spec.rounds,
            persona=persona,
        )

    async def _ask(
        self, settings: ModelSettings, purpose: str, messages: list[Message], seed: int, **more: object
    ) -> str | None:
        req = LLMRequest(
            model=settings.model,
            messages=messages,
            purpose=purpose,  # type: ignore[arg-type]
            temperature=settings.temperature,
            api_base=settings.api_base,
            seed=seed,
            **more,  # type: ignore[arg-type]
        )
        try:
            completion = await self.gateway.complete(req)
        except LLMError:
            return None
        self.calls.add(completion.usage.tokens_in + completion.usage.tokens_out, completion.usage.cost)
        return completion.text

    def _seed(self, round_no: int, index: int, phase: int) -> int:
        return self.spec.seed * 100_000 + round_no * 1000 + index * 10 + phase

    async def opinion(self, index: int, seat: Seat, round_no: int, seen: list[Event]) -> Event:
        moment = (
            "The discussion has not started yet: this is your initial opinion."
            if round_no == 0
            else f"Round {round_no} of {self.spec.rounds} has ended."
        )
        if seat.settings is None:
            turn = self._turn(seat, "opinion", round_no, seen, moment=moment)
            said, given = await self._person().opinion(turn)
            usable = given if SLIDER_RANGE[0] <= given <= SLIDER_RANGE[1] else None  # the form allows 1-6 only
            return Event(0, round_no, "opinion", seat.label, one_line(said), slider=usable)
        prompt = render("group_opinion", topic=self.spec.topic, history=history(seen, seat.label), moment=moment)
        messages = [Message("system", self._system(seat)), Message("user", prompt)]
        text, slider = "(no usable answer)", None
        for attempt in range(2):
            with scope(f"round {round_no} opinion", seat.participant_id):
                answer = await self._ask(
                    seat.model,
                    "group_opinion",
                    messages,
                    self._seed(round_no, index, 1 + 5 * attempt),
                    max_tokens=160,
                    grammar=OPINION_GRAMMAR,
                )
            if answer is None:
                break
            try:
                text, slider = parse_opinion(answer)
                break
            except ValueError as problem:
                messages = [
                    *messages,
                    Message("assistant", answer),
                    Message("user", render("group_opinion_retry", problem=str(problem))),
                ]
        return Event(0, round_no, "opinion", seat.label, text, slider=slider)

    async def post(self, index: int, seat: Seat, round_no: int, seen: list[Event]) -> Event:
        if seat.settings is None:
            said = await self._person().post(self._turn(seat, "post", round_no, seen, word_limit=POST_WORDS))
            return Event(0, round_no, "post", seat.label, clipped(said, POST_WORDS))
        prompt = render(
            "group_post",
            topic=self.spec.topic,
            history=history(seen, seat.label),
            round=round_no,
            rounds=self.spec.rounds,
            word_limit=POST_WORDS,
        )
        messages = [Message("system", self._system(seat)), Message("user", prompt)]
        with scope(f"round {round_no} post", seat.participant_id):
            answer = await self._ask(
                seat.model,
                "group_post",
                messages,
                self._seed(round_no, index, 2),
                max_tokens=int(POST_WORDS * 1.6) + 16,
                word_limit=POST_WORDS,
            )
        text = clipped(clean_speech(answer or ""), POST_WORDS)
        return Event(0, round_no, "post", seat.label, text)

    async def message(self, index: int, seat: Seat, round_no: int, seen: list[Event]) -> Event | None:
        others = [label for label in self.labels if label != seat.label]
        if seat.settings is None:
            turn = self._turn(seat, "message", round_no, seen, word_limit=MESSAGE_WORDS)
            sent = await self._person().message(turn)
            if sent is None or sent[0] not in others or not one_line(sent[1]):
                return None
            text = clipped(sent[1], MESSAGE_WORDS)
            return Event(0, round_no, "message", seat.label, text, sent[0])
        prompt = render(
            "group_message",
            topic=self.spec.topic,
            history=history(seen, seat.label),
            round=round_no,
            rounds=self.spec.rounds,
            others=", ".join(others),
            word_limit=MESSAGE_WORDS,
        )
        messages = [Message("system", self._system(seat)), Message("user", prompt)]
        with scope(f"round {round_no} message", seat.participant_id):
            answer = await self._ask(
                seat.model,
                "group_message",
                messages,
                self._seed(round_no, index, 3),
                max_tokens=int(MESSAGE_WORDS * 1.6) + 16,
                grammar=message_grammar(others),
                word_limit=MESSAGE_WORDS,
            )
        parsed = parse_message(answer or "", seat.label, self.labels)
        if parsed is None:
            return None
        recipient, text = parsed
        return Event(0, round_no, "message", seat.label, clipped(text, MESSAGE_WORDS), recipient)

    def _person(self) -> PersonAnswers:
        assert self.people is not None, "seats_for admits a person only with a front end"
        return self.people

    def _turn(
        self, seat: Seat, phase: str, round_no: int, seen: list[Event], moment: str = "", word_limit: int = 0
    ) -> PersonTurn:
        others = tuple(label for label in self.labels if label != seat.label)
        return PersonTurn(
            seat.label,
            phase,
            round_no,
            self.spec.rounds,
            self.spec.topic,
            history(seen, seat.label),
            moment,
            others,
            word_limit,
        )

    async def stance(self, post: Event, index: int) -> float | None:
        with scope(f"round {post.round} stance rating", self.rater.participant_id):
            return await rate_post(
                self.gateway, self.rater, self.spec.topic, post.text, self._seed(post.round, index, 4), self.calls
            )

    def _add(self, events: list[Event | None]) -> None:
        for e in events:
            if e is not None:
                self.events.append(replace(e, seq=len(self.events)))

    async def run(self, progress: Callable[[str], None]) -> None:
        seats = list(enumerate(self.seats))
        self._add(list(await asyncio.gather(*(self.opinion(i, s, 0, self.events) for i, s in seats))))
        progress(self._opinions_line(0))
        for r in range(1, self.spec.rounds + 1):
            seen = list(self.events)
            posts = list(await asyncio.gather(*(self.post(i, s, r, seen) for i, s in seats)))
            stances = await asyncio.gather(*(self.stance(p, i) for i, p in enumerate(posts)))
            self._add([replace(p, stance=s) for p, s in zip(posts, stances)])
            seen = list(self.events)
            self._add(list(await asyncio.gather(*(self.message(i, s, r, seen) for i, s in seats))))
            seen = list(self.events)
            self._add(list(await asyncio.gather(*(self.opinion(i, s, r, seen) for i, s in seats))))
            progress(self._opinions_line(r))

    def _opinions_line(self, round_no: int) -> str:
        sliders = {e.member: e.slider for e in self.events if e.kind == "opinion" and e.round == round_no}
        shown = ", ".join(f"{label} {sliders.get(label) or '–'}" for label in self.labels)
        return f"round {round_no}: private opinions {shown}"


PERSON_IN_THE_APP = (
    'a person takes part in a group discussion in the app: run `arena`, then ctrl+p "New group discussion"'
)


@dataclass(frozen=True)
class GroupRows:
    """A discussion as the store keeps it."""

    group: GroupDiscussion
    members: list[GroupMember]
    events: list[GroupEvent]
    calls: list[LoggedCall]  # the call log's run "group:<its id>"


def seats_for(spec: GroupSpec, config: Config, people: bool = False) -> list[Seat]:
    """The members' seats; a person (`human:NAME`) only where a front end can ask it (`people`)."""
    if len(spec.members) < 2:
        raise UsageProblem("a group needs at least two --members (e.g. --members sim/a,sim/b,sim/c,sim/d)")
    if len(spec.members) > MAX_MEMBERS:
        raise UsageProblem(f"a group has at most {MAX_MEMBERS} members, got {len(spec.members)}")
    if len(spec.personas) > len(spec.members):
        raise UsageProblem(f"{len(spec.personas)} personas for {len(spec.members)} members: give at most one each")
    seats = []
    for i, name in enumerate(spec.members):
        if name.startswith("human:"):
            person = name.removeprefix("human:").strip()
            if not person:
                raise UsageProblem("a person in a group needs a name: human:NAME")
            if not people:
                raise UsageProblem(f"--members {name}: {PERSON_IN_THE_APP}")
            seats.append(Seat(LABELS[i], None, "", person))
            continue
        settings = model_settings(name, config)
        persona = spec.personas[i] if i < len(spec.personas) else ""
        if persona:
            settings = replace(settings, persona=persona)  # a persona makes a participant of its own
        seats.append(Seat(LABELS[i], settings, persona))
    return seats


async def run_group(
    spec: GroupSpec,
    config: Config,
    gateway: ModelGateway,
    store: Store | None,
    progress: Callable[[str], None] = lambda _: None,
    people: PersonAnswers | None = None,
    save: Callable[[GroupRows], Awaitable[None]] | None = None,
) -> Discussion:
    """Run one discussion and store it (unless `store` is None; `save` instead stores the
    rows, the app off its loop); returns it. A person member answers at `people` (without
    it, a person is refused)."""
    if not spec.topic.strip():
        raise UsageProblem("--topic needs the motion or question the group discusses")
    seats = seats_for(spec, config, people is not None)
    rater = model_settings(spec.rater, config)
    runner = GroupRun(spec, seats, rater, gateway, people)
    logged: list[LoggedCall] = []  # the call log: written with the discussion, run "group:<its id>"
    with recording(logged):
        await runner.run(progress)
    group_id = run_id("group")
    discussion = Discussion(group_id, spec.topic, tuple(runner.labels), tuple(runner.events), spec.collection)
    if store is not None or save is not None:
        row = GroupDiscussion(
            id=group_id,
            collection=spec.collection,
            topic=spec.topic,
            rounds=spec.rounds,
            seed=spec.seed,
            source="arena",
            rater=rater.participant_id,
            calls=runner.calls.calls,
            tokens=runner.calls.tokens,
            cost=runner.calls.cost,
            created_at=time.time(),
        )
        members = [
            GroupMember(
                group_id=group_id,
                position=i,
                label=s.label,
                participant=s.participant_id,
                kind="model" if s.settings is not None else "person",
                persona=s.persona,
            )
            for i, s in enumerate(seats)
        ]
        rows = GroupRows(row, members, event_rows(group_id, runner.events), logged)
        if save is not None:
            await save(rows)
        elif store is not None:
            save_group(store, rows.group, rows.members, rows.events, calls=rows.calls)
        progress(f"its {len(logged)} model calls: arena calls group:{group_id}")
    return discussion


def event_rows(group_id: str, events: list[Event], extras: list[str] | None = None) -> list[GroupEvent]:
    return [
        GroupEvent(
            group_id=group_id,
            seq=e.seq,
            round=e.round,
            kind=e.kind,
            member=e.member,
            recipient=e.recipient,
            text=e.text,
            slider=e.slider,
            stance=e.stance,
            extra_json=extras[i] if extras else "{}",
        )
        for i, e in enumerate(events)
    ]
