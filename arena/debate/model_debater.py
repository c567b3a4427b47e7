"""A single model debating on its own: one call per speech, one per bet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from arena.config import ModelSettings
from arena.debate import transcript
from arena.debate.bets import ask_bet, condition_note
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL, off_side_warning
from arena.debate.stance_rule import argues_other_side
from arena.debate.turns import BetOutput, BetTurn, ModelGateway, SpeechOutput, SpeechTurn
from arena.llm.types import LLMRequest, Message

# A speech that repeats this much of an earlier one (by word 6-grams) is asked for again;
# simulated speeches built from shared templates overlap up to about half.
EMPTY_RETRIES = 2  # an answer that is empty once cleaned is asked for again, twice at most
COPY_LIMIT = 0.8
# A guarded model (`ModelSettings.guards_copying`: the embedded one by default) is asked
# again at the share the copy rate counts as copied.
GUARDED_COPY_LIMIT = 0.5

SIDE_DUTY = {
    "pro": "You argue FOR the motion: you must show that it is true, good or wise.",
    "con": "You argue AGAINST the motion: you must show that it is false, bad or unwise.",
}


def speech_messages(turn: SpeechTurn, persona: str = "", claims: bool = False) -> list[Message]:
    """`claims`: earlier speeches shown as short claim lists (for a small model that copies
    whatever stands in its context), else verbatim between delimiters."""
    stage = turn.stage
    system = render(
        "debater_system",
        side_label=SIDE_LABEL[stage.side],
        side_duty=SIDE_DUTY[stage.side],
        persona=f"Your style: {persona}" if persona else "",
    )
    user = render(
        "speech",
        motion=turn.motion.text,
        info_slide=turn.motion.info_slide or "(none)",
        format_name=turn.format.name,
        stage_label=stage.label,
        round=stage.round,
        kind_instructions=render(f"kind_{stage.kind}"),
        transcript_block=(
            transcript.claims_for_debater(turn.visible, stage.side) if claims else transcript.for_debater(turn.visible)
        ),
        bets_block=transcript.public_bets(turn.visible_bets),
        condition_note=condition_note(turn.condition),
        word_limit=stage.word_limit,
    )
    return [Message("system", system), Message("user", user)]


def speech_token_budget(word_limit: int, max_tokens: int | None) -> int:
    """Room for the word limit (about 1.3 tokens a word) without letting a model run on."""
    budget = int(word_limit * 1.5) + 24
    return min(budget, max_tokens) if max_tokens else budget


class ModelDebater:
    def __init__(self, settings: ModelSettings, gateway: ModelGateway) -> None:
        self.settings = settings
        self.gateway = gateway
        self.participant_id = settings.participant_id

    @property
    def models(self) -> set[str]:
        return {self.settings.model}

    async def speak(self, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput:
        out = await self._speech(turn, on_token)
        return await self._on_side(out, turn, on_token)

    async def _speech(self, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput:
        guarded = self.settings.guards_copying
        messages = speech_messages(turn, self.settings.persona, claims=guarded)
        out = await self._ask(messages, turn, on_token)
        for attempt in range(1, EMPTY_RETRIES + 1):
            if out.text.strip():
                break
            # Nothing left once echoed delimiters and headers are removed (small models
            # sometimes answer with the transcript's markers only): sample again.
            again = await self._ask(messages, turn, on_token, seed=turn.seed + 7919 * attempt)
            out = _both(again, out, again)
        earlier = [s.text for s in turn.visible]
        if transcript.copied_share(out.text, earlier) >= (GUARDED_COPY_LIMIT if guarded else COPY_LIMIT):
            # Asked once more; the less copied of the two answers is the speech.
            retry = [
                *messages,
                Message("assistant", out.text),
                Message(
                    "user",
                    render(
                        "speech_copied",
                        stage_label=turn.stage.label,
                        side_label=SIDE_LABEL[turn.stage.side],
                        word_limit=turn.stage.word_limit,
                    ),
                ),
            ]
            second = await self._ask(retry, turn, on_token)
            usable = [o for o in (out, second) if o.text.strip()] or [out]
            kept = min(usable, key=lambda o: transcript.copied_share(o.text, earlier))
            return _both(kept, out, second)
        return out

    async def _on_side(self, out: SpeechOutput, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput:
        """A speech that declares the other side (`stance_rule`) is asked for once more; if the
        second still does, the less copied of the two is kept, with a warning on the record."""
        stage = turn.stage
        if not argues_other_side(out.text, stage.side):
            return out
        messages = speech_messages(turn, self.settings.persona, claims=self.settings.guards_copying)
        retry = [
            *messages,
            Message("assistant", out.text),
            Message(
                "user",
                render(
                    "speech_off_side",
                    stage_label=stage.label,
                    side_label=SIDE_LABEL[stage.side],
                    side_duty=SIDE_DUTY[stage.side],
                    word_limit=stage.word_limit,
                ),
            ),
        ]
        second = await self._ask(retry, turn, on_token, seed=turn.seed + 104729)
        if second.text.strip() and not argues_other_side(second.text, stage.side):
            return _both(second, out, second)
        earlier = [s.text for s in turn.visible]
        usable = [o for o in (out, second) if o.text.strip()] or [out]
        kept = _both(min(usable, key=lambda o: transcript.copied_share(o.text, earlier)), out, second)
        kept.warnings.append(off_side_warning(stage.side, stage.name, stage.round))
        return kept

    async def _ask(
        self, messages: list[Message], turn: SpeechTurn, on_token: Callable[[str], None], seed: int | None = None
    ) -> SpeechOutput:
        req = LLMRequest(
            model=self.settings.model,
            messages=messages,
            purpose="speech",
            max_tokens=speech_token_budget(turn.stage.word_limit, self.settings.max_tokens),
            temperature=self.settings.temperature,
            api_base=self.settings.api_base,
            seed=turn.seed if seed is None else seed,
            word_limit=turn.stage.word_limit,
            avoid_copying=self.settings.guards_copying,
        )
        completion = await self.gateway.complete(req, on_token)
        usage = completion.usage
        return SpeechOutput(
            text=transcript.fit_word_limit(transcript.clean_speech(completion.text), turn.stage.word_limit),
            model=self.settings.model,
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            cost=usage.cost,
            latency_s=usage.latency_s,
            retries=usage.retries,
        )

    async def bet(self, turn: BetTurn) -> BetOutput:
        return await ask_bet(self.gateway, self.settings, turn)


def _both(kept: SpeechOutput, first: SpeechOutput, second: SpeechOutput) -> SpeechOutput:
    """The kept attempt, costing what both attempts cost (two calls)."""
    return replace(
        kept,
        warnings=list(kept.warnings),
        tokens_in=first.tokens_in + second.tokens_in,
        tokens_out=first.tokens_out + second.tokens_out,
        latency_s=first.latency_s + second.latency_s,
        retries=first.retries + second.retries,
        calls=first.calls + second.calls,
        cost=None if first.cost is None and second.cost is None else (first.cost or 0.0) + (second.cost or 0.0),
    )
