"""A mixed question workload built from what the knowledge base holds, plus a fixed judge."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from nlp.kb import KnowledgeSnapshot

INDICATOR_FORMS = (
    "{n}是多少",
    "{n}",
    "{p}{n}增长了多少？",
    "{n}完成得怎么样",
    "请问{n}的目标是多少",
    "{n}进度",
    "{n}多少啊",
    "{p}的{n}",
)
ITEM_FORMS = ("{t}做了什么", "{t}", "{t}有哪些措施", "关于{t}下一步怎么做", "{t}情况如何")
ENTITY_FORMS = ("{e}", "{e}有什么合作", "{e}项目进展", "和{e}谈得怎么样")
DOCUMENT_QUESTIONS = (
    "文号",
    "联系人是谁",
    "答复的是哪个提案",
    "抄送了哪些单位",
    "发文日期",
    "这份文件发给谁",
    "提案人是谁",
)
HELP_QUESTIONS = ("你好", "你能做什么", "帮助", "怎么用", "在吗")
OUT_OF_SCOPE = (
    "今天天气怎么样",
    "你会做饭吗",
    "交通违章怎么处理",
    "明天放假吗",
    "医保怎么报销",
    "qwertyuiop",
    "讲个笑话",
    "孩子上学怎么报名",
)
PERIODS = ("上半年", "1-6月", "今年", "")


@dataclass(frozen=True)
class Question:
    """One workload question and its kind."""

    text: str
    kind: str


class _UnitTexts:
    """The units' texts, read when drawn (a large base's would not fit in RAM as strings)."""

    def __init__(self, snapshot: KnowledgeSnapshot) -> None:
        self.units = snapshot.units

    def __len__(self) -> int:
        return len(self.units)

    def __getitem__(self, row: int) -> str:
        return self.units.text(row)


def _long_text(sentences: _UnitTexts | list[str], rng: random.Random) -> str:
    body = "".join(rng.choice(sentences) for _ in range(rng.randint(4, 9)))
    return f"关于进一步加强招商引资工作的建议。{body}建议加快项目落地。"


def build_questions(snapshot: KnowledgeSnapshot, n: int = 5000, seed: int = 11) -> list[Question]:
    """Return `n` questions mixing every intent, short and long, in a fixed random order."""
    rng = random.Random(seed)
    names = sorted(snapshot.indicators.names()) or ["州外到位资金"]
    item_titles = snapshot.items.table["title"]
    titles = sorted({t for t in map(item_titles.__getitem__, range(len(item_titles))) if t})
    titles = titles or ["网络招商"]
    sentences = _UnitTexts(snapshot) or ["建议加强招商引资项目落地。"]
    entities = sorted({e.name for e in snapshot.entities if e.type == "org"}) or ["隆基绿能"]
    makers = (
        (
            0.40,
            lambda: Question(
                rng.choice(INDICATOR_FORMS).format(n=rng.choice(names), p=rng.choice(PERIODS)),
                "indicator",
            ),
        ),
        (
            0.25,
            lambda: Question(
                rng.choice(ITEM_FORMS).format(
                    t=re.sub(r"[，。、].*", "", rng.choice(titles))[:16]
                ),
                "item",
            ),
        ),
        (
            0.10,
            lambda: Question(rng.choice(ENTITY_FORMS).format(e=rng.choice(entities)), "entity"),
        ),
        (0.07, lambda: Question(rng.choice(DOCUMENT_QUESTIONS), "document")),
        (0.05, lambda: Question(rng.choice(HELP_QUESTIONS), "help")),
        (0.08, lambda: Question(rng.choice(OUT_OF_SCOPE), "out_of_scope")),
        (0.05, lambda: Question(_long_text(sentences, rng), "long")),
    )
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(n)]


def judge(row: dict, text: str, answered: bool, first_value: float | None) -> bool:
    """Score one dev row the way ../shared/eval/score.py does (text, answered, first figure)."""
    flat = re.sub(r"\s+", "", text).translate(str.maketrans("()", "（）"))
    expect = row.get("answered", True)
    if expect is False:
        return not answered
    if expect is None:
        return (not answered) or any(w in flat for w in ("上半年", "1-6月"))
    if not answered:
        return False
    anys = [re.sub(r"\s+", "", a) for a in row.get("any", [])]
    alls = [re.sub(r"\s+", "", a) for a in row.get("all", [])]
    if anys and not any(a in flat for a in anys):
        return False
    if any(a not in flat for a in alls):
        return False
    if "value" in row:
        return first_value is not None and abs(first_value - float(row["value"])) < 1e-6
    return True
