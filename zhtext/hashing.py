"""The content hash that recognises a text seen before (a re-sent file or proposal)."""

from __future__ import annotations

import hashlib


def content_hash(text: str) -> str:
    """Return the sha256 (hex) of `text` with every whitespace character removed.

    Extraction and copy-paste move line breaks and spaces around, never the words, so the same
    document or proposal hashes the same however it was laid out. Callers fold anything else
    that should not count (width, script) before hashing. The value is stored in the database:
    changing this rule makes every stored hash stale.
    """
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()
