from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhtext.width import fold_width


def test_document_text_folds_figures_and_keeps_chinese_punctuation() -> None:
    assert fold_width("增长１９．４％") == "增长19.4%"
    assert fold_width("（一）加强对接：") == "（一）加强对接："


def test_zero_width_marks_and_bom_are_dropped() -> None:
    assert fold_width("\ufeff招商\u200b引资") == "招商引资"
    assert fold_width("招商\u200b引资", punctuation=True) == "招商引资"


def test_odd_spaces_become_plain_spaces() -> None:
    assert fold_width("一\u00a0二\u2003三") == "一 二 三"


def test_question_text_folds_punctuation_too() -> None:
    assert fold_width("ＡＢＣ１２３？％", punctuation=True) == "ABC123?%"
    assert fold_width("（一）", punctuation=True) == "(一)"


@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(text: str) -> None:
    once = fold_width(text)
    assert fold_width(once) == once
