"""SQLModel tables. Kept apart from the domain records in arena.debate.records: the store
maps between them, so a schema change does not ripple through the engine."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

# 2: participant ids capture api_base (store/migrate_ids.py)
# 5: rating_seq and tournament.spent filled for existing rows
# 6: debate.info_slide (filled from the motion library) and debate.options_json
SCHEMA_VERSION = 6


class SchemaInfo(SQLModel, table=True):
    __tablename__ = "schema_info"
    id: int = Field(default=1, primary_key=True)
    version: int


class Participant(SQLModel, table=True):
    id: str = Field(primary_key=True)  # model:…, team:…, human:…
    kind: str  # model | team | human
    display: str = ""
    settings_json: str = "{}"  # behaviour settings (never keys)
    created_at: float


class Tournament(SQLModel, table=True):
    name: str = Field(primary_key=True)
    status: str = "planned"  # planned | running | finished | stopped
    config_json: str = "{}"
    created_at: float
    updated_at: float
    spent: float = 0.0  # USD of every debate stored for it, by every worker (its --max-cost)


class TournamentRun(SQLModel, table=True):
    """Which process is running a tournament now, so a second `resume` is refused while
    the first lives; the row of a crashed runner (dead pid, stale heartbeat) is taken over."""

    __tablename__ = "tournament_run"
    name: str = Field(primary_key=True)
    pid: int
    host: str
    started_at: float
    heartbeat_at: float


class TournamentWorker(SQLModel, table=True):
    """A live `arena tournament work` (or run/resume) process, for `tournament show`:
    its row is removed on a clean exit; a dead one is recognised by pid or stale heartbeat."""

    __tablename__ = "tournament_worker"
    id: str = Field(primary_key=True)  # host:pid:nonce, also its lease owner name
    tournament: str = Field(index=True)
    host: str
    pid: int
    concurrency: int = 1
    started_at: float
    heartbeat_at: float


class Debate(SQLModel, table=True):
    id: str = Field(primary_key=True)
    collection: str = Field(default="arena", index=True)
    tournament: Optional[str] = Field(default=None, index=True)
    slot: Optional[str] = Field(default=None, index=True)
    motion_id: str
    motion_text: str
    category: str = ""
    info_slide: str = ""  # the motion's information slide, as the debaters were given it
    format: str
    pro_id: str = Field(index=True)
    con_id: str = Field(index=True)
    judges_json: str = "[]"
    status: str = Field(default="scheduled", index=True)
    condition: str = "private"
    winner: Optional[str] = None  # pro | con | tie
    pro_votes: int = 0
    con_votes: int = 0
    # BIGINT: a seed derived from a user's (study offsets, demo + n) may pass 2**31 - 1.
    seed: int = Field(default=0, sa_type=BigInteger)
    error: str = ""
    usage_json: str = "{}"
    created_at: float
    started_at: Optional[float] = None
    finished_at: Optional[float] = Field(default=None, index=True)
    app_version: str = ""
    warnings_json: str = "[]"  # void ballots, missing round scores, … (issue 11)
    protocol: str = "debate"  # debate | consultancy | direct: only debates are rated
    consultant: Optional[str] = None
    # A tournament worker's claim on a `running` debate (arena.store.debate_leases):
    # who holds it and until when, by the database's clock. An expired lease is reclaimed.
    lease_owner: Optional[str] = None
    lease_until: Optional[float] = None
    # The order in which rated debates moved the ratings: assigned in the rating
    # transaction under the writers' lock, replayed by `arena ratings rebuild`.
    rating_seq: Optional[int] = None
    adaptive_break: bool = False  # the judges were asked after each round whether it was decided
    broke_after_round: Optional[int] = None  # the round after which it ended early
    rejudge_of: Optional[str] = None  # arena rejudge: the debate judged again
    # The debate's options (arena.debate.options) but those with a column of their own
    # (condition, protocol, adaptive_break, seed): arena.store.debate_row.
    options_json: str = "{}"
    # The chance the adaptive schedule drew this debate's pairing (arena.tournament.adaptive);
    # None for every other debate. A fit may weight by its inverse.
    selection_p: Optional[float] = None


class SpeechRow(SQLModel, table=True):
    __tablename__ = "speech"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    index: int
    side: str
    stage: str
    kind: str
    round: int
    text: str
    words: int
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Optional[float] = None
    latency_s: float = 0.0


class AgentStepRow(SQLModel, table=True):
    __tablename__ = "agent_step"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    speech_index: int
    step: int
    role: str
    stage: str
    input_summary: str = ""
    output: str = ""
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Optional[float] = None
    latency_s: float = 0.0


class BetRow(SQLModel, table=True):
    __tablename__ = "bet"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    after_speech: int
    side: str
    stage: str = ""
    amount: Optional[int] = None
    reasoning: str = ""


class RoundScoreRow(SQLModel, table=True):
    __tablename__ = "round_score"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    judge: str
    repeat: int = 0
    round: int
    pro: int
    con: int
    reason: str = ""


class BallotRow(SQLModel, table=True):
    __tablename__ = "ballot"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    judge: str
    repeat: int = 0
    winner: Optional[str] = None  # None: void ballot
    confidence: int = 0
    scores_json: str = "{}"
    reasons: str = ""
    swapped: bool = False
    self_judged: bool = False
    error: str = ""
    inconsistent: bool = False  # winner against the judge's own dimension scores


class RatingState(SQLModel, table=True):
    """Current online ratings per participant (collection "arena"): the incremental cache
    that `arena ratings rebuild` must reproduce exactly from the match log."""

    __tablename__ = "rating_state"
    participant_id: str = Field(primary_key=True)
    elo: float
    ts_mu: float
    ts_sigma: float
    debates: int = 0


class RatingChange(SQLModel, table=True):
    __tablename__ = "rating_change"
    id: Optional[int] = Field(default=None, primary_key=True)
    debate_id: str = Field(foreign_key="debate.id", index=True)
    participant_id: str = Field(index=True)
    elo_before: float
    elo_after: float
    ts_mu_before: float
    ts_mu_after: float
    ts_sigma_before: float
    ts_sigma_after: float
    at: float


class Battle(SQLModel, table=True):
    """An imported FastChat-style battle (its own collection, never mixed with "arena")."""

    id: Optional[int] = Field(default=None, primary_key=True)
    collection: str = Field(index=True)
    model_a: str
    model_b: str
    winner: str  # model_a | model_b | tie
    tstamp: float
    source_line: int = 0
    style_json: Optional[str] = None  # style counts per side (words_a, header_b, a_side…), for --control


# -- the judge audit (issue 11) -------------------------------------------------------


class JudgeProbeRow(SQLModel, table=True):
    """A probe transcript of the judge audit: written once, judged by every audited judge."""

    __tablename__ = "judge_probe"
    id: Optional[int] = Field(default=None, primary_key=True)
    probe_set: str = Field(index=True)
    kind: str  # standard | mirror | truth
    index: int
    seed: int = Field(sa_type=BigInteger)
    motion_id: str
    motion_text: str
    category: str = ""
    info_slide: str = ""
    truth: Optional[str] = None
    consultant: Optional[str] = None
    speeches_json: str = "[]"


class JudgeAuditRow(SQLModel, table=True):
    """One judge's audit on one probe set: its metrics, each with interval and count."""

    __tablename__ = "judge_audit"
    id: Optional[int] = Field(default=None, primary_key=True)
    judge_id: str = Field(index=True)
    judge: str
    probe_set: str
    size: int
    seed: int = Field(sa_type=BigInteger)
    metrics_json: str = "{}"
    ballots: int = 0
    void_ballots: int = 0
    created_at: float
    app_version: str = ""
