"""Answer document metadata questions: 文号, 日期, 联系人, 抄送, the proposal answered."""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.context import StrategyContext
from nlp.kb_records import DocumentInfo
from nlp.query import Candidate, Query
from nlp.reply import Citation, Reply


def _number(d: DocumentInfo) -> str | None:
    return f"文号：{d.number}" if d.number else None


def _date(d: DocumentInfo) -> str | None:
    if d.date is None:
        return None
    return f"发文日期：{d.date.year}年{d.date.month}月{d.date.day}日"


def _contact(d: DocumentInfo) -> str | None:
    if not d.contact:
        return None
    return f"联系人：{d.contact}" + (f"，电话 {d.contact_phone}" if d.contact_phone else "")


def _cc(d: DocumentInfo) -> str | None:
    return f"抄送：{'、'.join(d.cc)}" if d.cc else None


def _addressee(d: DocumentInfo) -> str | None:
    return f"主送（答复对象）：{d.addressee}" if d.addressee else None


def proposal_kind(d: DocumentInfo) -> str:
    """Return 建议 (an NPC deputy's) or 提案 (a CPPCC member's), as the letter words it."""
    for text in (d.proposal_title or "", d.title or ""):
        if text.endswith("建议") or ("建议" in text and "提案" not in text):
            return "建议"
        if "提案" in text:
            return "提案"
    return "提案"


def _proposal_number(d: DocumentInfo) -> str | None:
    if not d.proposal_number:
        return None
    session = d.proposal_session or ""
    return f"答复的是{session}第{d.proposal_number}号{proposal_kind(d)}"


def _proposer(d: DocumentInfo) -> str | None:
    return f"{proposal_kind(d)}人：{d.proposer}" if d.proposer else None


def _proposal_title(d: DocumentInfo) -> str | None:
    return f"提案题目：《{d.proposal_title}》" if d.proposal_title else None


def _issuer(d: DocumentInfo) -> str | None:
    return f"发文单位：{d.issuer}" if d.issuer else None


def _title(d: DocumentInfo) -> str | None:
    return f"文件标题：{d.title}" if d.title else None


def _classification(d: DocumentInfo) -> str | None:
    return f"文件类别：{'、'.join(d.classification)}" if d.classification else None


# Cue -> field, first match wins: the more specific cues come first.
FIELDS: tuple[tuple[re.Pattern[str], Callable[[DocumentInfo], str | None]], ...] = (
    (re.compile(r"提案号|第几号|几号提案|哪个提案|提案编号|哪号"), _proposal_number),
    (re.compile(r"提案人|谁提|提的提案|哪个单位提|提出"), _proposer),
    (re.compile(r"提案题目|提案标题|提案名称|提案内容|提案是关于"), _proposal_title),
    (re.compile(r"文号|文好|编号|字号|文件号|文號"), _number),
    (re.compile(r"日期|哪天|什么时候|时间|哪年|几号发|落款|印发"), _date),
    (re.compile(r"联系|电话|找谁|经办|咨询|聯繫"), _contact),
    (re.compile(r"抄送|抄报|抄給|抄给"), _cc),
    (re.compile(r"发给|主送|答复对象|回复给|给谁|发往|致"), _addressee),
    (re.compile(r"发文单位|发文机关|谁发|哪个部门|哪个单位答复|谁写"), _issuer),
    (re.compile(r"标题|文件名|题目"), _title),
    (re.compile(r"密级|公开|类别"), _classification),
)


def _document_list(ctx: StrategyContext) -> str:
    lines = [f"已收录 {len(ctx.snapshot.documents)} 份现行文件："]
    for d in ctx.snapshot.documents[:10]:
        date = f"（{d.date:%Y-%m-%d}）" if d.date else ""
        lines.append(f"· {d.label} {d.title}{date}")
    return "\n".join(lines)


def answer_document(ctx: StrategyContext, query: Query) -> Candidate | None:
    """Answer from the metadata fields of the matching (else latest) document."""
    docs = ctx.snapshot.documents
    if not docs:
        return None
    if re.search(r"哪些文件|几个文件|文件列表|有什么文档|收录", query.text):
        reply = Reply(intent="document", answered=True, text=_document_list(ctx))
        return Candidate(reply, 0.9)
    doc = _pick_document(ctx, query)
    for pattern, field in FIELDS:
        if pattern.search(query.text):
            value = field(doc)
            if value is None:
                return None
            return Candidate(_reply(doc, value), 0.9)
    summary = "；".join(v for v in (_number(doc), _title(doc), _date(doc)) if v)
    return Candidate(_reply(doc, summary), 0.6)


def _pick_document(ctx: StrategyContext, query: Query) -> DocumentInfo:
    docs = ctx.snapshot.documents
    for d in docs:
        if d.number and d.number in query.text:
            return d
    if query.scope.year:
        same = ctx.documents_by_year.get(query.scope.year)
        doc = ctx.snapshot.document(same[0]) if same else None
        if doc is not None:
            return doc
    return docs[0]  # list_documents orders newest first


def _reply(doc: DocumentInfo, value: str) -> Reply:
    text = f"{value}\n来源：{doc.label}"
    citation = Citation(document=doc.label, section=None, quote=value, document_id=doc.id)
    return Reply(intent="document", answered=True, text=text, citations=[citation])
