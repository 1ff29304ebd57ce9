"""/chart: Chinese labels from the packaged font, one unit per chart, the comparison's series."""

from __future__ import annotations

import warnings
from pathlib import Path

import pylopdf_fonts_zh_cn
import pytest
from matplotlib import font_manager

from bot import chart
from bot.handlers import handle
from bot.incoming import Incoming
from nlp.reply import Fact
from tests.bot.conftest import ALLOWED
from tests.nlp.compare_docs import ingest_comparison_docs


def test_the_font_comes_from_the_package_not_the_machine() -> None:
    assert chart.cjk_font() == "Noto Sans SC"
    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans SC"), fallback_to_default=False
    )
    package = Path(pylopdf_fonts_zh_cn.__file__).parent
    assert Path(found).parent == package and Path(found).suffix == ".otf"


def test_labels_are_drawn_with_the_packaged_font_and_no_glyph_is_missing() -> None:
    bars = [chart.Bar("姚安县", 20.5, None, "亿元"), chart.Bar("大姚县", 18.3, None, "亿元")]
    figure = chart.draw(bars, "州外到位资金（亿元）")
    axes = figure.axes[0]
    labels = axes.get_xticklabels()
    assert [t.get_text() for t in labels] == ["姚安县", "大姚县"]
    package = Path(pylopdf_fonts_zh_cn.__file__).parent
    for text in [*labels, axes.title]:
        assert Path(font_manager.findfont(text.get_fontproperties())).parent == package
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart.render_png(bars, "州外到位资金（亿元）")
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_a_percentage_point_gap_never_gets_a_percentage_target() -> None:
    assert chart.same_unit_target("个百分点", "60%") is None
    assert chart.same_unit_target("%", "60%") == 60.0
    assert chart.same_unit_target("亿元", "630亿元") == 630.0


def test_one_chart_is_one_unit() -> None:
    facts = [
        Fact(name="产业到位资金占比", value=67, unit="%", target="60%", place="楚雄州",
             period="2021年1-6月"),
        Fact(name="产业到位资金占比", value=82, unit="%", target="70%", place="楚雄州",
             period="2022年全年"),
        Fact(name="产业到位资金占比高于目标", value=7, unit="个百分点", target="60%",
             place="楚雄州", period="2021年1-6月"),
    ]  # fmt: skip
    bars = chart.bars_from_facts(facts)
    assert {b.unit for b in bars} == {"%"}
    assert [(b.name, b.value, b.target) for b in bars] == [
        ("2021年1-6月", 67, 60.0), ("2022年全年", 82, 70.0),
    ]  # fmt: skip


@pytest.fixture
def chart_services(make_services, db_url: str, tmp_path: Path):
    services = make_services(db_url=db_url)
    ingest_comparison_docs(services.sessions, tmp_path)
    services.assistant.refresh()
    return services


def _chart(services, *args: str):
    incoming = Incoming(user_id=ALLOWED, chat_id=ALLOWED, command="chart", args=list(args))
    return handle(incoming, services)


def test_chart_name_draws_the_comparison_table(chart_services) -> None:
    reply = _chart(chart_services, "姚安", "大姚", "落地率")
    assert reply.answered and reply.attachments[0].kind == "photo"
    assert reply.attachments[0].data.startswith(b"\x89PNG")
    assert [(f.place, f.value) for f in reply.facts] == [("姚安县", 70.0), ("大姚县", 75.5)]
    assert "签约项目落地率各地对比" in reply.attachments[0].caption
    periods = _chart(chart_services, "姚安州外到位资金")
    assert [f.value for f in periods.facts] == [38.2, 20.5, 46.8, 9.6]
    assert periods.attachments


def test_chart_of_an_unknown_name_says_so_and_draws_nothing(chart_services) -> None:
    reply = _chart(chart_services, "不存在的指标名称")
    assert not reply.attachments and "无法作图" in reply.text


def test_without_the_font_bars_are_numbered_and_the_caption_is_chinese(monkeypatch) -> None:
    monkeypatch.setattr(chart, "font_path", lambda: "/nonexistent/NoFont.otf")
    chart.cjk_font.cache_clear()
    try:
        bars = [chart.Bar("姚安县", 20.5, None, "亿元")]
        labels = chart.draw(bars).axes[0].get_xticklabels()
        assert [t.get_text() for t in labels] == ["1"]
        assert "1. 姚安县：20.5亿元" in chart.caption(bars) and "序号" in chart.caption(bars)
    finally:
        chart.cjk_font.cache_clear()
