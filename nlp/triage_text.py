"""Read a proposal's own text: its sentences and its asks (metadata: `nlp.triage_meta`).

Pure functions over strings. Proposals (政协提案) and suggestions (人大建议) share a shape: a
title "关于…的提案/建议", a header with the number and the proposer, a part on the situation
and its problems, and a part of numbered suggestions full of proposing verbs.
"""

from __future__ import annotations

import re

from zhtext.sentences import split_sentences

# A title runs from 关于 to the genre word; it may not cross a sentence end.
TITLE_PATTERN = re.compile(r"关于[^。！？\n]{2,120}?的(?:提案|建议|议案|意见)")
_TITLE = TITLE_PATTERN
# "【建议】一是…" as web digests print a form: read the bracket as a "建议：" label.
_BRACKET_LABEL = re.compile(r"【([\u4e00-\u9fff]{1,6})】\s*")
# Header fields of the proposal form, never asks ("审查意见：建议交…办理").
_FORM_FIELD = re.compile(
    r"^(?:审查意见|立案意见|承办单位|主办单位|会办单位|协办单位|提案人|提出人|领衔\S{0,2}|"
    r"附议\S{0,2}|联名\S{0,2}|联系电话|联系人|通讯地址|邮编|类别|案由|提案号|编号|界别|"
    r"背景|关键词|建议人|标题|题目|事由|提交委员)\s*[:：]"
)
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
MAX_POINT_HEADING = 12
# Words that contain a cue without proposing anything (主要 is not 要).
_NOT_CUES = re.compile(r"主要|重要|摘要|纲要|只要|不要|要素|要求|需要说明|建议书")


def strip_numbering(sentence: str) -> str:
    """Remove a leading 一、/（一）/1./一是 so an ask reads on its own."""
    return _LEADING_NUMBER.sub("", _ASK_LEAD.sub("", sentence, count=1), count=1).strip()


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
    text = _BRACKET_LABEL.sub(lambda m: f"\n{m.group(1)}：", text)
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
    scored = _merge_point_headings(sorted(scored, key=lambda row: row[1]))
    best = sorted(scored, key=lambda row: (-row[0], row[1]))[:limit]
    asks = [row[2] for row in sorted(best, key=lambda row: row[1]) if row[2]]
    return asks or _asks_from_title(title)


def _merge_point_headings(
    rows: list[tuple[float, int, str, bool]],
) -> list[tuple[float, int, str, bool]]:
    """Join a point's short heading to the sentence that explains it, as one ask.

    "一、加强部门联动。建立…机制，…" is one ask; read apart, the reply would answer the
    heading and its explanation as two points.
    """
    merged: list[tuple[float, int, str, bool]] = []
    for row in rows:
        if merged:
            score, position, text, part = merged[-1]
            heading = text.rstrip("。:：")
            is_heading = 0 < len(heading) <= MAX_POINT_HEADING and not heading.endswith(
                ("；", ";")
            )
            if is_heading and row[1] == position + 1:
                merged[-1] = (max(score, row[0]), position, f"{heading}：{row[2]}", part)
                continue
        merged.append(row)
    return merged


def _asks_from_title(title: str) -> list[str]:
    """Split a title like 关于加强A、强化B，提高C的提案 into its asks."""
    core = re.sub(r"^关于|的(?:提案|建议|议案|意见)$", "", title)
    parts = [p.strip() for p in re.split(r"[、，,；;]", core) if p.strip()]
    return [p for p in parts if any(cue in p for cue in ASK_CUES)] or ([core] if core else [])


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_ASK_CHARS else sentence[: MAX_ASK_CHARS - 1] + "…"
