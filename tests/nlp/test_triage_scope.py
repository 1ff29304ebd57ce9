"""Scope and topic on proposals shaped like real ones: other departments' work is named as such."""

from __future__ import annotations

import pytest

from nlp.topics import OUT_OF_SCOPE, TopicCatalog
from nlp.triage import Triager
from tests.nlp import proposal_samples as s
from tests.nlp.triage_support import kb_base, kb_triager, triage_tokenizer

__all__ = ["kb_base", "kb_triager", "triage_tokenizer"]


@pytest.mark.parametrize(
    ("text", "department", "area_word"),
    [
        (s.WEB_ELDERLY, "民政局", "养老"),
        (s.IRRIGATION, "水务局", "水利"),
        (s.ROAD_FORM, "交通运输局", "公路"),
        (s.CLINIC, "卫健委", "医疗"),
    ],
)
def test_other_departments_work_is_returned_with_reason_and_department(
    kb_triager: Triager, text: str, department: str, area_word: str
) -> None:
    result = kb_triager.analyze(text)
    assert not result.in_scope and result.topic == OUT_OF_SCOPE
    assert result.department == department
    assert area_word in result.scope_reason and department in result.scope_reason
    assert result.related == [] and result.indicators == []


@pytest.mark.parametrize(
    ("text", "topic"),
    [(s.PARK_SYSTEM, "产业链招商"), (s.ENTRY_BARRIER, "营商环境与服务")],
)
def test_bureau_proposals_get_their_topic(kb_triager: Triager, text: str, topic: str) -> None:
    result = kb_triager.analyze(text)
    assert result.in_scope and result.topic == topic
    assert result.department is None and result.scope_reason == ""


def test_money_words_in_an_elderly_care_text_do_not_make_it_bureau_business() -> None:
    scores = TopicCatalog.load().score(s.WEB_ELDERLY)
    assert scores.domain > 0  # 贷款贴息、社会资本 are there ...
    assert not scores.in_scope  # ... but the text is about elderly care


def test_no_department_is_named_when_two_are_close() -> None:
    scores = TopicCatalog.load().score(
        "建议统筹推进农田水利、灌溉设施和高标准农田、春耕备耕工作。"
    )
    assert scores.departments["水务局"] > 0 and scores.departments["农业农村局"] > 0
    assert scores.department() is None
