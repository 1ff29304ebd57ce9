"""How a document is shown to people: its name in citations, and 南华县 · 2022年1-3月 · 简报."""

from __future__ import annotations

import datetime as dt

from scope.periods import Period

GENRE_NAMES = {
    "reply": "答复", "news": "新闻", "brief": "简报", "summary": "总结/报告", "plan": "计划",
    "other": "其他",
}  # fmt: skip


def identity_label(
    subject: str | None, year: int | None, start: int | None, end: int | None, genre: str | None
) -> str:
    """One short line: the place reported on, the period, the genre."""
    period = Period(year, start, end)
    parts = [
        subject or "地区未识别",
        period.label() if year or period.span else "期间未识别",
        GENRE_NAMES.get(genre or "other", genre or "其他"),
    ]
    return " · ".join(parts)


def display_name(number: str | None, title: str, issuer: str | None, date: dt.date | None) -> str:
    """Name a document in citations: its 文号, else its title, else issuer and date.

    The one naming rule: ingestion stores it (knowledge/identity.py) and the snapshot falls
    back to it for a row stored without one.
    """
    if number:
        return number
    if title:
        return title
    stamp = f"{date:%Y年%m月%d日}" if date else ""
    return f"{issuer or '未署名单位'}{stamp}文件"


def number_label(value: float) -> str:
    """Write a figure as the page wrote it: 557 (not 557.0), 19.4, 215.0391 (all its digits)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.12g}"
