from __future__ import annotations

import pytest

from knowledge.figures import clauses, figures_in, period_in, sentences, target_in
from scope.labels import number_label


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("1-6月，全州", "1-6月"),
        ("上半年州县共开展", "上半年"),
        ("2021年上半年", "2021年上半年"),
        ("截至6月底，全县", "截至6月底"),
        ("前三季度", "前三季度"),
        ("高于全年目标", None),
        ("8月20日", None),
    ],
)
def test_period_in(text: str, period: str | None) -> None:
    assert period_in(text) == period


def test_figures_skip_years_ranges_thresholds_quotes_targets() -> None:
    clause = "2021年1-6月开工5亿元以上项目24项，高于目标（15%）4.4个百分点，“3个一”行动"
    got = [(f.value, f.unit) for f in figures_in(clause)]
    assert got == [(24, "项"), (4.4, "个百分点")]


def test_figures_with_commas_and_more_than() -> None:
    got = [(f.value, f.unit, f.approx) for f in figures_in("引进1,200多家企业")]
    assert got == [(1200, "家", True)]


def test_growth_with_floor_is_a_figure_not_a_threshold() -> None:
    assert [(f.value, f.unit) for f in figures_in("增长5%以上，")] == [(5, "%")]


def test_target_in() -> None:
    assert target_in("高于全年目标（15%）4.4个百分点") == ("15%", 15.0)
    assert target_in("全年目标为300亿元") == ("300亿元", 300.0)
    assert target_in("增长19.4%") is None


def test_sentences_and_clauses_respect_quotes() -> None:
    assert sentences("第一句。第二句！第三句") == ["第一句。", "第二句！", "第三句"]
    assert clauses("开展“请进来、走出去，引进来”557次，省内50次；其中：省外2次。") == [
        "开展“请进来、走出去，引进来”557次",
        "省内50次",
        "其中",
        "省外2次",
    ]


def test_number_label_keeps_every_digit_the_page_wrote() -> None:
    assert (number_label(19.4), number_label(557.0)) == ("19.4", "557")
    assert number_label(215.0391) == "215.0391"  # not rounded to six digits
