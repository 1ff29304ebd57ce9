"""/chart: a PNG bar chart of one figure across places or periods (matplotlib, no pyplot state).

Chinese labels are drawn with Noto Sans SC (SIL OFL 1.1) from the pylopdf-fonts-zh-cn package,
registered with matplotlib from the package's own file: a fresh machine without any CJK font
draws them, and nothing is downloaded. One chart is one unit: a target is drawn only when it
is in its value's unit, so a percentage-point gap is never set against a percentage.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pylopdf_fonts_zh_cn

from nlp.figures import number_with_unit
from nlp.reply import Fact

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

logger = logging.getLogger(__name__)
MAX_LABEL = 10


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and (same-unit) target."""

    name: str
    value: float
    target: float | None
    unit: str


def font_path() -> str:
    """The packaged Noto Sans SC file."""
    return str(pylopdf_fonts_zh_cn.sans_path())


@cache
def cjk_font() -> str | None:
    """Register the packaged CJK font with matplotlib; its family name, or None if it failed."""
    from matplotlib import font_manager  # imported here: matplotlib costs ~0.5 s to import

    try:
        path = font_path()
        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    except (OSError, RuntimeError, ValueError) as exc:
        logger.warning("chart font not loaded, bars are numbered: %s", exc)
        return None


def same_unit_target(unit: str, target: str | None) -> float | None:
    """The target's number when it is written in the value's unit ("60%" for a %), else None."""
    parsed = number_with_unit(target)
    if parsed is None or (parsed[1] or "") != unit:
        return None
    return parsed[0]


def bars_from_facts(facts: Sequence[Fact]) -> list[Bar]:
    """A comparison table's rows as bars: places, or periods when every row is one place."""
    places = {f.place for f in facts}
    periods = {f.period for f in facts}
    bars = []
    for fact in facts:
        if len(places) == 1:
            label = fact.period or ""
        elif len(periods) == 1:
            label = fact.place or ""
        else:
            label = f"{fact.place or ''}{fact.period or ''}"
        bars.append(Bar(label, fact.value, same_unit_target(fact.unit, fact.target), fact.unit))
    return one_unit(bars)


def one_unit(bars: Sequence[Bar]) -> list[Bar]:
    """The bars of the most common unit (one axis never mixes 亿元 with %)."""
    if not bars:
        return []
    unit = Counter(b.unit for b in bars).most_common(1)[0][0]
    return [b for b in bars if b.unit == unit]


def draw(bars: Sequence[Bar], title: str = "") -> MplFigure:
    """Lay out the values (and same-unit targets); numbered bars only if the font failed."""
    from matplotlib.figure import Figure  # imported here: matplotlib costs ~0.5 s to import

    font = cjk_font()
    family = font or "DejaVu Sans"
    labels = [b.name[:MAX_LABEL] if font else str(i) for i, b in enumerate(bars, 1)]
    figure = Figure(figsize=(max(4.0, 1.0 * len(bars) + 1.5), 4.2), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(bars)))
    targets = any(b.target is not None for b in bars)
    width = 0.4 if targets else 0.6
    shift = width / 2 if targets else 0.0
    values = axes.bar([p - shift for p in positions], [b.value for b in bars], width,
                      label="实际" if font else "value")  # fmt: skip
    axes.bar_label(values, fmt="%g", fontsize=8)
    if targets:
        axes.bar([p + shift for p in positions], [b.target or 0.0 for b in bars], width,
                 label="目标" if font else "target")  # fmt: skip
        axes.legend(prop={"family": family})
    axes.set_xticks(positions, labels, fontfamily=family, rotation=20 if len(bars) > 5 else 0)
    if font:
        axes.set_ylabel(bars[0].unit if bars else "", fontfamily=family)
        if title:
            axes.set_title(title, fontfamily=family)
    figure.tight_layout()
    return figure


def render_png(bars: Sequence[Bar], title: str = "") -> bytes:
    """The chart as PNG bytes."""
    buffer = io.BytesIO()
    draw(bars, title).savefig(buffer, format="png")
    return buffer.getvalue()


def caption(bars: Sequence[Bar], title: str = "指标与目标对比") -> str:
    """The chart's text: one numbered line per bar, its value and target."""
    lines = [f"{title}："]
    for i, b in enumerate(bars, 1):
        target = f"，目标{b.target:g}{b.unit}" if b.target is not None else ""
        lines.append(f"{i}. {b.name}：{b.value:g}{b.unit}{target}")
    if cjk_font() is None:
        lines.append("（图中字体未能加载，柱子按上列序号标注。）")
    return "\n".join(lines)
