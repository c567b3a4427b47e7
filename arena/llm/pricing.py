"""Prices per token, for estimates made before any call (a tournament's dry run).

The simulator and the embedded local model are free. Any other model is looked up in
litellm's bundled price table, loaded quietly through `litellm_bridge` (and only when
such a model is asked about, so a simulator dry run never pays litellm's import).
A model litellm does not know has no price: None, never a guess.
"""

from __future__ import annotations

from functools import lru_cache

from arena.llm.gateway import LOCAL_PREFIX
from arena.llm.simulator import PREFIX as SIM_PREFIX


@lru_cache(maxsize=256)
def price_per_token(model: str) -> tuple[float, float] | None:
    """(USD per input token, USD per output token), or None when the price is unknown."""
    if model.startswith((SIM_PREFIX, LOCAL_PREFIX)):
        return (0.0, 0.0)
    from arena.llm import litellm_bridge

    litellm = litellm_bridge.load()
    try:
        info = litellm.get_model_info(model)
    except Exception:  # litellm raises for a model missing from its table
        return None
    price_in, price_out = info.get("input_cost_per_token"), info.get("output_cost_per_token")
    if price_in is None or price_out is None:
        return None
    return float(price_in), float(price_out)
