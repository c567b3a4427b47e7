"""What a tournament will cost before it runs: calls, tokens and dollars per model.

Counts follow the engine: per debate, one call per speech and one per bet (agent teams
make about four calls per speech), every judge run scores every round and casts a
ballot (two with `--swap`). Input tokens come from the real prompts, rendered with
speeches at their word limits; output tokens from the word limits. Prices come from
litellm's bundled price table (`arena.llm.pricing`); a model it does not know is
reported as unknown, never guessed. Retries and re-asked bad answers are not counted:
the figures are a floor for a clean run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from arena.debate.formats import Format
from arena.debate.records import MotionRef, Speech

TOKENS_PER_WORD = 1.35
BET_OUT_TOKENS = 60
ROUND_OUT_TOKENS = 60
BALLOT_OUT_TOKENS = 160
TEAM_CALLS_PER_SPEECH = 4


@dataclass
class ModelEstimate:
    model: str
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    price: tuple[float, float] | None = None  # USD per input token, per output token

    @property
    def cost(self) -> float | None:
        if self.price is None:
            return None
        return self.tokens_in * self.price[0] + self.tokens_out * self.price[1]

    def as_dict(self) -> dict:
        return {
            "model": self.model,
            "calls": self.calls,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": self.cost,
            "price_known": self.price is not None,
        }


@dataclass
class Estimate:
    debates: int
    models: dict[str, ModelEstimate] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(m.calls for m in self.models.values())

    @property
    def tokens(self) -> int:
        return sum(m.tokens_in + m.tokens_out for m in self.models.values())

    @property
    def known_cost(self) -> float:
        return sum(m.cost or 0.0 for m in self.models.values())

    @property
    def unknown_prices(self) -> list[str]:
        return sorted(m.model for m in self.models.values() if m.price is None)

    def as_dict(self) -> dict:
        return {
            "debates": self.debates,
            "calls": self.calls,
            "tokens": self.tokens,
            "cost": None if self.unknown_prices else self.known_cost,
            "known_cost": self.known_cost,
            "unknown_prices": self.unknown_prices,
            "notes": self.notes,
            "models": [m.as_dict() for m in sorted(self.models.values(), key=lambda m: m.model)],
        }


@dataclass(frozen=True)
class DebaterCalls:
    """The models a participant calls for its speeches and bets."""

    speech_models: tuple[str, ...]  # spread evenly over a team's roles
    bet_model: str
    calls_per_speech: int = 1


def _tokens(words: float) -> int:
    return int(round(words * TOKENS_PER_WORD))


def _words(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


@dataclass(frozen=True)
class _PerDebate:
    """Tokens of one debate in this format, per kind of call (prompts rendered once)."""

    speech_in: tuple[int, ...]  # per stage
    speech_out: tuple[int, ...]
    bet_in: tuple[int, ...]
    round_in: tuple[int, ...]  # per round
    ballot_in: int


def _per_debate(fmt: Format, motion: MotionRef) -> _PerDebate:
    from arena.debate.bets import bet_messages
    from arena.debate.model_debater import speech_messages
    from arena.debate.prompts import render
    from arena.debate.transcript import for_judge
    from arena.debate.turns import BetTurn, SpeechTurn

    filler = {
        s.index: Speech(
            index=s.index,
            side=s.side,
            stage=s.name,
            kind=s.kind,
            round=s.round,
            text=" ".join(["word"] * s.word_limit),
            words=s.word_limit,
        )
        for s in fmt.stages
    }
    speech_in, speech_out, bet_in = [], [], []
    for stage in fmt.stages:
        visible = [filler[s.index] for s in fmt.stages if stage.can_see(s)]
        turn = SpeechTurn(
            motion=motion, format=fmt, stage=stage, visible=visible, visible_bets=[], condition="private", seed=0
        )
        speech_in.append(_tokens(_words([m.content for m in speech_messages(turn)])))
        speech_out.append(_tokens(stage.word_limit))
        bet = BetTurn(
            motion=motion,
            stage=stage,
            visible=[*visible, filler[stage.index]],
            visible_bets=[],
            condition="private",
            seed=0,
        )
        bet_in.append(_tokens(_words([m.content for m in bet_messages(bet)])))
    system = _words([render("judge_system", nonce="0" * 16)])
    round_in = []
    for round_no in fmt.rounds:
        shown = [filler[s.index] for s in fmt.stages if s.round <= round_no]
        prompt = render(
            "judge_round", motion=motion.text, transcript=for_judge(shown, "0" * 16), round=round_no, round_stages=""
        )
        round_in.append(_tokens(system + _words([prompt])))
    ballot = render("judge_ballot", motion=motion.text, transcript=for_judge(list(filler.values()), "0" * 16))
    return _PerDebate(
        tuple(speech_in), tuple(speech_out), tuple(bet_in), tuple(round_in), _tokens(system + _words([ballot]))
    )


def estimate(
    pairings: Sequence[tuple[str, str, MotionRef]],
    fmt: Format,
    debaters: dict[str, DebaterCalls],
    judges: Sequence[tuple[str, int]],
    swap: bool,
    price_of,
) -> Estimate:
    """`pairings`: (pro, con, motion) per debate; `judges`: (model, runs); `price_of(model)`
    gives (USD per input token, per output token) or None."""
    result = Estimate(debates=len(pairings))
    cache: dict[str, _PerDebate] = {}

    def add(model: str, calls: int, tokens_in: int, tokens_out: int) -> None:
        row = result.models.setdefault(model, ModelEstimate(model))
        row.calls += calls
        row.tokens_in += tokens_in
        row.tokens_out += tokens_out

    # A speech's cost depends on its speaker, side and motion only, a judge's on the motion:
    # counted once per distinct (player, side, motion) and motion, then multiplied, so the
    # work grows with the players and motions, not with the debates.
    sides: Counter[tuple[str, str, str]] = Counter()
    motions: dict[str, MotionRef] = {}
    per_motion: Counter[str] = Counter()
    for pro, con, motion in pairings:
        sides[(pro, "pro", motion.id)] += 1
        sides[(con, "con", motion.id)] += 1
        per_motion[motion.id] += 1
        motions.setdefault(motion.id, motion)

    def per_debate(motion_id: str) -> _PerDebate:
        per = cache.get(motion_id)
        if per is None:
            per = cache[motion_id] = _per_debate(fmt, motions[motion_id])
        return per

    for (player, side, motion_id), times in sides.items():
        per = per_debate(motion_id)
        who = debaters[player]
        share = len(who.speech_models)
        for stage in fmt.stages:
            if stage.side != side:
                continue
            for model in who.speech_models:
                calls = max(1, who.calls_per_speech // share) * times
                add(model, calls, per.speech_in[stage.index] * calls, per.speech_out[stage.index] * calls)
            add(who.bet_model, times, per.bet_in[stage.index] * times, BET_OUT_TOKENS * times)
    for motion_id, times in per_motion.items():
        per = per_debate(motion_id)
        for model, runs in judges:
            for tokens_in in per.round_in:
                add(model, runs * times, tokens_in * runs * times, ROUND_OUT_TOKENS * runs * times)
            ballots = runs * (2 if swap else 1) * times
            add(model, ballots, per.ballot_in * ballots, BALLOT_OUT_TOKENS * ballots)
    for model, row in result.models.items():
        row.price = price_of(model)
    if any(d.calls_per_speech > 1 for d in debaters.values()):
        result.notes.append(f"agent teams counted as about {TEAM_CALLS_PER_SPEECH} calls per speech")
    result.notes.append("retries and re-asked answers are not included")
    return result


def estimate_spec(spec, config) -> Estimate:
    """The dry run of a tournament spec: its slots (Swiss rounds paired as if every
    player were equal), priced by `arena.llm.pricing`. Calls no model."""
    from arena.debate.formats import load_format
    from arena.debate.participants import build_debater, judge_specs
    from arena.debate.team_spec import TeamSpec
    from arena.llm.pricing import price_per_token
    from arena.play import motion_ref
    from arena.tournament import plan as pl
    from arena.tournament import schedule as sch

    if spec.schedule == "swiss":
        # Who meets whom changes no count: each round every player but the bye debates
        # once (twice, one per side, with side balance) on the round's motion. The circle
        # method's rounds give such pairings without the Swiss search (a dry run of many
        # rounds would otherwise pair them all).
        circle = sch.circle_rounds(spec.players)
        slots: list[sch.Slot] = []
        lean: dict[str, int] = {}
        for round_no in range(1, spec.rounds + 1):
            motion = sch.round_motion(spec.motions, round_no)
            for a, b in circle[(round_no - 1) % len(circle)]:
                for slot in sch.side_slots(a, b, round_no, motion, spec.side_balance, lean):
                    lean[slot.pro] = lean.get(slot.pro, 0) + 1
                    lean[slot.con] = lean.get(slot.con, 0) - 1
                    slots.append(slot)
    elif spec.schedule == "random":
        slots = sch.random_rounds(spec.players, spec.motions, spec.rounds, spec.seed, spec.side_balance)
    elif spec.schedule == "adaptive":  # drawn as if no result had come in yet
        from arena.tournament.adaptive import simulate_plan

        slots = simulate_plan(spec.players, spec.motions, pl.planned_total(spec), spec.seed, spec.side_balance)
    else:
        slots = sch.round_robin(spec.players, spec.motions, spec.rounds, spec.side_balance)
    motions = {k: motion_ref(m) for k, m in pl.motions_by_id(spec.motions).items()}
    debaters = {}
    for player in spec.players:
        debater = build_debater(player, config, pl._NoCalls())
        models = tuple(sorted(debater.models))
        is_team = player.startswith("team:") or len(models) > 1
        settings = getattr(debater, "settings", None)
        if isinstance(settings, TeamSpec):  # a team: its writer places the bets
            settings = settings.roles.get("writer", settings.base)
        bet_model = settings.model if settings is not None else models[0]
        debaters[player] = DebaterCalls(models, bet_model, TEAM_CALLS_PER_SPEECH if is_team else 1)
    judges = [(j.settings.model, j.repeats) for j in judge_specs(spec.judges, config, spec.judge_repeats)]
    return estimate(
        [(s.pro, s.con, motions[s.motion]) for s in slots],
        load_format(spec.format),
        debaters,
        judges,
        spec.swap,
        price_per_token,
    )
