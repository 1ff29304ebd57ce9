from __future__ import annotations

from nlp.entities import EntityIndex, short_name
from nlp.kb_records import EntityInfo

ENTITIES = [
    EntityInfo(1, "宏达新材料科技有限公司", "org", "二"),
    EntityInfo(1, "云岭食品集团", "org", "二"),
    EntityInfo(2, "云岭食品集团", "org", "二"),
    EntityInfo(1, "永仁县", "place", "二"),
]


def test_short_name_drops_the_legal_suffix() -> None:
    assert short_name("云岭食品集团") == "云岭食品"
    assert short_name("宏达新材料科技有限公司") == "宏达新材料科技"


def test_full_and_short_forms_are_found_in_a_question() -> None:
    index = EntityIndex(ENTITIES)
    assert index.find("云岭食品有什么项目") == ["云岭食品集团"]
    assert index.find("永仁县办了什么") == ["永仁县"]


def test_a_distinctive_fragment_finds_the_full_name() -> None:
    found = EntityIndex(ENTITIES).find("宏达新材料", core="宏达新材料")
    assert found == ["宏达新材料科技有限公司"]


def test_nothing_named_finds_nothing() -> None:
    assert EntityIndex(ENTITIES).find("融资难怎么办", core="融资难") == []
