"""Read a proposal's own text: its metadata (number, kind, title, proposer) and its asks.

Pure functions over strings. Proposals (政协提案) and suggestions (人大建议) share a shape: a
title "关于…的提案/建议", a header with the number and the proposer, a part on the situation
and its problems, and a part of numbered suggestions full of proposing verbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhtext.sentences import split_sentences

# A title runs from 关于 to the genre word; it may not cross a sentence end.
_TITLE = re.compile(r"关于[^。！？\n]{2,120}?的(?:提案|建议|议案|意见)")
_NUMBER = re.compile(
    r"(?:第\s*([0-9０-９]{1,8})\s*号)"
    r"|(?:(?:提案|建议|议案)?(?:编号|案号|序号)\s*[:：]?\s*([0-9０-９]{1,8}))"
    r"|(?:(?:提案|建议)号\s*[:：]?\s*([0-9０-９]{1,8}))"
)
_PROPOSER_LABEL = re.compile(
    r"(?:提案人|提出人|领衔人|领衔代表|提案者|提案单位|建议人|代表|委员|联名人|党派|提出单位)"
    r"\s*[:：]\s*([^\s。；;，,]{2,40})"
)
# "张华（楚雄市代表团）": the delegation in brackets is not part of the name.
_AFFILIATION = re.compile(r"[（(][^）)]*[）)]?$")
# Header fields of the proposal form, never asks ("审查意见：建议交…办理").
_FORM_FIELD = re.compile(
    r"^(?:审查意见|立案意见|承办单位|主办单位|会办单位|协办单位|提案人|提出人|领衔\S{0,2}|"
    r"附议\S{0,2}|联名\S{0,2}|联系电话|联系人|通讯地址|邮编|类别|案由|提案号|编号|界别)\s*[:：]"
)
# A header line such as "州人大代表 张华" or "政协委员：王芳".
_SIGNED = re.compile(
    r"^\s*(?:[州市县区省]?(?:人大代表|政协委员)|代表|委员)\s*[:：]?\s*([\u4e00-\u9fff]{2,4})\s*$",
    re.MULTILINE,
)
_PARTY = re.compile(
    r"((?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|工商联|共青团|妇联)"
    r"[\u4e00-\u9fff]{0,12}?(?:委员会|基层委|总支部?|支部|工委|委))"
)
# A title wrapped onto a second line: a break between two non-space characters.
_SOFT_BREAK = re.compile(r"(?<=[^\s。！？：:])\n(?=[^\s一二三四五六七八九十（(])")
_NPC_HINTS = ("人大", "代表", "建议")
_CPPCC_HINTS = ("政协", "委员", "提案")

_LEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|"
    r"[0-9]+[、.．)）]|[一二三四五六七八九十]是[，,：:]?|第[一二三四五六七八九十]+[，,、])\s*"
)
_ASK_LEAD = re.compile(r"^\s*(?:为此|为此我们|我们|特)?建议(?:如下)?[:：]\s*")
# Words that make a sentence a proposal rather than a description.
ASK_CUES = (
    "建议",
    "应当",
    "应该",
    "要",
    "加快",
    "加强",
    "完善",
    "推进",
    "提高",
    "强化",
    "建立",
    "健全",
    "优化",
    "加大",
    "落实",
    "鼓励",
    "支持",
    "出台",
    "制定",
    "设立",
    "探索",
    "推动",
    "提升",
    "拓宽",
    "创新",
    "促进",
    "引导",
    "统筹",
    "简化",
    "降低",
    "争取",
    "积极",
    "着力",
    "切实",
    "推行",
    "畅通",
    "实行",
    "实施",
    "开展",
    "引进",
    "组建",
    "搭建",
    "打造",
    "深化",
    "放宽",
    "减免",
    "给予",
    "压缩",
    "用好",
    "做实",
    "做大",
    "做强",
)
# Words that mark the situation/problem part, where cue words describe rather than ask.
PROBLEM_CUES = ("存在", "不足", "问题是", "滞后", "薄弱", "不够", "不高", "困难", "制约", "短板")
ASK_HEADINGS = ("建议", "对策", "措施", "意见", "办法", "举措")
DESCRIPTION_HEADINGS = ("问题", "现状", "情况", "背景", "原因", "理由", "案由")
MAX_ASK_CHARS = 160
# Words that contain a cue without proposing anything (主要 is not 要).
_NOT_CUES = re.compile(r"主要|重要|摘要|纲要|只要|不要|要素|要求|需要说明|建议书")


@dataclass(frozen=True)
class ProposalMeta:
    """What the proposal says about itself."""

    number: str | None
    kind: str
    title: str
    proposer: str | None


def strip_numbering(sentence: str) -> str:
    """Remove a leading 一、/（一）/1./一是 so an ask reads on its own."""
    return _LEADING_NUMBER.sub("", _ASK_LEAD.sub("", sentence, count=1), count=1).strip()


def extract_title(text: str) -> str:
    """Return the 关于…的提案/建议 title, else the first short line, else the first sentence."""
    head = text[:3000]
    match = _TITLE.search(head) or _TITLE.search(_SOFT_BREAK.sub("", head))
    if match:
        return match.group(0).strip()
    for line in head.splitlines():
        line = line.strip()
        if 4 <= len(line) <= 60 and not _PROPOSER_LABEL.search(line):
            return line
    first = split_sentences(head, pasted=True)
    return first[0][:60] if first else ""


def extract_number(text: str) -> str | None:
    """Return the proposal number (第084号 -> '084') from the header, if any."""
    match = _NUMBER.search(text[:1500])
    if not match:
        return None
    digits = next(g for g in match.groups() if g)
    return digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def extract_proposer(text: str) -> str | None:
    """Return the proposer (a person, a deputy, or a party's committee), if named."""
    head = text[:1500]
    match = _PROPOSER_LABEL.search(head)
    if match:
        return _AFFILIATION.sub("", match.group(1)).strip() or None
    signed = _SIGNED.search(head)
    if signed:
        return signed.group(1)
    party = _PARTY.search(head)
    return party.group(1) if party else None


def guess_kind(text: str, title: str) -> str:
    """Tell a CPPCC proposal (提案) from an NPC suggestion (建议)."""
    if title.endswith("的建议"):
        return "建议"
    if title.endswith("的提案"):
        return "提案"
    head = text[:1500]
    npc = sum(head.count(h) for h in _NPC_HINTS)
    cppcc = sum(head.count(h) for h in _CPPCC_HINTS)
    return "建议" if npc > cppcc else "提案"


def extract_meta(text: str) -> ProposalMeta:
    """Return number, kind, title and proposer found in the text."""
    title = extract_title(text)
    kind = guess_kind(text, title)
    return ProposalMeta(extract_number(text), kind, title, extract_proposer(text))


def _ask_score(sentence: str, in_ask_part: bool) -> float:
    plain = _NOT_CUES.sub("", sentence)
    cues = sum(1 for cue in ASK_CUES if cue in plain)
    if not cues:
        return 0.0
    score = cues + (2.0 if in_ask_part else 0.0)
    if sentence.startswith(("建议", "要", "应")):
        score += 1.0
    if any(cue in sentence for cue in PROBLEM_CUES) and not in_ask_part:
        score -= 1.5
    return score


def _part_heading(sentence: str) -> str | None:
    """Return 'ask' or 'description' for a part heading (二、存在的问题 / 三、建议), else None."""
    core = strip_numbering(sentence).rstrip("：:。")
    if len(core) > 12 or _TITLE.search(sentence):
        return None
    if any(h in core for h in ASK_HEADINGS):
        return "ask"
    if any(h in core for h in DESCRIPTION_HEADINGS):
        return "description"
    return None


def extract_asks(text: str, title: str = "", limit: int = 8) -> list[str]:
    """Return the sentences that propose something, in reading order (at most `limit`).

    When the text has a suggestions part (三、建议 / 为此建议：), only that part is read.
    """
    scored: list[tuple[float, int, str, bool]] = []
    part = None
    for position, sentence in enumerate(split_sentences(text, pasted=True)):
        if (title and title in sentence) or _TITLE.fullmatch(sentence):
            continue
        if _FORM_FIELD.match(sentence):
            continue
        heading = _part_heading(sentence)
        if heading is not None:
            part = heading
            continue
        if _ASK_LEAD.match(sentence) or sentence.startswith("建议"):
            part = "ask"  # "建议：一是…" opens the suggestions inside a paragraph
        in_ask_part = part == "ask"
        score = _ask_score(sentence, in_ask_part) - (2.0 if part == "description" else 0.0)
        if in_ask_part and score < 1.0 and _LEADING_NUMBER.match(sentence):
            score = 1.0  # an enumerated point of the suggestions is an ask, cue word or not
        if score >= 1.0:
            scored.append((score, position, _clip(strip_numbering(sentence)), in_ask_part))
    if any(row[3] for row in scored):
        scored = [row for row in scored if row[3]]
    best = sorted(scored, key=lambda row: (-row[0], row[1]))[:limit]
    asks = [row[2] for row in sorted(best, key=lambda row: row[1]) if row[2]]
    return asks or _asks_from_title(title)


def _asks_from_title(title: str) -> list[str]:
    """Split a title like 关于加强A、强化B，提高C的提案 into its asks."""
    core = re.sub(r"^关于|的(?:提案|建议|议案|意见)$", "", title)
    parts = [p.strip() for p in re.split(r"[、，,；;]", core) if p.strip()]
    return [p for p in parts if any(cue in p for cue in ASK_CUES)] or ([core] if core else [])


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_ASK_CHARS else sentence[: MAX_ASK_CHARS - 1] + "…"
