"""Secrets never stored or printed: `redact` replaces them in any text.

What counts as a secret: the value of every environment variable that holds a provider
key (names ending in _KEY, _TOKEN, _SECRET or _PASSWORD, e.g. OPENAI_API_KEY), an HTTP
`Bearer …` credential, `sk-…` style API keys, the user-info of a URL (`user:password@`
or a bare `TOKEN@`), the value of a key-like query parameter (`?key=…`, `api_key=…`,
`token=…`, …), and every secret arena.toml's `api_base` URLs carry (`remember_url`, called
when arena.toml is read), wherever that value turns up again (a server echoing it back).

`redact` is applied where text leaves the program's hands: the store's writes
(`store.store.Store.save_debate` passes the whole record through `redact_value`), the
model gateway's answers, and the terminal writer (`literal.echo`, `SafeConsole`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

MASK = "[redacted]"
_PATTERNS = (
    re.compile(r"\b(Bearer|BEARER|bearer|Basic)(\s+)[A-Za-z0-9._~+/=:-]{8,}"),
    re.compile(r"\b(?:sk|pk|rk|key|api|xai|gsk)-[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)\b(?:AIza)[A-Za-z0-9_-]{20,}"),
    re.compile(r"(?i)((?:api[_-]?key|x-api-key|access[_-]?token|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&}]{6,}"),
)
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@?#]*):[^/\s@?#]+@")
_URL_TOKEN = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@?#\[\]]+@")  # http://TOKEN@host
# A key-like query (or form) parameter and its value, e.g. ?key=…, &api_key=…, token=…
_QUERY_SECRET = re.compile(
    r"(?i)([?&;]|\b)((?:api[_-]?key|apikey|key|access[_-]?key|token|access[_-]?token|auth[_-]?token|"
    r"secret|client[_-]?secret|password|passwd|signature|x-api-key)=)[^\s&#\"'<>;(),\[\]]+?(?=[:.]?(?:[\s&#\"'<>;(),\[\]]|$))"
)
_KEY_PARAMS = re.compile(
    r"(?i)^(?:api[_-]?key|apikey|key|access[_-]?key|token|access[_-]?token|auth|auth[_-]?token|"
    r"secret|client[_-]?secret|password|passwd|pwd|sig|signature|x-api-key)$"
)
_remembered: set[str] = set()
_KEY_PREFIXES = ("sk-", "pk-", "rk-", "key-", "api-", "xai-", "gsk-")  # what _PATTERNS[1] starts with


_SECRET_SUFFIXES = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "CREDENTIAL", "CREDENTIALS")
_SECRET_ENDINGS = tuple(f"_{s}" for s in _SECRET_SUFFIXES)
_sorted: dict[frozenset[str], list[str]] = {}
_names: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (os.environ's names, the key-like ones) when last read


def _secret_name(name: str) -> bool:
    upper = name.upper()
    return upper in _SECRET_SUFFIXES or upper.endswith(_SECRET_ENDINGS)


def env_secrets() -> list[str]:
    """Values of the environment's key-like variables (longest first; short ones ignored),
    and the secrets remembered from arena.toml. Read afresh on each call (a test, or a
    user, may set a key at any time); sorted once per distinct set."""
    global _names
    environ = os.environ
    names = tuple(environ)  # ~4 µs for 40 variables; its length alone misses one gone and another come
    if _names[0] != names:
        _names = (names, tuple(k for k in names if _secret_name(k)))
    values = frozenset({v for k in _names[1] if len(v := environ.get(k) or "") >= 6} | _remembered)
    found = _sorted.get(values)
    if found is None:
        if len(_sorted) > 64:
            _sorted.clear()
        found = _sorted[values] = sorted(values, key=len, reverse=True)
    return found


def url_secrets(url: str | None) -> list[str]:
    """The secrets a URL carries: its user-info (user, password or bare token) and the
    values of its key-like query parameters."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    if not url:
        return []
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return []
    found: list[str] = []
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:  # `user:password` (the user name is no secret) or a bare `TOKEN`
        secret = userinfo.partition(":")[2] if ":" in userinfo else userinfo
        found += [secret, unquote(secret)]
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if _KEY_PARAMS.match(name):
            found.append(value)
    for raw in parts.query.split("&"):
        name, _, value = raw.partition("=")
        if _KEY_PARAMS.match(name) and value:
            found.append(value)
    return [v for v in dict.fromkeys(found) if len(v) >= 4]


def remember_url(url: str | None) -> None:
    """Know the secrets of `url` (an arena.toml api_base) from now on, wherever they appear."""
    _remembered.update(url_secrets(url))


def redact(text: str | None) -> str:
    """`text` with every secret replaced by [redacted]."""
    if not text:
        return text or ""
    for value in env_secrets():
        if value in text:
            text = text.replace(value, MASK)
    # Each pattern runs only when the text holds what it needs (a cheap substring test):
    # most text (a speech, a table) holds no secret, and the case-insensitive patterns cost
    # a tenth of a millisecond per kilobyte each.
    low = text.lower()
    if "://" in text:
        text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}{m.group(2)}:{MASK}@", text)
        text = _URL_TOKEN.sub(lambda m: m.group(0) if MASK in m.group(0) else f"{m.group(1)}{MASK}@", text)
    if "=" in text:
        text = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    if "bearer" in low or "basic" in low:
        text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    if any(prefix in text for prefix in _KEY_PREFIXES):
        text = _PATTERNS[1].sub(MASK, text)
    if "aiza" in low:
        text = _PATTERNS[2].sub(MASK, text)
    if ("api" in low or "access" in low or "authorization" in low) and (":" in text or "=" in text):
        text = _PATTERNS[3].sub(lambda m: f"{m.group(1)}{MASK}", text)
    return text


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """A copy of `value` (dataclasses, lists, tuples, dicts of them) with `fn` applied to
    every string in it: the walk that every cleaning pass over a record shares (secrets
    here, terminal text and Unicode repair in `arena.literal`)."""
    import dataclasses

    if isinstance(value, str):
        return fn(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: map_strings(getattr(value, f.name), fn) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, tuple):
        return tuple(map_strings(v, fn) for v in value)
    if isinstance(value, dict):
        return {map_strings(k, fn): map_strings(v, fn) for k, v in value.items()}
    return value


def redact_value(value: Any) -> Any:
    """A copy of `value` (dataclasses, lists, tuples, dicts of them) with every string redacted."""
    return map_strings(value, redact)


def redact_url(url: str | None) -> str | None:
    """A URL with its password (if any) masked; None stays None."""
    return None if url is None else redact(url)


# A secret that may run over a line break: `Bearer`/`Basic` then whitespace then the token,
# or a key-like name then `:`/`=` with whitespace around (the two patterns above that allow
# `\s`). Every other pattern stops at whitespace. No word boundary is asked for: the text
# is looked at before other secrets in it are masked, which may make one.
_NAME_AT_END = re.compile(r"(?i)(?:bearer|basic|api[_-]?key|x-api-key|access[_-]?token|authorization)$")


def may_cut_after(before: str) -> bool:
    """Whether text may be cut at a line break right after `before` and each side redacted
    on its own, with the same result as redacting the whole: no pattern can straddle the
    cut (see also `secrets_hold_line_breaks`). The call log redacts each line of a prompt
    once, not every prompt whole (`store.call_log`)."""
    tail = before.rstrip()  # what may come between a name and its value, from the end:
    tail = tail[:-1].rstrip() if tail.endswith(("'", '"')) else tail  # a quote,
    tail = tail[:-1].rstrip() if tail.endswith((":", "=")) else tail  # `:` or `=`,
    tail = tail[:-1] if tail.endswith(("'", '"')) else tail  # a quote after the name
    return _NAME_AT_END.search(tail[-16:]) is None


def secrets_hold_line_breaks() -> bool:
    """A known secret value with a line break in it (a PEM key in an environment variable):
    then no cut at a line break is safe."""
    return any("\n" in value or "\r" in value for value in env_secrets())
