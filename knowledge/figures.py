"""Low-level patterns for figures: numbers with units, periods, targets, clause splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Base units; any of them may carry a 万/亿 multiplier ("42万平方米", "1.2万户", "5亿").
BASE_UNITS = (
    "个百分点", "百分点", "个工作日", "个月", "人次", "美元", "元", "吨", "千瓦", "GW", "MW",
    "kW", "KW", "亩", "平方公里", "平方米", "公里", "千米", "%", "‰", "倍", "家", "个", "项",
    "次", "场", "批", "户", "件", "条", "台", "套", "名", "人", "位", "篇", "期", "所", "座",
    "处", "天", "年", "辆", "张", "份", "宗", "例", "栋",
)  # fmt: skip
UNITS = (
    *(f"{big}{unit}" for big in ("万", "亿") for unit in BASE_UNITS if unit not in "%‰"),
    *BASE_UNITS, "万", "亿",
)  # fmt: skip
PEOPLE_UNITS = ("万人次", "人次", "万人", "人", "名")
PHYSICAL_UNITS = (
    "吨", "千瓦", "GW", "MW", "kW", "KW", "亩", "平方公里", "平方米", "公里", "千米",
)  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
FIGURE_RE = re.compile(
    rf"(?<![\d.\-A-Za-z])(\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(多|余)?\s*({_UNIT_ALT})(?![A-Za-z])"
)
PERIOD_RE = re.compile(
    r"(?:\d{4}年)?(?:\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月(?:份)?|上半年|下半年|前三季度|第?[一二三四1-4]季度|"
    r"全年(?!目标|任务|计划)|今年以来|年初以来|(?:截至|截止)?\d{1,2}月(?:底|末|份)?(?![\d日])|"
    r"前\d{1,2}个?月|前[二三四五六七八九十]{1,2}个?月|[一二三四五六七八九十]{1,2}月份)"
)
# "完成目标任务45亿元的…", "完成州政府下达任务数132.63亿元的90.8%": a target's amount.
TARGET_RE = re.compile(
    r"(?:目标(?:任务)?|下达任务数?)(?:[（(]\s*(\d+(?:\.\d+)?)\s*(%|亿元|万元|万美元|个|项)?\s*[）)]|"
    r"(?:为|是)?(\d+(?:\.\d+)?)(%|亿元|万元|万美元|个|项)(?=的))|"
    r"目标(?:任务)?(?:为|是)(\d+(?:\.\d+)?)(%|亿元|万元|万美元|个|项)|"
    # "完成全年到位资金7000亿元目标任务的68.09%": the amount written before the word.
    r"(\d+(?:\.\d+)?)(亿元|万元|万美元|个|项)(?:的)?(?:预期|工作|考核|年度)?目标(?:任务)?(?=的)"
)
CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
SENTENCE_RE = re.compile(r"[^。！？!?]+[。！？!?]?")


@dataclass(frozen=True)
class Figure:
    """One number with its unit, and where it sits in its clause."""

    value: float
    unit: str
    start: int
    end: int
    approx: bool = False


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (keeping the end mark)."""
    return [s.strip() for s in SENTENCE_RE.findall(paragraph) if s.strip()]


def clauses(sentence: str) -> list[str]:
    """Split a sentence at ， ； ： outside quotes and brackets."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for char in sentence:
        if char in "“（(《‘":
            depth += 1
        elif char in "”）)》’" and depth:
            depth -= 1
        if depth == 0 and CLAUSE_SPLIT.fullmatch(char):
            out.append("".join(current))
            current = []
            continue
        current.append(char)
    out.append("".join(current).rstrip("。！？!?"))
    return [c.strip() for c in out if c.strip()]


def figures_in(clause: str) -> list[Figure]:
    """Return the figures of a clause that are measurements (not years, ranges or thresholds)."""
    masked = _mask(clause)
    found: list[Figure] = []
    for match in FIGURE_RE.finditer(masked):
        number, approx, unit = match.group(1), match.group(2), match.group(3)
        after = masked[match.end() : match.end() + 5]
        if masked[max(0, match.start() - 1) : match.start()] == "第":
            continue  # an ordinal ("排名第2位"), not a quantity
        if unit == "年" and (len(number) == 4 or not after.startswith(("来", "内", "间"))):
            continue
        if unit == "个" and after.startswith("月"):
            continue
        if re.match(r"(?:以上|以下|及以上|以内|左右的)", after) and _threshold(after):
            continue
        value = float(number.replace(",", ""))
        # A bare 亿 is money in this genre ("到位资金9.2亿"): one label with the 亿元 figures.
        unit = "亿元" if unit == "亿" else unit
        found.append(Figure(value, unit, match.start(), match.end(), bool(approx)))
    return found


def _threshold(after: str) -> bool:
    """'5亿元以上项目' is a threshold in a name, '增长5%以上，' is a figure."""
    rest = re.sub(r"^(?:及以上|以上|以下|以内|左右的)", "", after)
    return bool(rest) and rest[0] not in "，,。；;、）)"


def _mask(clause: str) -> str:
    """Blank out quoted text, document titles and stated targets, keeping offsets."""

    def blank(match: re.Match[str]) -> str:
        return "□" * len(match.group(0))

    masked = re.sub(r"“[^”]*”|《[^》]*》|‘[^’]*’", blank, clause)
    masked = TARGET_RE.sub(blank, masked)
    masked = re.sub(r"(?<!\d)\d+\s*-\s*\d{1,2}\s*月", blank, masked)
    masked = re.sub(r"前\s*\d{1,2}\s*个?月", blank, masked)  # "前10个月" is a period
    return re.sub(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?", blank, masked)


def target_in(clause: str) -> tuple[str, float] | None:
    """Return ("15%", 15.0) when the clause states a target."""
    match = TARGET_RE.search(clause)
    if not match:
        return None
    groups = match.groups()
    at = next(i for i in (0, 2, 4, 6) if groups[i])
    number, unit = groups[at], groups[at + 1] or "%"
    return f"{number}{unit}", float(number)


def period_in(text: str) -> str | None:
    """Return the first period expression in `text` (1-6月, 上半年, 2021年 ...)."""
    match = PERIOD_RE.search(text)
    return match.group(0) if match else None
