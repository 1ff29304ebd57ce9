from __future__ import annotations

import pytest
import zhconv
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.normalize import (
    collapse_spaces,
    normalize,
    normalize_for_match,
    to_simplified,
)


def test_traditional_characters_become_simplified() -> None:
    assert to_simplified("州外到位資金增長多少") == "州外到位资金增长多少"


# Mixed simplified/traditional text, including the phrase-level entries (乾隆, 著作, 麼).
_HAN = st.text(
    alphabet=st.sampled_from(
        "州外到位資金增長多少资金增长乾隆著作麼么干幹乾后後里裡发發台臺面麵了瞭"
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_HAN)
def test_shortcut_agrees_with_full_conversion(text: str) -> None:
    assert to_simplified(text) == zhconv.convert(text, "zh-hans")


def test_ascii_passes_through_simplification_unchanged() -> None:
    assert to_simplified("qwerty") == "qwerty"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19. 4 %", "19.4%"),
        ("23 万元", "23万元"),
        ("州外 到位资金", "州外到位资金"),
        ("增长 19.4", "增长19.4"),
        ("  hello   world ", "hello world"),
    ],
)
def test_spaces_inside_figures_and_chinese_runs_are_removed(raw: str, expected: str) -> None:
    assert collapse_spaces(raw) == expected


def test_normalize_combines_every_fold() -> None:
    assert normalize("  州外 到位資金 增長 １９. ４ ％？ ") == "州外到位资金增长19.4%?"


def test_normalize_unifies_dashes_in_periods() -> None:
    assert normalize("1—6月") == "1-6月"


def test_normalize_of_empty_text_is_empty() -> None:
    assert normalize("") == ""


def test_match_form_is_lower_case_without_spaces() -> None:
    assert normalize_for_match("PPP 模式") == "ppp模式"
