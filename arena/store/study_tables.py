"""Tables of the debate studies (arena study ...). Imported by tables.py so that the
migrations create them like every other table (all additive: no migration step)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class BreakReplay(SQLModel, table=True):
    """An adaptive-break debate replayed to the end with the same seed (not itself stored
    as a debate): its verdict and what the full debate cost."""

    __tablename__ = "study_break_replay"
    debate_id: str = Field(foreign_key="debate.id", primary_key=True)
    replay_winner: Optional[str] = None  # pro | con | tie; None: the replay was void
    replay_calls: int = 0
    replay_cost: Optional[float] = None
    replay_tokens: int = 0


class FallacyProbe(SQLModel, table=True):
    """One persuasion dialogue (LOGICOM): a persuader argues for the side the debater did
    not take, over several rounds, logically or with named fallacies."""

    __tablename__ = "study_fallacy_probe"
    id: Optional[int] = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    persuader: str
    debater: str = Field(index=True)  # participant id
    motion_id: str
    mode: str  # logical | fallacious
    target: str  # the side the persuader argues: pro | con
    before: str  # the debater's stance before: pro | con
    after: Optional[str] = None  # after; None: no usable answer
    convinced: bool = False
    rounds: int = 0
    fallacies_json: str = "[]"  # the fallacy named for each persuader turn
    transcript_json: str = "[]"
    seed: int = Field(default=0, sa_type=BigInteger)
    calls: int = 0
    created_at: float = 0.0


class PriorBelief(SQLModel, table=True):
    """A debater's own position on the motion, stated privately before a debate; never
    shown to the opponent or the judges."""

    __tablename__ = "study_prior_belief"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    side: str  # the side it argued: pro | con
    participant: str = Field(index=True)
    stance: Optional[str] = None  # pro | con; None: no usable answer
    confidence: Optional[int] = None


class SideChoice(SQLModel, table=True):
    """A debater told the judge's persona chooses which side to argue (sycophancy probe)."""

    __tablename__ = "study_side_choice"
    id: Optional[int] = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    participant: str = Field(index=True)
    motion_id: str
    persona: str
    persona_favours: str  # pro | con
    prior: Optional[str] = None
    chosen: Optional[str] = None
    created_at: float = 0.0


class PersonaJudgment(SQLModel, table=True):
    """A judge (with or without a persona) deciding a motion whose answer is known."""

    __tablename__ = "study_persona_judgment"
    id: Optional[int] = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    debate_id: Optional[str] = Field(default=None, foreign_key="debate.id")
    judge: str = Field(index=True)  # the judge id (distinct per persona)
    persona: str = ""  # "" for the default judge
    protocol: str  # debate | consultancy
    motion_id: str
    truth: str  # pro | con
    answer: Optional[str] = None  # None: void ballot
    correct: bool = False
    created_at: float = 0.0


class FallacyBallot(SQLModel, table=True):
    """A judge deciding between a logical speech and a fallacious one on the same motion
    (the fallacious one should lose)."""

    __tablename__ = "study_fallacy_ballot"
    id: Optional[int] = Field(default=None, primary_key=True)
    run: str = Field(index=True)
    judge: str = Field(index=True)
    motion_id: str
    fallacious_side: str  # pro | con
    fallacy: str
    winner: Optional[str] = None  # None: void ballot
    created_at: float = 0.0
