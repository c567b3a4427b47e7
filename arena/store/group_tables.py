"""Tables of the group discussions (arena group ...; the DEBATE study's protocol): a
discussion, its members, and every event in the order it happened. Listed in
migrations.TABLE_MODULES, so the migrations create them (all additive: no migration step)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class GroupDiscussion(SQLModel, table=True):
    """One group discussing one topic over some rounds (run here, or imported)."""

    __tablename__ = "group_discussion"
    id: str = Field(primary_key=True)
    collection: str = Field(index=True)  # e.g. "groups" (run here), "debate-groups" (imported)
    topic: str = Field(index=True)
    rounds: int = 0
    seed: int | None = None
    source: str = "arena"  # arena | the imported file's name
    rater: str = ""  # who measured the public posts' stance (a model id; "" none)
    calls: int = 0
    tokens: int = 0
    cost: float | None = None
    created_at: float = 0.0


class GroupMember(SQLModel, table=True):
    """A member of a group: a label the others know it by, and who it is."""

    __tablename__ = "group_member"
    id: int | None = Field(default=None, primary_key=True)
    group_id: str = Field(foreign_key="group_discussion.id", index=True)
    position: int = 0
    label: str  # A, B, C, … (run here); the worker id (imported)
    participant: str = ""  # participant id (model, simulator, persona); "" for imported people
    kind: str = "model"  # model | person
    persona: str = ""


class GroupEvent(SQLModel, table=True):
    """One event of a discussion, in order (`seq`): a private opinion (round 0 is the
    initial one), a public post, or a direct message."""

    __tablename__ = "group_event"
    id: int | None = Field(default=None, primary_key=True)
    group_id: str = Field(foreign_key="group_discussion.id", index=True)
    seq: int
    round: int
    kind: str  # opinion | post | message | other
    member: str  # the member's label
    recipient: str | None = None  # a message's addressee
    text: str = ""
    slider: int | None = None  # an opinion's 1-6; None: no usable answer
    stance: float | None = None  # a post's measured stance 1-6; None: not measured or none taken
    extra_json: str = "{}"  # what an import carried beside (agreement_level, validity, event type)
