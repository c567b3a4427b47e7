"""The gateway over litellm: retries, error kinds, usage, quiet failures, lazy import."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest

from arena.llm import litellm_bridge
from arena.llm.gateway import Gateway, default_gateway
from arena.llm.types import (
    AuthError,
    BadRequestError,
    CallTimeoutError,
    ContextTooLongError,
    LLMError,
    LLMRequest,
    Message,
    RateLimitError,
    UnavailableError,
)

# litellm's background success logging is left pending when a test's event loop closes.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine 'Logging.async_success_handler':RuntimeWarning")

litellm = litellm_bridge.load()

MESSAGES = [Message("system", "You judge debates."), Message("user", "Who won?")]


def request(model: str = "openai/gpt-4o-mini", **kw) -> LLMRequest:
    return LLMRequest(model=model, messages=list(MESSAGES), **kw)


def mocked(answer: str, model: str = "openai/gpt-4o-mini", **kw) -> LLMRequest:
    return request(model, extra={"mock_response": answer}, **kw)


class FakeProvider:
    """Stands in for `litellm.acompletion`: raises the queued errors, then answers."""

    def __init__(self, *errors: BaseException, delay: float = 0.0) -> None:
        self.errors = list(errors)
        self.delay = delay
        self.calls: list[dict] = []

    async def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.errors:
            raise self.errors.pop(0)
        return litellm.ModelResponse(
            choices=[{"message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
            usage={"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8},
        )


@pytest.fixture
def provider(monkeypatch):
    def install(*errors: BaseException, delay: float = 0.0) -> FakeProvider:
        fake = FakeProvider(*errors, delay=delay)
        monkeypatch.setattr(litellm, "acompletion", fake)
        return fake

    return install


def rate_limited() -> Exception:
    return litellm.RateLimitError(message="slow down", llm_provider="openai", model="gpt-4o-mini")


# --------------------------------------------------------------------------- import hygiene


def test_importing_the_gateway_does_not_import_litellm():
    code = (
        "import sys, arena.llm, arena.llm.gateway, arena.llm.simulator, arena.llm.local; "
        "assert 'litellm' not in sys.modules, 'litellm imported'; "
        "assert 'llama_cpp' not in sys.modules, 'llama_cpp imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_sim_call_does_not_import_litellm():
    code = (
        "import asyncio, sys\n"
        "from arena.llm import Gateway, LLMRequest, Message\n"
        "asyncio.run(Gateway().complete(LLMRequest('sim/a', [Message('user', 'hi')], purpose='speech')))\n"
        "assert 'litellm' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- answers and usage


async def test_mock_response_returns_text_and_usage():
    gateway = Gateway()
    completion = await gateway.complete(mocked("The Proposition won."))
    usage = completion.usage
    assert completion.text == "The Proposition won."
    assert usage.tokens_in > 0 and usage.tokens_out > 0
    assert usage.latency_s > 0 and usage.retries == 0
    assert usage.cost is None or isinstance(usage.cost, float)
    assert gateway.stats.calls == 1 and gateway.stats.tokens_out == usage.tokens_out


async def test_unknown_price_is_none_not_an_error():
    completion = await Gateway().complete(mocked("ok", model="openai/some-private-finetune"))
    assert completion.text == "ok" and completion.usage.cost is None


async def test_streaming_sends_pieces_and_counts_tokens():
    pieces: list[str] = []
    completion = await Gateway().complete(mocked("one two three four"), on_token=pieces.append)
    assert "".join(pieces) == completion.text == "one two three four"
    assert len(pieces) > 1
    assert completion.usage.tokens_in > 0 and completion.usage.tokens_out > 0


# --------------------------------------------------------------------------- retries


async def test_rate_limit_is_retried_then_succeeds(provider):
    fake = provider(rate_limited(), rate_limited())
    gateway = Gateway(backoff_base_s=0.001)
    completion = await gateway.complete(request())
    assert completion.text == "fine"
    assert completion.usage.retries == 2 and len(fake.calls) == 3
    assert gateway.stats.retries == 2 and gateway.stats.calls == 1
    # the gateway owns retries: litellm and the OpenAI client must not add their own
    assert fake.calls[0]["num_retries"] == 0 and fake.calls[0]["max_retries"] == 0


async def test_retries_are_bounded(provider):
    fake = provider(*[rate_limited() for _ in range(10)])
    with pytest.raises(RateLimitError) as caught:
        await Gateway(max_retries=2, backoff_base_s=0).complete(request())
    assert len(fake.calls) == 3 and caught.value.retries == 2


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    gateway = Gateway(backoff_base_s=0.5, backoff_max_s=4.0)
    for retry, nominal in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (10, 4.0)]:
        delays = [gateway.backoff_delay(retry) for _ in range(50)]
        assert all(0.5 * nominal <= d < 1.5 * nominal for d in delays)
        assert len(set(delays)) > 1  # jitter


@pytest.mark.parametrize(
    "error",
    [
        litellm.AuthenticationError(message="bad key", llm_provider="openai", model="gpt-4o-mini"),
        litellm.BadRequestError(message="bad param", llm_provider="openai", model="gpt-4o-mini"),
        litellm.ContextWindowExceededError(message="too long", llm_provider="openai", model="gpt-4o-mini"),
    ],
)
async def test_permanent_errors_are_not_retried(provider, error):
    fake = provider(error)
    with pytest.raises(LLMError) as caught:
        await Gateway(backoff_base_s=0).complete(request())
    assert len(fake.calls) == 1 and not caught.value.transient and caught.value.retries == 0


async def test_a_slow_call_times_out_and_is_retried(provider):
    fake = provider(delay=1.0)
    with pytest.raises(CallTimeoutError) as caught:
        await Gateway(max_retries=1, backoff_base_s=0).complete(request(timeout_s=0.02))
    assert len(fake.calls) == 2 and caught.value.retries == 1
    assert fake.calls[0]["timeout"] == 0.02


async def test_mock_errors_through_litellm_map_to_kinds():
    gateway = Gateway(max_retries=1, backoff_base_s=0)
    with pytest.raises(RateLimitError):
        await gateway.complete(mocked("litellm.RateLimitError"))
    with pytest.raises(ContextTooLongError):
        await gateway.complete(mocked("litellm.ContextWindowExceededError"))
    with pytest.raises(UnavailableError):
        await gateway.complete(mocked("litellm.InternalServerError"))
    assert gateway.stats.failures == 3 and gateway.stats.retries == 2


# --------------------------------------------------------------------------- error mapping


class StatusError(Exception):
    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequestError),
        (401, AuthError),
        (403, AuthError),
        (404, BadRequestError),
        (408, CallTimeoutError),
        (429, RateLimitError),
        (500, UnavailableError),
        (502, UnavailableError),
        (503, UnavailableError),
        (529, UnavailableError),
    ],
)
def test_status_codes_map_to_kinds(status, kind):
    error = litellm_bridge.to_llm_error(StatusError(status), "m")
    assert type(error) is kind and error.status_code == status and error.model == "m"


def test_litellm_classes_map_to_kinds():
    req = httpx.Request("POST", "http://x")
    cases = [
        (litellm.Timeout(message="t", model="m", llm_provider="openai"), CallTimeoutError),
        (
            litellm.APIConnectionError(message="refused", llm_provider="openai", model="m", request=req),
            UnavailableError,
        ),
        (litellm.ServiceUnavailableError(message="down", llm_provider="openai", model="m"), UnavailableError),
        (
            litellm.PermissionDeniedError(
                message="no", llm_provider="openai", model="m", response=httpx.Response(403, request=req)
            ),
            AuthError,
        ),
        (litellm.ContextWindowExceededError(message="long", llm_provider="openai", model="m"), ContextTooLongError),
        (litellm.NotFoundError(message="no such model", llm_provider="openai", model="m"), BadRequestError),
        (TimeoutError(), CallTimeoutError),
        (ValueError("strange"), LLMError),
    ]
    for exc, kind in cases:
        assert type(litellm_bridge.to_llm_error(exc, "m")) is kind, exc
    # litellm reports a missing key as a server error; it is an auth problem all the same
    missing = litellm.InternalServerError(
        message="OpenAIException - Missing credentials.", llm_provider="openai", model="m"
    )
    assert isinstance(litellm_bridge.to_llm_error(missing, "m"), AuthError)


# --------------------------------------------------------------------------- quiet failures


async def test_failures_print_nothing_on_stdout(capfd):
    gateway = Gateway(max_retries=1, backoff_base_s=0)
    for answer in ("litellm.InternalServerError", "litellm.RateLimitError"):
        with pytest.raises(LLMError):
            await gateway.complete(mocked(answer))
    with pytest.raises(AuthError):  # no key in the environment: a real failure path of litellm
        await gateway.complete(request("anthropic/claude-3-5-haiku-20241022", timeout_s=5))
    out, _ = capfd.readouterr()
    assert out == ""


# --------------------------------------------------------------------------- request shape


SCHEMA = {
    "type": "object",
    "properties": {"winner": {"type": "string", "enum": ["Proposition", "Opposition"]}},
    "required": ["winner"],
    "additionalProperties": False,
}


async def test_json_schema_becomes_the_right_response_format(provider, monkeypatch):
    fake = provider()
    gateway = Gateway()
    monkeypatch.setattr(litellm_bridge, "_schema_support", {"ollama_chat/llama3": "json_object", "weird/x": None})
    await gateway.complete(request("openai/gpt-4o", json_schema=SCHEMA, purpose="ballot"))
    await gateway.complete(request("ollama_chat/llama3", json_schema=SCHEMA))
    await gateway.complete(request("weird/x", json_schema=SCHEMA))
    await gateway.complete(request("local/smollm2", json_schema=SCHEMA, grammar='root ::= "x"'))
    strict, loose, none, local = (call.get("response_format") for call in fake.calls)
    assert strict == {"type": "json_schema", "json_schema": {"name": "ballot", "schema": SCHEMA, "strict": True}}
    assert loose == {"type": "json_object"}
    assert none is None
    assert local == {"type": "json_object", "schema": SCHEMA}
    assert fake.calls[3]["grammar"] == 'root ::= "x"' and "grammar" not in fake.calls[0]


async def test_optional_fields_turn_strict_mode_off(provider):
    fake = provider()
    loose_schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "required": ["a"],
    }
    await Gateway().complete(request("openai/gpt-4o", json_schema=loose_schema))
    assert fake.calls[0]["response_format"]["json_schema"]["strict"] is False


async def test_parameters_pass_through(provider):
    fake = provider()
    await Gateway().complete(
        request(
            "openai/my-model",
            temperature=0.3,
            seed=7,
            max_tokens=99,
            api_base="http://127.0.0.1:8000/v1",
            extra={"top_p": 0.9},
        )
    )
    call = fake.calls[0]
    assert (call["temperature"], call["seed"], call["max_tokens"], call["top_p"]) == (0.3, 7, 99, 0.9)
    assert call["api_base"] == "http://127.0.0.1:8000/v1"
    assert call["messages"] == [m.as_dict() for m in MESSAGES]


def test_default_gateway_is_a_singleton():
    assert default_gateway() is default_gateway()


async def test_a_ballot_must_give_a_reason_where_the_schema_is_a_grammar(provider):
    # an empty "reasons" voids a ballot (issue 11); the embedded model and a llama.cpp
    # server turn the schema into a grammar, so its minLength keeps them from writing one.
    # Hosted providers' strict modes refuse length bounds, so they never see them.
    from arena.debate.judging import BALLOT_SCHEMA

    assert BALLOT_SCHEMA["properties"]["reasons"]["minLength"] >= 10
    fake = provider()
    await Gateway().complete(request("openai/smollm2", json_schema=BALLOT_SCHEMA, api_base="http://127.0.0.1:8080/v1"))
    await Gateway().complete(request("openai/gpt-4o", json_schema=BALLOT_SCHEMA, purpose="ballot"))
    server, hosted = (call["response_format"] for call in fake.calls)
    assert server["schema"]["properties"]["reasons"]["minLength"] >= 10
    assert "minLength" not in hosted["json_schema"]["schema"]["properties"]["reasons"]


async def test_the_embedded_model_is_slow_on_a_busy_machine_not_hung(provider):
    # a call to the in-process model that outlasts the request's timeout but stays within
    # its per-token budget finishes, with no retry (a retry would start from nothing)
    from arena.llm import gateway as gw

    fake = provider(delay=0.3)
    req = request("local/smollm2", timeout_s=0.05, max_tokens=100)
    assert gw.attempt_timeout(req) == 100 * gw.LOCAL_S_PER_TOKEN
    completion = await Gateway(max_retries=2, backoff_base_s=0).complete(req)
    assert completion.text == "fine" and completion.usage.retries == 0 and len(fake.calls) == 1
    assert fake.calls[0]["timeout"] == 100 * gw.LOCAL_S_PER_TOKEN
    assert gw.attempt_timeout(request("openai/gpt-4o-mini", timeout_s=30, max_tokens=100)) == 30  # others as asked
