"""Typed SQLAlchemy models: the knowledge base, proposals, and the bot's own records."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for every table."""

    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- knowledge base -------------------------------------------------------------------------


class Document(Base):
    """One ingested official document; older versions of the same 文号 are kept as history."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(100), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str | None] = mapped_column(String(200))
    addressee: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    contact: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    cc: Mapped[list[str]] = mapped_column(JSON, default=list)
    classification: Mapped[list[str]] = mapped_column(JSON, default=list)
    doc_type: Mapped[str] = mapped_column(String(30), default="other")
    proposal_number: Mapped[str | None] = mapped_column(String(50))
    proposal_title: Mapped[str | None] = mapped_column(Text)
    proposer: Mapped[str | None] = mapped_column(String(200))
    proposal_session: Mapped[str | None] = mapped_column(String(200))
    # Identity: the place or organisation reported on, the period, the genre, the citation name.
    subject: Mapped[str | None] = mapped_column(String(100), index=True)
    period_year: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    genre: Mapped[str] = mapped_column(String(20), default="other")
    display_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    # Which version of the extraction code read it (knowledge/version.py): older ones are re-read.
    extractor: Mapped[str] = mapped_column(String(16), default="", server_default="")
    source_name: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    sections: Mapped[list[Section]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Section.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Indicator.position"
    )
    items: Mapped[list[Item]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Item.position"
    )
    entities: Mapped[list[Entity]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Entity.id"
    )

    def __repr__(self) -> str:
        return f"Document(id={self.id}, number={self.number!r}, current={self.is_current})"


class Section(Base):
    """A numbered section (一 / 二（三） / 三（一）1 ...) with its own text."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("document_id", "sid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sid: Mapped[str] = mapped_column(String(60))
    parent_sid: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="sections")

    def __repr__(self) -> str:
        return f"Section({self.sid!r}, {self.title[:20]!r})"


class Indicator(Base):
    """One quantitative statement: a named figure with unit, period, target and progress."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    section_sid: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300), index=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30), default="")
    period: Mapped[str | None] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(60))
    target_value: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[str | None] = mapped_column(String(60))
    progress: Mapped[str | None] = mapped_column(String(120))
    qualifier: Mapped[str | None] = mapped_column(String(60))
    quote: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Scope: which place, year and months the figure is about, and what kind of figure it is.
    place: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    month_start: Mapped[int | None] = mapped_column(Integer)
    month_end: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="actual")

    document: Mapped[Document] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"Indicator({self.name!r}={self.value}{self.unit})"


class Item(Base):
    """A measure (work done) or a planned action (下步工作), with its sub-points."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # "measure" | "action"
    section_sid: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"Item({self.kind}, {self.section_sid!r}, {self.title[:20]!r})"


class Entity(Base):
    """A named company, organisation, place, programme/slogan or cited document."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(30))  # org | place | programme | document | person
    section_sid: Mapped[str | None] = mapped_column(String(60))

    document: Mapped[Document] = relationship(back_populates="entities")

    def __repr__(self) -> str:
        return f"Entity({self.type}, {self.name!r})"


# --- proposals ------------------------------------------------------------------------------


class Proposal(Base):
    """A CPPCC proposal (提案) or NPC suggestion (建议) being handled by the bureau."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(50), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="提案")
    title: Mapped[str] = mapped_column(Text, default="")
    proposer: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    topic: Mapped[str | None] = mapped_column(String(30))
    triage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    received_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="收到", index=True)
    assignee: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(2))
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL")
    )
    proposer_role: Mapped[str | None] = mapped_column(String(20))  # 委员 / 代表 / 党派 ...
    cosigners: Mapped[int | None] = mapped_column(Integer)  # "等3名代表" -> 3
    sector: Mapped[str | None] = mapped_column(String(100))  # 界别 or party
    session: Mapped[str | None] = mapped_column(String(100))  # 州政协十二届一次会议
    department: Mapped[str | None] = mapped_column(String(50))  # whose work, for 非本局业务
    handling: Mapped[str] = mapped_column(String(4), default="主办", server_default="主办")
    answered_date: Mapped[dt.date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(10))  # 满意 / 基本满意 / 不满意
    satisfaction_note: Mapped[str | None] = mapped_column(Text)
    remark: Mapped[str | None] = mapped_column(Text)  # 备注 of the 台账
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalEvent.id"
    )

    def __repr__(self) -> str:
        return f"Proposal(id={self.id}, number={self.number!r}, status={self.status!r})"


class ProposalEvent(Base):
    """One change to a proposal: who, when, which field, from and to."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(100), default="system")
    field: Mapped[str] = mapped_column(String(30))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(back_populates="events")


class ReminderSent(Base):
    """A reminder already delivered, so a restart never sends the same one twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("proposal_id", "kind", "for_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "before_due" | "overdue"
    for_date: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


# --- the bot's own records ------------------------------------------------------------------


class QuestionLog(Base):
    """Every question asked: who, what, how it was understood, and how fast."""

    __tablename__ = "question_log"
    __table_args__ = (Index("ix_question_log_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    source: Mapped[str] = mapped_column(String(20), default="telegram")
    text: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str | None] = mapped_column(String(30))
    confidence: Mapped[float | None] = mapped_column(Float)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Feedback(Base):
    """A 👍 / 👎 on an answer."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_log.id", ondelete="SET NULL")
    )
    user_id: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[int] = mapped_column(Integer)  # +1 or -1
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class ReceivedUpdate(Base):
    """A Telegram update kept until handled, so a crash never loses a question."""

    __tablename__ = "received_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Several workers share the table: the one whose lease runs handles the update; a lease
    # left to expire (its worker died) lets another take the update over.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DeadLetter(Base):
    """An update set aside: unreadable by the library, or still failing after its attempts."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    payload: Mapped[str] = mapped_column(Text)  # the JSON (or bytes) as received
    reason: Mapped[str] = mapped_column(String(20))  # "unreadable" | "failing"
    error: Mapped[str] = mapped_column(Text, default="")  # token masked
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class RateState(Base):
    """One rate limit shared by every worker: a send pace or a user's token bucket."""

    __tablename__ = "rate_states"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    stamp: Mapped[float] = mapped_column(Float, default=0.0)  # seconds since the epoch
    tokens: Mapped[float] = mapped_column(Float, default=0.0)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)


__all__ = [
    "Base",
    "DeadLetter",
    "Document",
    "Entity",
    "Feedback",
    "Indicator",
    "Item",
    "Proposal",
    "ProposalEvent",
    "QuestionLog",
    "RateState",
    "ReceivedUpdate",
    "ReminderSent",
    "Section",
]
