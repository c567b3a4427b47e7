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
- A group member's private opinion, a rater's stance of a post, a direct message's
  addressee, and the lines of a group discussion a member is shown (see the last section).
- A pairwise benchmark item (arena judges bench): the instruction and the two responses
  between `<<<NAME>>>` and `<<<END OF NAME>>>` lines, and the key line only a simulated
  judge is shown (see the section at the end).
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
# A whole delimiter line, up to its closing `>>>` (what a speech's cleaner removes as a line;
# a piece of one amid the speech's words is FOREIGN_MARKUP's).
WHOLE_DELIMITER_LINE = re.compile(rf"^[ \t]*{_OPENING}[^\n<>]*{DELIMITER_END}[ \t]*(?:\n|$)", re.MULTILINE)
# A delimiter's nonce: group 1 is the delimiter before it.
DELIMITER_NONCE = re.compile(rf"({_OPENING})[0-9a-f]{{{NONCE_LENGTH}}}")


# What no stored speech may hold, however a model mangled it (small models echo the prompt's
# markup and garble it: `<<<SPEECH_LEMBIA`, `[LINK] <A:SHOP_ROADING>`, a lone nonce):
# - a delimiter or a piece of one: two or more of `<`/`>` (or their neutralised forms)
#   with whatever word is glued to them, a bare `SPEECH-…`/`END-…`, a nonce-like hex run;
# - the quoted speech's attributes (`side="…"`, `stage="…"`, `round=N`);
# - a tag: `<word…>`/`</word>` (bet tags included), a chat template's role token `<|…|>`,
#   an upper-case tag in brackets (`[LINK]`), a transcript header `[Opposition opening]`.
_NEUTRAL = "‹›"
FOREIGN_MARKUP = re.compile(
    "|".join(
        [
            rf"[<>{_NEUTRAL}]{{2,}}/?[\w:.-]*(?:[ \t]+\w+=(?:\"[^\"\n]*\"|\S+))*(?:[ \t]*[>›]+)?(?-i:[A-Z0-9_]+\b)?[>›]*",
            r"(?-i:\b(?:SPEECH|END)[-_][\w-]*)",
            r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b",
            r"\b(?:side|stage)=\"[^\"\n]*\"?|\bround=\d+",
            r"<\|[\w-]{0,30}\|?>?|\|>",
            r"</?bet_\w*>?",  # a bet tag, or one cut short ("<bet_am")
            r"</?[A-Za-z_][\w:.-]*(?:[ \t]+\w+=(?:\"[^\"\n]*\"|\S+))*[ \t]*/?>",
            r"(?-i:\[[A-Z][A-Z0-9_:.-]*\])",
            r"\[\s*(?:Proposition|Opposition)\b[^\]\n]{0,40}\]",
        ]
    ),
    re.IGNORECASE,
)
# The header lines of the speech prompt (arena/prompts/speech.txt), echoed as a speech's own.
PROMPT_HEADER_LINE = re.compile(
    r"^[ \t]*(?:Motion|Information slide|Format|This speech|Your style)[ \t]*:[^\n]*(?:\n|$)", re.MULTILINE
)
# Role names a chat template writes on a line of their own after its role token.
ROLE_LINE = re.compile(r"^[ \t]*(?:system|user|assistant)[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)


def neutralise(text: str) -> str:
    """A speech must not be able to close its own quotation and talk to the judge."""
    return text.replace(DELIMITER_START, "‹‹‹").replace(DELIMITER_END, "›››")


def quote_speech(nonce: str, side: str, stage: str, round_no: int, text: str) -> str:
    """`text` as a quoted speech, `side` the label the reader knows the side by."""
    return (
        f'{SPEECH_OPENING}{nonce} side="{side}" stage="{stage}" round={round_no}{DELIMITER_END}\n'
        f"{neutralise(text)}\n{SPEECH_CLOSING}{nonce}{DELIMITER_END}"
    )


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


# --------------------------------------------------------------------------- group discussions

# A member's private opinion (arena group run): `<opinion>text</opinion>` and
# `<slider>N</slider>`, N a whole number 1-6 (1 strongly disagree … 6 strongly agree).
OPINION_TEXT_TAG = "opinion"
OPINION_SLIDER_TAG = "slider"
OPINION_SLIDER = re.compile(rf"<{OPINION_SLIDER_TAG}>\s*([0-9]{{1,2}})(?:\.\d+)?\s*</{OPINION_SLIDER_TAG}>", re.I)
OPINION_TEXT = re.compile(rf"<{OPINION_TEXT_TAG}>(.*?)</{OPINION_TEXT_TAG}>", re.IGNORECASE | re.DOTALL)
# A rater's stance of a public post: `<stance>N</stance>`, N 1-6 (a fraction allowed; 0: none).
STANCE_TAG = "stance"
STANCE_ANSWER = re.compile(rf"<{STANCE_TAG}>\s*([0-9]{{1,2}}(?:\.\d+)?)\s*</{STANCE_TAG}>", re.IGNORECASE)
# A direct message: a first line `TO: <member>` then the message, or `NONE` for no message.
MESSAGE_TO = re.compile(r"^\W*TO\s*:\s*(?:member\s+)?([A-Za-z0-9_-]{1,40})\b[ \t]*[:.-]?[ \t]*\n?", re.IGNORECASE)
NO_MESSAGE = "NONE"
# What a member is shown of the discussion, one line each (the engine writes them with
# `group_line`; the simulated members read them back):
#   Post by B (round 1): text
#   Message from C to you (round 1): text
#   Your private opinion (round 0): 4/6 - text
GROUP_POST = re.compile(r"^Post by (?P<member>[^\s(]+) \(round (?P<round>\d+)\): (?P<text>.*)$", re.MULTILINE)
GROUP_MESSAGE = re.compile(
    r"^Message from (?P<member>[^\s(]+) to you \(round (?P<round>\d+)\): (?P<text>.*)$", re.MULTILINE
)
GROUP_OWN_OPINION = re.compile(
    r"^Your private opinion \(round (?P<round>\d+)\): (?P<slider>[1-6])/6(?: - (?P<text>.*))?$", re.MULTILINE
)
# The post a stance rater reads, on the line after this one.
RATED_POST = "Post to rate:"


def one_line(text: str) -> str:
    """A post or message shown on a line of its own (it cannot start another line)."""
    return " ".join(text.split())


def opinion_answer(text: str, slider: int) -> str:
    return f"{tagged(OPINION_TEXT_TAG, text)}\n{tagged(OPINION_SLIDER_TAG, slider)}"


# --------------------------------------------------------------------------- QA sets as debates

# A QA item as a model is shown it (arena study qa): a line `Question: …`, then for a
# multiple-choice item one line per option `A. …`; the answer between `<answer>` tags
# (a letter for a multiple-choice item, else the answer's text).
QA_QUESTION = re.compile(r"^Question: (?P<text>.+)$", re.MULTILINE)
QA_OPTION = re.compile(r"^(?P<letter>[A-Z])\. (?P<text>.*)$", re.MULTILINE)
ANSWER_TAG = "answer"
QA_ANSWER = re.compile(rf"<{ANSWER_TAG}>\s*(.*?)\s*</{ANSWER_TAG}>", re.IGNORECASE | re.DOTALL)


# --------------------------------------------------------------------------- pairwise benchmarks

# A benchmark item as a judge is shown it (arena judges bench): the instruction and the two
# responses, each between a line `<<<NAME>>>` and a line `<<<END OF NAME>>>` (their own
# `<<<`/`>>>` neutralised); the answer is JSON, {"better": "A"} or {"better": "B"}.
BENCH_LABELS = ("A", "B")
BENCH_BLOCK = re.compile(
    rf"^{re.escape(DELIMITER_START)}(?P<name>INSTRUCTION|RESPONSE [AB]){re.escape(DELIMITER_END)}\n"
    rf"(?P<text>.*?)\n{re.escape(DELIMITER_START)}END OF (?P=name){re.escape(DELIMITER_END)}$",
    re.MULTILINE | re.DOTALL,
)
# Only a simulated judge's prompt carries the item's key and which label is the better
# response (by the file's label), on a line of its own: the simulator's planted accuracy
# needs it. A real judge is never shown it (arena/audit/bench_runner.py).
BENCH_SIM_KEY = re.compile(r"^Simulator key: item=(?P<item>[0-9a-f]+) better=(?P<better>[AB])$", re.MULTILINE)


def bench_block(name: str, text: str) -> str:
    return f"{DELIMITER_START}{name}{DELIMITER_END}\n{neutralise(text)}\n{DELIMITER_START}END OF {name}{DELIMITER_END}"


def bench_sim_key(item: str, better: str) -> str:
    return f"Simulator key: item={item} better={better}"
