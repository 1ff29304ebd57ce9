"""A small reply letter written for the tests, inserted row by row through db.models."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from db.models import Document, Entity, Indicator, Item, Section

SECTIONS = [
    (
        "一",
        None,
        1,
        "上半年工作成效",
        "1-6月，全县引进县外到位资金增长12.5%，高于全年目标（10%）2.5个百分点，完成全年目标进度55.1%。",
    ),
    ("二", None, 1, "主要工作开展情况", ""),
    (
        "二（一）",
        "二",
        2,
        "网络招商",
        "继续实施“云招商、云签约”模式。在紫溪镇、东瓜镇举办2场网络招商推介会，直播观看人数达20万人。",
    ),
    (
        "二（二）",
        "二",
        2,
        "着力外资招商",
        "1-5月，全县实际到位外资40万美元。帮助华光新材料有限公司注册为合资公司。",
    ),
    ("三", None, 1, "下步重点工作", ""),
    (
        "三（一）",
        "三",
        2,
        "拓宽融资渠道",
        "一是加强政银企对接，推动银行贷款投放。二是探索PPP模式，引导社会资本参与。",
    ),
    (
        "三（二）",
        "三",
        2,
        "优化营商环境",
        "一是推行“一窗受理”，实行全程代办。二是建立企业服务专员制度。",
    ),
]
INDICATORS = [
    (
        "县外到位资金",
        12.5,
        "%",
        "1-6月",
        "10%",
        10.0,
        "高于全年目标2.5个百分点",
        "完成全年目标进度55.1%",
        "县外",
        "一",
    ),
    ("实际到位外资", 40.0, "万美元", "1-5月", None, None, None, None, None, "二（二）"),
    ("直播观看人数", 20.0, "万人", "上半年", None, None, None, None, None, "二（一）"),
]


def seed_reply_letter(sessions: sessionmaker[Session]) -> int:
    """Insert the test letter with its sections, indicators, items and entities; return its id."""
    with sessions.begin() as session:
        doc = Document(
            number="县投促字〔2022〕7号",
            content_hash="test-letter-1",
            title="对县政协第015号提案的答复",
            issuer="某县投资促进局",
            addressee="民建某县支部",
            date=dt.date(2022, 8, 1),
            year=2022,
            contact="张明",
            contact_phone="13800000000",
            cc=["县政府办公室"],
            proposal_number="015",
            proposal_title="关于优化营商环境的提案",
            proposer="民建某县支部",
            text="\n".join(f"{t}\n{x}" for _s, _p, _l, t, x in SECTIONS),
        )
        session.add(doc)
        session.flush()
        for pos, (sid, parent, level, title, text) in enumerate(SECTIONS):
            session.add(
                Section(
                    document_id=doc.id,
                    sid=sid,
                    parent_sid=parent,
                    level=level,
                    title=title,
                    text=text,
                    position=pos,
                )
            )
        for pos, row in enumerate(INDICATORS):
            name, value, unit, period, target, tvalue, gap, progress, qualifier, sid = row
            quote = next(x for s, _p, _l, _t, x in SECTIONS if s == sid)
            session.add(
                Indicator(
                    document_id=doc.id,
                    name=name,
                    value=value,
                    unit=unit,
                    period=period,
                    target=target,
                    target_value=tvalue,
                    gap=gap,
                    progress=progress,
                    qualifier=qualifier,
                    section_sid=sid,
                    quote=quote,
                    position=pos,
                )
            )
        session.add(
            Item(document_id=doc.id, kind="measure", section_sid="二（一）", title="网络招商")
        )
        session.add(
            Item(
                document_id=doc.id,
                kind="action",
                section_sid="三（一）",
                title="拓宽融资渠道",
                points=[
                    "一是加强政银企对接，推动银行贷款投放。",
                    "二是探索PPP模式，引导社会资本参与。",
                ],
            )
        )
        session.add(
            Item(document_id=doc.id, kind="action", section_sid="三（二）", title="优化营商环境")
        )
        session.add(
            Entity(
                document_id=doc.id, name="华光新材料有限公司", type="org", section_sid="二（二）"
            )
        )
        return doc.id


def seed_later_report(sessions: sessionmaker[Session]) -> int:
    """Insert a 2023 report of the same county with a newer figure for 县外到位资金."""
    text = "1-9月，全县引进县外到位资金同比增长8.8%。市外到位资金增长5.0%。"
    with sessions.begin() as session:
        doc = Document(
            number="县投促字〔2023〕2号",
            content_hash="test-report-2",
            title="2023年1-9月招商工作报告",
            issuer="某县投资促进局",
            date=dt.date(2023, 10, 9),
            year=2023,
            text=text,
        )
        session.add(doc)
        session.flush()
        session.add(Section(document_id=doc.id, sid="一", level=1, title="主要指标", text=text))
        session.add(
            Indicator(
                document_id=doc.id,
                name="县外到位资金同比增长",
                value=8.8,
                unit="%",
                period="1-9月",
                qualifier="县外",
                section_sid="一",
                quote=text,
            )
        )
        session.add(
            Indicator(
                document_id=doc.id,
                name="市外到位资金增长",
                value=5.0,
                unit="%",
                period="1-9月",
                qualifier="市外",
                section_sid="一",
                quote=text,
            )
        )
        return doc.id
