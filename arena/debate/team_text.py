"""Reading what the team's roles write, and building the references a speech may list.

Models answer loosely, the embedded one very loosely, so every reader here accepts
the common variants and never raises: a Searcher's numbered or bulleted queries, a
Reviewer's "ACCEPT"/"Revise:" in any case, a Writer's citations as [E1], (E1) or
[E1, E3]. A citation of a label the team never retrieved is removed from the speech,
so a reference can only name a real finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from arena.debate.transcript import strip_bet_tags
from arena.search.types import Finding

MAX_QUERIES = 3
MAX_QUERY_WORDS = 12

_LIST_MARK = re.compile(r"^\s*(?:[-*•]+|\d+[.):]|\(?[a-z]\)|query\s*\d*\s*[:.-]|queries\s*:)\s*", re.I)
_CITATION = re.compile(r"[\[(]\s*(E\d+(?:\s*[,;&]\s*(?:and\s+)?E\d+)*)\s*[\])]", re.I)
_LABEL = re.compile(r"E\d+", re.I)
_REFERENCES = re.compile(
    r"^\s*(?:#+\s*)?\**\s*(references|sources|bibliography|works cited)\s*\**\s*:?\s*\**\s*$", re.I | re.M
)
_SPEECH_LABEL = re.compile(r"^\s*(?:\**\s*(?:speech|draft|final speech|revised speech|output)\s*\**\s*:\s*)", re.I)
_SEARCH = re.compile(r"^\s*\**\s*SEARCH\s*\**\s*[:\-]\s*(.+)$", re.I)
_VERDICT = re.compile(r"^\W*(ACCEPT|REVISE|REVISION|REJECT)\w*\W*(.*)$", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
# Headings and the section names of the team's prompts, which small models echo.
_ECHO = re.compile(r"^\s*(#|(PROFILE|WORKFLOW|RULES|OUTPUT FORMAT|KNOWLEDGE)\b)")
# Sentences that repeat the Writer's instructions rather than argue (small models copy them).
_INSTRUCTION_ECHO = re.compile(
    r"rewrite (the|this|entire|whole)|revisions? (made|required)|the reviewer|previous draft|"
    r"findings you may cite|information slide|(now write|writing) (our|the)|with \[E#\] citations|"
    r"at most \d+ words|round \d+ of the",
    re.I,
)


def _is_title(line: str) -> bool:
    """A short line without closing punctuation ("Proposition closing"): not speech."""
    words = line.split()
    return not words or (len(words) <= 6 and not _SENTENCE_END.search(line.strip()) and not _CITATION.search(line))


# --------------------------------------------------------------------------- findings


@dataclass
class Ledger:
    """The team's findings in one debate, labelled E1, E2, ... in the order found."""

    by_label: dict[str, Finding] = field(default_factory=dict)

    def add(self, findings: list[Finding]) -> list[str]:
        """Label new findings (a finding met again keeps its label); the labels, in order."""
        labels = []
        for finding in findings:
            label = self.label_of(finding.id)
            if label is None:
                label = f"E{len(self.by_label) + 1}"
                self.by_label[label] = finding
            labels.append(label)
        return labels

    def label_of(self, finding_id: str) -> str | None:
        return next((label for label, f in self.by_label.items() if f.id == finding_id), None)

    def block(self, labels: list[str] | None = None, max_words: int | None = None) -> str:
        """Findings as the roles see them: `[E1] Title (Source): text`, one a line."""
        chosen = labels if labels is not None else list(self.by_label)
        lines = []
        for label in chosen:
            f = self.by_label[label]
            text = f.text if max_words is None else shorten(f.text, max_words)
            lines.append(f"[{label}] {f.title} ({f.source}): {text}")
        return "\n".join(lines)


def shorten(text: str, words: int) -> str:
    tokens = text.split()
    return text if len(tokens) <= words else " ".join(tokens[:words]) + " ..."


# --------------------------------------------------------------------------- searcher


def parse_queries(text: str, fallback: str, limit: int = MAX_QUERIES) -> list[str]:
    """Search queries, one a line; `fallback` when the answer holds none."""
    queries: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARK.sub("", line).strip().strip("\"'`").strip()
        if not line or line.endswith(":") or len(line) < 3:
            continue
        query = " ".join(line.split()[:MAX_QUERY_WORDS])
        if query.lower() not in (q.lower() for q in queries):
            queries.append(query)
        if len(queries) == limit:
            break
    return queries or [fallback]


# --------------------------------------------------------------------------- reviewer


@dataclass
class Review:
    accept: bool
    notes: str
    understood: bool = True  # False: the answer had no ACCEPT/REVISE line and was read as a revision


def parse_review(text: str) -> Review:
    """First line ACCEPT or REVISE, then the revisions. Anything else is read as revisions."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return Review(accept=False, notes="", understood=False)
    match = _VERDICT.match(lines[0])
    if match:
        verdict, rest = match.group(1).upper(), match.group(2).strip()
        notes = "\n".join([rest, *lines[1:]] if rest else lines[1:]).strip()
        return Review(accept=verdict == "ACCEPT", notes=notes)
    words = text.upper()
    if "ACCEPT" in words and "REVIS" not in words:
        return Review(accept=True, notes="", understood=False)
    return Review(accept=False, notes=text.strip(), understood=False)


# --------------------------------------------------------------------------- writer


def search_request(text: str) -> str | None:
    """What the Writer asks the Searcher for, if its answer starts with `SEARCH: ...`."""
    for line in text.strip().splitlines()[:2]:
        match = _SEARCH.match(line)
        if match:
            return match.group(1).strip().strip("\"'") or None
    return None


def clean_draft(text: str) -> str:
    """The speech alone: no bet tags, no 'Speech:' label, no SEARCH line, no headings or
    echoed prompt sections, no title line, no references of the Writer's own (the team
    builds those from what was really retrieved)."""
    text = strip_bet_tags(text)
    lines = [line for line in text.strip().splitlines() if not _SEARCH.match(line) and not _ECHO.match(line)]
    text = "\n".join(lines).strip()
    found = _REFERENCES.search(text)
    if found:
        text = text[: found.start()].rstrip()
    text = re.sub(r"\s*\[E#\]", "", text)  # the placeholder of the instructions, copied
    kept = [_drop_echoed_sentences(line) for line in _SPEECH_LABEL.sub("", text, count=1).strip().splitlines()]
    lines = [line for line in kept if line is not None]
    while len(lines) > 1 and _is_title(lines[0]):
        lines.pop(0)
    # A speech cut off by the token budget must not end on an opening bracket or a dash.
    return "\n".join(lines).strip().rstrip(" [(-–—:;,")


def _drop_echoed_sentences(line: str) -> str | None:
    if not _INSTRUCTION_ECHO.search(line):
        return line
    kept = [s for s in re.split(r"(?<=[.!?\]])\s+", line) if not _INSTRUCTION_ECHO.search(s)]
    return " ".join(kept) if kept else None


def cited_labels(text: str) -> list[str]:
    """Labels cited in the text, in order of first citation."""
    labels: list[str] = []
    for group in _CITATION.finditer(text):
        for label in _LABEL.findall(group.group(1)):
            label = label.upper()
            if label not in labels:
                labels.append(label)
    return labels


def drop_unknown_citations(text: str, known: set[str]) -> tuple[str, list[str]]:
    """Remove citations of labels that are not findings; (text, the labels removed)."""
    dropped: list[str] = []

    def keep(match: re.Match[str]) -> str:
        labels = [label.upper() for label in _LABEL.findall(match.group(1))]
        good = [label for label in labels if label in known]
        dropped.extend(label for label in labels if label not in known)
        if not good:
            return ""
        return "[" + ", ".join(good) + "]"

    cleaned = _CITATION.sub(keep, text)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip(), dropped


def trim_to_words(text: str, limit: int) -> str:
    """At most `limit` words, ending on a full sentence when that keeps most of the text."""
    tokens = text.split()
    if len(tokens) <= limit:
        return text.strip()
    # Keep line breaks of the kept part: cut the original text after the limit-th word.
    cut = 0
    for n, match in enumerate(re.finditer(r"\S+", text), start=1):
        if n == limit:
            cut = match.end()
            break
    kept = text[:cut]
    ends = [m.end() for m in re.finditer(r"[.!?][\"')\]]*(?=\s|$)", kept)]
    if ends and len(kept[: ends[-1]].split()) >= 0.6 * limit:
        return kept[: ends[-1]].strip()
    return kept.rstrip(",;: ") + ("" if _SENTENCE_END.search(kept) else ".")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def references_block(labels: list[str], ledger: Ledger) -> str:
    """The references a speech lists: only labels the ledger holds, in citation order."""
    lines = []
    for label in labels:
        f = ledger.by_label.get(label)
        if f is not None:
            lines.append(f"[{label}] {_sentence(f.title)} {_sentence(f.source)} (id: {f.id})")
    return "References:\n" + "\n".join(lines) if lines else ""


def overlap_labels(text: str, labels: list[str], ledger: Ledger, top: int = 2, minimum: int = 1) -> list[str]:
    """Findings whose content words the speech shares most (the last-resort reference rule)."""
    from arena.search.index import query_terms

    spoken = set(query_terms(text))
    scored = []
    for label in labels:
        f = ledger.by_label[label]
        shared = len(spoken & set(query_terms(f"{f.title} {f.source} {f.text}")))
        if shared >= minimum:
            scored.append((-shared, int(label[1:]), label))
    return [label for *_, label in sorted(scored)[:top]]
