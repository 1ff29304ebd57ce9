from __future__ import annotations

from knowledge.entities import extract_entities
from knowledge.records import Section


def _entities(text: str, exclude: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    found, cited = extract_entities([Section(id="一", text=text)], exclude or set())
    return {e.name: e.type for e in found}, cited


def test_company_suffixes() -> None:
    names, _ = _entities("目前已有华电新能源（禄丰）有限公司、中建三局集团注册落地。")
    assert names["华电新能源（禄丰）有限公司"] == "org"
    assert names["中建三局集团"] == "org"


def test_weak_suffix_needs_a_list() -> None:
    names, _ = _entities("引进了杭州某某科技、苏州某某能源等企业，打造绿色能源基地。")
    assert names.get("杭州某某科技") == "org"
    assert names.get("苏州某某能源") == "org"
    assert "绿色能源" not in names
    assert not any(n.endswith("打造绿色能源") for n in names)


def test_enumeration_grows_known_names() -> None:
    names, _ = _entities("成功引进星河光电、远山钛业、青松等行业龙头企业。青松与我州合作加深。")
    for name in ("星河光电", "远山钛业", "青松"):
        assert names.get(name) == "org", name


def test_chambers_and_media_by_enumeration() -> None:
    names, _ = _entities(
        "邀请温州商会、昆明福建商会等商协会参与，央视频、今日头条等主流媒体报道。"
    )
    assert names["温州商会"] == "org"
    assert names["今日头条"] == "org"
    assert "商协会" not in names


def test_places_counties_and_provinces() -> None:
    names, _ = _entities("在永仁县、武定县举办推介会，邀请广东、浙江客商，各县市积极参与。")
    assert names["永仁县"] == "place"
    assert names["武定县"] == "place"
    assert names["广东"] == "place"
    assert "各县" not in names
    assert not any(n.startswith("在") for n in names)


def test_programmes_in_quotes_and_short_form() -> None:
    names, _ = _entities(
        "打造“绿色能源、绿色食品、健康生活目的地三张牌”，落实“一把手”招商和“五个一百”行动。"
    )
    assert names["一把手"] == "programme"
    assert names["五个一百"] == "programme"
    assert names["三张牌"] == "programme"


def test_cited_documents_and_answered_proposal_excluded() -> None:
    names, cited = _entities(
        "您委《关于加强联动的提案》已交我局办理。制定了《某某州招商引资项目清单管理办法》。",
        exclude={"关于加强联动的提案"},
    )
    assert cited == ["某某州招商引资项目清单管理办法"]
    assert names["某某州招商引资项目清单管理办法"] == "document"
    assert "关于加强联动的提案" not in names


def test_partner_before_a_capacity_and_home_place() -> None:
    found, _ = extract_entities(
        [Section(id="一", text="加大与星火重工20GW组件项目的对接，立足某某州产业特色。")],
        set(),
        "某某州投资促进局",
    )
    names = {e.name: e.type for e in found}
    assert names["星火重工"] == "org"
    assert names["某某州"] == "place"
