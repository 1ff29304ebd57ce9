"""What triage returns: related work, figures, similar proposals, and the whole result.

Plain pydantic records, shared by the triager, the draft writer, the bot and the CLI.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from nlp.reply import Fact
from nlp.triage_kb import KbContact


class RelatedItem(BaseModel):
    """A measure or planned action that bears on the proposal."""

    kind: str
    section: str | None
    title: str
    score: float
    document: str
    text: str = ""
    points: list[str] = Field(default_factory=list)


class RelatedIndicator(Fact):
    """An indicator that bears on the proposal: a Fact with its relevance and order."""

    score: float
    document: str
    headline: bool = False
    position: int = 0  # order in the knowledge base, so quotes read as the document does


class EarlierProposal(BaseModel):
    """A stored proposal to compare with."""

    id: int
    number: str | None = None
    title: str = ""
    text: str = ""
    content_hash: str = ""


class SimilarProposal(BaseModel):
    """A stored proposal close to this one; `duplicate` when (nearly) the same text."""

    id: int
    number: str | None = None
    title: str = ""
    score: float
    duplicate: bool = False


class AskMatch(BaseModel):
    """One ask and the work that answers it: measures done, actions planned, figures."""

    ask: str
    done: list[RelatedItem] = Field(default_factory=list)
    planned: list[RelatedItem] = Field(default_factory=list)
    figures: list[RelatedIndicator] = Field(default_factory=list)


class TriageResult(BaseModel):
    """Everything triage found in one proposal."""

    number: str | None = None
    kind: str = "提案"
    title: str = ""
    proposer: str | None = None
    proposers: list[str] = Field(default_factory=list)
    proposer_role: str | None = None  # 委员 / 代表 / 党派 / 团体 / 界别
    cosigners: int | None = None  # "等3名代表" -> 3
    sector: str | None = None  # 界别 or party
    session: str | None = None  # 州政协十二届一次会议
    content_hash: str
    chars: int
    topic: str
    in_scope: bool
    department: str | None = None  # for 非本局业务: the department it belongs to, when clear
    scope_reason: str = ""  # for 非本局业务: why, in one Chinese sentence
    topic_scores: dict[str, float] = Field(default_factory=dict)
    asks: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    related: list[RelatedItem] = Field(default_factory=list)
    indicators: list[RelatedIndicator] = Field(default_factory=list)
    similar: list[SimilarProposal] = Field(default_factory=list)
    answers: list[AskMatch] = Field(default_factory=list)  # per ask, for the reply letter
    contact: KbContact = Field(default_factory=KbContact)

    @property
    def duplicate_of(self) -> int | None:
        """Return the id of the stored proposal this one duplicates, if any."""
        return next((s.id for s in self.similar if s.duplicate), None)

    def meta(self) -> dict:
        """Return what the proposal says about itself (stored with it, shown in triage)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "number": self.number,
            "proposers": self.proposers,
            "role": self.proposer_role,
            "cosigners": self.cosigners,
            "sector": self.sector,
            "session": self.session,
        }

    def to_json(self, draft: str) -> dict:
        """Return the CLI's JSON shape (keys exactly as documented)."""
        return {
            "meta": self.meta(),
            "topic": self.topic,
            "in_scope": self.in_scope,
            "department": self.department,
            "scope_reason": self.scope_reason,
            "asks": self.asks,
            "keywords": self.keywords,
            "related": [
                {"kind": r.kind, "section": r.section, "title": r.title, "score": r.score}
                for r in self.related
            ],
            "indicators": [
                i.model_dump(
                    include={
                        "name",
                        "value",
                        "unit",
                        "period",
                        "target",
                        "section",
                        "quote",
                        "score",
                        "document",
                    }
                )
                for i in self.indicators
            ],
            "similar": [s.model_dump() for s in self.similar],
            "draft": draft,
        }
