"""Indicators from table rows (cells separated by tabs, as the .docx loader writes them).

The first cell names the row, a header row names the columns, and a unit written in a header
("金额（亿元）") applies to bare numbers below it.
"""

from __future__ import annotations

import re

from knowledge.figures import FIGURE_RE, UNITS, period_in
from knowledge.records import Indicator

NUMBER_ONLY_RE = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
HEADER_UNIT_RE = re.compile(rf"[（(]\s*({'|'.join(re.escape(u) for u in UNITS)})\s*[）)]")
# Columns that only say "the value": the row label alone names the figure.
VALUE_COLUMNS = re.compile(
    r"^(?:数值|数量|完成值|完成情况|完成数|实际完成|本期|本年|合计|金额|指标值)?$"
)
TARGET_COLUMNS = re.compile(r"目标|计划")


def is_table_row(line: str) -> bool:
    """True for a line the loader wrote from a table row."""
    return "\t" in line


def table_indicators(rows: list[str], sid: str, period: str | None) -> list[Indicator]:
    """Return the indicators of consecutive table rows."""
    header: list[str] = []
    found: list[Indicator] = []
    for row in rows:
        cells = [cell.strip() for cell in row.split("\t")]
        if not any(_is_number(cell) for cell in cells[1:]):
            header = cells  # a row without figures names the columns below it
            continue
        found.extend(_row(cells, header, sid, period))
    return found


def _row(cells: list[str], header: list[str], sid: str, period: str | None) -> list[Indicator]:
    label = re.sub(r"\s+", "", cells[0])
    row_unit = _header_unit(label)
    label = HEADER_UNIT_RE.sub("", label)
    out: list[Indicator] = []
    target: tuple[str, float] | None = None
    for col, cell in enumerate(cells[1:], start=1):
        column = header[col] if col < len(header) else ""
        parsed = _value(cell, _header_unit(column) or row_unit)
        if parsed is None or not label:
            continue
        value, unit = parsed
        if TARGET_COLUMNS.search(column):
            target = (f"{cell}", value)
            continue
        bare = HEADER_UNIT_RE.sub("", column).strip()
        name = label if VALUE_COLUMNS.match(bare) else f"{label}{bare}"
        out.append(
            Indicator(
                name=name,
                value=value,
                unit=unit,
                period=period_in(column) or period,
                section=sid,
                quote="\t".join(cells),
            )
        )
    if target and out:
        out[0].target, out[0].target_value = target
    return out


def _is_number(cell: str) -> bool:
    text = cell.replace(" ", "")
    return bool(NUMBER_ONLY_RE.match(text) or FIGURE_RE.fullmatch(text))


def _header_unit(column: str) -> str:
    match = HEADER_UNIT_RE.search(column)
    return match.group(1) if match else ""


def _value(cell: str, unit: str) -> tuple[float, str] | None:
    text = cell.replace(" ", "")
    if NUMBER_ONLY_RE.match(text):
        return (float(text.replace(",", "")), unit) if unit else None
    match = FIGURE_RE.fullmatch(text)
    if match:
        return float(match.group(1).replace(",", "")), match.group(3)
    return None
