"""Which side a speech says it argues: a rule, not a model.

A debater that argues the other side mostly says so: "we oppose the motion", "as the
Opposition, we…", "I support this motion" (a small model that copied its opponent's
speech says its opponent's words). The rule reads those explicit declarations only; a
negation before the verb turns one around ("we do not support the motion" is
Opposition). A speech is off-side when it declares the other side more often than its
own. It never guesses from the arguments themselves: a speech that declares nothing is
never flagged (a missed off-side speech costs less than a wrongly flagged one, and
asking the embedded 135M model a yes/no about stance is a coin toss that costs a call).
"""

from __future__ import annotations

import re

from arena.debate.records import Side

_NOT = r"(?P<neg>(?:do|does|did|can|could|will|would|should)\s*(?:not|n't)\s+|never\s+|cannot\s+)?"
_ADVERB = r"(?:strongly\s+|firmly\s+|fully\s+|therefore\s+|also\s+|still\s+|clearly\s+)?"
_MOTION = r"(?:this|the|today's)\s+(?:motion|resolution|proposal)"
_FOR = r"support|agree\s+with|argue\s+for|stand\s+(?:for|with|behind)|defend|back|propose|favou?r|endorse"
_AGAINST = r"oppose|disagree\s+with|argue\s+against|reject|stand\s+against|challenge|refute"
_SPEAKER = r"\b(?:I|we)\s+(?:am\s+|are\s+)?"

# (pattern, the side it declares when not negated)
_RULES: tuple[tuple[str, Side], ...] = (
    (rf"{_SPEAKER}{_NOT}{_ADVERB}(?:{_FOR})\s+{_MOTION}", "pro"),
    (rf"{_SPEAKER}{_NOT}{_ADVERB}(?:{_AGAINST})\s+{_MOTION}", "con"),
    (rf"{_SPEAKER}{_NOT}{_ADVERB}(?:in\s+favou?r\s+of)\s+{_MOTION}", "pro"),
    (rf"{_SPEAKER}{_NOT}{_ADVERB}against\s+{_MOTION}", "con"),
    (r"\b(?:as|on\s+behalf\s+of)\s+the\s+(?:proposition|government|affirmative)\b", "pro"),
    (r"\b(?:as|on\s+behalf\s+of)\s+the\s+(?:opposition|negative)\b", "con"),
    (r"\bwe\s*,?\s+(?:on\s+)?the\s+(?:proposition|government|affirmative)\b", "pro"),
    (r"\bwe\s*,?\s+(?:on\s+)?the\s+(?:opposition|negative)\b", "con"),
    (rf"\b(?:vote|voting)\s+(?:for|in\s+favou?r\s+of)\s+{_MOTION}", "pro"),
    (rf"\b(?:vote|voting)\s+against\s+{_MOTION}", "con"),
)
_DECLARATIONS = tuple((re.compile(pattern, re.IGNORECASE), side) for pattern, side in _RULES)
_OTHER: dict[Side, Side] = {"pro": "con", "con": "pro"}
# "As the Opposition claims, …": a reference to a side, not a declaration of one's own.
_REPORTED = re.compile(r"\s*,?\s*(?:claims?|says?|said|argues?|argued|suggests?|would\s+have\s+you)\b", re.IGNORECASE)


def declarations(text: str) -> dict[Side, int]:
    """How often the speech declares each side."""
    counts: dict[Side, int] = {"pro": 0, "con": 0}
    for pattern, side in _DECLARATIONS:
        for match in pattern.finditer(text):
            if _REPORTED.match(text, match.end()):
                continue
            negated = "neg" in pattern.groupindex and match.group("neg")
            counts[_OTHER[side] if negated else side] += 1
    return counts


def argues_other_side(text: str, side: Side) -> bool:
    """Whether a speech for `side` declares the other side more often than its own."""
    counts = declarations(text)
    return counts[_OTHER[side]] > counts[side]
