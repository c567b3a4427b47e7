"""Model calls: the gateway, the embedded local model and the simulator.

`from arena.llm import Gateway, LLMRequest, Message` is all the engine needs. Importing
this package is cheap: litellm and llama.cpp load on the first call that needs them.
"""

from arena.llm.gateway import Gateway, GatewayStats, default_gateway
from arena.llm.simulator import parse_sim_model, speech_strength
from arena.llm.types import (
    AuthError,
    BadOutputError,
    BadRequestError,
    CallTimeoutError,
    Completion,
    ContextTooLongError,
    LLMError,
    LLMRequest,
    Message,
    RateLimitError,
    TokenCallback,
    UnavailableError,
    Usage,
)

__all__ = [
    "AuthError",
    "BadOutputError",
    "BadRequestError",
    "CallTimeoutError",
    "Completion",
    "ContextTooLongError",
    "Gateway",
    "GatewayStats",
    "LLMError",
    "LLMRequest",
    "Message",
    "RateLimitError",
    "TokenCallback",
    "UnavailableError",
    "Usage",
    "default_gateway",
    "parse_sim_model",
    "speech_strength",
]
