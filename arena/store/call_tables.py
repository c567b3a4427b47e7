"""The call log's tables: one row per model call, and the texts of the calls by content.

A prompt holds the transcript so far, so prompts grow with every speech and their sum
over a debate grows with its square. The rows therefore hold no text: each message (and
each answer) is a list of segment hashes (`store.call_log.segments`: its long lines, and
the runs of short lines between them), and each distinct segment is stored once, zlib-
compressed, keyed by its sha256 (a short segment is written out in the row instead). A
speech quoted in twenty later prompts is stored once."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CallRow(SQLModel, table=True):
    __tablename__ = "model_call"
    id: int | None = Field(default=None, primary_key=True)
    # The debate the call served; calls that serve none (a judge audit) name their run instead.
    debate_id: str | None = Field(default=None, foreign_key="debate.id", index=True)
    run: str | None = Field(default=None, index=True)  # e.g. "audit:<run id>"
    seq: int  # 1, 2, ... in the order the calls finished
    stage: str = ""  # what it served: a stage's name, "round 2", "ballot (swapped)" ...
    who: str = ""  # the participant id or the judge
    purpose: str = ""  # speech, bet, round_score, ballot, agent.writer ...
    model: str = ""
    api_base: str | None = None  # without credentials (identity.public_api_base)
    finished_at: float = 0.0
    latency_s: float = 0.0  # over every attempt
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    retries: int = 0
    error: str = ""  # the error that ended a failed call ("" when it was answered)
    # JSON: [[role, [part, ...]], ...] and [part, ...], a part being a short segment written
    # out or [sha256] naming a long one's blob (store.call_log.Part); None: metadata only.
    messages_json: str | None = None
    answer_json: str | None = None


class CallBlob(SQLModel, table=True):
    __tablename__ = "call_blob"
    sha256: str = Field(primary_key=True)  # of the segment's UTF-8 bytes, hex
    size: int  # bytes before compression
    data: bytes  # zlib
