"""Periods: the same span however it is written; years from the text, the date line or 今年."""

from __future__ import annotations

import datetime as dt

import pytest

from scope.periods import Period, document_period, find_span, find_year, only_year


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("一季度", (1, 3)), ("第一季度", (1, 3)), ("1-3月", (1, 3)), ("1至3月", (1, 3)),
        ("1—3月", (1, 3)), ("前三季度", (1, 9)), ("1到9月", (1, 9)), ("截至9月底", (1, 9)),
        ("上半年", (1, 6)), ("下半年", (7, 12)), ("全年", (1, 12)), ("前4个月", (1, 4)),
        ("一月份", (1, 1)), ("第四季度打算", (10, 12)),
    ],
)  # fmt: skip
def test_spans(text: str, span: tuple[int, int]) -> None:
    assert find_span(text) == span


def test_target_horizons_and_dates_are_not_spans() -> None:
    assert find_span("全年目标任务") is None
    assert find_span("年度目标任务62亿元") is None
    assert find_span("3月15日召开") is None


def test_years() -> None:
    assert find_year("2022年全州") == 2022
    assert find_year("23年一季度", short=True) == 2023
    assert find_year("去年同期", 2023) is None  # a growth baseline, not a year asked
    assert find_year("去年签约多少", 2023) == 2022


def test_document_period_takes_the_year_from_the_date_line() -> None:
    assert document_period("全县一季度招商情况通报", "", dt.date(2024, 4, 10)) == Period(
        2024, 1, 3
    )
    # An annual report signed in January is about the year before.
    annual = document_period("全年招商引资工作情况", "", dt.date(2024, 1, 12))
    assert annual == Period(2023, 1, 12)
    assert document_period("2021年全州招商工作报告", "", dt.date(2022, 1, 8)).span == (1, 12)


def test_labels() -> None:
    assert Period(2022, 1, 3).label() == "2022年1-3月"
    assert Period(2022, 1, 12).label() == "2022年全年"
    assert Period(None, 1, 4).label() == "1-4月"


def test_the_one_year_a_body_states_is_its_year() -> None:
    assert only_year("今年前10个月……2017年累计到位资金544亿元，比2016年增长9%") == 2017
    # A horizon or a target year is not the report's year; two years say nothing.
    assert only_year("今年以来……力争到2025年引进项目100个") is None
    assert only_year("2023年签约41个，2024年签约52个") is None
    assert only_year("今年1至9月完成州外到位资金12亿元") is None
