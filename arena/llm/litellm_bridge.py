"""The one door to litellm: imported on the first real model call, never before.

Importing litellm costs seconds and, left to its defaults, it fetches a price list over
the network, prints banners on stdout and logs warnings. `load()` sets it up quietly:
the bundled price list, no debug banners, its loggers raised to ERROR, and the
embedded `local/...` provider registered. `to_llm_error` turns its exceptions into the
arena's `LLMError` kinds, by exception class first and HTTP status code second.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import warnings
from types import ModuleType
from typing import Any

from arena.llm.types import (
    AuthError,
    BadOutputError,
    BadRequestError,
    CallTimeoutError,
    ContextTooLongError,
    LLMError,
    RateLimitError,
    UnavailableError,
)

_QUIET_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "httpx")
_lock = threading.Lock()
_litellm: ModuleType | None = None


def loaded() -> bool:
    return _litellm is not None


def load() -> ModuleType:
    """Import and configure litellm once per process (thread-safe)."""
    global _litellm
    if _litellm is not None:
        return _litellm
    with _lock:
        if _litellm is None:
            # Without this litellm downloads its model price list at import time.
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            import litellm

            litellm.suppress_debug_info = True  # else "Give Feedback / Get Help" on stdout
            litellm.set_verbose = False
            for name in _QUIET_LOGGERS:
                logger = logging.getLogger(name)
                if logger.level < logging.ERROR:
                    logger.setLevel(logging.ERROR)
            # Coroutines litellm creates and drops on its own: success logging left behind
            # when a process runs several loops in turn (a CLI, tests), and a provider
            # call cancelled by our timeout before litellm awaited it. Python would warn
            # about each on stderr.
            for coroutine in ("Logging.async_success_handler", "LocalHandler.acompletion"):
                warnings.filterwarnings(
                    "ignore", message=f"coroutine '{coroutine}' was never awaited", category=RuntimeWarning
                )
            _register_local_provider(litellm)
            _litellm = litellm
    return _litellm


async def load_async() -> ModuleType:
    """`load()` off the event loop: the first import takes seconds."""
    if _litellm is not None:
        return _litellm
    return await asyncio.to_thread(load)


def _register_local_provider(litellm: Any) -> None:  # the module; its provider map is set at run time
    from arena.llm.local_provider import LocalHandler

    others = [item for item in litellm.custom_provider_map if item.get("provider") != "local"]
    litellm.custom_provider_map = [*others, {"provider": "local", "custom_handler": LocalHandler()}]


# --------------------------------------------------------------------------- capabilities

_schema_support: dict[str, str | None] = {}


def structured_output_mode(model: str) -> str | None:
    """How to ask `model` for JSON: "json_schema", "json_object" or None (just ask in the prompt)."""
    if model in _schema_support:
        return _schema_support[model]
    litellm = load()
    mode: str | None = None
    try:
        if litellm.supports_response_schema(model=model):
            mode = "json_schema"
        elif "response_format" in (litellm.get_supported_openai_params(model=model) or []):
            mode = "json_object"
    except Exception:  # unknown model or provider: litellm raises; the caller parses defensively
        mode = None
    _schema_support[model] = mode
    return mode


def cost_of(response: Any = None, *, model: str = "", tokens_in: int = 0, tokens_out: int = 0) -> float | None:
    """USD cost of a call, or None when litellm does not know the price (never raises)."""
    litellm = load()
    try:
        if response is not None:
            hidden = getattr(response, "_hidden_params", None) or {}
            if hidden.get("response_cost") is not None:
                return float(hidden["response_cost"])
            return float(litellm.completion_cost(completion_response=response))
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model, prompt_tokens=tokens_in, completion_tokens=tokens_out
        )
        return float(prompt_cost + completion_cost)
    except Exception:
        return None


def count_tokens(model: str, *, messages: list[dict[str, str]] | None = None, text: str | None = None) -> int:
    """Token count by litellm's tokenizer for `model` (a word estimate if that fails)."""
    litellm = load()
    try:
        if messages is not None:
            return int(litellm.token_counter(model=model, messages=messages))
        return int(litellm.token_counter(model=model, text=text or ""))
    except Exception:
        words = sum(len(m.get("content", "").split()) for m in messages) if messages else len((text or "").split())
        return round(words * 1.3)


# --------------------------------------------------------------------------- errors


def _short(exc: BaseException) -> str:
    # litellm messages can carry a whole traceback; the first line says what happened.
    from arena.redact import redact

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return redact(text)[:500]


# The HTTP client refuses, before sending anything, an api_base with user:password@ beside
# the key's Authorization header; litellm reports that as a server's HTTP 500.
_URL_CREDENTIALS = re.compile(r"credentials encoded in URL|combine AUTHORIZATION header", re.I)
NOT_UTF8 = "the reply is not UTF-8 text"
_MISSING_KEY = re.compile(r"missing credentials|api[_ ]key (?:is )?(?:missing|not (?:set|found|provided))", re.I)


def to_llm_error(exc: BaseException, model: str) -> LLMError:
    """Map any exception raised by a litellm call to an `LLMError` kind."""
    if isinstance(exc, LLMError):
        return exc
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    message = _short(exc)
    kind: type[LLMError]
    undecodable = _undecodable(exc)
    if undecodable is not None:  # litellm calls it a connection error or an HTTP 500
        return BadOutputError(f"{NOT_UTF8} ({undecodable})", model=model, status_code=status)
    if _URL_CREDENTIALS.search(message):  # nothing was sent: a retry would fail the same way
        return AuthError(message, model=model)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        kind = CallTimeoutError
    elif _is(exc, "ContextWindowExceededError"):
        kind = ContextTooLongError
    elif _is(exc, "Timeout", "APITimeoutError", "TimeoutException") or status == 408:
        kind = CallTimeoutError
    elif _is(exc, "AuthenticationError", "PermissionDeniedError") or status in (401, 403):
        kind = AuthError
    elif _MISSING_KEY.search(message):  # litellm reports a missing key as a 500; retrying cannot help
        kind = AuthError
    elif _is(exc, "RateLimitError") or status == 429:
        kind = RateLimitError
    elif _is(exc, "APIConnectionError", "ServiceUnavailableError", "InternalServerError", "BadGatewayError"):
        kind = UnavailableError
    elif status is not None and status >= 500:
        kind = UnavailableError
    elif _is(exc, "BadRequestError", "NotFoundError", "UnprocessableEntityError") or (
        status is not None and 400 <= status < 500
    ):
        kind = BadRequestError
    elif isinstance(exc, (ConnectionError, OSError)):
        kind = UnavailableError
    else:
        kind = LLMError
    return kind(message, model=model, status_code=status)


def _undecodable(exc: BaseException) -> str | None:
    """What was wrong, when `exc` (or what caused it) is a reply that is not UTF-8."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UnicodeDecodeError):
            return f"byte 0x{current.object[current.start]:02x} at position {current.start}: {current.reason}"
        current = current.__cause__ or current.__context__
    found = re.search(r"'utf-8' codec can't decode byte (0x[0-9a-f]{2}) in position (\d+)", str(exc))
    return f"byte {found.group(1)} at position {found.group(2)}" if found else None


def _is(exc: BaseException, *class_names: str) -> bool:
    """True when `exc` is an instance of a litellm/openai exception class of that name.

    Matching by the names in the MRO keeps this usable before litellm is imported and
    covers the openai base classes litellm's exceptions derive from.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    return any(name in names for name in class_names)
