"""What a failed model call means for the user, in one short line that says what to do.

litellm's messages are long, nested and name internals ("Ollama_chatException - Cannot
connect to host localhost:11434 ssl:<ssl.SSLContext …>"); the gateway replaces them with
these, keeping the kind of error (and whether it is transient) as it was.
"""

from __future__ import annotations

import os
import re

from arena.llm.litellm_bridge import NOT_UTF8
from arena.llm.preflight import OLLAMA, PROVIDER_KEYS, host_port, ollama_base, provider_of
from arena.llm.types import LLMError

_CONNECT = re.compile(r"connect|connection|refused|unreachable|name or service|getaddrinfo|resolve", re.I)
_UNKNOWN_MODEL = re.compile(r"model.*(not (?:found|exist)|does not exist|unknown)|no such model", re.I)


def advise(error: LLMError, model: str, api_base: str | None = None, timeout_s: float | None = None) -> str:
    """The one-line message for `error` (a call to `model`)."""
    from arena.redact import redact

    raw = redact(str(error))
    provider = provider_of(model)
    var = PROVIDER_KEYS.get(provider)
    base = api_base or (ollama_base() if provider in OLLAMA else None)
    where = host_port(base) if base else None
    shown = f"{where[0]}:{where[1]}" if where else (redact(base) if base else provider)
    if error.kind == "auth" and api_base and _has_user_info(api_base):
        return (
            f"{model}: api_base ({shown}) carries credentials (user:password@), which the client cannot send "
            f"beside the key's own header; remove them from api_base and give the key as {var or 'the provider key'}"
        )
    if error.kind == "bad_output" and NOT_UTF8 in raw:
        return (
            f"{model}: the server at {shown} answered, but {NOT_UTF8} ({_clip(raw.split(NOT_UTF8, 1)[1], 80).strip(' ()')}); "
            "is it an OpenAI-compatible server?"
        )
    if error.kind == "auth":
        if var and not os.environ.get(var) and not api_base:
            return f"{model}: set {var}, or pass api_base (arena.toml) for a local server"
        return f"{model}: the provider refused the credentials; check {var or 'the API key'}"
    if error.kind == "unavailable" and (_CONNECT.search(raw) or error.status_code is None):
        if provider in OLLAMA:
            return f"{model}: could not reach Ollama at {shown}: is `ollama serve` running?"
        if api_base:
            return f"{model}: could not reach the server at {shown}: is it running?"
        return f"{model}: could not reach {provider}; check the network ({_clip(raw)})"
    if error.kind == "unavailable":
        return f"{model}: the server at {shown} failed (HTTP {error.status_code}); try again later ({_clip(raw)})"
    if error.kind == "rate_limit":
        return f"{model}: rate limited by {provider}; wait, or lower --concurrency / --per-model-concurrency"
    if error.kind == "timeout":
        from arena.llm.timeouts import for_call

        within = f" within {timeout_s:g} s" if timeout_s else ""
        hint = for_call(model, api_base).total.hint("timeout")
        return f"{model}: no answer{within} from {shown} (the timeout of one attempt); is the server overloaded? {hint}"
    if error.kind == "context_too_long":
        return f"{model}: the debate no longer fits its context window; use a shorter format or lower word limits"
    if error.kind == "bad_request" and _UNKNOWN_MODEL.search(raw):
        return f"{model}: {provider} does not know this model; check its name ({_clip(raw)})"
    if error.kind == "bad_output":
        return f"{model}: {_clip(raw, 200)}"
    return f"{model}: {error.kind.replace('_', ' ')}: {_clip(raw, 200)}"


def _has_user_info(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return bool(parts.username or parts.password)
    except ValueError:
        return "@" in url.partition("//")[2].partition("/")[0]


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
