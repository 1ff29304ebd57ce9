"""What an answering strategy may read: the snapshot, the figure and entity indexes, the places
the base knows and a sentence search. Narrower than the router, which builds it and owns the
routing decisions; strategies depend on this, never on the router."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nlp.entities import EntityIndex
from nlp.figures import FigureIndex
from nlp.kb import KnowledgeSnapshot
from nlp.query import Query
from nlp.retrieval import Hit, TfidfIndex
from scope.places import Gazetteer

Search = Callable[[Query, "tuple[str, ...] | None", int], list[Hit]]


@dataclass(frozen=True)
class StrategyContext:
    """The read-only parts of one knowledge version that strategies answer from."""

    snapshot: KnowledgeSnapshot
    index: TfidfIndex
    figures: FigureIndex
    entities: EntityIndex
    gazetteer: Gazetteer
    documents_by_year: dict[int, list[int]]
    search_units: Search

    def search(self, query: Query, kinds: tuple[str, ...] | None, k: int = 8) -> list[Hit]:
        """Retrieve sentences for the question (the router's preferred-span search)."""
        return self.search_units(query, kinds, k)
