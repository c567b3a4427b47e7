"""litellm's custom provider `local`: routes `local/<name>` calls to `arena.llm.local`.

Imported by `litellm_bridge.load()` only, after litellm itself. litellm hands every
parameter it does not know to the handler in `optional_params`, which is how the
structured-output constraint arrives:

- `response_format={"type": "json_object", "schema": {...}}` (or the OpenAI
  `{"type": "json_schema", "json_schema": {"schema": {...}}}` shape) -> a JSON-schema grammar;
- `grammar="<GBNF text>"` (top-level kwarg or inside `extra_body`) -> a GBNF grammar.

Errors are raised as litellm exception classes, which litellm passes through unchanged,
so the gateway maps them like any provider's (unknown model -> bad request, prompt
too long -> context window).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import litellm
from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk

from arena.llm import local

PROVIDER = "local"


class LocalHandler(CustomLLM):
    """Sync and async, streaming and not: the four entry points litellm routes to."""

    def completion(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> Any:
        engine, chat, options = _prepare(model, messages, kwargs.get("optional_params") or {})
        try:
            result = engine.generate(chat, **options)
        except local.LocalModelError as exc:
            raise _as_litellm_error(exc, model) from exc
        return _fill(kwargs["model_response"], model, result)

    async def acompletion(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> Any:
        engine, chat, options = _prepare(model, messages, kwargs.get("optional_params") or {})
        try:
            result = await engine.agenerate(chat, **options)
        except local.LocalModelError as exc:
            raise _as_litellm_error(exc, model) from exc
        return _fill(kwargs["model_response"], model, result)

    def streaming(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> Iterator[GenericStreamingChunk]:
        engine, chat, options = _prepare(model, messages, kwargs.get("optional_params") or {})
        stream = engine.stream(chat, **options)
        try:
            for item in stream:
                yield _chunk(item)
        except local.LocalModelError as exc:
            raise _as_litellm_error(exc, model) from exc
        finally:
            stream.close()

    # litellm declares astreaming as a coroutine returning an iterator; it is called and
    # iterated as an async generator, which is what this is.
    async def astreaming(  # type: ignore[override]
        self, model: str, messages: list[Any], *args: Any, **kwargs: Any
    ) -> AsyncIterator[GenericStreamingChunk]:
        engine, chat, options = _prepare(model, messages, kwargs.get("optional_params") or {})
        stream = engine.astream(chat, **options)
        try:
            async for item in stream:
                yield _chunk(item)
        except local.LocalModelError as exc:
            raise _as_litellm_error(exc, model) from exc
        finally:
            await stream.aclose()


# --------------------------------------------------------------------------- translation


def _prepare(
    model: str, messages: list[Any], params: dict[str, Any]
) -> tuple[local.LocalModel, list[dict[str, Any]], dict[str, Any]]:
    try:
        engine = local.get_model(model)
    except local.LocalModelError as exc:
        raise _as_litellm_error(exc, model) from exc
    chat = [{"role": m.get("role", "user"), "content": local.as_text(m.get("content"))} for m in messages]
    extra_body = params.get("extra_body") or {}
    options: dict[str, Any] = {
        "max_tokens": int(params.get("max_tokens") or params.get("max_completion_tokens") or 256),
        "temperature": params.get("temperature"),
        "seed": params.get("seed"),
        "json_schema": _schema_of(params.get("response_format") or extra_body.get("response_format")),
        "grammar": params.get("grammar") or extra_body.get("grammar"),
        "avoid_copying": bool(params.get("avoid_copying") or extra_body.get("avoid_copying")),
    }
    return engine, chat, options


def _schema_of(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema in either response_format shape; plain json_object -> any JSON object."""
    if not isinstance(response_format, dict):
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        inner = response_format.get("json_schema") or {}
        return inner.get("schema") or {"type": "object"}
    if kind == "json_object":
        return response_format.get("schema") or {"type": "object"}
    return None


def _fill(model_response: Any, model: str, result: local.LocalResult) -> Any:
    model_response.choices[0].message.content = result.text
    model_response.choices[0].finish_reason = "length" if result.finish_reason == "length" else "stop"
    model_response.model = f"{PROVIDER}/{model}"
    model_response.created = int(time.time())
    model_response.usage = litellm.Usage(
        prompt_tokens=result.tokens_in,
        completion_tokens=result.tokens_out,
        total_tokens=result.tokens_in + result.tokens_out,
    )
    return model_response


def _chunk(item: str | local.LocalResult) -> GenericStreamingChunk:
    if isinstance(item, local.LocalResult):
        return {
            "text": "",
            "is_finished": True,
            "finish_reason": "length" if item.finish_reason == "length" else "stop",
            "usage": {
                "prompt_tokens": item.tokens_in,
                "completion_tokens": item.tokens_out,
                "total_tokens": item.tokens_in + item.tokens_out,
            },
            "index": 0,
            "tool_use": None,
        }
    return {"text": item, "is_finished": False, "finish_reason": "", "usage": None, "index": 0, "tool_use": None}


def _as_litellm_error(exc: local.LocalModelError, model: str) -> Exception:
    kind = litellm.ContextWindowExceededError if isinstance(exc, local.LocalContextError) else litellm.BadRequestError
    return kind(message=str(exc), model=f"{PROVIDER}/{model}", llm_provider=PROVIDER)
