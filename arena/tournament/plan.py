"""A tournament's plan in the store, written before any debate runs.

The `Tournament` row holds the spec as JSON; each slot is a `Debate` row with status
`scheduled`, a debate id and a seed that are pure functions of (tournament, slot), so a
restarted debate is the same debate: same id (a slot can only be finished once: the
store refuses a second finish), same seed, same motion. Swiss rounds are added one at a
time, each in one transaction, once every earlier debate has ended.

Statuses: a debate is `scheduled` -> `running` (claimed by one worker under a lease,
arena.store.debate_leases) -> `finished` | `void`. After a crash a `running` row runs
again once its lease is given back or expires; nothing else is ever rewritten.
Every statement is a named query in arena.store.tournaments.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.debate.participants import DefaultJudges
from arena.errors import UsageProblem
from arena.motions import Motion, load_motions
from arena.store import tournaments as tq
from arena.store.store import Store
from arena.tournament import schedule as sch

if TYPE_CHECKING:
    from arena.debate.formats import Format

SPEC_VERSION = 2  # 2: the debate options in one object (`options`)
TERMINAL = ("finished", "void")
RUNNABLE = ("scheduled", "running")


@dataclass
class TournamentSpec:
    """Everything that decides what is played. Stored as the tournament's config JSON."""

    name: str
    players: list[str]  # as typed; slot ids use these names
    participant_ids: dict[str, str]  # player -> the rated participant id
    motions: list[str]
    schedule: str = "round-robin"
    rounds: int = 1
    # Every debate's options: the judges as resolved (arena.toml's defaults applied), the
    # tournament's seed (each debate's own is drawn from it and its slot: `slot_seed`).
    options: DebateOptions = field(default_factory=DebateOptions)
    side_balance: bool = True
    max_cost: float | None = None
    # How it runs; `resume` may override these.
    concurrency: int = 8
    per_model_concurrency: int | None = None
    retries: int = 3
    backoff_s: float = 0.5
    # The plan-shaping options as the user typed them: running the same command again
    # continues the tournament instead of failing on the existing name.
    request: dict = field(default_factory=dict)
    # What the format file and each motion said when the plan was made (`content_digest`),
    # so a resume refuses an edited format or another motion set, as it refuses a changed
    # arena.toml (`check_players`). Empty in tournaments planned before they were kept.
    format_digest: str = ""
    motion_digests: dict[str, str] = field(default_factory=dict)
    debates: int | None = None  # the adaptive schedule's number of debates

    @property
    def format(self) -> str:
        return self.options.format

    @property
    def judges(self) -> list[str]:
        return list(self.options.judges)

    @property
    def judge_repeats(self) -> int:
        return self.options.judge_repeats

    @property
    def swap(self) -> bool:
        return self.options.swap

    @property
    def condition(self) -> str:
        return self.options.condition

    @property
    def protocol(self) -> str:
        return self.options.protocol

    @property
    def seed(self) -> int:
        return self.options.seed or 0

    def to_json(self) -> str:
        return json.dumps({"version": SPEC_VERSION, **asdict(self), "options": self.options.as_dict()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TournamentSpec:
        data = json.loads(text)
        version = data.pop("version", 1)
        if version < 2:  # the debate options were the spec's own fields
            data["options"] = {k: data.pop(k) for k in _SPEC_V1_OPTIONS if k in data}
        data["options"] = DebateOptions.from_dict(data.get("options", {}))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def player_of(self) -> dict[str, str]:
        return {pid: player for player, pid in self.participant_ids.items()}

    def with_overrides(self, **changes: Any) -> TournamentSpec:
        """The spec with the given run settings replaced (those given as None are kept)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_SPEC_V1_OPTIONS = ("format", "judges", "judge_repeats", "swap", "condition", "seed", "protocol")


def default_rounds(schedule: str, players: int) -> int:
    if schedule == "round-robin":
        return 1
    return max(1, math.ceil(math.log2(max(2, players))))


def debate_id(tournament: str, slot: str) -> str:
    return hashlib.blake2b(f"tournament\x1f{tournament}\x1f{slot}".encode(), digest_size=6).hexdigest()


def slot_seed(seed: int, slot: str) -> int:
    digest = hashlib.blake2b(f"{seed}\x1f{slot}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % (2**31 - 1) + 1


# --------------------------------------------------------------------------- motions


def select_motions(
    ids: Sequence[str], category: str | None, sample: int | None, seed: int, default_count: int
) -> list[Motion]:
    """`--motions` ids, else `--category` (all of it, or `--sample N` of it), else
    `--sample N` (default `default_count`) drawn from the whole library, by seed."""
    library = load_motions()
    if ids:
        chosen = [library.get(i) for i in dict.fromkeys(ids)]
        if sample:
            raise UsageProblem("--sample picks motions at random: use it with --category or alone, not with --motions")
        return chosen
    pool = library.by_category(category) if category else library.all()
    if not pool:
        raise UsageProblem(f"no motions in category {category!r}" if category else "the motion library is empty")
    count = sample if sample else (len(pool) if category else default_count)
    if count > len(pool):
        raise UsageProblem(f"--sample {count}: only {len(pool)} motions to choose from")
    rng = random.Random(f"motions:{seed}")
    order = {m.id: n for n, m in enumerate(pool)}
    return sorted(rng.sample(list(pool), count), key=lambda m: order[m.id])


def motions_by_id(ids: Sequence[str]) -> dict[str, Motion]:
    library = load_motions()
    return {i: library.get(i) for i in ids}


# --------------------------------------------------------------------------- players


class _NoCalls:
    """Resolving names must not call models."""

    async def complete(self, req, on_token=None):
        raise RuntimeError("no model calls while planning")


def resolve_players(players: Sequence[str], config: Config) -> dict[str, str]:
    """player name -> participant id; people cannot play headless tournaments."""
    from arena.debate.participants import build_debater

    ids: dict[str, str] = {}
    for name in players:
        if name.startswith("human:"):
            raise UsageProblem(f"{name}: people play in the TUI; a tournament runs headless")
        ids[name] = build_debater(name, config, _NoCalls()).participant_id
    seen: dict[str, str] = {}
    for name, pid in ids.items():
        if pid in seen:
            raise UsageProblem(f"players {seen[pid]!r} and {name!r} are the same participant ({pid})")
        seen[pid] = name
    return ids


def check_players(spec: TournamentSpec, config: Config) -> None:
    """On resume: the names must still mean the participants that were planned."""
    now = resolve_players(spec.players, config)
    for name, pid in spec.participant_ids.items():
        if now.get(name) != pid:
            raise UsageProblem(
                f"player {name!r} is now {now.get(name)!r}, but the tournament was planned with "
                f"{pid!r} (arena.toml changed?); restore its settings to resume"
            )


def content_digest(value: object) -> str:
    """A short hash of a JSON-able value, keys sorted: the participant ids' settings hash
    (`identity.model_participant_id`), applied to a format or a motion."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=list).encode()).hexdigest()[:12]


def format_digest(fmt: Format) -> str:
    return content_digest(asdict(fmt))


def motion_digest(motion: Motion) -> str:
    """What a debate on the motion depends on: its text, slide, category and known answer."""
    return content_digest(
        {"id": motion.id, "text": motion.text, "category": motion.category, "info_slide": motion.info_slide}
        | ({"truth": motion.truth} if motion.truth else {})
    )


def check_unchanged(spec: TournamentSpec) -> None:
    """On resume: the format and the motions must still be those that were planned, as the
    players must (`check_players`); anything else would play other debates under the plan's
    ids, or void them. Raises UsageProblem saying what changed and what to restore."""
    from arena.debate.formats import load_format
    from arena.motions import motions_dir

    if spec.format_digest and format_digest(load_format(spec.format)) != spec.format_digest:
        raise UsageProblem(
            f"format {spec.format!r} changed since tournament {spec.name!r} was planned (its stages, "
            "limits or break differ); restore the file as it was to resume, or plan a new tournament"
        )
    library = load_motions()
    missing = [m for m in spec.motions if m not in library]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise UsageProblem(
            f"the motion library at {motions_dir()} lacks {len(missing)} of the {len(spec.motions)} motion(s) "
            f"tournament {spec.name!r} was planned with ({shown}); set ARENA_MOTIONS to the library it "
            "was planned with to resume"
        )
    changed = [m for m, digest in spec.motion_digests.items() if motion_digest(library.get(m)) != digest]
    if changed:
        raise UsageProblem(
            f"motion(s) {', '.join(repr(m) for m in changed[:3])} changed since tournament {spec.name!r} was "
            "planned (text, info slide, category or known answer); restore them (or ARENA_MOTIONS) to resume"
        )


# --------------------------------------------------------------------------- writing


def exists(store: Store, name: str) -> bool:
    return tq.get(store, name) is not None


def load_spec(store: Store, name: str) -> TournamentSpec:
    row = tq.get(store, name)
    if row is None:
        raise UsageProblem(f"no tournament named {name!r}: see `arena tournament list`")
    return TournamentSpec.from_json(row.config_json)


def create(
    store: Store,
    spec: TournamentSpec,
    slots: Sequence[sch.Slot],
    motions: dict[str, Motion],
    judge_names: list[str],
    probabilities: Sequence[float] | None = None,
) -> None:
    """Store the tournament and its first slots in one transaction."""
    now = time.time()
    rows = _slot_rows(spec, slots, motions, judge_names, now, probabilities)
    if not tq.create(store, spec.name, spec.to_json(), rows, now):
        raise UsageProblem(f"a tournament named {spec.name!r} already exists")


def add_slots(
    store: Store,
    spec: TournamentSpec,
    slots: Sequence[sch.Slot],
    motions: dict[str, Motion],
    judge_names: list[str],
    probabilities: Sequence[float] | None = None,
) -> bool:
    """A further Swiss round (or adaptive picks), in one transaction (all of it or none
    of it). False when another worker stored the same round first (slot ids, and an
    adaptive pick's debate ids, are deterministic)."""
    now = time.time()
    try:
        tq.add_slots(store, spec.name, _slot_rows(spec, slots, motions, judge_names, now, probabilities), now)
    except tq.SlotsExist:
        return False
    return True


def _slot_rows(
    spec: TournamentSpec,
    slots: Sequence[sch.Slot],
    motions: dict[str, Motion],
    judge_names: list[str],
    now: float,
    probabilities: Sequence[float] | None = None,
) -> list[dict]:
    if len({s.id for s in slots}) != len(slots):
        raise ValueError("a schedule produced the same slot twice")
    rows = []
    for i, slot in enumerate(slots):
        motion = motions[slot.motion]
        rows.append(
            dict(
                id=_row_id(spec, slot, slots),
                selection_p=probabilities[i] if probabilities is not None else None,
                collection="arena",
                tournament=spec.name,
                slot=slot.id,
                motion_id=motion.id,
                motion_text=motion.text,
                category=motion.category,
                format=spec.format,
                pro_id=spec.participant_ids[slot.pro],
                con_id=spec.participant_ids[slot.con],
                judges_json=json.dumps(judge_names),
                status="scheduled",
                condition=spec.condition,
                seed=slot_seed(spec.seed, slot.id),
                error="",
                usage_json="{}",
                # plan order, kept by the creation time: debates start in the order planned
                created_at=now + i * 1e-6,
                app_version="",
            )
        )
    return rows


def _row_id(spec: TournamentSpec, slot: sch.Slot, batch: Sequence[sch.Slot]) -> str:
    """The debate id of a slot. An adaptive pick's debates are named by the pick's number
    and their place in it, not by the pair drawn: two workers that draw pick k at once
    (each from what it saw) then collide, and only one pick k is ever stored."""
    if spec.schedule != "adaptive":
        return debate_id(spec.name, slot.id)
    place = [s.id for s in batch if s.round == slot.round].index(slot.id)
    return debate_id(spec.name, f"adaptive#{slot.round}#{place}")


def set_status(store: Store, name: str, status: str) -> None:
    tq.set_status(store, name, status, time.time())


def update_spec(store: Store, spec: TournamentSpec) -> None:
    tq.set_config(store, spec.name, spec.to_json(), time.time())


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class PlannedDebate:
    id: str
    slot: str
    round: int
    pro_id: str
    con_id: str
    motion_id: str
    seed: int
    status: str
    winner: str | None
    error: str
    cost: float | None
    lease_owner: str | None = None


def debates(store: Store, name: str) -> list[PlannedDebate]:
    """The tournament's debates in plan order."""
    out = []
    for d in tq.debates(store, name):
        usage = json.loads(d.usage_json) if d.usage_json not in ("", "{}") else {}
        out.append(
            PlannedDebate(
                d.id,
                d.slot or "",
                sch.slot_round(d.slot or ""),
                d.pro_id,
                d.con_id,
                d.motion_id,
                d.seed,
                d.status,
                d.winner,
                d.error,
                usage.get("cost"),
                d.lease_owner,
            )
        )
    return out


def to_slots(spec: TournamentSpec, rows: Sequence[PlannedDebate]) -> list[sch.Slot]:
    player = spec.player_of
    return [
        sch.Slot(r.slot, r.round, player.get(r.pro_id, r.pro_id), player.get(r.con_id, r.con_id), r.motion_id)
        for r in rows
    ]


def next_swiss_round(store: Store, spec: TournamentSpec, rows: Sequence[PlannedDebate]) -> list[sch.Slot]:
    """The next Swiss round's slots (empty when all rounds are planned). Pairs by the
    players' current Elo in the store: earlier rounds' results are already in it."""
    played = max((r.round for r in rows), default=0)
    if played >= spec.rounds:
        return []
    states = store.rating_states()
    ratings = {p: (states[pid].elo if pid in states else 1000.0) for p, pid in spec.participant_ids.items()}
    round_no = played + 1
    return sch.swiss_round(
        spec.players,
        round_no,
        sch.round_motion(spec.motions, round_no),
        ratings,
        to_slots(spec, rows),
        spec.rounds,
        spec.side_balance,
    )


def next_adaptive(spec: TournamentSpec, rows: Sequence[PlannedDebate], want: int) -> tuple[list[sch.Slot], list[float]]:
    """Up to `want` more adaptive debates (never past `spec.debates`), drawn from the
    tournament's own results so far, each with its pairing's probability."""
    from arena.tournament import adaptive

    earlier = to_slots(spec, rows)
    winners = {r.slot: r.winner if r.status == "finished" else None for r in rows}
    drawn = adaptive.next_slots(
        spec.players, spec.motions, earlier, winners, planned_total(spec), want, spec.seed, spec.side_balance
    )
    return [s for s, _ in drawn], [p for _, p in drawn]


def first_slots(store: Store, spec: TournamentSpec) -> list[sch.Slot]:
    """The slots planned up front: all of them, or Swiss round 1 (seeded by current rating)."""
    if spec.schedule == "round-robin":
        return sch.round_robin(spec.players, spec.motions, spec.rounds, spec.side_balance)
    if spec.schedule == "random":
        return sch.random_rounds(spec.players, spec.motions, spec.rounds, spec.seed, spec.side_balance)
    if spec.schedule == "swiss":
        return next_swiss_round(store, spec, [])
    if spec.schedule == "adaptive":
        return next_adaptive(spec, [], spec.concurrency)[0]
    raise UsageProblem(f"unknown schedule {spec.schedule!r}: expected one of {', '.join(sch.SCHEDULES)}")


def planned_total(spec: TournamentSpec) -> int:
    """How many debates the whole tournament will have (Swiss rounds not yet paired included)."""
    return plan_size(spec.schedule, len(spec.players), len(spec.motions), spec.rounds, spec.side_balance, spec.debates)


def plan_size(
    schedule: str, players: int, motions: int, rounds: int, side_balance: bool, debates: int | None = None
) -> int:
    """The number of debates of a plan, computed from its sizes alone (nothing allocated);
    an adaptive plan has the number it was given (else as many as one round robin)."""
    per_pair = 2 if side_balance else 1
    if schedule == "adaptive":
        return debates or players * (players - 1) // 2 * per_pair
    if schedule == "round-robin":
        return players * (players - 1) // 2 * per_pair * motions * rounds
    return players // 2 * per_pair * rounds


def check_plan_size(
    schedule: str, players: int, motions: int, rounds: int, side_balance: bool, debates: int | None = None
) -> None:
    """Refuse, as a usage problem, a plan of more than MAX_PLANNED_DEBATES debates, before
    anything of it is built, stored or estimated."""
    from arena.schemas import MAX_PLANNED_DEBATES

    size = plan_size(schedule, players, motions, rounds, side_balance, debates)
    if size > MAX_PLANNED_DEBATES:
        how = (
            f"{players} players × {motions} motion(s) × {rounds} round(s), every pair"
            if schedule == "round-robin"
            else f"--debates {debates}"
            if schedule == "adaptive"
            else f"{players} players, {rounds} round(s)"
        )
        raise UsageProblem(
            f"this {schedule} plan has {size:,} debates ({how}{', both sides' if side_balance and schedule != 'adaptive' else ''}); "
            f"a tournament has at most {MAX_PLANNED_DEBATES:,}: fewer players, motions or rounds"
        )


# --------------------------------------------------------------------------- a new tournament


def build_spec(
    config: Config,
    *,
    name: str,
    players: Sequence[str],
    options: DebateOptions | None = None,
    motion_ids: Sequence[str] = (),
    category: str | None = None,
    sample: int | None = None,
    schedule: str = "round-robin",
    rounds: int | None = None,
    side_balance: bool = True,
    max_cost: float | None = None,
    concurrency: int = 8,
    per_model_concurrency: int | None = None,
    retries: int = 3,
    backoff_s: float = 0.5,
    debates: int | None = None,
) -> TournamentSpec:
    """Validate the options and fix everything the plan depends on (seed included).
    `options.seed` is the tournament's seed; `options.judges` as typed (none: the defaults)."""
    options = options or DebateOptions()
    from arena.debate.formats import load_format
    from arena.debate.options import PROTOCOLS
    from arena.debate.participants import judge_specs

    if schedule not in sch.SCHEDULES:
        raise UsageProblem(f"unknown schedule {schedule!r}: expected one of {', '.join(sch.SCHEDULES)}")
    players = list(players)
    if len(players) < 2:
        raise UsageProblem("--players needs at least two players, comma-separated")
    from arena.schemas import MAX_PLAYERS

    if len(players) > MAX_PLAYERS:
        raise UsageProblem(f"--players names {len(players):,} players; a tournament has at most {MAX_PLAYERS:,}")
    if len(set(players)) != len(players):
        raise UsageProblem("--players lists a player twice")
    if any(c in p for p in players for c in "|\n"):
        raise UsageProblem("player names cannot contain '|'")
    if not name or any(c in name for c in "\n\t") or name != name.strip():
        raise UsageProblem("--name must be a non-empty single line without surrounding spaces")
    if options.protocol not in PROTOCOLS:
        raise UsageProblem(f"unknown protocol {options.protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    fmt = load_format(options.format)  # fail now on an unknown format, not in every debate
    judge_list = list(options.judges) or list(default_judges_of(players, config).names)
    judge_specs(judge_list, config, options.judge_repeats)
    request = {
        "players": players,
        "motions": list(motion_ids),
        "category": category,
        "sample": sample,
        "schedule": schedule,
        "rounds": rounds,
        "format": options.format,
        "judges": list(options.judges),
        "judge_repeats": options.judge_repeats,
        "swap": options.swap,
        "condition": options.condition,
        "side_balance": side_balance,
        "seed": options.seed,
    }
    # Other options only when not their default, so the request of an older tournament still matches.
    if debates is not None:
        if schedule != "adaptive":
            raise UsageProblem("--debates sets the size of an adaptive schedule: use it with --schedule adaptive")
        request["debates"] = debates
    default = DebateOptions().as_dict()
    request |= {k: v for k, v in options.as_dict().items() if k not in request and v != default[k]}
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1, 2**31)
    rounds = rounds or default_rounds(schedule, len(players))
    if schedule == "swiss" and rounds > len(players) - 1 + len(players) % 2:
        raise UsageProblem(
            f"--rounds {rounds}: {len(players)} players can meet in at most "
            f"{len(players) - 1 + len(players) % 2} Swiss rounds without a repeat"
        )
    default_count = 1 if schedule == "round-robin" else rounds
    motions = select_motions(motion_ids, category, sample, seed, default_count)
    check_plan_size(schedule, len(players), len(motions), rounds, side_balance, debates)
    return TournamentSpec(
        name=name,
        players=players,
        participant_ids=resolve_players(players, config),
        motions=[m.id for m in motions],
        schedule=schedule,
        rounds=rounds,
        options=replace(options, judges=tuple(judge_list), seed=seed),
        side_balance=side_balance,
        max_cost=max_cost,
        concurrency=concurrency,
        per_model_concurrency=per_model_concurrency,
        retries=retries,
        backoff_s=backoff_s,
        request=request,
        format_digest=format_digest(fmt),
        motion_digests={m.id: motion_digest(m) for m in motions},
        debates=debates if schedule == "adaptive" else None,
    )


def default_judges_of(players: list[str], config: Config) -> DefaultJudges:
    """The judges of a tournament given none (`participants.default_judges`)."""
    from arena.debate.participants import build_debater, default_judges

    # a person calls no model (and is refused in a headless tournament, with its own message, later)
    models = [set() if p.startswith("human:") else build_debater(p, config, _NoCalls()).models for p in players]
    return default_judges(models, config)


def judge_names(spec: TournamentSpec, config: Config) -> list[str]:
    """The judges list a debate row records (one entry per run), as the engine writes it."""
    from arena.debate.participants import judge_specs

    return [j.name for j in judge_specs(spec.judges, config, spec.judge_repeats) for _ in range(j.repeats)]


def store_new(store: Store, spec: TournamentSpec, config: Config) -> int:
    """Store the tournament and its slots (Swiss: round 1). Returns the slots stored."""
    if spec.schedule == "adaptive":
        slots, probabilities = next_adaptive(spec, [], spec.concurrency)
        create(store, spec, slots, motions_by_id(spec.motions), judge_names(spec, config), probabilities)
        return len(slots)
    slots = first_slots(store, spec)
    create(store, spec, slots, motions_by_id(spec.motions), judge_names(spec, config))
    return len(slots)
