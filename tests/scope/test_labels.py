"""How a document is shown: its citation name and its identity line."""

from __future__ import annotations

import datetime as dt

from scope.labels import display_name, identity_label


def test_display_name_prefers_the_number_then_the_title_then_issuer_and_date() -> None:
    number = "楚投促〔2024〕3号"
    assert display_name(number, "标题", "楚雄州投资促进局", None) == number
    assert display_name(None, "标题", None, None) == "标题"
    assert display_name(None, "", "南华县投资促进局", dt.date(2024, 3, 1)) == (
        "南华县投资促进局2024年03月01日文件"
    )
    assert display_name(None, "", None, None) == "未署名单位文件"


def test_the_identity_line_names_place_period_and_genre() -> None:
    assert identity_label("南华县", 2022, 1, 3, "brief") == "南华县 · 2022年1-3月 · 简报"
    assert identity_label(None, None, None, None, None) == "地区未识别 · 期间未识别 · 其他"
