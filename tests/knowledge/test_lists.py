"""分别为 lists: one figure per place, in every shape the genre writes them."""

from __future__ import annotations

from knowledge.lists import list_figures


def expand(sentence: str) -> list[tuple[str, str, float, str]]:
    found = list_figures(sentence, "一", "1-6月").indicators
    return [(i.place or "", i.name, i.value, i.unit) for i in found]


def test_places_then_topic_then_values() -> None:
    assert expand("丽江、普洱、临沧的签约项目落地率分别为62%、48%和35%。") == [
        ("丽江市", "签约项目落地率", 62.0, "%"),
        ("普洱市", "签约项目落地率", 48.0, "%"),
        ("临沧市", "签约项目落地率", 35.0, "%"),
    ]


def test_a_second_list_reuses_the_places() -> None:
    found = expand("大姚、永仁州外到位资金分别为6.2亿元和4.9亿元，同比分别增长7.5%和3.1%。")
    assert ("大姚县", "州外到位资金同比增长", 7.5, "%") in found
    assert ("永仁县", "州外到位资金", 4.9, "亿元") in found


def test_values_in_the_next_clause_and_a_counted_group_word() -> None:
    found = expand("姚安、元谋两县的履约率均超过80%，分别为86%和83%。")
    assert found == [("姚安县", "履约率", 86.0, "%"), ("元谋县", "履约率", 83.0, "%")]


def test_unit_only_after_the_last_value_and_a_noun_after_分别() -> None:
    assert [v for *_, v, _u in expand("双柏、武定分别到位资金3.5亿、2.8亿元。")] == [3.5, 2.8]
    assert [u for *_, u in expand("南华、牟定的开工率分别为71、65%。")] == ["%", "%"]


def test_a_list_that_does_not_count_out_is_left_alone() -> None:
    assert expand("南华、牟定的开工率分别为71%、65%和60%。") == []
    # Topics, not places: one figure per rate, no place.
    assert expand("履约率、开工率分别为82%和41%。") == [
        ("", "履约率", 82.0, "%"), ("", "开工率", 41.0, "%"),
    ]  # fmt: skip


def test_a_list_of_rates_shares_its_owner() -> None:
    assert expand("截至目前，园区项目的履约率、开工率和资金到位率分别为76%、52%和18.5%。") == [
        ("", "园区项目履约率", 76.0, "%"),
        ("", "园区项目开工率", 52.0, "%"),
        ("", "园区项目资金到位率", 18.5, "%"),
    ]
    county = expand("全县项目履约率、开工率与资金到位率分别为95%、88%和31%。")
    assert [name for _place, name, *_ in county] == ["项目履约率", "项目开工率", "项目资金到位率"]
    # Nouns that are not rates are left to the clause reader.
    assert expand("签约项目、到位资金分别为58个和85亿元。") == []


def test_a_bare_亿_is_亿元() -> None:
    assert {u for *_, u in expand("双柏、武定、南华分别到位资金3.5亿、2.8亿和1.9亿。")} == {"亿元"}


def test_the_top_places_of_a_ranking_each_get_their_figure() -> None:
    found = expand(
        "区外到位资金完成总量排在前三位的是武定县31.2亿元，禄丰市28.6亿元、元谋县19.4亿元。"
    )
    assert found == [
        ("武定县", "区外到位资金", 31.2, "亿元"),
        ("禄丰市", "区外到位资金", 28.6, "亿元"),
        ("元谋县", "区外到位资金", 19.4, "亿元"),
    ]


def test_分别为_followed_by_place_and_figure_pairs() -> None:
    found = expand("1-9月全州亿元以上新签约项目61个，分别为：南华县12个、武定县9个、禄丰市8个。")
    assert found == [
        ("南华县", "亿元以上新签约项目", 12.0, "个"),
        ("武定县", "亿元以上新签约项目", 9.0, "个"),
        ("禄丰市", "亿元以上新签约项目", 8.0, "个"),
    ]
    top = expand("从县市看，签约协议投资额前3名是楚雄市191亿元、禄丰市97.8亿元、武定县55亿元。")
    assert [(place, value) for place, _n, value, _u in top] == [
        ("楚雄市", 191.0), ("禄丰市", 97.8), ("武定县", 55.0),
    ]  # fmt: skip


def test_a_threshold_name_and_the_citys_own_zone_in_a_pairs_list() -> None:
    found = expand(
        "1-9月全市固投5亿元及以上新签约项目20个，分别为：南华县8个、市开发区7个、武定县5个。"
    )
    assert [(p, n) for p, n, _v, _u in found] == [
        ("南华县", "固投5亿元及以上新签约项目"),
        ("市开发区", "固投5亿元及以上新签约项目"),
        ("武定县", "固投5亿元及以上新签约项目"),
    ]


def test_places_named_in_the_clause_before_the_list() -> None:
    found = expand("南华、武定、元谋等县签约项目较多，且项目落地率分别达到47%、49%和74%。")
    assert [(p, n, v) for p, n, v, _u in found] == [
        ("南华县", "项目落地率", 47.0),
        ("武定县", "项目落地率", 49.0),
        ("元谋县", "项目落地率", 74.0),
    ]


def test_a_list_over_the_three_sectors() -> None:
    assert expand("一、二、三产业分别到位资金为3.2亿元、18.6亿元和9.4亿元。") == [
        ("", "一产到位资金", 3.2, "亿元"),
        ("", "二产到位资金", 18.6, "亿元"),
        ("", "三产到位资金", 9.4, "亿元"),
    ]
