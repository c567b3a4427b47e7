"""The simulator: deterministic, shaped like real output, with a true order to recover."""

from __future__ import annotations

import asyncio
import json
import re
import time

import jsonschema
import pytest

from arena.llm.gateway import Gateway
from arena.llm.simulator import Simulator, judge_strengths, parse_sim_model, speech_strength
from arena.llm.types import CallTimeoutError, LLMError, LLMRequest, Message

MOTION = "This house would ban private cars from city centres"


def speech_request(model: str, *, words: int | None = 120, seed: int | None = None, extra: str = "") -> LLMRequest:
    messages = [
        Message("system", "You are a competitive debater."),
        Message("user", f"Motion: {MOTION}. You are the Proposition. Write your constructive speech.{extra}"),
    ]
    return LLMRequest(model=model, messages=messages, purpose="speech", word_limit=words, seed=seed)


async def speech(model: str, **kw) -> str:
    return (await Simulator().complete(speech_request(model, **kw))).text


def judge_prompt(pro: str, con: str, nonce: str = "f3a9c1") -> str:
    return (
        f"Motion: {MOTION}\nJudge the debate.\n"
        f'<<<SPEECH-{nonce} side="Proposition" stage="constructive" round=1>>>\n{pro}\n<<<END-{nonce}>>>\n'
        f'<<<SPEECH-{nonce} side="Opposition" stage="constructive" round=1>>>\n{con}\n<<<END-{nonce}>>>\n'
    )


BALLOT_SCHEMA = {
    "type": "object",
    "properties": {
        "winner": {"type": "string", "enum": ["Proposition", "Opposition"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        "scores": {
            "type": "object",
            "properties": {
                dim: {
                    "type": "object",
                    "properties": {
                        "pro": {"type": "integer", "minimum": 1, "maximum": 10},
                        "con": {"type": "integer", "minimum": 1, "maximum": 10},
                    },
                    "required": ["pro", "con"],
                    "additionalProperties": False,
                }
                for dim in ("argument", "evidence", "language", "clash")
            },
            "required": ["argument", "evidence", "language", "clash"],
        },
        "reasons": {"type": "string", "minLength": 10, "maxLength": 400},
        "key_points": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4},
        "unanimous": {"type": "boolean"},
        "weight": {"type": "number", "minimum": 0.5, "maximum": 2.0},
        "note": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/note"}]},
    },
    "required": ["winner", "confidence", "scores", "reasons", "key_points", "unanimous", "weight", "note"],
    "$defs": {"note": {"type": "string", "enum": ["close", "clear"]}},
}


# --------------------------------------------------------------------------- options


def test_options_parse():
    spec = parse_sim_model("sim/alice?latency=0.2&faults=0.1&skill=0.7&seed=5")
    assert (spec.name, spec.latency, spec.faults, spec.skill, spec.seed) == ("alice", 0.2, 0.1, 0.7, 5)
    assert parse_sim_model("sim/bob").skill == 0.5


@pytest.mark.parametrize(
    ("model", "named"),
    [
        ("sim/a?speed=2", "speed"),
        ("sim/a?skill=high", "skill"),
        ("sim/a?faults=1.5", "faults"),
        ("sim/a?latency=-1", "latency"),
        ("sim/a?seed=1.5", "seed"),
        ("sim/?skill=0.5", "name"),
    ],
)
def test_bad_options_name_the_option(model, named):
    with pytest.raises(ValueError, match=named):
        parse_sim_model(model)


async def test_gateway_rejects_bad_options_without_retrying():
    with pytest.raises(ValueError, match="speed"):
        await Gateway(backoff_base_s=0).complete(speech_request("sim/a?speed=2"))


# --------------------------------------------------------------------------- speeches


async def test_same_seed_same_text_different_seed_different_text():
    a1 = await speech("sim/alice?seed=1")
    a2 = await speech("sim/alice?seed=1")
    b = await speech("sim/alice?seed=2")
    c = await speech("sim/alice?seed=1", seed=99)  # the request's seed counts too
    d = await speech("sim/carol?seed=1")  # and the name
    assert a1 == a2
    assert len({a1, b, c, d}) == 4


@pytest.mark.parametrize("words", [40, 120, 300, None])
async def test_word_count_within_ten_percent(words):
    target = words or 120
    for seed in range(10):
        text = await speech("sim/w", words=words, seed=seed)
        assert 0.9 * target <= len(text.split()) <= 1.1 * target


async def test_speech_uses_prompt_words_and_reads_as_prose():
    text = await speech("sim/alice")
    assert "private cars" in text or "city centres" in text
    assert text.endswith(".")


async def test_skill_sets_the_share_of_strong_sentences():
    strong = [speech_strength(await speech("sim/s?skill=0.9", seed=i, words=200)) for i in range(10)]
    weak = [speech_strength(await speech("sim/s?skill=0.1", seed=i, words=200)) for i in range(10)]
    assert sum(strong) / 10 > 0.75
    assert sum(weak) / 10 < 0.25
    assert speech_strength("") == 0.0
    # text the simulator did not write is scored by its reasoning words
    assert speech_strength("This is true because the evidence shows it.") == 1.0
    assert speech_strength("We are right. They are wrong.") == 0.0


async def test_streaming_sends_word_chunks_that_join_to_the_text():
    pieces: list[str] = []
    completion = await Simulator().complete(speech_request("sim/alice"), on_token=pieces.append)
    assert len(pieces) > 50
    assert "".join(pieces).strip() == completion.text
    usage = completion.usage
    assert usage.cost == 0.0 and usage.tokens_out > 100 and usage.tokens_in > 10 and usage.latency_s >= 0


# --------------------------------------------------------------------------- bets


async def test_bets_have_the_study_tags_and_rise_over_the_debate():
    sim = Simulator()
    opening, later = [], []
    for seed in range(30):
        req = speech_request("sim/b", seed=seed)
        req.purpose = "bet"
        first = (await sim.complete(req)).text
        assert re.fullmatch(r"<bet_logic_private>[^<]+</bet_logic_private>\n<bet_amount>\d{1,3}</bet_amount>", first)
        opening.append(int(re.search(r"<bet_amount>(\d+)", first).group(1)))
        history = "\n".join(f"Your earlier bet: <bet_amount>{70 + i}</bet_amount>" for i in range(3))
        req.messages = [*req.messages, Message("user", history)]
        later.append(int(re.search(r"<bet_amount>(\d+)", (await sim.complete(req)).text).group(1)))
    assert all(60 <= n <= 85 for n in opening)
    assert all(0 <= n <= 100 for n in later)
    assert sum(later) / 30 > sum(opening) / 30 + 5


# --------------------------------------------------------------------------- JSON


async def test_json_follows_the_schema():
    sim = Simulator()
    for seed in range(20):
        req = LLMRequest(
            "sim/judge",
            [Message("user", judge_prompt("A speech.", "Another speech."))],
            purpose="ballot",
            json_schema=BALLOT_SCHEMA,
            seed=seed,
        )
        data = json.loads((await sim.complete(req)).text)
        jsonschema.validate(data, BALLOT_SCHEMA)


@pytest.mark.parametrize("purpose", ["round_score", "ballot"])
async def test_judge_purposes_answer_json_even_without_a_schema(purpose):
    req = LLMRequest("sim/judge", [Message("user", judge_prompt("x", "y"))], purpose=purpose)
    data = json.loads((await Simulator().complete(req)).text)
    assert (
        ("pro" in data and "con" in data)
        if purpose == "round_score"
        else data["winner"] in ("Proposition", "Opposition")
    )


def test_judge_reads_both_sides_between_the_delimiters():
    strong = "Evidence shows that x changes real outcomes, and the record on y confirms it."
    weak = "I really think x is just wrong."
    assert judge_strengths(judge_prompt(strong, weak)) == (1.0, 0.0)
    assert judge_strengths("no speeches here") is None


async def test_stronger_debater_wins_more_often_by_the_sim_judge():
    sim = Simulator()
    pro_wins = pro_score = con_score = 0
    trials = 60
    for seed in range(trials):
        good = await speech("sim/good?skill=0.8", seed=seed)
        bad = await speech("sim/bad?skill=0.3", seed=seed)
        # the stronger side alternates, so a side bias cannot pass the test
        pro, con = (good, bad) if seed % 2 == 0 else (bad, good)
        req = LLMRequest(
            "sim/judge",
            [Message("user", judge_prompt(pro, con, f"n{seed}"))],
            purpose="ballot",
            json_schema=BALLOT_SCHEMA,
            seed=seed,
        )
        data = json.loads((await sim.complete(req)).text)
        good_side = "Proposition" if seed % 2 == 0 else "Opposition"
        pro_wins += data["winner"] == good_side
        scores = data["scores"]["argument"]
        pro_score += scores["pro"] if seed % 2 == 0 else scores["con"]
        con_score += scores["con"] if seed % 2 == 0 else scores["pro"]
        assert 50 <= data["confidence"] <= 95
    assert pro_wins / trials > 0.75
    assert pro_score > con_score


# --------------------------------------------------------------------------- agents


async def test_agent_purposes_give_short_plausible_text():
    sim = Simulator()
    outputs = {}
    for purpose in ("agent.searcher", "agent.analyzer", "agent.writer", "agent.reviewer", "other"):
        req = speech_request("sim/team")
        req.purpose = purpose
        outputs[purpose] = (await sim.complete(req)).text
    assert 2 <= len(outputs["agent.searcher"].splitlines()) <= 3
    assert outputs["agent.analyzer"].startswith("Plan:")
    assert len(outputs["agent.writer"].split()) >= 100
    assert outputs["agent.reviewer"] == "ACCEPT" or outputs["agent.reviewer"].startswith("REVISE: ")
    assert outputs["other"]


# --------------------------------------------------------------------------- faults and latency


async def test_fault_rate_roughly_matches_and_retries_recover():
    sim = Simulator()
    failures = malformed = 0
    n = 400
    for i in range(n):
        req = LLMRequest("sim/flaky?faults=0.3", [Message("user", f"Request {i} about {MOTION}")], purpose="ballot")
        try:
            text = (await sim.complete(req)).text
        except LLMError as exc:
            assert exc.transient
            failures += 1
            continue
        try:
            json.loads(text)
        except ValueError:
            malformed += 1
    assert 0.2 < (failures + malformed) / n < 0.4
    assert failures and malformed

    gateway = Gateway(backoff_base_s=0)
    for i in range(50):
        req = LLMRequest("sim/flaky?faults=0.3", [Message("user", f"Request {i}")], purpose="speech")
        await gateway.complete(req)  # 4 attempts at 30% each: a failure is rare enough to never see
    assert gateway.stats.retries > 0 and gateway.stats.calls == 50


async def test_faults_replay_for_a_fresh_simulator():
    async def outcomes() -> list[str]:
        sim, seen = Simulator(), []
        for i in range(40):
            req = LLMRequest("sim/flaky?faults=0.5&seed=3", [Message("user", f"r{i}")], purpose="speech")
            try:
                seen.append((await sim.complete(req)).text[:20])
            except LLMError as exc:
                seen.append(exc.kind)
        return seen

    assert await outcomes() == await outcomes()


async def test_latency_sleeps_and_the_timeout_applies():
    gateway = Gateway(max_retries=0)
    started = time.perf_counter()
    await gateway.complete(speech_request("sim/slow?latency=0.05"))
    assert time.perf_counter() - started >= 0.05
    req = speech_request("sim/slower?latency=5")
    req.timeout_s = 0.02
    with pytest.raises(CallTimeoutError):
        await gateway.complete(req)


async def test_concurrent_calls_are_fine():
    gateway = Gateway()
    results = await asyncio.gather(*(gateway.complete(speech_request("sim/c?latency=0.01", seed=i)) for i in range(50)))
    assert len({r.text for r in results}) == 50
    assert gateway.stats.calls == 50


async def test_answers_do_not_depend_on_the_delimiters_nonce():
    """The judges' nonce follows a debate's random id: keyed on it, the simulator would
    answer differently in every run of the same seed (planted study effects included)."""
    sim = Simulator()

    def request(nonce: str) -> LLMRequest:
        prompt = (
            f"Motion: This house would test.\n<<<SPEECH-{nonce} Proposition opening>>>\nWe win.\n"
            f"<<<END-{nonce}>>>\nIs the debate decided?"
        )
        return LLMRequest(model="sim/j?decides=0.5", messages=[Message("user", prompt)], purpose="break_check", seed=3)

    answers = {(await sim.complete(request(f"{i:016x}"))).text for i in range(8)}
    assert len(answers) == 1
