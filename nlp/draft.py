"""A draft reply letter in the genre's structure, built only from cited knowledge-base sentences.

一、工作成效 takes the related indicators' source sentences, 二、主要工作开展情况 the related
measures, 三、下步重点工作 the related planned actions. Nothing is written that a document does
not say: a part with nothing to cite gets a bracketed 【待补充】 note for the drafter instead of
made-up text. Rendered as plain text (with sources) and as a .docx (python-docx, bytes).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from nlp.triage import RelatedItem, TriageResult
from zhtext.sentences import split_sentences

CHINESE_NUMERALS = "一二三四五六七八九十"
MAX_MEASURES = 4
MAX_ACTIONS = 4
MAX_RESULT_QUOTES = 4
MAX_SENTENCES_PER_ITEM = 3
MAX_FALLBACK_FIGURES = 2
OUT_OF_SCOPE_NOTE = (
    "经初步分析，该{kind}内容不属于我局职责范围。建议自收到之日起十日内申请退回，"
    "并说明理由及建议的承办单位。"
)
# A point is drafted only when it scores at least this share of the best of its kind.
RELATIVE_CUTOFF = 0.6
PLACEHOLDER = "【待补充：知识库中暂无可引用的相关内容】"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ORG_HINT = re.compile(r"[委会党部社盟团联组]")


class CitedSentence(BaseModel):
    """A sentence quoted from a document section."""

    text: str
    document: str
    section: str | None = None


class DraftBlock(BaseModel):
    """One numbered point of a part: a heading (a section title) and its quoted sentences."""

    heading: str = ""
    sentences: list[CitedSentence] = Field(default_factory=list)


class DraftPart(BaseModel):
    """一、工作成效 / 二、主要工作开展情况 / 三、下步重点工作."""

    heading: str
    blocks: list[DraftBlock] = Field(default_factory=list)


class DraftReply(BaseModel):
    """The whole draft letter."""

    addressee: str | None = None
    opening: str
    parts: list[DraftPart] = Field(default_factory=list)
    note: str = ""
    issuer: str | None = None
    contact_line: str = ""

    @property
    def citations(self) -> list[CitedSentence]:
        """Return every quoted sentence, in order."""
        return [s for p in self.parts for b in p.blocks for s in b.sentences]


def _is_person(proposer: str | None) -> bool:
    return bool(proposer and _PERSON.match(proposer) and not _ORG_HINT.search(proposer))


def salutation(proposer: str | None, kind: str) -> str | None:
    """Return how the letter addresses its reader: "张华代表", "王芳委员", or the body."""
    if not _is_person(proposer):
        return proposer
    return f"{proposer}{'代表' if kind == '建议' else '委员'}"


def opening_line(title: str, proposer: str | None, kind: str) -> str:
    """Return the genre's first line: 您委《…》已交我局办理，现答复如下："""
    shown = title.strip("《》") or f"关于该{kind}"
    who = "您提出的" if _is_person(proposer) else "您委"
    return f"{who}《{shown}》已交我局办理，现答复如下："


def build_draft(result: TriageResult) -> DraftReply:
    """Assemble the draft from a triage result (only cited sentences)."""
    contact = result.contact
    draft = DraftReply(
        addressee=salutation(result.proposer, result.kind),
        opening=opening_line(result.title, result.proposer, result.kind),
        issuer=contact.issuer,
        contact_line=_contact_line(contact.contact, contact.phone),
    )
    if not result.in_scope:
        draft.note = OUT_OF_SCOPE_NOTE.format(kind=result.kind)
        return draft
    words = _focus_words(result)
    measures = _best_of_kind(result.related, "measure", MAX_MEASURES)
    actions = _best_of_kind(result.related, "action", MAX_ACTIONS)
    drafted = {(r.document, r.section) for r in measures + actions}
    draft.parts = [
        DraftPart(heading="一、工作成效", blocks=_result_blocks(result, drafted)),
        DraftPart(heading="二、主要工作开展情况", blocks=_item_blocks(measures, words)),
        DraftPart(heading="三、下步重点工作", blocks=_item_blocks(actions, words)),
    ]
    return draft


def _best_of_kind(related: Sequence[RelatedItem], kind: str, limit: int) -> list[RelatedItem]:
    same = sorted((r for r in related if r.kind == kind), key=lambda r: -r.score)
    if not same:
        return []
    floor = RELATIVE_CUTOFF * same[0].score
    return [r for r in same if r.score >= floor][:limit]


def _contact_line(name: str | None, phone: str | None) -> str:
    if not name:
        return "联系人：【待填写】  联系电话：【待填写】"
    return f"联系人：{name}" + (f"  联系电话：{phone}" if phone else "")


def _focus_words(result: TriageResult) -> list[str]:
    return [w for w in result.keywords if len(w) >= 2]


def _result_blocks(result: TriageResult, drafted: set[tuple[str, str | None]]) -> list[DraftBlock]:
    """Quote the headline figures; without any, the best figures of sections not drafted below.

    A figure quoted from a measure that 二、 already quotes in full would only repeat it.
    """
    headline = sorted((i for i in result.indicators if i.headline), key=lambda i: i.position)
    chosen = (
        headline
        or [i for i in result.indicators if (i.document, i.section) not in drafted][
            :MAX_FALLBACK_FIGURES
        ]
    )
    seen: set[str] = set()
    sentences = []
    for ind in chosen:
        quote = ind.quote.strip()
        if quote and quote not in seen:
            seen.add(quote)
            sentences.append(CitedSentence(text=quote, document=ind.document, section=ind.section))
        if len(sentences) >= MAX_RESULT_QUOTES:
            break
    return [DraftBlock(sentences=sentences)] if sentences else []


def _item_blocks(items: Sequence[RelatedItem], words: list[str]) -> list[DraftBlock]:
    blocks = []
    for number, item in enumerate(items):
        numeral = CHINESE_NUMERALS[number] if number < len(CHINESE_NUMERALS) else str(number + 1)
        chosen = _pick_sentences(item, words)
        blocks.append(
            DraftBlock(
                heading=f"（{numeral}）{item.title}" if item.title else "",
                sentences=[
                    CitedSentence(text=s, document=item.document, section=item.section)
                    for s in chosen
                ],
            )
        )
    return blocks


def _pick_sentences(item: RelatedItem, words: list[str]) -> list[str]:
    """Keep the item's sentences that speak most of the proposal's words, in their order."""
    sentences = split_sentences(item.text, pasted=True) or [p for p in item.points if p.strip()]
    sentences = [s for s in sentences if s != item.title]
    if len(sentences) <= MAX_SENTENCES_PER_ITEM:
        return sentences
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (-sum(sentences[i].count(w) for w in words), i),
    )[:MAX_SENTENCES_PER_ITEM]
    return [sentences[i] for i in sorted(ranked)]


def _source(sentences: Sequence[CitedSentence]) -> str:
    labels: dict[str, None] = {}
    for s in sentences:
        labels.setdefault(f"{s.document} {s.section}" if s.section else s.document, None)
    return "〔出处：" + "；".join(labels) + "〕" if labels else ""


def render_text(draft: DraftReply, *, with_sources: bool = True) -> str:
    """Render the draft as plain text; sources follow each point in 〔出处：…〕."""
    lines = [f"{draft.addressee}："] if draft.addressee else []
    lines.append(draft.opening)
    if draft.note:
        lines.append(draft.note)
    for part in draft.parts:
        lines.append(part.heading)
        if not part.blocks:
            lines.append(PLACEHOLDER)
        for block in part.blocks:
            if block.heading:
                lines.append(block.heading)
            body = "".join(s.text for s in block.sentences)
            if with_sources:
                body += _source(block.sentences)
            if body:
                lines.append(body)
    lines += ["", draft.contact_line]
    if draft.issuer:
        lines.append(draft.issuer)
    return "\n".join(lines).strip()


def _safe(text: str) -> str:
    """Drop characters XML (and so .docx) cannot hold."""
    return _XML_UNSAFE.sub("", text)


def render_docx(draft: DraftReply) -> bytes:
    """Render the draft as a .docx document (sources in small grey type) and return its bytes."""
    import docx  # lazy: python-docx and lxml cost ~0.2 s, paid only when a draft is sent
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.add_heading("答复意见（草稿）", level=1)
    if draft.addressee:
        document.add_paragraph(_safe(f"{draft.addressee}："))
    document.add_paragraph(_safe(draft.opening))
    if draft.note:
        document.add_paragraph(_safe(draft.note))
    for part in draft.parts:
        document.add_heading(part.heading, level=2)
        if not part.blocks:
            document.add_paragraph(PLACEHOLDER)
        for block in part.blocks:
            if block.heading:
                document.add_paragraph().add_run(_safe(block.heading)).bold = True
            paragraph = document.add_paragraph(_safe("".join(s.text for s in block.sentences)))
            source = paragraph.add_run(_safe(_source(block.sentences)))
            source.font.size = Pt(8)
            source.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    document.add_paragraph(_safe(draft.contact_line))
    if draft.issuer:
        document.add_paragraph(_safe(draft.issuer))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
