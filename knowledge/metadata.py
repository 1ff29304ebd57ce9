"""Document metadata of the genre: 文号, issuer, title, addressee, date, contact, cc, class.

The layout is the same across issuers: a header (classification, "XX文件", 文号, title,
addressee ending with "："), the body, then a footer (signature, date, 联系人, 抄送, 印发).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from knowledge.records import ProposalRef
from knowledge.repair import HEADING_RE

NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,15}〔\d{4}〕\s*第?\s*\d{1,5}\s*号)")
CLASS_WORDS = (
    "A类",
    "B类",
    "C类",
    "公开",
    "主动公开",
    "依申请公开",
    "不予公开",
    "免予公开",
    "不公开",
    "内部",
    "内部资料",
    "秘密",
    "机密",
    "绝密",
    "特急",
    "加急",
    "平急",
)
CLASS_LINE_RE = re.compile(r"^(?:公开(?:方式|属性|类型)|信息公开选项|密级|紧急程度)[:：]\s*(\S+)$")
TITLE_HINT_RE = re.compile(
    r"^(?:关于|对).{2,}|.*(?:答复|报告|总结|方案|意见|通知|函|请示|计划|要点|情况|汇报)$"
)
ORG_END_RE = re.compile(
    r"(?:局|委|办|厅|部|府|政府|委员会|办公室|中心|公司|集团|院|所|站|会|处|科|室|队|党委|支部|政协)$"
)
CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
DATE_RE = re.compile(
    r"(\d{4}|[〇零○一二三四五六七八九OＯ]{4})\s*[年./-]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*[月./-]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?"
)
CONTACT_RE = re.compile(
    r"联\s*系\s*人\s*[:：]\s*([\u4e00-\u9fff·]{2,5}?)\s*(?:[，,；;、]?\s*(?:联系)?电话\s*[:：]?)?\s*"
    r"([\d][\d\- －()（）]{5,}\d)?\s*[）)]?\s*$"
)
PHONE_RE = re.compile(r"(?:联系)?电话\s*[:：]\s*([\d][\d\- －()（）]{5,}\d)")
CC_RE = re.compile(r"^抄\s*送\s*[:：]\s*(.+)$")
PROPOSAL_RE = re.compile(
    r"(?P<session>(?:[州省市县区]|全国)?(?:[一二三四五六七八九十]+届)?(?:政协|人大)[\u4e00-\u9fff]{0,12}?会议)?\s*"
    r"第?\s*(?P<number>[A-Za-z]?\d{1,5})\s*号\s*(?P<kind>提案|建议|议案)"
)
TITLE_ISSUER_RE = re.compile(
    r"^([\u4e00-\u9fff]{2,30}?(?:局|委员会|委|办公室|政府|中心|厅))(?=\d{4}年|关于|对)"
)
THIS_DOC_RE = re.compile(r"^[（(]?此件(?:可)?(公开发布|主动公开|依申请公开|不予公开|不公开)")
PLAIN_PROPOSAL_TITLE_RE = re.compile(
    r"(?:您|你)[们委]?[^，。“《]{0,6}?[“]?(关于[^，。”》]{4,120}?的(?:提案|建议|议案))"
)
ATTACHMENT_RE = re.compile(r"^附\s*件\s*(?:[:：]|\d)")
CLOSING_RE = re.compile(
    r"(?:特此(?:函复|答复|报告|复函|说明|致谢)|此复|专此(?:函复|报告))[。！!.]?"
)
# A web page's navigation and furniture above its headline ("当前位置:", "注册", "转自:中工网",
# "(资料图片仅供参考)", a column name like "本市要闻"): never the title, never an addressee.
PAGE_CHROME_RE = re.compile(
    r"^(?:当前位置|内容导航|您的位置|来源|转自|发布时间|发布日期|作者|编辑|责任编辑|浏览次数|字号)"
    r"[:：]|^(?:注册|登录|首页|打印|关闭|分享|收藏|返回|\?+)$|^[（(]资料图片.*[)）]$"
    r"|^[\u4e00-\u9fff]{0,4}(?:要闻|动态|新闻|资讯|快讯|公告)$"
)
# "原标题:…": a reposted article names its real headline (cut where the body runs on).
ORIGINAL_TITLE_RE = re.compile(
    r"原标题[:：]\s*(.{4,60}?)(?:[（(](?:主题|副题)[)）]|记者|本报|[，,。]|$)"
)
PROPOSAL_TITLE_RE = re.compile(r"(?:您|你)[^《]{0,8}《([^》]{4,200})》")


@dataclass
class Layout:
    """The document cut into header lines, body paragraphs and footer lines."""

    header: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)


def split_layout(paragraphs: list[str]) -> Layout:
    """Cut the paragraphs into header, body and footer by the genre's landmarks."""
    start = _body_start(paragraphs)
    end = _body_end(paragraphs, start)
    return Layout(paragraphs[:start], paragraphs[start:end], paragraphs[end:])


def _body_start(lines: list[str]) -> int:
    for i, line in enumerate(lines[:15]):
        if _is_addressee(line):
            return i + 1
    last = -1
    for i, line in enumerate(lines[:12]):
        if _is_header_line(line):
            last = i
        elif len(line) > 40 or re.search(r"[。；，]", line):
            break
    return last + 1


def _is_addressee(line: str) -> bool:
    return (
        bool(re.search(r"[:：]$", line))
        and len(line) <= 60
        and not re.match(r"^(?:联系人|抄送|附件|现|特此|答复如下|报告如下)", line)
        and not PAGE_CHROME_RE.match(line)
        and not HEADING_RE.match(line)
        and not re.search(r"如下[:：]$", line)
    )


def _is_header_line(line: str) -> bool:
    return bool(
        line in CLASS_WORDS
        or CLASS_LINE_RE.match(line)
        or NUMBER_RE.fullmatch(line.replace(" ", ""))
        or line.endswith("文件")
        or (len(line) <= 30 and ORG_END_RE.search(line) and not re.search(r"[，。；]", line))
        or (len(line) <= 60 and TITLE_HINT_RE.match(line) and not re.search(r"[。；]", line))
    )


def _body_end(lines: list[str], start: int) -> int:
    end = len(lines)
    while end > start and _is_footer_line(lines[end - 1]):
        end -= 1
    # An attachment list ("附件：1.… 2.…") after the last paragraph is not body either.
    for i in range(start, end):
        if ATTACHMENT_RE.match(lines[i]) and i > start + (end - start) // 2:
            return i
    return end


def _is_footer_line(line: str) -> bool:
    if CLOSING_RE.fullmatch(line):
        return True
    if re.match(r"^[（(]?(?:联\s*系\s*人|联系电话|电话|抄\s*送|主\s*送|附件|印发|此件)", line):
        return True
    if DATE_RE.fullmatch(line.replace("印发", "").strip()):
        return True
    if line in CLASS_WORDS or CLASS_LINE_RE.match(line):
        return True
    return (
        len(line) <= 30 and not re.search(r"[，。；：:]", line) and bool(ORG_END_RE.search(line))
    )


def find_number(header: list[str], text: str) -> str | None:
    """Return the 文号 from the header, else the first in the text."""
    for line in [*header, text]:
        match = NUMBER_RE.search(line)
        if match:
            return re.sub(r"\s+", "", match.group(1))
    return None


def find_issuer(
    header: list[str], footer: list[str], number: str | None, title: str = ""
) -> str | None:
    """Return the issuing body: "XX文件" header, an org line, the signature, the title."""
    for line in header:
        if line.endswith("文件") and 3 < len(line) <= 40:
            return line[: -len("文件")].strip()
    for line in header:
        plain = not TITLE_HINT_RE.match(line) and not NUMBER_RE.search(line)
        if len(line) <= 30 and ORG_END_RE.search(line) and not _is_addressee(line) and plain:
            return line
    for line in footer:
        if ORG_END_RE.search(line) and not line.startswith(("抄送", "主送", "联系")):
            return line
    match = TITLE_ISSUER_RE.match(title)
    return match.group(1) if match else None


def find_title(header: list[str]) -> str:
    """Return the title line (关于…/对…答复/…总结), else the longest header line."""
    candidates = [
        line
        for line in header
        if line not in CLASS_WORDS
        and not line.endswith("文件")
        and not NUMBER_RE.search(line)
        and not _is_addressee(line)
        and not CLASS_LINE_RE.match(line)
        and not PAGE_CHROME_RE.match(line)
    ]
    for line in candidates:
        if TITLE_HINT_RE.match(line):
            return line
    return max(candidates, key=len, default="")


def find_addressee(header: list[str]) -> str | None:
    """Return the 主送 line without its colon."""
    for line in header:
        if _is_addressee(line):
            return re.sub(r"[:：]$", "", line).strip()
    return None


def parse_date(text: str) -> dt.date | None:
    """Parse one Chinese or numeric date (2021年8月20日, 二〇二一年八月二十日, 2021-08-20)."""
    match = DATE_RE.search(text)
    if not match:
        return None
    year, month, day = (_cn_int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def _cn_int(token: str) -> int:
    if token.isdigit():
        return int(token)
    if len(token) == 4 and all(c in CN_DIGITS for c in token):
        return int("".join(str(CN_DIGITS[c]) for c in token))
    if "十" in token:
        tens, _, ones = token.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(token, 0)


_PUBLISHED = re.compile(
    r"(?:发布|发表|更新)(?:时间|日期)|^\s*(?:时间|日期)\s*[:：]|^\s*\d{1,2}\.\d{1,2}\.\d{4}"
    r"|^\s*\d{4}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2})?\s*(?:来源|$)"  # "2019-08-12 08:58 来源:…"
)
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


def published_date(lines: list[str]) -> dt.date | None:
    """The date a web page was published ("发布时间：2022-07-18", "25.05.2016 10:07")."""
    for line in lines:
        if not _PUBLISHED.search(line):
            continue
        day_first = _DAY_FIRST.search(line)
        if day_first:
            day, month, year = (int(g) for g in day_first.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        found = parse_date(line)
        if found:
            return found
    return None


def find_date(footer: list[str], header: list[str]) -> dt.date | None:
    """Return the signature date, else the 印发 date, else a date in the header."""
    printed = None
    for line in footer:
        date = parse_date(line)
        if date and "印发" in line:
            printed = printed or date
        elif date and DATE_RE.fullmatch(line.strip()):
            return date
    if printed:
        return printed
    for line in header:
        if DATE_RE.fullmatch(line.strip()):
            return parse_date(line)
    return None


def find_contact(lines: list[str]) -> tuple[str | None, str | None]:
    """Return (contact name, phone) from a 联系人 line."""
    for line in lines:
        match = CONTACT_RE.search(line)
        if match:
            phone = match.group(2)
            if not phone:
                other = PHONE_RE.search(" ".join(lines))
                phone = other.group(1) if other else None
            return match.group(1), phone.strip() if phone else None
    return None, None


def find_cc(footer: list[str]) -> list[str]:
    """Return the 抄送 list."""
    for line in footer:
        match = CC_RE.match(line)
        if match:
            parts = re.split(r"[、，,；;\s]+", match.group(1).strip("。. "))
            return [p for p in parts if p]
    return []


def find_classification(header: list[str], footer: list[str]) -> list[str]:
    """Return the classification marks (A类, 公开, 依申请公开 ...) in the order given."""
    marks: list[str] = []
    for line in [*header, *footer]:
        match = CLASS_LINE_RE.match(line) or THIS_DOC_RE.search(line)
        value = match.group(1) if match else line if line in CLASS_WORDS else None
        if value and value not in marks:
            marks.append(value)
    return marks


def find_proposal(title: str, body: list[str], addressee: str | None) -> ProposalRef | None:
    """Return the proposal or suggestion a reply answers, when the title names one."""
    match = PROPOSAL_RE.search(title)
    if not match:
        return None
    intro = "\n".join(body[:3])
    named = PROPOSAL_TITLE_RE.search(intro) or PLAIN_PROPOSAL_TITLE_RE.search(intro)
    return ProposalRef(
        number=match.group("number"),
        title=named.group(1) if named else None,
        proposer=addressee,
        session=match.group("session"),
        kind=match.group("kind"),
    )


def doc_type(title: str) -> str:
    """Classify the document by its title."""
    if "答复" in title or "复函" in title or PROPOSAL_RE.search(title):
        return "reply"
    if re.search(r"总结|工作情况|汇报|报告", title):
        return "summary"
    if re.search(r"计划|方案|要点|打算", title):
        return "plan"
    return "other"
