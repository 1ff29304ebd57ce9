"""The question as strategies see it, and what a strategy hands back."""

from __future__ import annotations

from dataclasses import dataclass

from nlp.classifier import IntentPrediction
from nlp.features import Analysis
from nlp.periods import Scope
from nlp.reply import Reply


@dataclass(frozen=True)
class Query:
    """A normalised, analysed, classified question with its period/year/place scope."""

    text: str
    analysis: Analysis
    prediction: IntentPrediction
    scope: Scope


@dataclass(frozen=True)
class Candidate:
    """A strategy's reply and how strong its evidence is (0..1)."""

    reply: Reply
    evidence: float
