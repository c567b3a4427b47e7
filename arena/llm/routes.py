"""Which provider serves a model name, as litellm would route it: its provider list and
its price table, read lazily (through `litellm_bridge`, on the first name that is not a
provider everyone knows), so `arena --help` and the simulator never import litellm.

`route_problem` says why a model cannot be routed (an unknown provider prefix, a bare
name litellm does not place), with a suggestion; `qualified` turns a bare name litellm's
table knows (`gpt-4o-mini`) into provider/model (`openai/gpt-4o-mini`).
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from arena.llm import litellm_bridge

# Providers served without litellm's help, and common ones litellm certainly has: names
# with these prefixes are accepted without importing litellm.
IN_PROCESS = ("sim", "local")
COMMON = frozenset(
    {
        "openai",
        "anthropic",
        "gemini",
        "mistral",
        "groq",
        "together_ai",
        "openrouter",
        "deepseek",
        "cohere",
        "xai",
        "ollama",
        "ollama_chat",
        "hosted_vllm",
        "vllm",
        "azure",
        "bedrock",
        "vertex_ai",
        "huggingface",
        "lm_studio",
        "llamafile",
        "fireworks_ai",
        "perplexity",
    }
)


@lru_cache(maxsize=1)
def providers() -> frozenset[str]:
    """litellm's provider prefixes (`openai`, `ollama_chat`, `hosted_vllm`, …)."""
    litellm = litellm_bridge.load()
    return frozenset(str(getattr(p, "value", p)) for p in litellm.provider_list)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """model name -> provider prefix, from litellm's price table (providers it routes only)."""
    litellm = litellm_bridge.load()
    known = providers()
    out: dict[str, str] = {}
    for name, info in litellm.model_cost.items():
        provider = info.get("litellm_provider") if isinstance(info, dict) else None
        if isinstance(name, str) and isinstance(provider, str) and provider in known:
            out[name] = provider
    return out


def qualified(bare: str) -> str | None:
    """`bare` with the provider litellm's table gives it (`openai/gpt-4o-mini`), or None."""
    provider = _table().get(bare)
    if provider is None:
        return None
    return bare if bare.startswith(f"{provider}/") else f"{provider}/{bare}"


def _routes_bare(model: str) -> bool:
    litellm = litellm_bridge.load()
    try:
        litellm.get_llm_provider(model)
    except Exception:  # noqa: BLE001 - litellm raises its BadRequestError for a name it cannot place
        return False
    return True


def route_problem(model: str) -> str | None:
    """Why litellm could not route `model`, with what was probably meant; None if it can."""
    provider, slash, rest = model.partition("/")
    if slash and (provider in IN_PROCESS or provider in COMMON):
        return None
    if not slash:
        if _routes_bare(model):
            return None
        guess = qualified(model)
        if guess is None:
            close = difflib.get_close_matches(model, list(_table()), n=1, cutoff=0.8)
            guess = qualified(close[0]) if close else None
        hint = f"did you mean {guess!r}?" if guess else "write it as provider/model, e.g. openai/gpt-4o-mini"
        return f"no provider in model name {model!r}: {hint}"
    if provider in providers():
        return None
    guess = qualified(rest)
    close = difflib.get_close_matches(provider, sorted(providers()), n=1, cutoff=0.75)
    if guess:
        hint = f"did you mean {guess!r}?"
    elif close:
        hint = f"did you mean {close[0] + '/' + rest!r}?"
    else:
        hint = "expected one of litellm's providers, e.g. openai, anthropic, ollama_chat, hosted_vllm"
    return f"unknown provider {provider!r} in {model!r}: {hint}"
