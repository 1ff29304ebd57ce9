"""A reply letter (答复) in the genre's structure: one paragraph per ask, quoting the base.

For each ask the letter says what was done (measures and their figures, quoted) and what will
be done (planned actions, quoted); where the base holds nothing for an ask, it says so in a
bracketed line for the clerk instead of inventing a sentence. Around the paragraphs: the genre's
title, 主送 (XX委员：/XX代表：), the opening (您提出的《…》收悉，现答复如下：), the closing,
落款 and 成文日期 in Arabic numerals, then 联系人/联系电话, 答复类别, 公开属性 and 抄送.
A proposal outside the bureau's work gets a note for returning it, with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from db.proposals import OUTCOMES
from nlp.triage import RelatedIndicator, RelatedItem, TriageResult
from zhtext.sentences import split_sentences

CHINESE_NUMERALS = "一二三四五六七八九十"
DEFAULT_ISSUER = "楚雄州投资促进局"
MAX_SENTENCES_PER_ITEM = 2
MAX_HEADING_CHARS = 24
PUBLICITY = "主动公开"
CLOSING = "感谢您对投资促进工作的关心和支持，欢迎继续提出宝贵意见和建议。"
NOTHING_DONE = "【待补充：知识库中暂无与此项建议直接相关的已开展工作，请承办科室据实填写】"
NOTHING_PLANNED = "【待补充：知识库中暂无相关下步安排，请承办科室据实填写】"
OUT_OF_SCOPE_NOTE = (
    "经初步分析，该{kind}内容不属于我局职责范围。建议自收到之日起十日内申请退回，"
    "并说明理由及建议的承办单位。"
)
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ORG_HINT = re.compile(r"[委会党部社盟团联组]")
_TRAILING = "。；;，,：:"
# "要强化…" / "建议…" read as "关于强化…" in a heading.
_ASK_VERB = re.compile(r"^(?:建议|要|应当|应该|应|需要)")


class CitedSentence(BaseModel):
    """A sentence quoted from a document section."""

    text: str
    document: str
    section: str | None = None


class AskParagraph(BaseModel):
    """One numbered paragraph: the ask it answers, what was done, what will be done."""

    heading: str
    done: list[CitedSentence] = Field(default_factory=list)
    planned: list[CitedSentence] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether the base had nothing at all for this ask."""
        return not self.done and not self.planned


class DraftReply(BaseModel):
    """The whole letter, part by part as the genre orders them."""

    title: str
    addressee: str | None = None
    opening: str
    paragraphs: list[AskParagraph] = Field(default_factory=list)
    closing: str = CLOSING
    note: str = ""
    issuer: str = DEFAULT_ISSUER
    date: dt.date
    contact_line: str = ""
    outcome: str | None = None
    publicity: str = PUBLICITY
    copy_to: str = ""

    @property
    def citations(self) -> list[CitedSentence]:
        """Return every quoted sentence, in order."""
        return [s for p in self.paragraphs for s in [*p.done, *p.planned]]

    @property
    def outcome_line(self) -> str:
        """答复类别：B类（正在解决或列入计划） — suggested, for the clerk to confirm."""
        if not self.outcome:
            return ""
        return f"答复类别：{self.outcome}类（{OUTCOMES.get(self.outcome, '')}）"

    @property
    def date_line(self) -> str:
        """成文日期 in Arabic numerals, as GB/T 9704-2012 asks: 2026年3月1日."""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def is_person(proposer: str | None) -> bool:
    """Whether the proposer is a person (a 2-4 character name, no organisation word)."""
    return bool(proposer and _PERSON.match(proposer) and not _ORG_HINT.search(proposer))


def salutation(proposer: str | None, kind: str, role: str | None = None) -> str | None:
    """Return how the letter addresses its reader: "张华代表", "王芳委员", or the body."""
    if not is_person(proposer):
        return proposer
    if role not in ("委员", "代表"):
        role = "代表" if kind in ("建议", "议案") else "委员"
    return f"{proposer}{role}"


def opening_line(title: str, proposer: str | None, kind: str) -> str:
    """Return the genre's first line: 您提出的《…》收悉，现答复如下："""
    shown = title.strip("《》") or f"关于该{kind}"
    if is_person(proposer) or not proposer:
        who = "您"
    else:
        who = "你委" if proposer.endswith(("委", "委会", "委员会")) else "你单位"
    return f"{who}提出的《{shown}》收悉，现答复如下："


def letter_title(result: TriageResult) -> str:
    """关于州政协十二届四次会议第45号提案的答复 (or 关于《…》的答复 without a number)."""
    if result.number:
        return f"关于{result.session or ''}第{result.number}号{result.kind}的答复"
    shown = result.title.strip("《》") or f"该{result.kind}"
    return f"关于《{shown}》的答复"


def copy_to(kind: str) -> str:
    """The office that tracks the handling: the CPPCC's or the NPC standing committee's."""
    if kind == "提案":
        return "州政协提案委员会，州人民政府督查室"
    return "州人大常委会代表工作委员会，州人民政府督查室"


def build_draft(
    result: TriageResult, *, today: dt.date | None = None, outcome: str | None = None
) -> DraftReply:
    """Assemble the letter from a triage result (only quoted sentences)."""
    contact = result.contact
    draft = DraftReply(
        title=letter_title(result),
        addressee=salutation(result.proposer, result.kind, result.proposer_role),
        opening=opening_line(result.title, result.proposer, result.kind),
        issuer=contact.issuer or DEFAULT_ISSUER,
        date=today or dt.date.today(),
        contact_line=_contact_line(contact.contact, contact.phone),
        copy_to=copy_to(result.kind),
    )
    if not result.in_scope:
        reason = f"{result.scope_reason}" if result.scope_reason else ""
        draft.note = reason + OUT_OF_SCOPE_NOTE.format(kind=result.kind)
        draft.publicity = "不予公开"
        return draft
    used: set[str] = set()
    draft.paragraphs = [
        _paragraph(i, a.ask, a.done, a.planned, a.figures, used)
        for i, a in enumerate(result.answers)
    ]
    draft.outcome = outcome or suggested_outcome(draft.paragraphs)
    return draft


def suggested_outcome(paragraphs: Sequence[AskParagraph]) -> str:
    """B when something is planned, A when all asks were already acted on, else C."""
    if any(p.planned for p in paragraphs):
        return "B"
    if paragraphs and all(p.done for p in paragraphs):
        return "A"
    return "C"


def _paragraph(
    index: int,
    ask: str,
    done: Sequence[RelatedItem],
    planned: Sequence[RelatedItem],
    figures: Sequence[RelatedIndicator],
    used: set[str],
) -> AskParagraph:
    words = _ask_words(ask)
    quoted_done = [s for item in done for s in _quote(item, words, used)]
    for figure in figures:
        if figure.quote and figure.quote not in used and not _inside(figure.quote, quoted_done):
            used.add(figure.quote)
            quoted_done.append(
                CitedSentence(text=figure.quote, document=figure.document, section=figure.section)
            )
    quoted_planned = [s for item in planned for s in _quote(item, words, used)]
    return AskParagraph(
        heading=f"{_numeral(index)}、关于{_heading(ask)}",
        done=quoted_done,
        planned=quoted_planned,
    )


def _inside(quote: str, sentences: Sequence[CitedSentence]) -> bool:
    return any(quote in s.text or s.text in quote for s in sentences)


def _numeral(index: int) -> str:
    return CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)


def _heading(ask: str) -> str:
    """The ask's gist for its heading: up to the first pause, clipped."""
    gist = re.split(r"[：:，,；;。]", ask.strip())[0] or ask
    gist = _ASK_VERB.sub("", gist.strip(_TRAILING)) or gist
    return gist if len(gist) <= MAX_HEADING_CHARS else gist[: MAX_HEADING_CHARS - 1] + "…"


def _ask_words(ask: str) -> list[str]:
    """Two-character pieces of the ask, to pick the item sentences that speak of it."""
    han = "".join(re.findall(r"[\u4e00-\u9fff]", ask))
    return sorted({han[i : i + 2] for i in range(len(han) - 1)})


def _quote(item: RelatedItem, words: list[str], used: set[str]) -> list[CitedSentence]:
    """The item's sentences that speak most of the ask, in their order, each quoted once."""
    sentences = split_sentences(item.text, pasted=True) or [p for p in item.points if p.strip()]
    sentences = [s for s in sentences if s != item.title and s not in used]
    if len(sentences) > MAX_SENTENCES_PER_ITEM:
        ranked = sorted(
            range(len(sentences)),
            key=lambda i: (-sum(w in sentences[i] for w in words), i),
        )[:MAX_SENTENCES_PER_ITEM]
        sentences = [sentences[i] for i in sorted(ranked)]
    used.update(sentences)
    return [CitedSentence(text=s, document=item.document, section=item.section) for s in sentences]


def _contact_line(name: str | None, phone: str | None) -> str:
    """（联系人：张三，联系电话：0878-1234567）, blanks for the clerk when unknown."""
    return f"（联系人：{name or '【待填写】'}，联系电话：{phone or '【待填写】'}）"


def source_note(sentences: Sequence[CitedSentence]) -> str:
    """〔出处：楚投促〔2025〕1号 二（五）〕 for the sentences of one paragraph part."""
    labels: dict[str, None] = {}
    for s in sentences:
        labels.setdefault(f"{s.document} {s.section}" if s.section else s.document, None)
    return "〔出处：" + "；".join(labels) + "〕" if labels else ""


def paragraph_lines(paragraph: AskParagraph, *, with_sources: bool) -> list[str]:
    """The paragraph as lines: （一）已开展的工作 … （二）下一步打算 …, or the honest line."""
    if paragraph.empty:
        return [NOTHING_DONE]
    done = "".join(s.text for s in paragraph.done) or NOTHING_DONE
    planned = "".join(s.text for s in paragraph.planned) or NOTHING_PLANNED
    if with_sources:
        done += source_note(paragraph.done)
        planned += source_note(paragraph.planned)
    return [f"（一）已开展的工作。{done}", f"（二）下一步打算。{planned}"]


def render_text(draft: DraftReply, *, with_sources: bool = True) -> str:
    """Render the letter as plain text; sources follow each part in 〔出处：…〕."""
    lines = [draft.title]
    if draft.addressee:
        lines.append(f"{draft.addressee}：")
    lines.append(draft.opening)
    if draft.note:
        lines.append(draft.note)
    for paragraph in draft.paragraphs:
        lines.append(paragraph.heading)
        lines += paragraph_lines(paragraph, with_sources=with_sources)
    if draft.paragraphs:
        lines.append(draft.closing)
    lines += ["", draft.issuer, draft.date_line, "", draft.contact_line]
    lines += [line for line in (draft.outcome_line, f"公开属性：{draft.publicity}") if line]
    lines.append(f"抄送：{draft.copy_to}")
    return "\n".join(lines).strip()
