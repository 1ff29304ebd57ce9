"""Who and when a document is about, how it is named, and the scope of each of its figures.

A county brief says 全县 and 1-3月; its county is in the title and its year maybe only in the
date line. This module reads the document's subject (place or organisation) and period from
its title, first lines, issuer and date, then gives every figure a concrete place, year, span
of months and kind, so a question about one county and year never gets another's figure.
"""

from __future__ import annotations

import re
from collections import Counter

from knowledge.records import Indicator, ParsedDocument
from scope.labels import display_name
from scope.periods import FULL_YEAR, Period, document_period, find_span, find_year
from scope.places import (
    BARE_ZONE_RE,
    HOME_PREFECTURE,
    SCOPE_RE,
    SCOPE_WORDS,
    Gazetteer,
    Place,
    bare_county,
    bare_zone,
    host_province,
    make_place,
    province_of,
)

GAZETTEER = Gazetteer()
_CHUXIONG = {p.name for p in map(make_place, ("楚雄市", "禄丰市", "双柏县", "牟定县", "南华县",
             "姚安县", "大姚县", "永仁县", "元谋县", "武定县", "楚雄高新区"))}  # fmt: skip
_NEWS = re.compile(r"本报讯|记者|来源[:：]|发布时间|新华网|日报|通讯员")
_BRIEF = re.compile(r"简报|通报|快报|动态|进展|推进情况|工作情况|完成情况|运行情况")
_SUMMARY = re.compile(r"总结|报告|汇报")
_PLAN = re.compile(r"计划|方案|要点|打算")


def identify(doc: ParsedDocument) -> None:
    """Fill the document's subject, period, genre and display name, then its figures' scope."""
    body = [s.text for s in doc.sections[:2]]
    opening = "\n".join(body)[:300]
    subject = document_subject(doc, opening)
    # A reply's opening talks about many periods; its own period is its date's year.
    reply = doc.doc_type == "reply"
    period = document_period(
        doc.title, "" if reply else opening, doc.date, "" if reply else doc.text
    )
    doc.subject = subject.name if subject else None
    doc.period_year, doc.period_start, doc.period_end = period.year, period.start, period.end
    doc.genre = genre_of(doc.title, doc.text[:400], doc.doc_type)
    doc.display_name = display_name(doc.number, doc.title, doc.issuer, doc.date)
    plan_sections = {i.section for i in doc.items if i.kind == "action" and i.section}
    for indicator in doc.indicators:
        _scope_figure(indicator, subject, period, indicator.section in plan_sections)


def document_subject(doc: ParsedDocument, opening: str) -> Place | None:
    """Return the place or organisation the document reports on.

    In order: a reply's issuer (it speaks for the bureau), the place its title opens with,
    the issuer's place, then the place of the level its body speaks for (我市/全市 -> the city
    it names most), then the first place of its opening lines.
    """
    issuer_place = GAZETTEER.first(doc.issuer or "")
    if doc.doc_type == "reply" and issuer_place:
        return issuer_place
    title_place = (
        _leading_place(doc.title)
        or _headline_prefix(doc.title, doc.text)
        or _opening_place(opening)
    )
    if title_place:
        return title_place
    level = _scope_word(doc.title) or _organ_level(doc.title) or _dominant_level(doc.text)
    if level == "省":
        return _province(doc) or issuer_place
    if issuer_place:
        return issuer_place
    dominant = _dominant_place(doc.text, level) if level else None
    if dominant is None and level in ("县", "区"):
        # "全区…打造高质量发展的云城": the county named only by its bare name.
        dominant = bare_county(doc.text[:6000], level)
    return dominant or _first_admin_place(opening[:200]) or (_province(doc) if level else None)


def _first_admin_place(text: str) -> Place | None:
    """The first county, city, prefecture or province named (a zone only when nothing else is)."""
    found = [m.place for m in GAZETTEER.find(text) if not m.place.is_group]
    admin = [p for p in found if not p.is_zone]
    return (admin or found or [None])[0]


_LEVEL_SUFFIXES = {
    "市": ("市",), "县": ("县", "市"), "区": ("区",), "州": ("州", "市"), "省": ("省",),
}  # fmt: skip


def _opening_place(opening: str) -> Place | None:
    """"许昌市今年前10个月…", "开年以来，玉屏县…": a body whose first sentence opens with a
    place (after a clause that only says when) is about it."""
    clauses = re.split(r"[，,。；;：:]", opening.strip(), maxsplit=2)
    if len(clauses) > 1 and _TIME_ONLY.fullmatch(clauses[0].strip()):
        clauses = clauses[1:]
    first = clauses[0]
    found = [m for m in GAZETTEER.find(first[:20]) if m.known and not m.place.is_group]
    return found[0].place if found and found[0].start == 0 else None


_TIME_ONLY = re.compile(
    r"(?:开年|今年|年初|入春|入夏|近年|近期|近日|日前|目前|截至目前|[一二三四]季度|上半年|"
    r"\d{1,2}[-至到]\d{1,2}月份?|\d{4}年)(?:以来|来|中|期间)?"
)
# "玉屏：第一季度产业招商开门稳": a news headline names its county by its bare base first.
_HEADLINE_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,4})\s*[:：]")


def _headline_prefix(title: str, text: str) -> Place | None:
    """The place whose bare base a headline opens with, as the body names it in full."""
    prefix = _HEADLINE_PLACE.match(title or "")
    if prefix is None:
        return None
    stem = prefix.group(1)
    for mention in GAZETTEER.find(text[:3000]):
        if mention.place.base == stem or mention.place.name == stem:
            return make_place(mention.place.name)
    return None


# A scope word that opens a clause speaks for the text; "居全省第二" only compares with it.
_CLAUSE_SCOPE = re.compile(rf"(?:^|(?<=[，,。；;：:\n\s]))(?:{SCOPE_RE.pattern})")


def _dominant_level(text: str) -> str | None:
    """The level the body speaks for: the most used of 全市/我市, 全县/我县, 我区 ..."""
    plain = _LEAD_PERIOD.sub("", text)
    words = (m.group() for m in _CLAUSE_SCOPE.finditer(plain))
    counts = Counter(SCOPE_WORDS[w] for w in words if w != "园区")
    return counts.most_common(1)[0][0] if counts else None


# "…四川行在成都举行": where an event was held is not what the page reports on.
_VENUE = re.compile(r"(?:隆重)?(?:举行|举办|召开|开幕|闭幕)")
_QUOTED = re.compile(r"“[^”]{1,40}”")


def _dominant_place(text: str, level: str) -> Place | None:
    """The place of that level the text names most often (a zone only for 区 when no other)."""
    suffixes = _LEVEL_SUFFIXES.get(level, ())
    quoted = [m.span() for m in _QUOTED.finditer(text[:6000])]
    mentions = [
        m.place
        for m in GAZETTEER.find(text[:6000])
        if (m.known or m.place.is_zone)
        and not _VENUE.match(text, m.end)
        and not any(a < m.start < b for a, b in quoted)  # "“大连投资促进”" names an event
    ]
    # A bare name ("亳州籍") counts by its canonical name's level (亳州市); a zone named after
    # its city ("丽水经济开发区") also counts for the city.
    mentions = [make_place(p.name) if not p.suffix else p for p in mentions]
    mentions += [city for p in mentions if p.is_zone and (city := _zone_city(p)) is not None]
    fitting = [p for p in mentions if p.suffix in suffixes and not p.is_zone]
    if not fitting and level == "区":
        fitting = [p for p in mentions if p.is_zone]
    if not fitting:
        return None
    counts = Counter(fitting)
    best = max(counts.values())
    return next(p for p in fitting if counts[p] == best)  # ties: the first named


def _zone_city(zone: Place) -> Place | None:
    """The city or county a zone is named after (丽水经济开发区 -> 丽水市), if it is one."""
    stem = zone.name[: len(zone.name) - len(zone.suffix)]
    found = GAZETTEER.find(stem)
    if found and (found[0].start, found[0].end) == (0, len(stem)) and found[0].known:
        return make_place(found[0].place.name)
    return None


_JOINED = re.compile(r"\s*[和与及、]\s*")


def _leading_place(title: str) -> Place | None:
    """The place a title opens with (after its period), or its issuer part names before 关于."""
    head = title.split("关于", 1)[0] if "关于" in title[:30] else title
    if not head.strip() and title.startswith("关于"):
        head = title[2:]  # "关于淮北市政协…提案的答复": the place right after 关于
    head = _LEAD_FILLER.sub("", head)
    found = [m for m in GAZETTEER.find(head) if not m.place.is_group]
    if len(found) > 1 and _JOINED.fullmatch(head[found[0].end : found[1].start]):
        return None  # "昆明和曲靖引进…": a title comparing places is about neither alone
    if found and found[0].start <= 4:
        return found[0].place
    bare = BARE_ZONE_RE.match(head)
    return bare_zone(bare.group()) if bare else None  # "开发区招商局…": a zone, unnamed


_LEAD_FILLER = re.compile(
    r"^(?:\s|其中|同时|此外|另外|从[\u4e00-\u9fff]{1,4}看|分[\u4e00-\u9fff]{1,3}看|截至目前|目前|"
    r"今年以来|年初以来|(?:今年|本年)(?=\d|[一二三四上下前全]|第)|\d{4}年(?!度)|\d{1,2}[-至到]\d{1,2}月(?:份)?|[上下]半年|前三季度|"
    r"第?[一二三四]季度|全年|[，,、□])+"
)


# Periods before a clause's scope word ("1-8月，全省…", "今年以来全市…") are not part of it.
_LEAD_PERIOD = re.compile(
    r"(?:今年|去年|上年)?(?:\d{1,2}\s*[-至到—]\s*\d{1,2}月份?|前\d{1,2}个?月|[上下]半年|"
    r"前三季度|第?[一二三四]季度|今年以来|年初以来|\d{4}年)"
)
_VERBISH = re.compile(r"[请来去赴到于向对高低增减进引完实开做抓推加强促]")


def leading_place(head: str) -> str | None:
    """The place or scope word a clause opens with ("1-3月，全县…", "楚雄市完成…")."""
    text = _LEAD_FILLER.sub("", head)
    for word in SCOPE_WORDS:
        if text.startswith(word) and word != "园区":
            return word
    found = GAZETTEER.find(text[:12])
    if not found or found[0].start != 0:
        return None
    place = found[0].place
    if not found[0].known and not place.is_zone and _VERBISH.search(text[: found[0].end]):
        return None  # "邀请客商来县考察": a verb phrase that happens to end in 县
    return place.name


# "区投促局2022年工作总结", "县人民政府关于…": an office named by its level alone speaks for
# the place of that level its body names most.
_ORGAN = re.compile(
    r"^([省州市县区])(?:委|人民政府|政府|人大|政协|投促局|投资促进局|招商局|商务局|发改委|"
    r"招商合作局|合作办|经合局)"
)


def _organ_level(title: str) -> str | None:
    match = _ORGAN.match(title or "")
    return match.group(1) if match else None


def _scope_word(text: str) -> str | None:
    for word, level in SCOPE_WORDS.items():
        if word in (text or "")[:60]:
            return level
    return None


def _province(doc: ParsedDocument) -> Place | None:
    """The province a 全省 report is about: named outright, or the province its places are in."""
    host = host_province(doc.title) or host_province(doc.text[:1000])
    if host is not None:
        return host  # "苏浙粤三省来皖投资": 安徽 hosts; the others are where the money came from
    for mention in GAZETTEER.find(doc.text[:3000]):
        province = province_of(mention.place)
        if province is not None:
            return province
    return None


def genre_of(title: str, head: str, doc_type: str) -> str:
    """Return reply | news | brief | summary | plan | other."""
    if doc_type == "reply":
        return "reply"
    if _SUMMARY.search(title[-4:]):
        return "summary"  # a summary published on a website is still a summary
    if _NEWS.search(head):
        return "news"
    if _SUMMARY.search(title) and (not _BRIEF.search(title) or _SUMMARY.search(title[-4:])):
        return "summary"  # "…工作情况的报告" is a report
    if _BRIEF.search(title):
        return "brief"
    if _PLAN.search(title):
        return "plan"
    return doc_type


def resolve_place(raw: str | None, subject: Place | None) -> str | None:
    """Turn a figure's own place or scope word (全县, 全州, 全省) into a place name."""
    if raw is None:
        return subject.name if subject else None
    level = SCOPE_WORDS.get(raw)
    if level is None:
        return make_place(raw).name
    in_home = subject is not None and subject.name in _CHUXIONG
    if level == "州" and in_home:
        return HOME_PREFECTURE
    if level == "省" and subject is not None and not subject.is_province:
        province = province_of(subject)
        return province.name if province else "全省"
    return subject.name if subject else None


def _scope_figure(
    indicator: Indicator, subject: Place | None, period: Period, planned: bool
) -> None:
    indicator.place = resolve_place(indicator.place, subject)
    own = indicator.period or ""
    span = find_span(own)
    year = find_year(own, period.year)
    if year is None:
        year = period.year
    if span is None:
        if re.fullmatch(r"\d{4}年", own.strip()) and period.year and year and year < period.year:
            span = FULL_YEAR  # "2021年，全州…" in a 2022 reply: last year's whole year
        elif not own or year == period.year:
            span = period.span
    indicator.year = year
    indicator.month_start, indicator.month_end = span or (None, None)
    indicator.kind = "plan" if planned else figure_kind(indicator)


_RANK = re.compile(r"排名|排位|位次|第\d+位|居.{0,6}第")
# "超出计划进度目标1.68亿元" / "超出计划进度9.23%": how far ahead of schedule, not a target.
_GAP = re.compile(
    r"时序|高于目标|低于目标|超目标|欠目标|(?:超出|超过|高于|低于|欠|落后)(?:计划|序时)?进度"
)
_PROGRESS = re.compile(r"完成.{0,8}(?:目标|任务|进度)|目标.{0,4}进度|完成率")
_GROWTH = re.compile(r"(?:增长|增速|增幅|下降|增长率|减少)$")
_SHARE = re.compile(r"占比|比重|占.{0,10}的?$")
_TARGET = re.compile(r"目标|任务")


def figure_kind(indicator: Indicator) -> str:
    """Return actual | target | progress | growth | share | gap | rank."""
    name, unit = indicator.name, indicator.unit
    if unit == "位" or _RANK.search(name):
        return "rank"
    if _GAP.search(name):
        return "gap"
    if unit == "%" and _PROGRESS.search(name):
        return "progress"
    if unit in ("%", "个百分点") and _GROWTH.search(name):
        return "growth"
    if unit == "%" and _SHARE.search(name):
        return "share"
    if _TARGET.search(name):
        return "target"
    return "actual"
