"""Wording variants that name the same figure fold to one form, in documents and questions."""

from __future__ import annotations

import pytest

from scope.wording import fold_figure_words


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("实际到位省外资金", "省外到位资金"),
        ("产业项目资金到位", "产业项目到位资金"),
        ("第二产业到位资金比重", "二产到位资金占比"),
        ("资金到位率", "资金到位率"),  # a rate of its own
        ("利用外资", "利用外资"),
    ],
)
def test_variants_fold_to_one_name(written: str, folded: str) -> None:
    assert fold_figure_words(written) == folded
