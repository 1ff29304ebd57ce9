"""Periods: a year and a span of months, however the text writes them.

一季度 / 1-3月 / 1至3月 / 第一季度 are the same span (1, 3); 前三季度 and 1-9月 are (1, 9). A
figure's period is the span its clause names, in the year its clause, section, title or date
line gives; a question's period is matched against that by equality, never by "close enough".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

FULL_YEAR = (1, 12)
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_SPANS: tuple[tuple[re.Pattern[str], tuple[int, int] | str | None], ...] = (
    (re.compile(rf"{_MONTH}\s*[-—–~～至到]\s*{_MONTH}\s*月"), None),
    (re.compile(r"前三季度|前3季度"), (1, 9)),
    (re.compile(r"第?[一1]季度"), (1, 3)),
    (re.compile(r"第?[二2]季度"), (4, 6)),
    (re.compile(r"第?[三3]季度"), (7, 9)),
    (re.compile(r"第?[四4]季度"), (10, 12)),
    (re.compile(r"上半年|前半年"), (1, 6)),
    (re.compile(r"下半年|后半年"), (7, 12)),
    (re.compile(r"全年(?!目标|任务|计划|预计)|全年度|一整年|年度(?!目标|任务|计划)"), FULL_YEAR),
    (re.compile(rf"(?:截至|截止|到)\s*{_MONTH}\s*月(?:底|末|份)?"), None),
    (re.compile(rf"(?<![\d\-—至到]){_MONTH}\s*月(?:底|末)(?!\d)"), None),
    (re.compile(rf"前\s*{_MONTH}\s*个?\s*月"), None),
    # A single month ("一月份", "3月"), last: a range or 截至 reading of the same text wins.
    (re.compile(rf"(?<![\d\-—至到~～]){_MONTH}\s*月(?:份)?(?![\d日底末])"), "single"),
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_SHORT_YEAR = re.compile(r"(?<![\d.])([12]\d)\s*年(?!度?目标)")
_ANNUAL = re.compile(r"\d{4}\s*年(?:度)?[\u4e00-\u9fff]{0,16}(?:总结|年报)")
_HORIZON_BEFORE = re.compile(r"(?:到|至|截至|力争|预计|计划|争取|于)\s*$")
_HORIZON_AFTER = re.compile(r"\s*(?:前|底|末|以前|目标|计划|规划|远景)")
_RELATIVE = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# "比去年同期增长" defines a growth rate; it does not ask about last year.
_BASELINE = re.compile(
    r"(?:比|较|与|同|对比|相比|相较)(?:于)?(?:去年|上年|\d{4}年)(?:同期)?(?:相比)?|去年同期|上年同期"
)


@dataclass(frozen=True)
class Period:
    """A year (when known) and a span of months (when known)."""

    year: int | None = None
    start: int | None = None
    end: int | None = None

    @property
    def span(self) -> tuple[int, int] | None:
        """Return (first month, last month), or None when the text gave no span."""
        return (self.start, self.end) if self.start and self.end else None

    def label(self) -> str:
        """Return how a reply names the period: 2022年1-3月, 2022年全年, 1-6月."""
        year = f"{self.year}年" if self.year else ""
        span = self.span
        if span is None:
            return year or "期间未注明"
        if span == FULL_YEAR:
            return f"{year}全年"
        if span[0] == span[1]:
            return f"{year}{span[0]}月"
        return f"{year}{span[0]}-{span[1]}月"


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _CN_MONTH.get(token, 0)


def find_span(text: str) -> tuple[int, int] | None:
    """Return the first span of months `text` names (一季度 -> (1, 3))."""
    best: tuple[int, tuple[int, int]] | None = None
    for pattern, fixed in _SPANS:
        match = pattern.search(text or "")
        if match is None:
            continue
        if fixed == "single":
            span = (_month(match.group(1)), _month(match.group(1)))
        elif isinstance(fixed, tuple):
            span = fixed
        elif len(match.groups()) == 2:
            span = (_month(match.group(1)), _month(match.group(2)))
        else:
            span = (1, _month(match.group(1)))
        if 1 <= span[0] <= span[1] <= 12 and (best is None or match.start() < best[0]):
            best = (match.start(), span)
    return best[1] if best else None


def find_year(text: str, reference: int | None = None, *, short: bool = False) -> int | None:
    """Return the year `text` names: 2022年, 22年 (when `short`), or 今年/去年 from `reference`."""
    plain = _BASELINE.sub("", text or "")
    match = _YEAR.search(plain)
    if match:
        return int(match.group(1))
    if short:
        match = _SHORT_YEAR.search(plain)
        if match:
            return 2000 + int(match.group(1))
    if reference is not None:
        for word, delta in _RELATIVE.items():
            if word in plain:
                return reference + delta
    return None


def only_year(text: str) -> int | None:
    """The one year a text states, when it states exactly one ("2017年累计到位资金…").

    Baselines (比2016年) and horizons (到2025年, 2025年目标) are not the text's own year.
    """
    years = {
        int(m.group(1))
        for m in _YEAR.finditer(_BASELINE.sub("", text or ""))
        if not _HORIZON_BEFORE.search(text[max(0, m.start() - 4) : m.start()])
        and not _HORIZON_AFTER.match(text, m.end())
    }
    return years.pop() if len(years) == 1 else None


def document_period(
    title: str, opening: str, date: dt.date | None, body: str = ""
) -> Period:
    """Return the period a document reports on, from its title, first lines and date line.

    A year only in the date line ("2023年4月12日" under "全州一季度…") is the report's year,
    unless the span ends after the date's month (an annual report dated in January).
    """
    span = find_span(title) or find_span(opening)
    year = find_year(title) or find_year(opening, date.year if date else None)
    if year is None and date is not None:
        year = date.year - 1 if span and span[1] > date.month else date.year
    if year is None:
        year = only_year(body)  # "今年前10个月…" and, further down, "2017年累计…"
    if span is None and year is not None and date is not None and date.year > year:
        span = FULL_YEAR  # "2022年全州招商引资工作情况" written in 2023: the whole year
    if span is None and year is not None and _ANNUAL.search(title):
        span = FULL_YEAR  # "区投促局2022年工作总结", even when published on 31 December
    return Period(year, *(span or (None, None)))


# Every way a text writes a year or a span: removed from a question before its topic is matched.
PERIOD_WORDS = re.compile(
    "|".join([p.pattern for p, _ in _SPANS] + [r"(?<!\d)(?:20)?\d\d\s*年", "今年|去年|上年|本年"])
)
