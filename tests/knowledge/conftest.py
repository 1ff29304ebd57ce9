"""Fixtures for knowledge tests: small synthetic documents and a database dump helper."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Document, Entity, Indicator, Item, Section

COUNTY_REPLY = """B类
依申请公开

禄丰县商务局

禄商复〔2022〕第12号

关于县十八届人大二次会议第35号建议的答复

李明代表：

您提出的《关于加快县域商贸流通体系建设的建议》收悉，经认真研究，现答复如下：

一、基本情况

2022年1-9月，全县社会消费品零售总额完成45.6亿元，同比增长8.2%，低于年度目标（10%）1.8个百分点。其中，农村消费品零售额12.3亿元，同比增长11.5%。全县电商交易额3.2亿元。

二、办理情况

1.完善流通网络
（1）新建乡镇商贸中心6个，改造农贸市场3个，覆盖人口约15万人。
（2）引进永辉超市、云南建投物流有限公司等4家企业入驻物流园区。

2.培育市场主体
今年以来新增限上企业18家，累计达到126家。组织“金秋购物节”等促销活动9场，参与群众2.5万人次。制定了《禄丰县促进消费十条措施》。

三、下一步工作打算

1.加强冷链物流建设，力争2023年新建冷库2座。
2.推动电商进农村，一是建设村级服务站；二是培训电商人才500人次。

禄丰县商务局
二〇二二年十月十八日

（联系人：王芳，联系电话：0878-4123456）

抄送：县人大常委会人代工委，县政府督查室。
"""

BUREAU_SUMMARY = """大理州商务局文件

大商发〔2023〕7号

大理州商务局2023年上半年工作总结

一、主要指标完成情况

1-6月，全州实际利用外资1200万美元，同比增长15.3%。

二、主要做法

（一）强化招商

一是开展产业链招商，上半年签约项目32个。二是举办推介会5场。

（二）优化服务

推行“一站式”服务，为企业办理手续120件。

三、下半年工作打算

（一）抓好项目落地。确保签约项目开工率达到80%。

大理州商务局
2023年7月10日
"""


def row_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Count rows of every knowledge table."""
    with sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Document, Section, Indicator, Item, Entity)
        }


def dump(sessions: sessionmaker[Session]) -> list[tuple]:
    """A comparable picture of the documents table."""
    with sessions() as session:
        rows = session.execute(
            select(Document.id, Document.content_hash, Document.is_current).order_by(Document.id)
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def snapshot() -> Callable[[sessionmaker[Session]], tuple]:
    """Return a function that pictures the DB (row counts and documents)."""
    return lambda sessions: (row_counts(sessions), dump(sessions))
