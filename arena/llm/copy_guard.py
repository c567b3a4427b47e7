"""Copying blocked while sampling: a DRY-like penalty on runs taken from the prompt.

A 135M model hands back whatever text stands in its context (the opponent's speech,
the transcript's delimiters). llama-cpp-python 0.3.36 offers repeat, presence and
frequency penalties (single tokens, the last 64 only), `logit_bias` (fixed tokens) and
`logits_processor`; its high-level API has no DRY sampler. This is one as a logits
processor ("Don't Repeat Yourself", p-e-w's sampler in text-generation-webui and
llama.cpp), with the prompt as the text not to repeat: when the last `m` generated
tokens (m >= `allowed`) stand somewhere in the prompt, the token that followed them
there loses `multiplier * base ** (m - allowed)` from its logit. A run of a few tokens
("of the") costs little; a copied sentence becomes impossible within a few tokens.

Cost: one pass over the prompt per generation to index it, then per token a look-up of
the last token's places in the prompt and a short backward match from each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

LONGEST = 24  # matches longer than this are penalised as this long (the penalty is huge by then)


@dataclass(frozen=True)
class CopyGuardSettings:
    allowed: int = 2  # tokens that may be repeated before the penalty starts
    multiplier: float = 1.5
    base: float = 2.0


# The same for llama.cpp's own server (`openai/...` on an api_base), whose DRY sampler takes
# these in the request body; -1: the whole context is the text not to repeat.
_DEFAULT = CopyGuardSettings()
SERVER_DRY: dict[str, float | int] = {
    "dry_multiplier": _DEFAULT.multiplier,
    "dry_base": _DEFAULT.base,
    "dry_allowed_length": _DEFAULT.allowed,
    "dry_penalty_last_n": -1,
}


class CopyGuard:
    """A llama-cpp-python logits processor: `guard(input_ids, scores) -> scores`.

    `input_ids` holds the prompt then the tokens generated so far; the first call sees the
    prompt alone, so its length marks where generation starts. One guard per generation."""

    def __init__(self, settings: CopyGuardSettings | None = None) -> None:
        self.settings = settings or CopyGuardSettings()
        self._prompt: list[int] | None = None
        self._places: dict[int, list[int]] = defaultdict(list)

    def penalties(self, ids: list[int]) -> dict[int, float]:
        """Token -> how much its logit loses, given the prompt then the generated `ids`."""
        if self._prompt is None:
            self._prompt = list(ids)
            for place, token in enumerate(self._prompt[:-1]):
                self._places[token].append(place)
        prompt = self._prompt
        generated = ids[len(prompt) :]
        if len(generated) < self.settings.allowed:
            return {}
        longest: dict[int, int] = {}
        last = generated[-1]
        for place in self._places.get(last, ()):
            # how many generated tokens, ending with the last one, match the prompt ending at `place`
            length = 1
            while (
                length < LONGEST
                and length < len(generated)
                and place - length >= 0
                and prompt[place - length] == generated[-1 - length]
            ):
                length += 1
            if length >= self.settings.allowed:
                follower = prompt[place + 1]
                longest[follower] = max(longest.get(follower, 0), length)
        s = self.settings
        return {token: s.multiplier * s.base ** (length - s.allowed) for token, length in longest.items()}

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        for token, penalty in self.penalties(input_ids.tolist()).items():
            scores[token] -= penalty
        return scores
