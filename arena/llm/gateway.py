"""The gateway: every model call of the arena goes through `Gateway.complete`.

- `sim/...` models are answered by the simulator in-process: no litellm import, a few
  tens of microseconds of overhead per call.
- Everything else (`local/smollm2` included, through a custom litellm provider) goes to
  `litellm.acompletion`, imported on the first such call, off the event loop.

Every call has a timeout per attempt and, streamed, a stall timeout (time since the last
piece): `arena/llm/timeouts.py` says where they are set. Transient failures (rate limits,
timeouts, unavailable servers, streams cut off) are retried a bounded number of times
with exponential backoff and jitter, but a provider that timed out twice is hung and the
call fails then. Auth errors, too-long contexts and bad requests fail at once.
Each answer carries its usage: tokens, latency (all attempts), retries and cost
(None when litellm does not know the price).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import re
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from arena.literal import literal, valid_unicode
from arena.llm import limits, recorder, simulator, timeouts
from arena.llm.types import (
    ANSWER_NOTES,
    CallTimeoutError,
    Completion,
    EmptyAnswerError,
    LLMError,
    LLMRequest,
    StallError,
    StreamCutError,
    TokenCallback,
    Usage,
)
from arena.redact import redact

LOCAL_PREFIX = "local/"
# The embedded model runs in this process: on a busy machine it is slow, never hung (its
# tokens keep coming), and a timed-out generation retried starts again from nothing. So its
# calls get at least this long per token they may write (216 tokens took 402 s at a load
# of 4 on 2 cores, through 120-s timeouts and four retries, before this budget).
LOCAL_S_PER_TOKEN = 1.5


@dataclass
class GatewayStats:
    """Running totals for progress displays; `by_model` splits them per model string."""

    calls: int = 0  # calls that returned an answer
    failures: int = 0  # calls that raised after their retries
    retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0  # USD, of the calls whose price is known
    unpriced_calls: int = 0  # answered calls whose price is unknown
    latency_s: float = 0.0
    by_model: dict[str, Usage] = field(default_factory=dict)

    def record(self, usage: Usage) -> None:
        self.calls += 1
        self.retries += usage.retries
        self.tokens_in += usage.tokens_in
        self.tokens_out += usage.tokens_out
        self.latency_s += usage.latency_s
        if usage.cost is None:
            self.unpriced_calls += 1
        else:
            self.cost += usage.cost
        self.by_model.setdefault(usage.model, Usage(usage.model, cost=None)).add(usage)

    def snapshot(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failures": self.failures,
            "retries": self.retries,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": self.cost,
            "unpriced_calls": self.unpriced_calls,
            "latency_s": self.latency_s,
        }


class Gateway:
    """Calls models. One instance can serve many concurrent debates."""

    def __init__(
        self,
        *,
        max_retries: int = 3,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        sim: simulator.Simulator | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.stats = GatewayStats()
        self._sim = sim or simulator.Simulator()
        self._rng = rng or random.Random()
        self._local_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        timeouts.from_environment()  # a wrong ARENA_TIMEOUT is the user's to fix, before any call

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        """Answer `req`, streaming text pieces to `on_token` if given.

        If a streamed attempt fails midway and is retried, `on_token` hears the new
        attempt from its start: the returned `Completion.text` is the authority.
        Raises an `LLMError` kind once retries are spent or the error is not transient.
        """
        started = time.perf_counter()
        is_sim = req.model.startswith(simulator.PREFIX)
        if is_sim:
            simulator.parse_sim_model(req.model)  # a bad option is the caller's bug: fail now
        retries = timed_out = 0
        while True:
            try:
                async with limits.slot(req.model, req.api_base):
                    if is_sim:
                        completion = await self._attempt_sim(req, on_token)
                    else:
                        completion = await self._attempt_litellm(req, on_token)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure becomes an LLMError kind
                error = exc if isinstance(exc, LLMError) else _map_error(exc, req.model)
                timed_out += isinstance(error, CallTimeoutError)
                # A provider that timed out twice is hung: more attempts would only wait longer
                # (the simulator's timeouts are drawn faults; the embedded model is never hung).
                hung = timed_out >= 2 and not is_sim and not req.model.startswith(LOCAL_PREFIX)
                if not error.transient or retries >= self.max_retries or hung:
                    if error is not exc and not is_sim:
                        from arena.llm.advice import advise

                        error.args = (advise(error, req.model, req.api_base, attempt_timeout(req)),)
                    elif retries and isinstance(error, (StreamCutError, CallTimeoutError)):
                        error.args = (f"{error} (tried {retries + 1} times)",)
                    error.retries = retries
                    self.stats.failures += 1
                    self.stats.retries += retries
                    spent = Usage(req.model, latency_s=time.perf_counter() - started, retries=retries)
                    recorder.finished(req, "", spent, f"{error.kind}: {error}")
                    if error is exc:
                        raise
                    raise error from exc
            await asyncio.sleep(self.backoff_delay(retries))
            retries += 1
        completion = _clean_answer(completion, req.model)
        usage = completion.usage
        usage.retries = retries
        usage.latency_s = time.perf_counter() - started
        self.stats.record(usage)
        recorder.finished(req, completion.text, usage)
        return completion

    def backoff_delay(self, retry: int) -> float:
        """Exponential backoff with full jitter in [0.5, 1.5) of the nominal delay, capped."""
        nominal = min(self.backoff_max_s, self.backoff_base_s * (2**retry))
        return float(nominal * (0.5 + self._rng.random()))

    # ------------------------------------------------------------------ simulator

    async def _attempt_sim(self, req: LLMRequest, on_token: TokenCallback | None) -> Completion:
        if simulator.parse_sim_model(req.model).latency <= 0:
            return await self._sim.complete(req, on_token)  # instant: a timer would cost more than the call
        limit = attempt_timeout(req)
        try:
            async with asyncio.timeout(limit):
                return await self._sim.complete(req, on_token)
        except TimeoutError:
            raise CallTimeoutError(f"no answer within {limit:g} s", model=req.model) from None

    # ------------------------------------------------------------------ litellm

    async def _attempt_litellm(self, req: LLMRequest, on_token: TokenCallback | None) -> Completion:
        from arena.llm import litellm_bridge

        litellm = await litellm_bridge.load_async()
        kwargs = self._litellm_kwargs(req)
        if req.model.startswith(LOCAL_PREFIX):
            # One embedded model serves every debate in turn: wait for it outside the
            # timeout, which measures generation, not the queue in front of it.
            async with self._local_turn():
                return await self._timed_litellm(litellm, req, kwargs, on_token)
        return await self._timed_litellm(litellm, req, kwargs, on_token)

    def _local_turn(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._local_locks.get(loop)
        if lock is None:
            lock = self._local_locks[loop] = asyncio.Lock()
        return lock

    async def _timed_litellm(
        self, litellm: Any, req: LLMRequest, kwargs: dict[str, Any], on_token: TokenCallback | None
    ) -> Completion:
        limit = attempt_timeout(req)
        try:
            async with asyncio.timeout(limit):
                if on_token is None:
                    response = await litellm.acompletion(**kwargs)
                    completion = self._from_response(req, response)
                else:
                    completion = await self._stream(litellm, req, kwargs, on_token)
        except TimeoutError:
            raise CallTimeoutError(_timeout_message(req, "timeout", limit), model=req.model) from None
        if not completion.text.strip():
            raise EmptyAnswerError("the model gave an empty answer", model=req.model)
        if completion.cut_off:
            raise StreamCutError(
                "the answer was cut off before the model finished (its stream ended without a finish reason)",
                model=req.model,
            )
        return completion

    def _litellm_kwargs(self, req: LLMRequest) -> dict[str, Any]:
        from arena.llm import copy_guard, litellm_bridge

        is_local = req.model.startswith(LOCAL_PREFIX)
        kwargs: dict[str, Any] = {
            "model": req.model,
            "messages": [m.as_dict() for m in req.messages],
            "max_tokens": req.max_tokens,
            "timeout": attempt_timeout(req),
            # The gateway owns retries: litellm's and the OpenAI client's would multiply them.
            "num_retries": 0,
            "max_retries": 0,
            # A parameter a provider lacks (seed, stream_options, ...) is dropped, not fatal.
            "drop_params": True,
        }
        if req.temperature is not None:
            kwargs["temperature"] = req.temperature
        if req.seed is not None:
            kwargs["seed"] = req.seed
        if req.api_base:
            kwargs["api_base"] = req.api_base
            from arena.llm.preflight import Target, missing_key

            if missing_key(Target(req.model)):
                # A local OpenAI-compatible server needs no key, but the client insists on one.
                kwargs["api_key"] = "no-key-needed"
        own_server = bool(req.api_base) and req.model.startswith("openai/")
        if req.json_schema is not None:
            # The local handler turns the schema into a llama.cpp grammar, and so does llama.cpp's
            # OpenAI-compatible server on an api_base (other servers take json_object and
            # ignore the schema; litellm cannot know their models' abilities).
            if is_local or own_server:
                kwargs["response_format"] = {"type": "json_object", "schema": req.json_schema}
            else:
                mode = litellm_bridge.structured_output_mode(req.model)
                if mode == "json_schema":
                    schema = _without_length_limits(req.json_schema)
                    kwargs["response_format"] = {
                        "type": "json_schema",
                        "json_schema": {
                            "name": _schema_name(req),
                            "schema": schema,
                            "strict": _strict_compatible(schema),
                        },
                    }
                elif mode == "json_object":
                    kwargs["response_format"] = {"type": "json_object"}
        if req.grammar and is_local:
            kwargs["grammar"] = req.grammar  # reaches the handler in optional_params
        if req.avoid_copying and is_local:
            kwargs["avoid_copying"] = True  # reaches the handler in optional_params: copy_guard.py
        elif req.avoid_copying and own_server:
            # llama.cpp's server has the DRY sampler itself; the whole context is the text not to repeat.
            kwargs["extra_body"] = {**kwargs.get("extra_body", {}), **copy_guard.SERVER_DRY}
        kwargs.update(req.extra)
        return kwargs

    async def _stream(
        self, litellm: Any, req: LLMRequest, kwargs: dict[str, Any], on_token: TokenCallback
    ) -> Completion:
        from arena.llm import litellm_bridge

        stall = stall_timeout(req)
        try:
            async with _quiet_for(stall):
                stream = await litellm.acompletion(**kwargs, stream=True, stream_options={"include_usage": True})
        except TimeoutError:
            raise _stalled(req, stall) from None
        pieces: list[str] = []
        usage_block = None
        finish_reason = None
        async for chunk in _pieces(stream, req, stall, pieces):
            if getattr(chunk, "usage", None):
                usage_block = chunk.usage
            choices = getattr(chunk, "choices", None)
            if not choices:
                continue
            finish_reason = getattr(choices[0], "finish_reason", None) or finish_reason
            piece = getattr(choices[0].delta, "content", None)
            if piece:
                pieces.append(piece)  # cleaned whole in `complete`; the listener sees it safe now
                on_token(redact(literal(piece)))
        text = "".join(pieces)
        if usage_block is not None and (usage_block.prompt_tokens or usage_block.completion_tokens):
            tokens_in, tokens_out = int(usage_block.prompt_tokens or 0), int(usage_block.completion_tokens or 0)
        else:  # the provider did not report usage: count it ourselves
            tokens_in = litellm_bridge.count_tokens(req.model, messages=kwargs["messages"])
            tokens_out = litellm_bridge.count_tokens(req.model, text=text)
        if req.model.startswith(LOCAL_PREFIX):
            cost: float | None = 0.0
        else:
            cost = litellm_bridge.cost_of(model=req.model, tokens_in=tokens_in, tokens_out=tokens_out)
        # A server on api_base whose stream ends without saying why was cut off mid-answer.
        # litellm's stream wrapper adds a finish reason of its own at the end; what the
        # server sent is its `received_finish_reason`.
        if hasattr(stream, "received_finish_reason"):
            finish_reason = stream.received_finish_reason or getattr(stream, "intermittent_finish_reason", None)
        cut_off = bool(req.api_base) and finish_reason is None
        return Completion(text=text, usage=Usage(req.model, tokens_in, tokens_out, cost=cost), cut_off=cut_off)

    def _from_response(self, req: LLMRequest, response: Any) -> Completion:
        from arena.llm import litellm_bridge

        choices = getattr(response, "choices", None) or []
        message = getattr(choices[0], "message", None) if choices else None
        text = str(getattr(message, "content", None) or "")
        usage_block = getattr(response, "usage", None)
        tokens_in = int(getattr(usage_block, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage_block, "completion_tokens", 0) or 0)
        cost = 0.0 if req.model.startswith(LOCAL_PREFIX) else litellm_bridge.cost_of(response)
        return Completion(text=text, usage=Usage(req.model, tokens_in, tokens_out, cost=cost))


def _clean_answer(completion: Completion, model: str) -> Completion:
    """The edge where a provider's text enters the arena: unpaired surrogates replaced (and
    said through `ANSWER_NOTES`), escape sequences and controls removed, secrets masked."""
    text, surrogates = valid_unicode(completion.text)
    if surrogates:
        notes = ANSWER_NOTES.get()
        if notes is not None:
            notes.append(
                f"{model}: its answer held {surrogates} unpaired surrogate(s) (not valid Unicode); "
                "each was replaced by U+FFFD"
            )
    return dataclasses.replace(completion, text=redact(literal(text)))


def attempt_timeout(req: LLMRequest) -> float:
    """Seconds one attempt may take: the request's timeout (else the one set for its model,
    arena/llm/timeouts.py), or for the embedded model at least LOCAL_S_PER_TOKEN per token
    it may write."""
    total = req.timeout_s if req.timeout_s is not None else timeouts.for_call(req.model, req.api_base).total.seconds
    if req.model.startswith(LOCAL_PREFIX):
        return max(total, LOCAL_S_PER_TOKEN * req.max_tokens)
    return total


def stall_timeout(req: LLMRequest) -> float | None:
    """Seconds a stream may go without a piece; None for the embedded model (never hung)."""
    if req.model.startswith(LOCAL_PREFIX):
        return None
    return req.stall_s if req.stall_s is not None else timeouts.for_call(req.model, req.api_base).stall.seconds


def _timeout_message(req: LLMRequest, name: str, seconds: float) -> str:
    """Which timeout fired, for how long, and how to raise it (the void reason)."""
    setting = timeouts.for_call(req.model, req.api_base)
    which = setting.total if name == "timeout" else setting.stall
    given = (req.timeout_s if name == "timeout" else req.stall_s) is not None
    how = "" if given else f"; {which.hint(name)}"
    if name == "timeout":
        return f"no answer within {seconds:g} s (the {name} of one attempt){how}"
    return f"the stream went quiet for {seconds:g} s (the {name}, time since the last piece){how}"


def _quiet_for(seconds: float | None) -> Any:
    """A timer for one wait of a stream (none when there is no stall timeout)."""
    return asyncio.timeout(seconds) if seconds else contextlib.nullcontext()


def _stalled(req: LLMRequest, seconds: float | None) -> StallError:
    return StallError(_timeout_message(req, "stall_timeout", seconds or 0.0), model=req.model)


async def _pieces(stream: Any, req: LLMRequest, stall: float | None, pieces: list[str]) -> AsyncIterator[Any]:
    """The stream's chunks, each waited for at most `stall` seconds; a stream that breaks
    after some text is a cut (tried again), not whatever the transport called it."""
    iterator = stream.__aiter__()
    while True:
        try:
            async with _quiet_for(stall):
                chunk = await iterator.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise _stalled(req, stall) from None
        except (asyncio.CancelledError, LLMError):
            raise
        except Exception as exc:  # noqa: BLE001 - mapped below: a broken stream mid-answer
            if not pieces:
                raise
            error = _map_error(exc, req.model)
            raise StreamCutError(
                f"the stream broke off mid-answer ({error.kind.replace('_', ' ')}: {str(error)[:200]})", model=req.model
            ) from exc
        yield chunk


def _map_error(exc: BaseException, model: str) -> LLMError:
    from arena.llm import litellm_bridge

    return litellm_bridge.to_llm_error(exc, model)


def _schema_name(req: LLMRequest) -> str:
    title = str(req.json_schema.get("title", "") if req.json_schema else "") or req.purpose
    return re.sub(r"[^A-Za-z0-9_-]", "_", title)[:64] or "answer"


def _without_length_limits(schema: Any) -> Any:
    """String length bounds keep the local model's grammar finite; hosted providers'
    strict modes reject them, and their models stop on their own."""
    if isinstance(schema, dict):
        return {k: _without_length_limits(v) for k, v in schema.items() if k not in ("maxLength", "minLength")}
    if isinstance(schema, list):
        return [_without_length_limits(v) for v in schema]
    return schema


def _strict_compatible(schema: Any) -> bool:
    """OpenAI's strict mode needs every object closed and every property required."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            props = schema.get("properties", {})
            if schema.get("additionalProperties", True) is not False:
                return False
            if set(schema.get("required", [])) != set(props):
                return False
        return all(_strict_compatible(v) for v in schema.values())
    if isinstance(schema, list):
        return all(_strict_compatible(v) for v in schema)
    return True


_default: Gateway | None = None


def default_gateway() -> Gateway:
    """The process-wide gateway (shared stats, shared simulator memory)."""
    global _default
    if _default is None:
        _default = Gateway()
    return _default
