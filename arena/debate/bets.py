"""The private bet: after each of its own speeches a debater states 0-100, its confidence
of winning, with private reasoning (the protocol of "When Two LLMs Debate, Both Think
They'll Win"). A bet that cannot be read is asked for once more, then recorded as
missing: it never blocks the debate and is never guessed."""

from __future__ import annotations

from arena.config import ModelSettings
from arena.debate import transcript
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL, BetCondition
from arena.debate.turns import BetOutput, BetTurn, ModelGateway
from arena.llm.types import LLMError, LLMRequest, Message
from arena.prompt_markers import BET_AMOUNT, BET_AMOUNT_TAG, BET_REASON, BET_REASON_TAG, tagged

# llama.cpp grammar: the local model can only answer in the tag shape (`bet_answer`'s).
BET_GRAMMAR = "\n".join(
    [
        f'root ::= "<{BET_REASON_TAG}>" reason "</{BET_REASON_TAG}>\\n<{BET_AMOUNT_TAG}>" amount "</{BET_AMOUNT_TAG}>"',
        "reason ::= [^<]{1,400}",
        'amount ::= "100" | [1-9] [0-9] | [0-9]',
    ]
)


class BetParseError(ValueError):
    pass


def parse_bet(text: str) -> tuple[int, str]:
    """(amount, private reasoning) from a tagged answer; raises BetParseError."""
    match = BET_AMOUNT.search(text)
    if not match:
        raise BetParseError(f"no {tagged(BET_AMOUNT_TAG, 'N')} with a whole number")
    amount = int(match.group(1))
    if not 0 <= amount <= 100:
        raise BetParseError(f"bet amount {amount} is outside 0-100")
    reason = BET_REASON.search(text)
    return amount, (reason.group(1).strip() if reason else "")


def condition_note(condition: BetCondition) -> str:
    if condition in ("self", "informed"):
        return render(f"condition_{condition}")
    return ""


def bet_messages(turn: BetTurn) -> list[Message]:
    prompt = render(
        "bet",
        motion=turn.motion.text,
        side_label=SIDE_LABEL[turn.stage.side],
        stage_label=turn.stage.name,
        transcript_block=transcript.for_debater(turn.visible),
        bets_block=transcript.public_bets(turn.visible_bets),
        condition_note=condition_note(turn.condition),
    )
    return [Message("user", prompt)]


async def ask_bet(gateway: ModelGateway, settings: ModelSettings, turn: BetTurn, attempts: int = 2) -> BetOutput:
    messages = bet_messages(turn)
    out = BetOutput(amount=None)
    for _ in range(attempts):
        req = LLMRequest(
            model=settings.model,
            messages=messages,
            purpose="bet",
            max_tokens=160,
            temperature=settings.temperature,
            grammar=BET_GRAMMAR,
            api_base=settings.api_base,
            seed=turn.seed,
        )
        try:
            completion = await gateway.complete(req)
        except LLMError as exc:
            out.reasoning = f"(bet missing: {exc.kind})"
            out.retries += exc.retries
            return out
        out.calls += 1
        out.retries += completion.usage.retries
        out.tokens_in += completion.usage.tokens_in
        out.tokens_out += completion.usage.tokens_out
        if completion.usage.cost is not None:
            out.cost = (out.cost or 0.0) + completion.usage.cost
        try:
            out.amount, out.reasoning = parse_bet(completion.text)
            return out
        except BetParseError as problem:
            messages = [
                *messages,
                Message("assistant", completion.text),
                Message("user", render("bet_retry", problem=str(problem))),
            ]
    out.reasoning = "(bet missing: the answer could not be read)"
    return out
