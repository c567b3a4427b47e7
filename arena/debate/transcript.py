"""How earlier speeches are shown: plainly to debaters, as delimited data to judges."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from arena.debate.records import SIDE_LABEL, Bet, Speech
from arena.prompt_markers import (
    BET_TAGS,
    DELIMITER_LINE,
    DELIMITER_OPENINGS,
    FOREIGN_MARKUP,
    NONCE_LENGTH,
    PROMPT_HEADER_LINE,
    ROLE_LINE,
    WHOLE_DELIMITER_LINE,
    neutralise,
    quote_speech,
)


def for_debater(speeches: Iterable[Speech]) -> str:
    """Earlier speeches as quoted data, like the judges get them: an opponent's speech cannot
    talk to the debater. The nonce hashes the speeches themselves, so no speech can
    predict the delimiters it will stand between (and `quote_speech` neutralises forged ones)."""
    from arena.debate.prompts import render

    shown = list(speeches)
    if not shown:
        return "No speeches have been given yet that you can see."
    nonce = hashlib.sha256("\x1f".join(["debater", *(s.text for s in shown)]).encode()).hexdigest()[:NONCE_LENGTH]
    return render("debater_transcript", nonce=nonce, blocks=for_judge(shown, nonce))


CLAIMS_PER_SPEECH = 3
CLAIM_WORDS = 12


def claims(text: str, most: int = CLAIMS_PER_SPEECH, words: int = CLAIM_WORDS) -> list[str]:
    """A speech's first few sentences of some length, each cut to a few words: what it
    claimed, short enough that a small model answers it rather than reciting it."""
    found: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        kept = sentence.split()
        if len(kept) < 4:
            continue
        claim = " ".join(kept[:words]).rstrip(",;:")
        found.append(claim + (" …" if len(kept) > words else ""))
        if len(found) == most:
            break
    return found


def claims_for_debater(speeches: Iterable[Speech], side: str) -> str:
    """Earlier speeches as short lists of claims, each labelled by whose it was, for a small
    model (which copies whatever stands in its context: a verbatim speech it recites).
    No delimiters or nonces to echo; the claims are cut short and neutralised."""
    from arena.debate.prompts import render

    blocks = []
    for s in speeches:
        who = f"Your side's {s.stage}" if s.side == side else f"The {SIDE_LABEL[s.side]}'s {s.stage} (the other side)"
        listed = "\n".join(f"- {neutralise(c)}" for c in claims(s.text)) or "- (nothing of substance)"
        blocks.append(f"{who} claimed:\n{listed}")
    if not blocks:
        return "No speeches have been given yet that you can see."
    return render("debater_claims", blocks="\n\n".join(blocks))


def public_bets(bets: Iterable[Bet]) -> str:
    lines = [f"- {SIDE_LABEL[b.side]} after its {b.stage}: {b.amount}" for b in bets if b.amount is not None]
    if not lines:
        return ""
    return "Bets are public in this debate. Confidence of winning stated so far:\n" + "\n".join(lines)


def judge_nonce(*parts: object) -> str:
    """A delimiter token debaters cannot predict: they never see the seed or their opponent's id."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:NONCE_LENGTH]


def for_judge(
    speeches: Iterable[Speech], nonce: str, swapped: bool = False, labels: dict[str, str] | None = None
) -> str:
    """Speeches as quoted data. Swapped: within each round the opposition is shown first.
    `labels`: the names the judge knows the sides by (neutral labels), else Proposition/Opposition."""
    names = labels or SIDE_LABEL
    ordered = list(speeches)
    if swapped:
        ordered.sort(key=lambda s: (s.round, 0 if s.side == "con" else 1, s.index))
    blocks = [quote_speech(nonce, names[s.side], s.stage, s.round, s.text) for s in ordered]
    return "\n\n".join(blocks)


def strip_bet_tags(text: str) -> str:
    """Remove any bet the debater wrote into its public speech (the bet's tags, from
    either tag to its closing tag or the end)."""
    for tag in BET_TAGS:
        text = re.sub(rf"<{tag}>.*?(</{tag}>|$)", "", text, flags=re.S | re.I)
    return text.strip()


_ECHOED_HEADER = re.compile(r"^\s*\[?(Proposition|Opposition)[^\n\]]{0,40}\](?:[ \t]*\n|\s*$)", re.I)


def clean_speech(text: str) -> str:
    """The public speech: no bet tags, no echo of the transcript's "[Opposition opening]"
    headers (small models copy them), and nothing else of the prompts' markup however
    mangled (`prompt_markers.FOREIGN_MARKUP`): delimiters or pieces of them, nonces, tags,
    role names, the prompt's header lines."""
    text = WHOLE_DELIMITER_LINE.sub("", strip_bet_tags(text))
    while _ECHOED_HEADER.match(text):
        text = _ECHOED_HEADER.sub("", text, count=1)
    text = PROMPT_HEADER_LINE.sub("", text)
    while True:  # removing one piece can join two others into a new one ("<<" + "<SPEECH")
        cleaned = FOREIGN_MARKUP.sub(" ", text)
        if cleaned == text:
            break
        text = cleaned
    text = ROLE_LINE.sub("", text)
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def streaming_view(text: str) -> str:
    """A speech as it streams, without the transcript delimiters a small model echoes:
    the lines `clean_speech` removes from the speech that is kept, and a last line that
    is still the start of one ("<<", "<<<SPE")."""
    text = DELIMITER_LINE.sub("", text)
    head, newline, last = text.rpartition("\n")
    begun = last.lstrip(" \t")
    if begun and any(opening.startswith(begun) for opening in DELIMITER_OPENINGS):
        return head + newline
    return text


def count_words(text: str) -> int:
    return len(text.split())


def speech_words(text: str) -> int:
    """Words that count against the limit: a team's appended reference list does not."""
    body, sep, _refs = text.rpartition("\n\nReferences:\n")
    return count_words(body if sep else text)


def fit_word_limit(text: str, limit: int, tolerance: float = 0.1) -> str:
    """Judges hear no more than the limit allows: a speech far over it is cut back to its
    last complete sentence within the limit (a little slack is allowed, as a chair would)."""
    words = text.split()
    if len(words) <= limit * (1 + tolerance):
        return text
    kept = " ".join(words[:limit])
    end = max(kept.rfind(mark) for mark in (". ", "! ", "? ", ".\n"))
    if kept.endswith((".", "!", "?")):
        return kept
    if end >= len(kept) * 0.6:
        return kept[: end + 1]
    return kept + " …"


def copied_share(text: str, earlier: list[str], n: int = 6) -> float:
    """Share of the speech's word n-grams that already stand in an earlier speech: small
    models often hand the opponent's speech back as their own."""
    words = text.lower().split()
    grams = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    if not grams:
        return 0.0
    seen: set[tuple[str, ...]] = set()
    for other in earlier:
        w = other.lower().split()
        seen.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return len(grams & seen) / len(grams)
