"""The markers in the prompts, each defined once with the pattern that reads it.

The engine writes them (`debate/transcript.py` quotes speeches between delimiters,
`debate/bets.py` asks for the bet's tags) and the simulated models read them back
(`llm/simulator.py`, `llm/sim_judge.py`, `llm/sim_studies.py`); both import them from here,
at the bottom of the layers. The prompt files (`arena/prompts/*.txt`) describe them in
words to the models.

- A quoted speech: a line `<<<SPEECH-{nonce} side="…" stage="…" round=N>>>`, the speech
  (with any `<<<`/`>>>` of its own neutralised, so it cannot close its quotation), and a
  line `<<<END-{nonce}>>>`. The nonce is 16 hex digits no debater can predict.
- The private bet: `<bet_logic_private>reasoning</bet_logic_private>` and
  `<bet_amount>N</bet_amount>`, N a whole number 0-100.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- quoted speeches

DELIMITER_START = "<<<"
DELIMITER_END = ">>>"
SPEECH_OPENING = f"{DELIMITER_START}SPEECH-"  # then the nonce and the speech's attributes
SPEECH_CLOSING = f"{DELIMITER_START}END-"  # then the nonce
DELIMITER_OPENINGS = (SPEECH_OPENING, SPEECH_CLOSING)
NONCE_LENGTH = 16  # hex digits

_OPENING = "(?:" + "|".join(map(re.escape, DELIMITER_OPENINGS)) + ")"
# A whole quoted speech: groups `nonce`, `side` (the label shown), `text`.
QUOTED_SPEECH = re.compile(
    rf'^{re.escape(SPEECH_OPENING)}(?P<nonce>[^\s>]+) side="(?P<side>[^"]+)"[^\n]*{DELIMITER_END}\n'
    rf"(?P<text>.*?)\n{re.escape(SPEECH_CLOSING)}(?P=nonce){DELIMITER_END}",
    re.MULTILINE | re.DOTALL,
)
# A delimiter line, wherever it stands (a model that echoes the transcript writes them).
DELIMITER_LINE = re.compile(rf"^[ \t]*{_OPENING}[^\n]*\n?", re.MULTILINE)
# A delimiter's nonce: group 1 is the delimiter before it.
DELIMITER_NONCE = re.compile(rf"({_OPENING})[0-9a-f]{{{NONCE_LENGTH}}}")


def neutralise(text: str) -> str:
    """A speech must not be able to close its own quotation and talk to the judge."""
    return text.replace(DELIMITER_START, "‹‹‹").replace(DELIMITER_END, "›››")


def quote_speech(nonce: str, side: str, stage: str, round_no: int, text: str) -> str:
    """`text` as a quoted speech, `side` the label the reader knows the side by."""
    return (f'{SPEECH_OPENING}{nonce} side="{side}" stage="{stage}" round={round_no}{DELIMITER_END}\n'
            f"{neutralise(text)}\n{SPEECH_CLOSING}{nonce}{DELIMITER_END}")


# --------------------------------------------------------------------------- the private bet

BET_REASON_TAG = "bet_logic_private"
BET_AMOUNT_TAG = "bet_amount"
BET_TAGS = (BET_REASON_TAG, BET_AMOUNT_TAG)

# The amount (group 1: up to three digits; a fraction or a % sign is tolerated) and the reasoning.
BET_AMOUNT = re.compile(rf"<{BET_AMOUNT_TAG}>\s*(\d{{1,3}})(?:\.\d+)?\s*%?\s*</{BET_AMOUNT_TAG}>", re.IGNORECASE)
BET_REASON = re.compile(rf"<{BET_REASON_TAG}>(.*?)</{BET_REASON_TAG}>", re.IGNORECASE | re.DOTALL)


def opening_tag(tag: str) -> str:
    return f"<{tag}>"


def tagged(tag: str, text: object) -> str:
    return f"<{tag}>{text}</{tag}>"


def bet_answer(reasoning: str, amount: int) -> str:
    """A bet as the engine asks for it: the reasoning's tags, a newline, the amount's."""
    return f"{tagged(BET_REASON_TAG, reasoning)}\n{tagged(BET_AMOUNT_TAG, amount)}"
