"""Proposals as they arrive in practice, written for the tests (our own words, no copied text).

They carry the shapes seen in real 提案/建议 collected from public pages: a web page's navigation
and date lines before the title, 【标题】/【建议人】/【案由】 brackets, 事由/建议人/建议内容 forms,
"等3名代表", a party committee or a 界别 as proposer, the session (州政协十二届一次会议), and
texts of other departments that still say 项目, 贷款贴息 or 社会资本 in passing.
"""

from __future__ import annotations


def _text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# A web page: navigation, date and site lines first; the elderly-care ask mentions money words.
WEB_ELDERLY = _text(
    "当前位置：首页 > 两会专题 > 委员声音 >",
    "发布时间：2025-01-12 09:30  来源：楚雄融媒  浏览次数：",
    "州政协委员李桂芳：补齐农村养老服务短板",
    "在州政协十二届四次会议上，州政协委员李桂芳提交了《关于加强农村养老服务体系建设的提案》。",
    "她说，农村老年人多、子女外出务工多，村里的日间照料中心建起来后不少处于闲置状态，"
    "敬老院护理人员不足。",
    "为此她建议：一是按村级规划布局养老服务站，推广互助养老；二是采取贷款贴息、以奖代补"
    "等方式扶持养老服务项目，引导社会资本参与；三是加强养老护理员培训。",
    "责任编辑：王敏",
)

# 【】-bracketed digest of a suggestion by three deputies on irrigation.
IRRIGATION = _text(
    "【标题】关于加快山区小型农田水利设施修复的建议",
    "【建议人】杨文等3名代表",
    "【案由】山区不少沟渠年久失修，堰塘蓄水能力下降，春耕时节灌溉用水紧张。",
    "【建议】一是加大小型农田水利投入，修复渠道和提灌站；二是落实管护责任，定期清淤；"
    "三是推广节水灌溉。",
)

# A deputy's suggestion form: 事由 / 建议人 / 建议内容 on one line, as a web page flattens it.
ROAD_FORM = _text(
    "楚雄州第十二届人民代表大会第三次会议代表建议",
    "事由：加强通村公路养护管理建议人：普志华建议内容：通村公路建成后路肩不完善、养护无人"
    "负责。建议明确养护责任，安排养护资金，治理超载车辆。",
)

# A party committee's proposal with 案由/建议 brackets, on village clinics.
CLINIC = _text(
    "第045号",
    "关于加强村卫生室建设的提案",
    "提案人：民盟楚雄州委会",
    "【案由】部分村卫生室房屋破旧，村医年龄偏大，群众就医不便。",
    "【建议】一是改造村卫生室用房；二是提高乡村医生待遇；三是推进县乡村医疗机构一体化管理。",
)

# An on-topic proposal as an online proposal system prints it (form fields, then the text).
PARK_SYSTEM = _text(
    "系统首页 提案提交 2024年提案 2023年提案",
    "编号 12 类别 经济建设 性质 重点提案",
    "提交委员 赵敏 届次 十二届一次 界别 经济界",
    "主要办理单位 州投资促进局",
    "提案正文",
    "关于加快楚雄高新区产业园区精准招商的提案",
    "高新区标准厂房已建成一批，但入驻企业少，产业链配套不足，链主企业带动弱。",
    "建议：一是围绕绿色硅光伏产业链绘制招商图谱，开展以商招商；二是完善园区配套，"
    "提高标准厂房利用率；三是对落户园区的配套企业兑现扶持政策。",
)

# Market entry barriers: business environment, though it says 清单 and 落地 too.
ENTRY_BARRIER = _text(
    "让“非禁即入”真正落地",
    "州人大代表 罗丽",
    "市场准入负面清单之外仍有隐形门槛，一些备案变相成了审批。",
    "建议：一是对涉及市场准入的文件开展合规审查；二是建立隐形门槛清单，限时整改；"
    "三是畅通企业投诉渠道，限时办结。",
)
