"""Before a debate or a tournament starts: is every model it names callable at all?

Three checks, each a second at most, so a typo, a missing key or a server that is not
running fails at once with what to do, instead of a void debate twenty seconds later:
- litellm can route the name (a provider it has, or a bare name it places: `arena.llm.routes`);
- a hosted provider's key is in the environment (unless an `api_base` names a server);
- a local server (Ollama, an `api_base`) accepts a TCP connection.
No request is sent; litellm is imported only for a provider outside the common ones.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Environment variables litellm reads for the common providers (names only, never values).
PROVIDER_KEYS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "cohere": "COHERE_API_KEY",
    "xai": "XAI_API_KEY",
}
OLLAMA = ("ollama", "ollama_chat")
IN_PROCESS = ("sim", "local")
TIMEOUT_S = 1.0


@dataclass(frozen=True)
class Target:
    model: str
    api_base: str | None = None
    # who names it, for the message ("judge panel-a"); not part of what is checked
    label: str = field(default="", compare=False)

    @property
    def shown(self) -> str:
        return f"{self.label} ({self.model})" if self.label else self.model


def provider_of(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else "openai"


def ollama_base() -> str:
    return os.environ.get("OLLAMA_API_BASE") or os.environ.get("OLLAMA_HOST") or "http://localhost:11434"


def host_port(url: str) -> tuple[str, int] | None:
    if "://" not in url:
        url = f"http://{url}"
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return (parts.hostname, port) if parts.hostname else None


def reachable(url: str, timeout_s: float = TIMEOUT_S) -> bool:
    where = host_port(url)
    if where is None:
        return False
    try:
        with socket.create_connection(where, timeout=timeout_s):
            return True
    except OSError:
        return False


def missing_key(target: Target) -> str | None:
    """The environment variable a hosted model needs and lacks, if any."""
    provider = provider_of(target.model)
    if target.api_base or provider in IN_PROCESS or provider in OLLAMA:
        return None
    var = PROVIDER_KEYS.get(provider)
    return var if var and not os.environ.get(var) else None


def problems(targets: Iterable[Target], timeout_s: float = TIMEOUT_S) -> list[str]:
    """One actionable line per model that cannot be called; empty when all look callable."""
    out: list[str] = []
    seen: set[Target] = set()
    checked: dict[str, bool] = {}
    for target in targets:
        if target in seen:
            continue
        seen.add(target)
        provider = provider_of(target.model)
        if provider in IN_PROCESS:
            continue
        from arena.llm.routes import route_problem

        route = route_problem(target.model)  # a provider litellm does not have: no key or server helps
        if route:
            out.append(f"{target.shown}: {route}")
            continue
        var = missing_key(target)
        if var:
            out.append(
                f"{target.shown}: set {var} in the environment, or give it an api_base in arena.toml "
                "for a local server (no key needed then)"
            )
            continue
        base = target.api_base or (ollama_base() if provider in OLLAMA else None)
        if base is None:
            continue
        if base not in checked:
            checked[base] = reachable(base, timeout_s)
        if not checked[base]:
            out.append(unreachable_message(target.model, base, target.shown))
    return out


def unreachable_message(model: str, base: str, who: str = "") -> str:
    from arena.redact import redact

    where = host_port(base)
    shown = f"{where[0]}:{where[1]}" if where else redact(base)
    who = who or model
    if provider_of(model) in OLLAMA:
        return f"{who}: could not reach Ollama at {shown}: is `ollama serve` running?"
    return f"{who}: could not reach the server at {shown} (api_base {redact(base)}): is it running?"
