"""Repair what text extraction breaks: split lines, spaces in figures, width variants, stray Latin.

Every function is pure (str -> str) so each repair can be tested alone.
"""

from __future__ import annotations

import re

from zhtext.width import fold_width

CJK = "\u3400-\u9fff"

SENTENCE_END = "。！？；：:;!?…"
TERMINAL = "。！？；：:;!?”’）)》】」』…"
# A line ending with one of these clearly continues on the next line.
CONTINUING = "、，,（(“‘《【「『—"
HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|"
    r"\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])"
)
POINT_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[是要则]|首先|其次|再次|最后)")
FOOTER_START_RE = re.compile(
    r"^\s*(?:联系人|联系电话|电话|抄送|附件|主送|印发|(?:\d{4}|[〇零一二三四五六七八九]{4})年)"
)
TITLE_END_RE = re.compile(
    r"(?:答复|报告|总结|方案|意见|通知|函|请示|提案|建议|计划|要点|情况|文件)$"
)
# The tail of a title wrapped onto a second line ("…第084号提案" + "的答复").
TITLE_TAIL_RE = re.compile(r"^(?:的|之)?(?:答复|复函|答复函|报告|总结|情况)?(?:的答复)?$|^的")
LATIN_GLUE = {"and": "和", "or": "或", "AND": "和", "OR": "或", "&": "和"}


def repair_text(text: str) -> str:
    """Apply every repair in a safe order and return the cleaned text."""
    text = fold_width(text)
    text = normalize_newlines(text)
    text = drop_page_numbers(text)
    text = remove_letter_spacing(text)
    text = fix_number_brackets(text)
    text = join_broken_lines(text)
    text = drop_pinyin_glosses(text)
    text = replace_stray_latin(text)
    text = remove_figure_spaces(text)
    text = normalize_ranges(text)
    return to_simplified(text)


# "经(jīng)济", "区(qū)外": reading aids some sites print after a character; with a tone mark,
# so "(km)" or "(GDP)" stay.
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]"
)


def drop_pinyin_glosses(text: str) -> str:
    """Remove pinyin glosses printed after characters."""
    return _PINYIN_GLOSS.sub("", text)


# Common characters that only traditional script writes this way: a page with several of them
# (a Hong Kong or Taiwan reprint, a converted site) is read in simplified script, so its names,
# places and figures match the questions, which are folded to simplified too.
_TRADITIONAL = frozenset("資項億區縣實與進發業經濟產場為會國東這們來時個從對後開關門問間電動")


def to_simplified(text: str) -> str:
    """Convert a traditional-script text to simplified; leave simplified text as it is."""
    if len(_TRADITIONAL.intersection(text)) < 5:
        return text
    import zhconv  # its conversion table costs ~70 ms to load: only for the pages that need it

    return zhconv.convert(text, "zh-hans")


def normalize_newlines(text: str) -> str:
    """Use \\n only, trim line ends, turn form feeds (page breaks) into blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return "\n".join(line.strip(" \t\u3000") for line in text.split("\n"))


PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?|"
    r"\d{1,3}\s*/\s*\d{1,3})$"
)
SPACED_RE = re.compile(rf"(?<=[{CJK}，。、；：])[ \u3000](?=[{CJK}，。、；：“”（）])")


def drop_page_numbers(text: str) -> str:
    """Remove page-number lines a PDF leaves between pages ("- 3 -", "第2页 共5页")."""
    lines = text.split("\n")
    return "\n".join("" if PAGE_NUMBER_RE.match(line) else line for line in lines)


def remove_letter_spacing(text: str) -> str:
    """Undo letter-spaced Chinese ("楚 雄 州 投 资") that PDF extraction often produces."""
    out = []
    for line in text.split("\n"):
        gaps = len(SPACED_RE.findall(line))
        cjk = len(re.findall(rf"[{CJK}]", line))
        out.append(SPACED_RE.sub("", line) if gaps >= 3 and gaps >= 0.4 * cjk else line)
    return "\n".join(out)


def fix_number_brackets(text: str) -> str:
    """Write document-number years as 〔2021〕 whatever brackets the source used."""
    return re.sub(r"[\[【(（〔]\s*(\d{4})\s*[\]】)）〕](?=\s*第?\s*\d+\s*号)", r"〔\1〕", text)


def join_broken_lines(text: str) -> str:
    """Rejoin paragraphs split across blank lines, page breaks or hard PDF line wraps."""
    lines = [line for line in text.split("\n")]
    kept = [line for line in lines if line]
    wrap, hard = _wrap_width(kept)
    out: list[list[str]] = []  # each paragraph as its pieces (joined once, not quadratically)
    pending_blank = False
    for line in lines:
        if not line:
            pending_blank = True
            continue
        if out and out[-1] and _continues(out[-1], line, wrap, hard):
            out[-1].append(line)
        else:
            if pending_blank and out:
                out.append([])
            out.append([line])
        pending_blank = False
    return "\n".join("".join(pieces) for pieces in out)


def _wrap_width(lines: list[str]) -> tuple[int, bool]:
    """Width at which lines were probably wrapped, and whether the text is hard-wrapped (PDF)."""
    lengths = sorted(len(line) for line in lines if len(line) >= 15)
    if len(lengths) < 8:
        return 30, False
    typical = lengths[int(len(lengths) * 0.8)]
    similar = sum(1 for n in lengths if abs(n - typical) <= 3)
    if similar >= 0.4 * len(lengths):
        return max(15, typical - 4), True  # lines cluster at one width
    return 30, False


def _continues(pieces: list[str], line: str, wrap: int, hard: bool = False) -> bool:
    """Whether `line` continues the paragraph made of `pieces` so far."""
    previous = pieces[-1]
    single = len(pieces) == 1
    if HEADING_RE.match(line) or POINT_RE.match(line) or FOOTER_START_RE.match(line):
        return False
    # In hard-wrapped text a line may end with ）or ” by chance; only 。！？；： end paragraphs.
    ends = SENTENCE_END if hard else TERMINAL
    if previous.endswith(tuple(ends)) or "\t" in previous or "\t" in line:
        return False
    if previous.endswith(tuple(CONTINUING)) or (single and TITLE_TAIL_RE.match(line)):
        return True
    if single and TITLE_END_RE.search(previous):
        return False
    if single and HEADING_RE.match(previous) and len(previous) < (wrap if hard else wrap + 10):
        return False
    return len(previous) >= wrap


def remove_figure_spaces(text: str) -> str:
    """Remove spaces a layout put between figures and Chinese ("5 亿元", " 30GW ", "2021 年")."""
    before_figure = rf"(?<=[{CJK}%“”（）、，])[ \t\u3000]+(?=\d(?!\d{{6}}))"
    after_figure = rf"(?<=[\d%A-Za-z])[ \u3000]+(?=[{CJK}])"
    text = re.sub(f"{before_figure}|{after_figure}", "", text)
    return re.sub(r"(?<=\d)[ \u3000]+(?=(?:%|GW|MW|kW|KW|万|亿|个百分点)(?![A-Za-z]))", "", text)


def replace_stray_latin(text: str) -> str:
    """Replace English glue words left between Chinese words by a conversion ("布局 and 选址")."""
    pattern = rf"(?<=[{CJK}])\s*\b(and|or|AND|OR)\b\s*(?=[{CJK}])|(?<=[{CJK}])\s*&\s*(?=[{CJK}])"

    def swap(match: re.Match[str]) -> str:
        word = match.group(1) or "&"
        return LATIN_GLUE[word]

    return re.sub(pattern, swap, text)


def normalize_ranges(text: str) -> str:
    """Write month ranges one way: 1—6月, 1～6月, 1至6月 -> 1-6月."""
    return re.sub(r"(?<!\d)(\d{1,2})\s*[—–－~～至-]\s*(\d{1,2})\s*月", r"\1-\2月", text)
