"""The call log in the store: every model call of a debate written in the debate's own
transaction (`Store.save_debate`), and read back for `arena show ID --calls` and
`arena calls ID N`.

What is kept follows the store's `call_log` setting (`config.CALL_LOG_LEVELS`): `full`
(the messages and the answer), `meta` (stage, who, model, tokens, latency, cost, retries,
error; no text) or `off`. Texts are redacted like everything the store writes
(`redact.redact`, unpaired surrogates repaired): each message is cut into segments at line
breaks where no secret can straddle the cut (`redact.may_cut_after`), and each distinct
segment is redacted, hashed and compressed once per debate (see `call_tables`)."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlmodel import Session, col, delete, select

from arena.debate.call_log import LoggedCall
from arena.identity import public_api_base
from arena.literal import valid_unicode
from arena.redact import may_cut_after, redact, secrets_hold_line_breaks
from arena.store.call_tables import CallBlob, CallRow
from arena.store.engine import table_of

if TYPE_CHECKING:
    from arena.store.store import Store

# A line this long is a segment of its own (a speech's paragraph, quoted again in every
# later prompt); shorter lines (delimiters, headers) stay with their neighbours.
LONG_LINE = 160
# A segment this long is stored once as a blob and named by its hash; a shorter one is
# written out where it is used (compressing and indexing it would cost more than it saves).
BLOB_MIN = 320
_LONG_LINES = re.compile(rf"(?m)^[^\n]{{{LONG_LINE},}}$")


def segments(text: str, safe_cuts: bool = True) -> list[str]:
    """`text` cut at line breaks into pieces whose concatenation is `text`: each line of at
    least LONG_LINE characters alone, the lines between them together. A cut is made only
    where redacting each side gives what redacting the whole would (`redact.may_cut_after`)."""
    if not safe_cuts or len(text) < LONG_LINE or "\n" not in text:
        return [text] if text else []
    out: list[str] = []
    start = 0  # where the piece not yet cut off begins
    for line in _LONG_LINES.finditer(text):
        begin, end = line.span()
        if begin > start and may_cut_after(text[start:begin]):
            out.append(text[start:begin])
            start = begin
        if may_cut_after(line.group()):
            out.append(text[start:end])
            start = end
    if start < len(text):
        out.append(text[start:])
    return out


# A text as stored: its segments in order, each either written out (a short one: the
# delimiters and headers between quoted speeches, mostly different in every prompt) or
# named by the sha256 of its blob, as a one-item list (a long one: quoted again and again).
Part = str | list[str]
# A message as a call row names it: the hash of a blob holding its parts as JSON (a message
# of several parts: a panel's judges are sent the same prompt), or its one part (or none).
MessageRef = str | list[Part]


class _Encoder:
    """One debate's texts as parts; each distinct segment redacted (and hashed) once, each
    distinct message's parts stored once (the judges of a panel are sent the same prompt)."""

    def __init__(self, known: set[str]) -> None:
        self.known = known  # hashes this store already holds (committed)
        self.parts: dict[str, Part] = {}  # raw segment -> its part (redacted)
        self.texts: dict[str, list[Part]] = {}  # raw text -> its parts
        self.messages: dict[str, MessageRef] = {}  # raw message -> its parts or their blob
        self.blobs: dict[str, bytes] = {}  # new hash -> redacted UTF-8 bytes
        self.safe_cuts = not secrets_hold_line_breaks()

    def text(self, text: str) -> list[Part]:
        parts = self.texts.get(text)
        if parts is None:
            parts = self.texts[text] = [self._part(piece) for piece in segments(text, self.safe_cuts)]
        return parts

    def message(self, text: str) -> MessageRef:
        """The message's parts when there is one, else the hash of a blob holding them as JSON."""
        ref = self.messages.get(text)
        if ref is None:
            parts = self.text(text)
            ref = self.messages[text] = parts if len(parts) <= 1 else self._blob(_json(parts).encode())
        return ref

    def _blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self.known:
            self.blobs[digest] = data
        return digest

    def _part(self, piece: str) -> Part:
        part = self.parts.get(piece)
        if part is None:
            clean = redact(valid_unicode(piece)[0])
            if len(clean) < BLOB_MIN:
                part = clean
            else:
                part = [self._blob(clean.encode())]
            self.parts[piece] = part
        return part


def write_calls(
    session: Session,
    calls: Sequence[LoggedCall],
    level: str,
    known: set[str],
    *,
    debate_id: str | None = None,
    run: str | None = None,
    first_seq: int = 1,
) -> set[str]:
    """Insert the calls (of `debate_id`, or of `run` when they serve no debate) and their
    new segments, in the caller's transaction, numbered from `first_seq` (a run written a
    piece at a time continues its numbering). Returns the segment hashes written, for the
    caller to add to `known` once it has committed."""
    if level == "off" or not calls:
        return set()
    encoder = _Encoder(known) if level == "full" else None
    names: dict[str, str] = {}  # stage, who, model: few distinct ones per debate

    def clean(name: str) -> str:
        found = names.get(name)
        if found is None:
            found = names[name] = redact(valid_unicode(name)[0])
        return found

    rows = []
    for seq, logged in enumerate(calls, start=first_seq):
        call, req, usage = logged.call, logged.call.request, logged.call.usage
        messages = answer = None
        if encoder is not None:
            messages = _json([[m.role, encoder.message(m.content)] for m in req.messages])
            answer = _json(encoder.text(call.answer))
        rows.append(
            dict(
                debate_id=debate_id,
                run=run,
                seq=seq,
                stage=clean(logged.stage),
                who=clean(logged.who),
                purpose=req.purpose,
                model=clean(req.model),
                api_base=public_api_base(req.api_base) if req.api_base else None,
                finished_at=logged.finished_at,
                latency_s=usage.latency_s,
                tokens_in=usage.tokens_in,
                tokens_out=usage.tokens_out,
                cost=usage.cost,
                retries=usage.retries,
                error=clean(call.error) if call.error else "",
                messages_json=messages,
                answer_json=answer,
            )
        )
    connection = session.connection()
    connection.execute(insert(table_of(CallRow)), rows)
    if encoder is None or not encoder.blobs:
        return set()
    # In one order for every writer (hash order), so two saves never wait on each other crosswise.
    new = sorted(encoder.blobs.items())
    blobs = [dict(sha256=digest, size=len(data), data=zlib.compress(data)) for digest, data in new]
    connection.execute(_insert_new(connection.dialect.name), blobs)
    return set(encoder.blobs)


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _insert_new(dialect: str):  # type: ignore[no-untyped-def]
    """INSERT that skips a segment another debate (another worker) stored first."""
    table = table_of(CallBlob)
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    return insert(table).prefix_with("IGNORE")  # MySQL-like


def delete_calls(session: Session, debate_id: str) -> None:
    """A debate stored again (a void one played anew) replaces its calls; segments stay."""
    session.exec(delete(CallRow).where(col(CallRow.debate_id) == debate_id))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class StoredCall:
    """One logged call; `messages` and `answer` are None when only metadata was kept."""

    seq: int
    stage: str
    who: str
    purpose: str
    model: str
    api_base: str | None
    finished_at: float
    latency_s: float
    tokens_in: int
    tokens_out: int
    cost: float | None
    retries: int
    error: str
    messages: list[tuple[str, str]] | None = None
    answer: str | None = None


def _summary(row: CallRow) -> StoredCall:
    return StoredCall(
        row.seq,
        row.stage,
        row.who,
        row.purpose,
        row.model,
        row.api_base,
        row.finished_at,
        row.latency_s,
        row.tokens_in,
        row.tokens_out,
        row.cost,
        row.retries,
        row.error,
    )


def _where(debate_id: str | None, run: str | None):  # type: ignore[no-untyped-def]
    return col(CallRow.debate_id) == debate_id if debate_id is not None else col(CallRow.run) == run


def calls_of(store: Store, *, debate_id: str | None = None, run: str | None = None) -> list[StoredCall]:
    """The calls of a debate (or a run), metadata only, in order."""
    with store.session() as session:
        rows = session.exec(select(CallRow).where(_where(debate_id, run)).order_by(col(CallRow.seq))).all()
    return [_summary(r) for r in rows]


def call_of(store: Store, seq: int, *, debate_id: str | None = None, run: str | None = None) -> StoredCall | None:
    """Call number `seq` (from 1) of a debate (or a run), with its texts when they were kept."""
    with store.session() as session:
        row = session.exec(select(CallRow).where(_where(debate_id, run), col(CallRow.seq) == seq)).first()
        return None if row is None else _with_texts(session, row)


RUN_KINDS = ("audit", "bench", "study", "group")


def run_on_record(store: Store, run: str) -> bool | None:
    """Whether the audit, benchmark run or group discussion a call-log run names
    (`audit:3`, `bench:1`, `group:ID`) is stored, with or without calls; None for a study's
    run, which is on record only through its calls."""
    from arena.store.bench_tables import JudgeBenchRow
    from arena.store.group_tables import GroupDiscussion
    from arena.store.tables import JudgeAuditRow

    kind, _, key = run.partition(":")
    with store.session() as session:
        if kind in ("audit", "bench"):
            table = JudgeAuditRow if kind == "audit" else JudgeBenchRow
            return re.fullmatch(r"[0-9]{1,18}", key) is not None and session.get(table, int(key)) is not None
        if kind == "group":
            return session.get(GroupDiscussion, key) is not None
    return None


def _with_texts(session: Session, row: CallRow) -> StoredCall:
    found = _summary(row)
    if row.messages_json is None:
        return found
    messages: list[tuple[str, MessageRef]] = [(role, ref) for role, ref in json.loads(row.messages_json)]
    answer: list[Part] = json.loads(row.answer_json or "[]")
    named = {ref for _, ref in messages if isinstance(ref, str)}
    texts = _blobs(session, named)
    listed = [json.loads(texts.get(ref, "[]")) if isinstance(ref, str) else ref for _, ref in messages]
    texts |= _blobs(session, _hashes([p for parts in listed for p in parts] + answer))

    def join(parts: list[Part]) -> str:
        return "".join(p if isinstance(p, str) else texts.get(p[0], "[missing text]") for p in parts)

    return replace(
        found, messages=[(role, join(parts)) for (role, _), parts in zip(messages, listed)], answer=join(answer)
    )


def _blobs(session: Session, hashes: set[str]) -> dict[str, str]:
    if not hashes:
        return {}
    found = session.exec(select(CallBlob).where(col(CallBlob.sha256).in_(hashes))).all()
    return {b.sha256: zlib.decompress(b.data).decode() for b in found}


def _hashes(parts: Sequence[Part]) -> set[str]:
    return {p[0] for p in parts if not isinstance(p, str)}


def bytes_of(store: Store, debate_id: str) -> tuple[int, int]:
    """(bytes of the debate's call rows' parts, compressed bytes of the blobs they name,
    directly or through a message's parts): what the debate's log costs, counting every
    blob it uses (shared ones too)."""
    with store.session() as session:
        rows = session.exec(
            select(CallRow.messages_json, CallRow.answer_json).where(col(CallRow.debate_id) == debate_id)
        ).all()
        refs = sum(len(m or "") + len(a or "") for m, a in rows)
        messages: set[str] = set()
        parts: list[Part] = []
        for m, a in rows:
            for _, ref in json.loads(m or "[]"):
                if isinstance(ref, str):
                    messages.add(ref)
                else:
                    parts += ref
            parts += json.loads(a or "[]")
        parts += [p for text in _blobs(session, messages).values() for p in json.loads(text)]
        named = messages | _hashes(parts)
        found = session.exec(select(CallBlob.data).where(col(CallBlob.sha256).in_(named))).all() if named else []
    return refs, sum(len(d) for d in found)
