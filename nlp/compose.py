"""Build short phone replies: the figure or action first, one context line, then the source."""

from __future__ import annotations

import re

from nlp.figures import Figure
from nlp.kb import KnowledgeSnapshot
from nlp.kb_records import DocumentInfo, IndicatorInfo, Unit
from nlp.reply import Citation, Fact, Reply
from scope.labels import number_label
from scope.periods import Period, find_span
from scope.places import UNKNOWN_PLACE

MAX_POINTS = 4
MAX_POINT_CHARS = 200
_ASPECT_WORDS = {"target": "全年目标", "progress": "完成全年目标进度", "gap": "高于目标"}
# The words a "not held" note uses for the aspect asked.


def figure_scope(ind: IndicatorInfo, doc: DocumentInfo | None) -> tuple[str, Period]:
    """Return the place and period a figure is about (its own, else its document's)."""
    place = ind.place or (doc.subject if doc else None) or UNKNOWN_PLACE
    year = ind.year or (doc.year if doc else None)
    span = (ind.month_start, ind.month_end) if ind.month_start else find_span(ind.period or "")
    return place, Period(year, *(span or (None, None)))


def period_label(indicator: IndicatorInfo, document: DocumentInfo | None) -> str:
    """Name the period a figure is for, always with its year when known."""
    _place, scoped = figure_scope(indicator, document)
    if scoped.span:
        return scoped.label() + ("（上半年）" if scoped.span == (1, 6) else "")
    year = f"{document.year}年" if document and document.year else ""
    period = indicator.period or ""
    if re.fullmatch(r"1-6月|1至6月", period):
        period = f"{period}（上半年）" if period else "上半年"
    if period:
        return period if year and year[:4] in period else f"{year}{period}"
    if document and document.date:
        return f"截至{document.date:%Y年%m月%d日}"
    return year or "期间未注明"


def source_line(document: DocumentInfo | None, section: str | None) -> str:
    """Return '来源：<文号> <section>'."""
    label = document.label if document else "知识库"
    return f"来源：{label} {section}".rstrip() if section else f"来源：{label}"


_HEDGE_BEFORE = ("将近", "接近", "超过", "近", "约", "超", "逾")


def hedged(number: str, unit: str, quote: str) -> str:
    """Return the figure as the document words it: "近100万人", "1000多家", "50个工作日以内".

    A bare "100万人" for "近100万人" would state as exact what the bureau only estimated.
    """
    flat = re.sub(r"\s+", "", quote)
    match = re.search(
        rf"(?<![\d.])({re.escape(number)})(多|余)?{re.escape(unit)}(以上|以下|以内|左右)?", flat
    )
    if match is None:
        return f"{number}{unit}"
    before = flat[: match.start()]
    prefix = next((w for w in _HEDGE_BEFORE if before.endswith(w)), "")
    return f"{prefix}{number}{match.group(2) or ''}{unit}{match.group(3) or ''}"


def figure_reply(figure: Figure, snapshot: KnowledgeSnapshot, confidence: float) -> Reply:
    """Compose the answer to a figure question: asked figure, context line, source."""
    ind = figure.indicator
    doc = snapshot.document(ind.document_id)
    period = period_label(ind, doc)
    section = snapshot.section(ind.document_id, ind.section)
    planned = section is not None and section.kind == "action"
    if planned and not ind.period:
        period = "下步工作目标"  # a figure in the plan is promised, not achieved by that date
    value = f"{number_label(figure.value)}{figure.unit}"
    if figure.unit == "位":
        value = f"第{number_label(figure.value)}位"
    elif figure.source == "value":
        value = hedged(number_label(figure.value), figure.unit, ind.quote)
    label = ind.name
    if figure.source != "value":
        label += _ASPECT_WORDS.get(figure.source, "")
    place = figure_scope(ind, doc)[0]
    head = f"{label}：{value}（{place}，{period}）" if place else f"{label}：{value}（{period}）"
    context = []
    if figure.source != "value":
        context.append(f"{ind.name}{number_label(ind.value)}{ind.unit}")
    if ind.target and figure.source != "target":
        context.append(f"全年目标{ind.target}")
    for field, text in (("progress", ind.progress), ("gap", ind.gap)):
        if text and figure.source != field and number_label(figure.value) not in text:
            context.append(text)
    lines = [head]
    if (
        figure.asked != "value"
        and figure.aspect != figure.asked
        and not (planned and figure.asked == "target")
    ):
        context.insert(0, f"文件未载明{_ASPECT_WORDS[figure.asked]}，以上为实际数")
    if context:
        lines.append("；".join(context))
    lines.append(source_line(doc, ind.section))
    fact = Fact(
        name=label,
        value=figure.value,
        unit=figure.unit,
        period=period,
        target=ind.target,
        section=ind.section,
        quote=ind.quote,
        progress=ind.progress,
        gap=ind.gap,
        document=doc.label if doc else None,
    )
    citation = Citation(
        document=doc.label if doc else "",
        section=ind.section,
        quote=ind.quote,
        document_id=ind.document_id,
    )
    return Reply(
        intent="indicator",
        confidence=confidence,
        answered=True,
        text="\n".join(lines),
        facts=[fact],
        citations=[citation],
    )


def _clip(text: str) -> str:
    return text if len(text) <= MAX_POINT_CHARS else text[: MAX_POINT_CHARS - 1] + "…"


def points_reply(
    intent: str, heading: str, units: list[Unit], snapshot: KnowledgeSnapshot, confidence: float
) -> Reply:
    """Compose a measure/plan/entity answer: a heading, the points, the source."""
    lines = [heading] if heading else []
    lines += [f"{i}. {_clip(u.text)}" for i, u in enumerate(units[:MAX_POINTS], 1)]
    citations: list[Citation] = []
    sources: list[str] = []
    for unit in units[:MAX_POINTS]:
        doc = snapshot.document(unit.document_id)
        line = source_line(doc, unit.section)
        if line not in sources:
            sources.append(line)
        citations.append(
            Citation(
                document=doc.label if doc else "",
                section=unit.section,
                quote=unit.text,
                document_id=unit.document_id,
            )
        )
    lines.append("；".join(sources) if len(sources) <= 2 else sources[0])
    return Reply(
        intent=intent,
        confidence=confidence,
        answered=True,
        text="\n".join(lines),
        citations=citations,
    )


def decline_reply(intent: str, confidence: float, text: str, suggestions: list[str]) -> Reply:
    """Compose an honest "not in the documents" with suggestions to tap."""
    lines = [text]
    if suggestions:
        lines.append("您可以试试：" + "；".join(suggestions[:4]))
    return Reply(
        intent=intent,
        confidence=confidence,
        answered=False,
        text="\n".join(lines),
        suggestions=suggestions[:4],
    )


HELP_TEXT = (
    "您好，我是楚雄州投资促进局的工作助手，可以回答已收录文件中的问题：\n"
    "· 指标数据：如“州外到位资金增长多少”“省外到位资金目标完成进度”\n"
    "· 工作措施：如“网络招商是怎么做的”\n"
    "· 下步打算：如“融资难怎么解决”\n"
    "· 企业项目：如“隆基绿能”\n"
    "· 文件信息：如“文号”“联系人”\n"
    "把提案全文发给我，我可以帮您分析并起草答复。"
)


_THANKS = re.compile(r"谢|辛苦|再见|拜拜|再会|回头见|下次见")


def help_reply(confidence: float, question: str = "") -> Reply:
    """Return the capability text for greetings and 'what can you do'; a short reply to thanks."""
    text = "不客气，有问题随时问我。" if _THANKS.search(question) else HELP_TEXT
    return Reply(intent="help", confidence=confidence, answered=True, text=text)
