from __future__ import annotations

from knowledge import repair


def test_join_split_word_across_blank_lines() -> None:
    text = (
        "在成功引进龙头企业，形成光伏单晶硅拉棒、切" + "割" * 20 + "\n\n片、光伏组件等项目集群。"
    )
    assert "切" + "割" * 20 + "片、光伏组件" in repair.join_broken_lines(text)


def test_join_after_enumeration_comma() -> None:
    text = "以旅游养生业、\n\n休闲度假业等为重点。"
    assert repair.join_broken_lines(text) == "以旅游养生业、休闲度假业等为重点。"


def test_headings_and_short_lines_are_not_joined() -> None:
    text = (
        "一、上半年工作成效\n\n1-6月，全州引进资金增长19.4%。\n\n"
        "（一）产业链招商\n\n上半年共实施项目。"
    )
    out = repair.join_broken_lines(text)
    assert "一、上半年工作成效\n" in out
    assert "（一）产业链招商\n" in out


def test_title_line_not_joined_with_addressee() -> None:
    text = "关于县十八届人大二次会议第35号建议的答复\n\n李明代表："
    assert "答复\n" in repair.join_broken_lines(text)


def test_hard_wrapped_pdf_lines_are_joined() -> None:
    wrapped = [
        "今年以来，我局认真贯彻落实上级决策部署，围绕全",
        "年目标任务，扎实推进各项工作，全县实际利用外资",
        "达到一千二百万美元，招商引资工作取得明显成效，",
        "各项重点工作有序推进。下一步我们将继续加大工作",
        "力度，确保完成全年目标任务，推动高质量发展取得",
        "新的更大成效，为全县经济社会发展作出新的更大贡",
        "献，进一步优化营商环境，提高服务质量和服务水平",
        "切实解决企业反映的困难和问题，持续推进项目落地。",
    ]
    out = repair.join_broken_lines("\n".join(wrapped))
    assert "\n" not in out
    assert "围绕全年目标任务" in out


def test_spaces_inside_figures_removed() -> None:
    assert repair.remove_figure_spaces("规模 5 亿元以上项目 24 项") == "规模5亿元以上项目24项"
    assert repair.remove_figure_spaces("与三一重能 30GW 拉晶") == "与三一重能30GW拉晶"
    assert repair.remove_figure_spaces("制定“2021 年度行动”") == "制定“2021年度行动”"


def test_phone_numbers_keep_their_space() -> None:
    assert repair.remove_figure_spaces("联系人：雷虹 13987829669") == "联系人：雷虹 13987829669"


def test_stray_latin_glue_word_replaced() -> None:
    assert (
        repair.replace_stray_latin("统筹考虑产业布局 and 重大项目选址")
        == "统筹考虑产业布局和重大项目选址"
    )
    assert repair.replace_stray_latin("产业 or 项目") == "产业或项目"
    assert repair.replace_stray_latin("PPP等融资") == "PPP等融资"


def test_number_brackets_normalised() -> None:
    assert repair.fix_number_brackets("州投促字[2021]3号") == "州投促字〔2021〕3号"
    assert repair.fix_number_brackets("禄商复（2022）第12号") == "禄商复〔2022〕第12号"


def test_month_ranges_normalised() -> None:
    assert repair.normalize_ranges("1—6月，1～4月和1至5 月") == "1-6月，1-4月和1-5月"


def test_newlines_and_page_breaks() -> None:
    assert repair.normalize_newlines("甲\r\n乙\f丙") == "甲\n乙\n\n丙"


def test_repair_text_combines_everything() -> None:
    raw = "１—６月，州外资金增长 19.4 ％，布局 and 选址。"
    assert repair.repair_text(raw) == "1-6月，州外资金增长19.4%，布局和选址。"


def test_title_wrapped_onto_two_lines_is_rejoined() -> None:
    text = "关于州政协十届五次会议第084号提案\n的答复\n\n民盟某某支部："
    assert repair.join_broken_lines(text).startswith("关于州政协十届五次会议第084号提案的答复\n")


def test_letter_spaced_pdf_text_is_closed_up() -> None:
    assert repair.remove_letter_spacing("楚 雄 州 投 资 促 进 局 文 件") == "楚雄州投资促进局文件"
    assert repair.remove_letter_spacing("联系人：雷虹 电话：123") == "联系人：雷虹 电话：123"


def test_page_numbers_dropped() -> None:
    text = "第一页的文字\n- 2 -\n第二页的文字\n第 3 页 共 5 页\n1/5"
    assert repair.drop_page_numbers(text) == "第一页的文字\n\n第二页的文字\n\n"


def test_pinyin_glosses_are_dropped_but_latin_in_brackets_stays() -> None:
    glossed = "民营经(jīng)济招商引资区(qū)外到位资金"
    assert repair.drop_pinyin_glosses(glossed) == "民营经济招商引资区外到位资金"
    assert repair.drop_pinyin_glosses("园区面积(km)和产值(GDP)") == "园区面积(km)和产值(GDP)"
