"""Small county and prefecture reports written for the comparison tests (figures invented)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from knowledge.ingest import ingest_path

DOCS = {
    "yaoan_2021.txt": """姚安县2021年招商引资工作总结

2021年，我县围绕花卉、中药材和文旅融合开展招商，全年工作有序推进。

一、主要指标

2021年，全县实现州外到位资金38.2亿元，同比增长9.1%。

二、主要做法

一是组织小分队外出招商8次。二是落实重点项目包保责任制。

姚安县投资促进局
2022年1月12日
""",
    "yaoan_2022h1.txt": """姚安县2022年1-6月招商引资工作情况

上半年，我县紧盯全年目标，招商引资工作稳步推进。

一、主要指标

1-6月，全县实现州外到位资金20.5亿元，同比增长10.2%，签约项目落地率70.0%。

二、下步打算

一是加快在谈项目签约。二是做好要素保障。

姚安县投资促进局
2022年7月8日
""",
    "yaoan_2022.txt": """姚安县2022年招商引资工作总结

2022年，全县投资促进工作取得新进展。

一、主要指标

2022年，全县实现州外到位资金46.8亿元，同比增长22.5%，完成全年目标40亿元的117%。

二、主要做法

一是强化产业链招商。二是优化项目服务。

姚安县投资促进局
2023年1月15日
""",
    "yaoan_2023q1.txt": """姚安县2023年一季度招商引资工作简报

一季度，我县招商引资实现良好开局。

一、主要指标

1-3月，全县实现州外到位资金9.6亿元，同比增长5.3%。

二、下步打算

一是加快项目开工。二是加强指标调度。

姚安县投资促进局
2023年4月6日
""",
    "dayao_2022h1.txt": """大姚县2022年1-6月招商引资工作简报

今年以来，我县聚焦核桃精深加工和绿色能源开展招商。

一、主要指标

1-6月，全县实现州外到位资金18.3亿元，同比增长8.4%，签约项目落地率75.5%。

二、下步打算

一是加强招商队伍建设。二是推动签约项目开工。

大姚县投资促进局
2022年7月11日
""",
    "zhou_2022_counties.txt": """楚雄州投资促进局关于2022年各县市招商引资指标完成情况的通报

各县市投资促进局：

现将2022年各县市招商引资指标完成情况通报如下。

一、全州情况

2022年，全州产业到位资金占比82.0%，高于全年目标（70%）12.0个百分点。

二、各县市情况

2022年，楚雄市、禄丰市、双柏县、牟定县、南华县、元谋县、武定县、永仁县、大姚县、姚安县的引进县外项目数分别为31个、27个、9个、12个、15个、11个、10个、6个、13个和14个。

楚雄州投资促进局
2023年2月3日
""",
}


def ingest_comparison_docs(sessions: sessionmaker[Session], folder: Path) -> None:
    """Write the reports to `folder` and ingest each into the base."""
    for name, text in DOCS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        assert ingest_path(sessions, path).status == "added"
