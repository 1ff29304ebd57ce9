"""Figures are shown as the document words them: estimates stay estimates."""

from __future__ import annotations

import pytest

from nlp.compose import hedged


@pytest.mark.parametrize(
    ("number", "unit", "quote", "expected"),
    [
        ("100", "万人", "三场直播推介近 100 万人参与观看", "近100万人"),
        ("1000", "家", "商协会1000多家企业在线参与", "1000多家"),
        ("50", "亿元", "签约金额约50亿元", "约50亿元"),
        ("3", "场", "举办3场网络招商推介会", "3场"),
        ("1000", "亩", "盘活闲置土地1000亩以上", "1000亩以上"),
        ("19.4", "%", "到位资金增长19.4%", "19.4%"),
        ("8", "家", "引进了18家企业和8家配套企业", "8家"),  # not the 8 inside 18
        ("12", "个", "引文里没有这个数", "12个"),
    ],
)
def test_hedged_keeps_the_documents_wording(
    number: str, unit: str, quote: str, expected: str
) -> None:
    assert hedged(number, unit, quote) == expected
