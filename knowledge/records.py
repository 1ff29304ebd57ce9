"""Typed records produced by parsing one document; the contract between parser and storage."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

ItemKind = Literal["measure", "action"]
EntityType = Literal["org", "place", "programme", "document", "person"]


class ProposalRef(BaseModel):
    """The proposal or suggestion a reply letter answers."""

    number: str | None = None  # "084"
    title: str | None = None  # text inside 《》 of "您委《...》已交我局办理"
    proposer: str | None = None  # the addressee, e.g. 致公党楚雄市基层委
    session: str | None = None  # "州政协十届五次会议"
    kind: str | None = None  # "提案" | "建议"


class Section(BaseModel):
    """A numbered section; ids are written like 一, 二（三）, 三（五）1."""

    id: str
    parent_id: str | None = None
    level: int = 1
    title: str = ""
    text: str = ""
    points: list[str] = Field(default_factory=list)  # 一是/二是 ... sub-points


class Indicator(BaseModel):
    """One quantitative statement."""

    name: str
    value: float
    unit: str = ""
    period: str | None = None
    target: str | None = None  # "15%"
    target_value: float | None = None
    gap: str | None = None  # "高于目标4.4个百分点"
    progress: str | None = None  # "完成全年目标进度60.2%"
    qualifier: str | None = None  # 州外 / 省外 / 产业 / 州级 / 县市 ...
    section: str | None = None
    quote: str = ""
    # Scope, filled by knowledge/identity.py: the place the figure is about (a place or scope
    # word as written while extracting, a resolved place name after), its year and months.
    place: str | None = None
    year: int | None = None
    month_start: int | None = None
    month_end: int | None = None
    kind: str = "actual"  # actual | target | progress | growth | share | gap | rank | plan


class Item(BaseModel):
    """A measure (work done) or planned action (下步重点工作)."""

    kind: ItemKind
    section: str | None = None
    title: str = ""
    text: str = ""
    points: list[str] = Field(default_factory=list)


class Entity(BaseModel):
    """A named thing mentioned by the document."""

    name: str
    type: EntityType
    section: str | None = None


class ParsedDocument(BaseModel):
    """Everything extracted from one document."""

    number: str | None = None
    issuer: str | None = None
    title: str = ""
    addressee: str | None = None
    date: dt.date | None = None
    contact: str | None = None
    contact_phone: str | None = None
    cc: list[str] = Field(default_factory=list)
    classification: list[str] = Field(default_factory=list)
    doc_type: str = "other"  # reply | summary | plan | other
    proposal: ProposalRef | None = None
    sections: list[Section] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    cited_documents: list[str] = Field(default_factory=list)
    text: str = ""
    warnings: list[str] = Field(default_factory=list)
    # Identity (knowledge/identity.py): what place and period the document reports on.
    subject: str | None = None
    period_year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    genre: str = "other"  # reply | news | brief | summary | plan | other
    display_name: str = ""

    @property
    def year(self) -> int | None:
        """Return the year the document speaks for (its date, else its number)."""
        return self.date.year if self.date else None
