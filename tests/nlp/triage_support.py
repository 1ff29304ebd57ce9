"""Shared triage fixtures: the shipped knowledge base ingested once, and a fitted Triager.

Test modules import the fixtures they use (`from tests.nlp.triage_support import ...`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from nlp.kb_store import load_snapshot
from nlp.tokenizer import ChineseTokenizer
from nlp.triage import Triager
from nlp.triage_kb import TriageBase, triage_base

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "knowledge" / "sources"


def _text(*lines: str) -> str:
    """Join the lines of a proposal written for the tests."""
    return "\n".join(lines) + "\n"


# Proposals written for the tests, as proposers write them.
P084 = _text(
    "关于加强部门联动、强化政策体系建设，切实提高招商引资项目落地率，推动经济社会快速发展的提案",
    "提案人：致公党楚雄市基层委",
    "近年来，我州招商引资工作取得了一定成效，但部门之间协调配合不够，招商政策不够系统"
    "，签约项目落地率不高。",
    "为此建议：",
    "一、加强部门联动。建立招商引资部门联动工作机制，行业主管部门与投资促进部门形成合"
    "力，明确各部门职责，定期会商解决项目推进中的困难。",
    "二、强化政策体系建设。梳理完善招商引资优惠政策，健全考评奖惩机制，为招商工作提供政策保障。",
    "三、切实提高项目落地率。对签约项目实行清单化管理，建立项目台账，跟踪服务，推行全"
    "程代办，提高项目履约率、资金到位率和开工投产率。",
)

FINANCE = _text(
    "关于破解中小企业融资难题、助力招商项目建设的建议",
    "州人大代表 张华",
    "我州招商引资项目建设资金需求大，但中小企业融资难、融资贵问题突出，银行信贷支持不"
    "足，担保体系不健全。",
    "建议：一是加强政银企对接，定期召开融资对接会，引导银行加大对招商引资项目的信贷支"
    "持力度。二是完善融资担保体系，设立政府性融资担保基金，降低担保费率。三是鼓励企业"
    "通过股权融资、发行债券、引入风险投资等多渠道融资。",
)

ONLINE = _text(
    "关于创新网络招商方式、提升招商实效的提案",
    "委员：赵雷",
    "疫情以来，传统的外出招商受到限制，客商来楚考察减少。",
    "建议常态化开展网络招商，运用直播推介、云签约等方式，搭建线上招商平台，邀请商协会"
    "和客商在线对接；同时加强线上洽谈项目的跟踪落实，提高签约项目转化率。",
)

FOREIGN = _text(
    "关于加大利用外资工作力度的建议",
    "我州实际利用外资规模小，外资企业数量少。建议加强与港澳台及东南亚客商联系，支持外"
    "商投资企业注册落户，做好外资项目全程服务，力促外资到位。",
)

SCHOOL = _text(
    "关于加快城区中小学校建设、缓解大班额问题的建议",
    "代表：李明",
    "近年来城区学生人数快速增长，学校学位紧张，大班额问题突出。建议加大教育投入，加快"
    "推进新建学校项目，增加教师编制，优化学校布局，完善校园配套设施，切实提高办学质量"
    "。",
)

HOSPITAL = _text(
    "关于提升县级医院医疗服务能力的提案",
    "委员：王芳",
    "县级医院人才流失，设备老化。建议加强县级医院人才队伍建设，完善医疗设备配置，优化"
    "就医服务流程，推进分级诊疗，提高群众就医满意度；加快乡镇卫生院标准化建设。",
)

TRAFFIC = _text(
    "关于缓解楚雄城区交通拥堵的建议",
    "城区早晚高峰拥堵严重。建议优化公交线路，增设停车场，完善交通信号灯配时，加强交通"
    "秩序管理，推进智慧交通平台建设，方便群众出行。",
)


def domain_tokenizer(cache_dir: Path, extra_words: list[str]) -> ChineseTokenizer:
    """Build the tokenizer with the production word list (domain terms, synonyms, base)."""
    from nlp.synonyms import Synonyms, load_domain_terms

    words = load_domain_terms() + Synonyms.load().all_terms() + extra_words
    return ChineseTokenizer(words, cache_dir).initialize()


@pytest.fixture(scope="session")
def kb_base(tmp_path_factory: pytest.TempPathFactory) -> TriageBase:
    """The shipped source document ingested into a fresh SQLite base, as triage's records."""
    from knowledge.ingest import ensure_default_base

    url = f"sqlite:///{tmp_path_factory.mktemp('triage_kb') / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    ensure_default_base(sessions, SOURCES)
    base = triage_base(load_snapshot(sessions))
    engine.dispose()
    return base


@pytest.fixture(scope="session")
def triage_tokenizer(
    tmp_path_factory: pytest.TempPathFactory, kb_base: TriageBase
) -> ChineseTokenizer:
    """A warmed tokenizer with the domain words and the base's indicator names."""
    names = [i.name for i in kb_base.indicators if len(i.name) <= 12]
    return domain_tokenizer(tmp_path_factory.mktemp("triage_jieba"), names)


@pytest.fixture(scope="session")
def kb_triager(triage_tokenizer: ChineseTokenizer, kb_base: TriageBase) -> Triager:
    """A Triager fitted on the shipped knowledge base."""
    return Triager(triage_tokenizer).fit(kb_base)


BUSINESS_ENV = _text(
    "关于进一步优化营商环境、提升企业获得感的提案",
    "委员：陈刚",
    "当前我州营商环境仍存在审批环节多、办事效率不高、政策兑现慢等问题。",
    "建议：一是深化“放管服”改革，推行并联审批和容缺受理，压缩项目审批时限；"
    "二是全面推行重点项目代办帮办制度；三是建立涉企政策兑现“一站式”平台；"
    "四是畅通企业投诉渠道。",
)

INDUSTRY_CHAIN = _text(
    "关于做大做强绿色硅光伏产业链的建议",
    "我州已引进一批光伏龙头企业，但产业链上下游配套不足。建议围绕绿色硅光伏全产业链，"
    "绘制产业链招商图谱，聚焦链主企业开展以商招商、以企引企，引进光伏玻璃、边框、"
    "支架等配套企业，推动延链补链强链，形成产业集群。",
)

VILLAGE = _text(
    "关于加强农村人居环境整治的建议",
    "建议加大农村厕所改造力度，完善生活垃圾收运处置体系，推进农村生活污水治理。",
)
