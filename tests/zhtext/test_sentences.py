from __future__ import annotations

from zhtext.sentences import join_soft_breaks, point_bodies, split_points, split_sentences


def test_document_sentences_split_at_end_punctuation_and_keep_it() -> None:
    assert split_sentences("甲乙丙。丁戊；己庚") == ["甲乙丙。", "丁戊；", "己庚"]


def test_document_layout_breaks_inside_a_sentence_are_joined() -> None:
    assert join_soft_breaks("推动\n\n银行贷款。\n下一句") == "推动银行贷款。\n下一句"
    assert split_sentences("加强对接，推动\n银行贷款。") == ["加强对接，推动银行贷款。"]


def test_pasted_text_ends_a_sentence_at_each_line_break() -> None:
    text = "一、问题\n甲。乙；丙！"
    assert split_sentences(text, pasted=True) == ["一、问题", "甲。", "乙；", "丙！"]
    assert split_sentences(text) == ["一、问题甲。", "乙；", "丙！"]  # documents join the line


def test_pasted_space_between_chinese_words_is_a_lost_line_break() -> None:
    pasted = split_sentences("加强部门联动 建立协调机制", pasted=True)
    assert pasted == ["加强部门联动", "建立协调机制"]


def test_points_open_sentences_and_keep_their_markers() -> None:
    text = "一是加强对接，推动\n\n银行贷款。二是探索PPP模式。"
    assert split_points(text) == ["一是加强对接，推动银行贷款。", "二是探索PPP模式。"]


def test_a_point_marker_after_a_comma_stays_with_its_lead_in() -> None:
    assert split_points("推动电商，一是建站；二是培训。") == ["推动电商，一是建站；", "二是培训。"]


def test_without_two_points_a_paragraph_splits_into_sentences() -> None:
    assert split_points("加强对接。推动贷款。") == ["加强对接。", "推动贷款。"]


def test_point_bodies_drop_markers_and_closing_punctuation() -> None:
    assert point_bodies("一是建立制度；二是推行审批。三是清理事项。") == [
        "建立制度",
        "推行审批",
        "清理事项",
    ]
    assert point_bodies("一要坚定推进。二要抓住机遇。") == ["坚定推进", "抓住机遇"]


def test_point_bodies_read_enumerations_inside_a_sentence() -> None:
    assert point_bodies("推动电商，一是建站；二是培训。") == ["建站", "培训"]
    assert point_bodies("主要措施：（1）加强领导；（2）推进落地。") == ["加强领导", "推进落地"]
    assert point_bodies("①建站；②培训。") == ["建站", "培训"]
    assert point_bodies("首先摸清底数，其次建立台账。") == ["摸清底数", "建立台账"]


def test_a_single_marker_is_not_a_list() -> None:
    assert point_bodies("一是建立制度。") == []
