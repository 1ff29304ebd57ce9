"""The topic catalog: keyword matching, absolute in-scope evidence, and the data file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.topics import OUT_OF_SCOPE, TOPICS_FILE, TopicCatalog, TopicFileError

TOPICS = [
    "项目落地",
    "体制机制",
    "项目库",
    "产业链招商",
    "大项目",
    "融资",
    "营商环境与服务",
    "网络招商",
    "外资",
]


@pytest.fixture(scope="module")
def catalog() -> TopicCatalog:
    return TopicCatalog.load()


def test_the_catalog_holds_the_nine_topics(catalog: TopicCatalog) -> None:
    assert catalog.names == [*TOPICS, OUT_OF_SCOPE]
    assert all(catalog.description(name) for name in TOPICS)


def test_longest_keyword_wins_and_is_counted_once(catalog: TopicCatalog) -> None:
    scores = catalog.score("开展网络招商")
    assert scores.hits == {"网络招商": 1}
    assert scores.best() == "网络招商"


def test_title_counts_more(catalog: TopicCatalog) -> None:
    body_only = catalog.score("拓宽融资渠道")
    with_title = catalog.score("拓宽融资渠道", title="关于拓宽融资渠道的建议")
    assert with_title.topics["融资"] > body_only.topics["融资"]


def test_weak_words_alone_are_not_the_bureaus_business(catalog: TopicCatalog) -> None:
    weak = catalog.score("加强对施工企业的安全监管，落实企业主体责任，开展在建项目安全检查。")
    assert not weak.in_scope
    assert catalog.score("建议加大招商引资力度。").in_scope


def test_other_departments_words_outweigh(catalog: TopicCatalog) -> None:
    school = catalog.score("建议引进社会资本投资，加快学校建设，增加教师编制，改善办学条件。")
    assert school.out_of_scope > school.domain and not school.in_scope


def test_strengths_saturate(catalog: TopicCatalog) -> None:
    strong = catalog.score("拓宽融资渠道，加强政银企对接，设立担保基金，加大信贷支持。")
    weak = catalog.score("帮助企业解决资金不足问题。")
    assert strong.strengths()["融资"] == 1.0
    assert 0 < weak.strengths()["融资"] < 1.0
    assert sum(strong.shares().values()) == pytest.approx(1.0)


def test_a_bad_weight_is_reported(tmp_path: Path) -> None:
    data = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    data["topics"][0]["keywords"]["落地"] = -1
    path = tmp_path / "topics.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TopicFileError, match="positive number"):
        TopicCatalog.load(path)


def test_a_missing_part_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "topics.json"
    path.write_text(json.dumps({"topics": []}), encoding="utf-8")
    with pytest.raises(TopicFileError, match="missing"):
        TopicCatalog.load(path)
