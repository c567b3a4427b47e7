"""Tables of the QA sets as debates (arena import qa, issue 22): the questions with a known
answer, each in a collection of its own. Listed in migrations.TABLE_MODULES (additive)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class QAItem(SQLModel, table=True):
    """One question with its official answer (multiple choice when it has options)."""

    __tablename__ = "qa_item"
    id: str = Field(primary_key=True)  # a content hash of the question, options and answer, and the collection
    collection: str = Field(index=True)
    question: str
    options_json: str = "[]"  # the choices, in order; [] for an open question
    answer: str  # the official answer's text
    answer_index: int | None = None  # its position among the options (0-based)
    category: str = ""
    source: str = ""  # file:line it came from
    position: int = 0  # its place in the import (items are read back in this order)
    created_at: float = 0.0
