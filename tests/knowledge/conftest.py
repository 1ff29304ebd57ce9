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

PREFECTURE_REPLY = """红河州发展和改革委员会

红发改函〔2023〕45号

红河州发展和改革委员会关于州政协十二届二次会议第0128号提案办理情况的答复函

民建红河州委：

你们提出的《关于推动园区经济高质量发展的提案》收悉。现将办理情况答复如下：

一、基本情况

2022年，全州园区实现规模以上工业增加值385.2亿元，同比增长10.5%，增速高于全省平均水平2.3个百分点。全州共有省级以上园区13个，入园企业达2156户。

二、办理措施

（一）加快基础设施建设。全年完成园区基础设施投资56.7亿元，新建标准厂房42万平方米。

（二）强化招商引资。一是聚焦主导产业开展精准招商，引进亿元以上项目37个；二是组织企业参加南博会等展会4次，签约金额120亿元。

（三）优化营商环境。推行“承诺制+标准地”改革，项目审批时间压缩至35个工作日以内。

三、存在问题

园区融资难问题仍较突出。

四、下一步工作

（一）持续推进园区扩容提质，力争2023年园区营业收入突破2000亿元。
（二）深化“放管服”改革。

特此函复。

红河州发展和改革委员会
2023年6月28日

（联系人：赵磊；联系电话：0873-3051234）

抄送：州政协提案委员会，州人民政府督查室
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
