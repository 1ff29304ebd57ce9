from __future__ import annotations

from knowledge.tables import is_table_row, table_indicators


def test_table_rows_named_by_row_and_column() -> None:
    text = "\n".join(
        [
            "指标\t完成值\t目标\t同比增长",
            "州外到位资金（亿元）\t120.5亿元\t200亿元\t12.3%",
            "签约项目\t45个\t\t",
            "项目\t金额（亿元）",
            "新签约\t88.2",
        ]
    )
    found = table_indicators(text.split("\n"), "一", "1-6月")
    by = {(i.name, i.value): i for i in found}
    main = by[("州外到位资金", 120.5)]
    assert main.unit == "亿元" and main.target == "200亿元" and main.period == "1-6月"
    assert by[("州外到位资金同比增长", 12.3)].unit == "%"
    assert by[("签约项目", 45)].unit == "个"
    assert by[("新签约", 88.2)].unit == "亿元"


def test_table_row_detection_and_header_only_tables() -> None:
    assert is_table_row("指标\t数值")
    assert not is_table_row("全县新增企业5家。")
    assert table_indicators(["指标\t说明", "招商\t进展顺利"], "一", None) == []
