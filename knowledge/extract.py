"""Fill a ParsedDocument's indicators, items, entities and cited documents from its sections."""

from __future__ import annotations

from knowledge.records import ParsedDocument


def extract_into(doc: ParsedDocument) -> None:
    """Extract every record kind from `doc.sections` into `doc`."""
