"""Generate documents of the source's genre by varying its figures, names, periods, numbering."""

from __future__ import annotations

import random
import re

ISSUERS = (
    ("楚雄彝族自治州投资促进局", "州投促字"),
    ("禄丰市投资促进局", "禄投促字"),
    ("大姚县投资促进局", "姚投促字"),
    ("南华县投资促进局", "南投促字"),
    ("元谋县投资促进局", "元投促字"),
    ("武定县投资促进局", "武投促字"),
    ("双柏县投资促进局", "双投促字"),
    ("永仁县投资促进局", "永投促字"),
    ("牟定县投资促进局", "牟投促字"),
    ("姚安县投资促进局", "姚安投促字"),
)
COMPANIES = (
    "隆基绿能",
    "晶科能源",
    "三一重能",
    "通威股份",
    "天合光能",
    "宁德时代",
    "比亚迪",
    "华润电力",
    "中广核",
    "国家电投",
    "云天化",
    "紫金矿业",
    "正泰集团",
    "阳光电源",
)
PERIODS = (("1-6月", "上半年"), ("1-3月", "一季度"), ("1-9月", "前三季度"), ("1-12月", "全年"))
NUMBER = re.compile(r"(?<![〔\d])(\d+(?:\.\d+)?)(?=\s*(?:%|个|次|项|家|场|万|亿|吨|GW))")


def _vary_figure(match: re.Match[str], rng: random.Random) -> str:
    text = match.group(1)
    value = float(text) * rng.uniform(0.6, 1.6)
    return f"{value:.1f}" if "." in text else str(max(1, round(value)))


def make_document(template: str, index: int, seed: int = 7) -> str:
    """Return variant `index` of `template`: other issuer, year, period, figures and companies."""
    rng = random.Random(seed * 1_000_003 + index)
    issuer, prefix = ISSUERS[index % len(ISSUERS)]
    year = 2015 + index % 12
    months, half = PERIODS[(index // len(ISSUERS)) % len(PERIODS)]
    text = template.replace("楚雄彝族自治州投资促进局", issuer)
    text = re.sub(r"州投促字〔\d{4}〕\d+号", f"{prefix}〔{year}〕{index + 1}号", text)
    text = re.sub(r"2021(\s*)年", lambda m: f"{year}{m.group(1)}年", text)
    text = text.replace("1-6月", months).replace("上半年", half)
    text = re.sub(r"第\d{3}号提案", f"第{(index % 400) + 1:03d}号提案", text)
    for original in ("隆基绿能", "晶科能源", "三一重能"):
        text = text.replace(original, rng.choice(COMPANIES))
    return NUMBER.sub(lambda m: _vary_figure(m, rng), text)
