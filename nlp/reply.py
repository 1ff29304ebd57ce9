"""The reply model: the one object every transport (Telegram, console, CLI) renders."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal[
    "indicator", "measure", "plan", "entity", "document", "triage", "help", "out_of_scope"
]
INTENTS: tuple[str, ...] = (
    "indicator",
    "measure",
    "plan",
    "entity",
    "document",
    "triage",
    "help",
    "out_of_scope",
)


class Citation(BaseModel):
    """Where an answer comes from: document number, section id and the quoted sentence."""

    document: str
    section: str | None = None
    quote: str = ""
    document_id: int | None = None


class Fact(BaseModel):
    """One figure; facts[0] of a reply is the figure the question asked for."""

    name: str
    value: float
    unit: str = ""
    period: str | None = None
    target: str | None = None
    section: str | None = None
    quote: str = ""
    progress: str | None = None
    gap: str | None = None
    document: str | None = None
    place: str | None = None  # the place the figure is about (a comparison table's rows)


class Button(BaseModel):
    """A tappable button: a label and a compact payload (callback data or a question)."""

    label: str
    data: str


class Reply(BaseModel):
    """What the assistant says back."""

    intent: str
    confidence: float = 0.0
    answered: bool = False
    text: str = ""
    citations: list[Citation] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    buttons: list[list[Button]] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)


class Attachment(BaseModel):
    """A file to send alongside the text (a .docx draft, a PNG chart)."""

    filename: str
    kind: Literal["document", "photo"] = "document"
    data: bytes = b""
    caption: str = ""


Reply.model_rebuild()
