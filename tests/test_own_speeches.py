"""Issue 23: speeches of their own (copy guard, claim lists), sides kept (stance rule),
nothing of the prompts' markup stored in a speech."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from arena.config import ModelSettings, parse_config
from arena.debate import events as ev
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.formats import load_format
from arena.debate.judging import JudgeSpec
from arena.debate.model_debater import ModelDebater, speech_messages
from arena.debate.options import DebateOptions
from arena.debate.records import MotionRef, Speech
from arena.debate.stance_rule import argues_other_side, declarations
from arena.debate.transcript import claims, clean_speech, judge_nonce, quote_speech
from arena.debate.turns import SpeechTurn
from arena.llm.copy_guard import SERVER_DRY, CopyGuard
from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMRequest, Message, TokenCallback, Usage
from arena.render.transcript_text import to_renderable

MOTION = MotionRef("test-motion", "This house would test everything.", "policy", "Testing is good.")
PRO_SPEECH = (
    "Testing catches defects before users meet them. Every untested line is a promise nobody checked. "
    "Teams that test ship faster because they fear change less. We support the motion."
)


# --------------------------------------------------------------------------- the sampling guard


def test_the_guard_penalises_what_would_continue_a_run_of_the_prompt_more_the_longer_it_is():
    guard = CopyGuard()
    prompt = [5, 6, 7, 8, 9, 10, 11, 12]
    assert guard.penalties(prompt) == {}  # the first call sees the prompt alone
    assert guard.penalties([*prompt, 6]) == {}  # one token is no run yet
    two = guard.penalties([*prompt, 6, 7])
    five = guard.penalties([*prompt, 6, 7, 8, 9, 10])
    assert set(two) == {8} and set(five) == {11}
    assert five[11] == 8 * two[8]  # base 2, three tokens longer
    assert guard.penalties([*prompt, 6, 7, 99]) == {}  # the run is broken: nothing to penalise
    scores = np.zeros(20, dtype=np.single)
    guard(np.array([*prompt, 6, 7], dtype=np.intc), scores)
    assert scores[8] < 0 and np.count_nonzero(scores) == 1


def test_the_gateway_asks_the_embedded_model_and_a_llama_cpp_server_to_avoid_copying():
    gateway = Gateway()
    local = gateway._litellm_kwargs(LLMRequest("local/smollm2", [Message("user", "x")], avoid_copying=True))
    assert local["avoid_copying"] is True
    server = gateway._litellm_kwargs(
        LLMRequest("openai/qwen", [Message("user", "x")], avoid_copying=True, api_base="http://127.0.0.1:8080/v1")
    )
    assert server["extra_body"] == SERVER_DRY
    hosted = gateway._litellm_kwargs(LLMRequest("openai/gpt-4o-mini", [Message("user", "x")], avoid_copying=True))
    assert "avoid_copying" not in hosted and "extra_body" not in hosted
    plain = gateway._litellm_kwargs(LLMRequest("local/smollm2", [Message("user", "x")]))
    assert "avoid_copying" not in plain


def test_the_local_handler_passes_the_request_on():
    from arena.llm.local_provider import _prepare

    _, _, options = _prepare("local/smollm2", [{"role": "user", "content": "x"}], {"avoid_copying": True})
    assert options["avoid_copying"] is True
    _, _, options = _prepare("local/smollm2", [{"role": "user", "content": "x"}], {})
    assert options["avoid_copying"] is False


def test_the_embedded_model_samples_through_the_guard(monkeypatch):
    """llama-cpp-python calls the guard for every sampled token (a few tokens only)."""
    from arena.llm import copy_guard, local

    calls: list[int] = []
    real = copy_guard.CopyGuard.penalties

    def counted(self, ids):  # type: ignore[no-untyped-def]
        calls.append(len(ids))
        return real(self, ids)

    monkeypatch.setattr(copy_guard.CopyGuard, "penalties", counted)
    result = local.get_model("local/smollm2").generate(
        [{"role": "user", "content": "Say hello."}], max_tokens=4, seed=1, avoid_copying=True
    )
    assert result.tokens_out >= 1 and len(calls) >= result.tokens_out
    assert calls == sorted(calls) and calls[1] == calls[0] + 1  # the prompt, then one more token each call


# --------------------------------------------------------------------------- the setting


def test_anti_copy_is_on_for_the_embedded_model_and_a_setting_for_any_participant(tmp_path):
    assert ModelSettings("local/smollm2").guards_copying
    assert not ModelSettings("openai/gpt-4o-mini").guards_copying
    config = parse_config(
        '[participant.small]\nmodel = "ollama/qwen2:0.5b"\nanti_copy = true\n'
        '[participant.plain]\nmodel = "local/smollm2"\nanti_copy = false\n',
        tmp_path / "arena.toml",
    )
    assert config.participants["small"].guards_copying and not config.participants["plain"].guards_copying
    # set explicitly, it is another set-up; unset, the ids of earlier versions stand
    assert ModelSettings("local/smollm2").participant_id == "model:local/smollm2"
    assert config.participants["plain"].participant_id != "model:local/smollm2"


# --------------------------------------------------------------------------- the prompt


def turn_for(stage_index: int, visible: list[Speech]) -> SpeechTurn:
    fmt = load_format("quick")
    return SpeechTurn(MOTION, fmt, fmt.stages[stage_index], visible, [], "private", seed=3)


def test_a_guarded_model_sees_short_claims_not_the_speech_and_no_delimiters():
    earlier = [Speech(0, "pro", "opening", "constructive", 1, PRO_SPEECH, 30)]
    guarded = speech_messages(turn_for(1, earlier), claims=True)[1].content
    plain = speech_messages(turn_for(1, earlier), claims=False)[1].content
    assert PRO_SPEECH in plain and "<<<SPEECH-" in plain
    assert PRO_SPEECH not in guarded and "<<<" not in guarded
    assert "The Proposition's opening (the other side) claimed:" in guarded
    assert "- Testing catches defects before users meet them." in guarded
    assert claims("Short. " + "word " * 30) == [" ".join(["word"] * 12) + " …"]


@dataclass
class Scripted:
    """Speeches from a script, in order; everything else from the simulator."""

    speeches: list[str]
    requests: list[LLMRequest] = field(default_factory=list)
    inner: Gateway = field(default_factory=lambda: Gateway(backoff_base_s=0.0))

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        if req.purpose != "speech":
            return await self.inner.complete(req, on_token)
        self.requests.append(req)
        return Completion(self.speeches.pop(0), Usage(req.model, 10, 20))


async def test_a_participant_that_asks_for_it_is_guarded():
    gateway = Scripted(["We support the motion, because tests find bugs early."])
    debater = ModelDebater(ModelSettings("sim/x", anti_copy=True), gateway)
    await debater.speak(turn_for(0, []), lambda _: None)
    assert gateway.requests[0].avoid_copying
    await ModelDebater(ModelSettings("sim/y"), Scripted(["Fine words here."], gateway.requests)).speak(
        turn_for(0, []), lambda _: None
    )
    assert not gateway.requests[1].avoid_copying


async def test_a_guarded_copy_of_half_an_earlier_speech_is_asked_for_again():
    earlier = [Speech(0, "pro", "opening", "constructive", 1, PRO_SPEECH, 30)]
    copy = "Testing catches defects before users meet them. Every untested line is a promise nobody checked."
    gateway = Scripted([copy + " So there.", "Tests cost time that features need; we oppose the motion."])
    out = await ModelDebater(ModelSettings("sim/x", anti_copy=True), gateway).speak(
        turn_for(1, earlier), lambda _: None
    )
    assert out.text.startswith("Tests cost time") and out.calls == 2 and out.retries == 0  # asked again: a second call


# --------------------------------------------------------------------------- sides kept


def test_the_stance_rule_reads_declarations_only():
    assert declarations("We strongly support the motion.") == {"pro": 1, "con": 0}
    assert declarations("We do not support this motion.") == {"pro": 0, "con": 1}
    assert declarations("As the Opposition, we say no.") == {"pro": 0, "con": 1}
    assert declarations("As the Opposition claims, cars are fine.") == {"pro": 0, "con": 0}
    assert argues_other_side("I oppose the motion. Vote against the motion.", "pro")
    assert not argues_other_side("I oppose the motion.", "con")
    assert not argues_other_side("Cars are loud and cities are small.", "pro")  # nothing declared: not flagged
    assert not argues_other_side("They oppose the motion, but we support the motion.", "pro")


async def test_an_off_side_speech_is_asked_again_and_the_second_kept_when_on_side():
    gateway = Scripted(["We oppose the motion: testing wastes time.", "We support the motion: tests save time."])
    out = await ModelDebater(ModelSettings("sim/x"), gateway).speak(turn_for(0, []), lambda _: None)
    assert out.text == "We support the motion: tests save time." and not out.warnings and out.calls == 2
    assert "argues for the other side" in gateway.requests[1].messages[-1].content


async def test_a_speech_off_side_twice_is_kept_flagged_in_the_record_and_in_show():
    off = "We oppose the motion: testing wastes time."
    setup = DebateSetup(
        motion=MOTION,
        format=load_format("quick"),
        pro=ModelDebater(
            ModelSettings("sim/pro"),
            gateway := Scripted([off, off, "We oppose the motion.", "Tests won.", "Time won."]),
        ),
        con=ModelDebater(ModelSettings("sim/con"), gateway),
        judges=[JudgeSpec(ModelSettings("sim/judge"))],
        options=DebateOptions(seed=7),
    )
    events: list[ev.Event] = []
    record = await run_debate(setup, gateway, events.append)
    assert record.speeches[0].text == off
    flag = "Proposition opening (round 1) argues the other side: kept after one retry"
    assert record.warnings == [flag]
    assert any(isinstance(e, ev.DebateWarning) and e.message == flag for e in events)
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(to_renderable(record))
    assert f"flagged: {flag}" in console.export_text()


# --------------------------------------------------------------------------- nothing foreign

NONCE = judge_nonce("debate", 1)
DELIMITERS = [
    quote_speech(NONCE, "Proposition", "opening", 1, "x").splitlines()[0],
    quote_speech(NONCE, "Opposition", "closing", 2, "x").splitlines()[-1],
]
# (a marker, the shortest piece of it that is still recognisably one: a marker cut short
# keeps its beginning, within its first word or after a whole attribute (a lone "s" left of
# `side=` is no longer recognisable); bracketed tags and nonces come whole)
# (An opening bet tag whole drops the rest of the speech: a bet written into a speech is private.)
MARKUP = [
    *((d, 3) for d in DELIMITERS),
    ("<bet_amount>40</bet_amount>", None),
    ("<bet_logic_privat", 5),
    ("</bet_amount>", None),
    ("<|im_start|>", 3),
    ("<|im_end|>", 3),
    ("‹‹‹SPEECH-" + NONCE, 2),
    ("[Opposition opening]", None),
    ("[Proposition closing, round 2]", None),
    ("[LINK]", None),
    ("<A:SHOP_ROADING>", None),
    ("[MOTORBOATBULLYHUNK]", None),
    (NONCE, None),
]


@st.composite
def mangled(draw: st.DrawFn) -> str:
    marker, shortest = draw(st.sampled_from(MARKUP))
    piece = marker
    if shortest:
        words = marker.split(" ")
        kept = draw(st.integers(1, len(words)))
        piece = " ".join(words[:kept])
        if kept == 1:
            piece = piece[: draw(st.integers(min(shortest, len(piece)), len(piece)))]
    if piece.startswith(("<<", "‹‹")) and " " not in piece:  # the delimiter's own word, garbled
        piece = draw(
            st.sampled_from(
                [piece, piece.replace("-", "_"), piece.lower(), piece + "LEMBIA", piece.replace("<<<", "<<")]
            )
        )
    return piece


ORDINARY = [
    "Cars",
    "choke",
    "city",
    "centres.",
    "The",
    "end",
    "of",
    "speech",
    "is",
    "near,",
    "so",
    "vote",
    "wisely!",
    "a",
    "<",
    "b",
    "2024",
    "[1]",
    "costs",
    "40%",
    "deadbeef",
    "end-of-life",
    "Motion",
]
FOREIGN = re.compile(
    r"<<|>>|‹‹|››|SPEECH|END[-_]|[0-9a-f]{12}|<\||\|>|<bet|bet_|LINK|SHOP_ROADING|MOTORBOAT|"
    r"\[Opposition|\[Proposition|side=|round="
)


@given(
    words=st.lists(st.sampled_from(ORDINARY), min_size=1, max_size=12),
    junk=st.lists(mangled(), min_size=1, max_size=5),
    places=st.lists(st.integers(0, 12), min_size=5, max_size=5),
    newline=st.booleans(),
)
def test_no_mangled_marker_survives_the_cleaner_and_ordinary_words_do(words, junk, places, newline):
    pieces: list[str] = list(words)
    for piece, place in zip(junk, places):
        pieces.insert(min(place, len(pieces)), piece + ("\n" if newline else ""))
    cleaned = clean_speech(" ".join(pieces))
    assert not FOREIGN.search(cleaned), cleaned
    assert cleaned.split() == words
