"""Find the companies, places and programmes a question names, at any base size."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.kb_records import EntityInfo

ORG_SUFFIX = re.compile(r"(股份)?有限(责任)?公司$|集团$|公司$")
MAX_NAME = 30


def short_name(name: str) -> str:
    """Return the distinctive part of an organisation name ("云岭食品集团" -> "云岭食品")."""
    return ORG_SUFFIX.sub("", name)


class EntityIndex:
    """Distinct entity names, looked up by any substring of the question."""

    def __init__(self, entities: Iterable[EntityInfo]) -> None:
        self.lookup: dict[str, set[str]] = {}
        self.postings: dict[str, set[str]] = {}
        for entity in entities:
            name = entity.name
            for form in {name, short_name(name)}:
                if len(form) >= 2:
                    self.lookup.setdefault(form, set()).add(name)
            for i in range(len(name) - 1):
                self.postings.setdefault(name[i : i + 2], set()).add(name)
        self.longest = min(MAX_NAME, max((len(k) for k in self.lookup), default=0))

    def find(self, text: str, core: str = "") -> list[str]:
        """Return names whose full or short form occurs in `text`, or that contain `core`."""
        found: set[str] = set()
        for i in range(len(text)):
            for j in range(i + 2, min(len(text), i + self.longest) + 1):
                names = self.lookup.get(text[i:j])
                if names:
                    found |= names
        if not found and len(core) >= 3:
            grams = [core[i : i + 2] for i in range(len(core) - 1)]
            pools = sorted((self.postings.get(g, set()) for g in grams), key=len)
            if pools and pools[0]:
                found = {n for n in pools[0].intersection(*pools[1:]) if core in n}
        return sorted(found, key=len, reverse=True)
