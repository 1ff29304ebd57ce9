"""Wording variants of the genre that mean the same figure, folded the same way everywhere.

Figure names (knowledge) and questions (nlp) both pass through here, so "到位州外资金",
"实际到位省外资金" and "州外到位资金" meet as one name.
"""

from __future__ import annotations

import re

_REORDERED = re.compile(r"(?:实际)?到位([省州市县区境]外)资金")


def fold_figure_words(text: str) -> str:
    """Write "到位X外资金" as "X外到位资金" (X: 省/州/市/县/区/境; 外资 is another figure)."""
    return _REORDERED.sub(r"\1到位资金", text)
