"""/chart: a PNG bar chart of indicators against their targets (matplotlib, no pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Source Han Sans SC",
)


@dataclass(frozen=True)
class Bar:
    """One indicator to draw: name, actual value, target value (same unit)."""

    name: str
    value: float
    target: float | None
    unit: str


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def render_png(bars: Sequence[Bar], title: str = "") -> bytes:
    """Draw actual values next to targets; without a CJK font, bars are numbered (see caption)."""
    from matplotlib.figure import Figure  # imported here: matplotlib costs ~0.5 s to import

    font = _cjk_font()
    labels = [b.name[:8] if font else str(i) for i, b in enumerate(bars, 1)]
    figure = Figure(figsize=(max(4.0, 0.9 * len(bars) + 1.5), 4.0), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(bars)))
    width = 0.4
    axes.bar([p - width / 2 for p in positions], [b.value for b in bars], width, label="actual")
    axes.bar(
        [p + width / 2 for p in positions],
        [b.target or 0.0 for b in bars],
        width,
        label="target",
    )
    axes.set_xticks(positions, labels, fontfamily=font or "DejaVu Sans")
    axes.legend()
    if title and font:
        axes.set_title(title, fontfamily=font)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def caption(bars: Sequence[Bar]) -> str:
    """Return the legend text: number, name, actual and target."""
    lines = ["指标与目标对比："]
    for i, b in enumerate(bars, 1):
        target = f"，目标{b.target:g}{b.unit}" if b.target is not None else ""
        lines.append(f"{i}. {b.name}：{b.value:g}{b.unit}{target}")
    return "\n".join(lines)
