"""Secrets never stored or printed: `redact` replaces them in any text.

What counts as a secret: the value of every environment variable that holds a provider
key (names ending in _KEY, _TOKEN, _SECRET or _PASSWORD, e.g. OPENAI_API_KEY), an HTTP
`Bearer …` credential, `sk-…` style API keys, and the `user:password@` part of a URL.
"""

from __future__ import annotations

import os
import re

MASK = "[redacted]"
_SECRET_ENV = re.compile(r"(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|CREDENTIALS?)$", re.I)
_PATTERNS = (
    re.compile(r"\b(Bearer|BEARER|bearer|Basic)(\s+)[A-Za-z0-9._~+/=:-]{8,}"),
    re.compile(r"\b(?:sk|pk|rk|key|api|xai|gsk)-[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)\b(?:AIza)[A-Za-z0-9_-]{20,}"),
    re.compile(r"(?i)((?:api[_-]?key|x-api-key|access[_-]?token|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&}]{6,}"),
)
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@?#]*):[^/\s@?#]+@")


def env_secrets() -> list[str]:
    """Values of the environment's key-like variables (longest first; short ones ignored)."""
    values = {v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 6}
    return sorted(values, key=len, reverse=True)


def redact(text: str | None) -> str:
    """`text` with every secret replaced by [redacted]."""
    if not text:
        return text or ""
    for value in env_secrets():
        if value in text:
            text = text.replace(value, MASK)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}{m.group(2)}:{MASK}@", text)
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _PATTERNS[1].sub(MASK, text)
    text = _PATTERNS[2].sub(MASK, text)
    text = _PATTERNS[3].sub(lambda m: f"{m.group(1)}{MASK}", text)
    return text


def redact_url(url: str | None) -> str | None:
    """A URL with its password (if any) masked; None stays None."""
    return None if url is None else redact(url)
