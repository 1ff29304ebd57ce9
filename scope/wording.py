"""Wording variants of the genre that mean the same figure, folded the same way everywhere.

Figure names (knowledge) and questions (nlp) both pass through here, so "到位州外资金",
"实际到位省外资金" and "州外到位资金" meet as one name, as do 第二产业 and 二产.
"""

from __future__ import annotations

import re

_REORDERED = re.compile(r"(?:实际)?到位([省州市县区境]外)资金")


_FUNDS_IN = re.compile(r"资金到位(?!率)")
_SECTOR = re.compile(r"第([一二三])产业?")


def fold_figure_words(text: str) -> str:
    """Write "到位X外资金" as "X外到位资金" (X: 省/州/市/县/区/境; 外资 is another figure),
    资金到位 as 到位资金, 第二产业 as 二产 and 比重 as 占比."""
    text = _REORDERED.sub(r"\1到位资金", text)
    text = _FUNDS_IN.sub("到位资金", text)  # "产业项目资金到位36亿元" (not 资金到位率)
    return _SECTOR.sub(r"\1产", text).replace("比重", "占比")
