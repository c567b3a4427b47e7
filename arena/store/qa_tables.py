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


class QADebateRow(SQLModel, table=True):
    """One debate of the QA study (arena study qa): who defended the official answer, who
    the alternative, and which role won; the debate itself is in `debate`."""

    __tablename__ = "qa_debate"
    id: int | None = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    debate_id: str | None = Field(default=None, foreign_key="debate.id")
    item_id: str = Field(foreign_key="qa_item.id")
    truth_debater: str = Field(index=True)  # participant id
    alternative_debater: str = Field(index=True)
    truth_side: str  # pro | con: the side the official answer was on
    alternative: str  # the alternative answer defended
    winner: str | None = None  # truth | alternative; None: a tie or a void verdict
    ballots_json: str = "[]"  # [[judge, "truth" | "alternative" | null], ...]
    created_at: float = 0.0


class QADirectAnswer(SQLModel, table=True):
    """A debater answering a QA item on its own (the plain-accuracy protocol)."""

    __tablename__ = "qa_direct"
    id: int | None = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    item_id: str = Field(foreign_key="qa_item.id")
    debater: str = Field(index=True)
    answer: str | None = None  # None: no usable answer
    correct: bool | None = None
    created_at: float = 0.0
