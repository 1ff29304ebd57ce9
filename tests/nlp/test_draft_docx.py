"""The .docx reply in the GB/T 9704-2012 layout, read back: page, grid, fonts, sizes per level."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from nlp.draft import build_draft
from nlp.draft_docx import grid, render_docx
from nlp.triage import Triager
from tests.nlp import triage_support as support
from tests.nlp.triage_support import P084, SCHOOL

kb_base = support.kb_base
kb_triager = support.kb_triager
triage_tokenizer = support.triage_tokenizer
DAY = dt.date(2026, 3, 9)


@pytest.fixture(scope="module")
def letter(kb_triager: Triager) -> docx.document.Document:
    data = render_docx(build_draft(kb_triager.analyze(P084), today=DAY))
    return docx.Document(io.BytesIO(data))


def _east_asian(run) -> str | None:
    fonts = run.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _runs(document, starts: str):
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    return paragraph, [r for r in paragraph.runs if r.text]


def test_a4_with_the_standard_margins(letter) -> None:
    section = letter.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]


def test_the_grid_gives_22_lines_of_28_characters(letter) -> None:
    doc_grid = letter.sections[0]._sectPr.find(qn("w:docGrid"))
    assert doc_grid.get(qn("w:type")) == "lines"
    line_pitch = int(doc_grid.get(qn("w:linePitch")))
    normal = letter.styles["Normal"]
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert (line_pitch, spacing) == grid()
    assert normal.paragraph_format.line_spacing == Pt(line_pitch / 20)
    text_height_twips = (297 - 37 - 35) / 25.4 * 1440
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert int(text_height_twips // line_pitch) == 22
    assert int(text_width_pt // (16 + spacing / 20)) == 28


def test_title_is_2hao_xiaobiaosong_centred(letter) -> None:
    title, runs = _runs(letter, "关于《")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {_east_asian(r) for r in runs} == {"方正小标宋简体"}
    assert {r.font.size for r in runs} == {Pt(22)}


@pytest.mark.parametrize(
    ("starts", "font"),
    [("你委提出的", "仿宋_GB2312"), ("一、关于", "黑体"), ("致公党", "仿宋_GB2312")],
)
def test_fonts_and_sizes_per_level(letter, starts: str, font: str) -> None:
    _paragraph, runs = _runs(letter, starts)
    assert _east_asian(runs[0]) == font and runs[0].font.size == Pt(16)
    assert runs[0].font.name == "Times New Roman"  # Latin text and digits


def test_subheadings_are_kaiti_followed_by_fangsong_body(letter) -> None:
    paragraph, runs = _runs(letter, "（一）已开展的工作。")
    assert _east_asian(runs[0]) == "楷体_GB2312" and runs[0].text == "（一）已开展的工作。"
    assert _east_asian(runs[1]) == "仿宋_GB2312" and runs[1].font.size == Pt(16)
    assert paragraph.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_signature_and_arabic_date_right_four_characters_in(letter) -> None:
    date, _ = _runs(letter, "2026年3月9日")
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)
    issuer = next(p for p in letter.paragraphs if p.text == "楚雄州投资促进局")
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    texts = [p.text for p in letter.paragraphs]
    assert texts.index("楚雄州投资促进局") < texts.index("2026年3月9日")
    assert any(t.startswith("（联系人：") for t in texts)
    assert any(t.startswith("答复类别：") for t in texts) and "公开属性：主动公开" in texts


def test_page_numbers_in_4hao_songti_with_dashes(letter) -> None:
    section = letter.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml
        runs = [r for r in footer.runs if r.text.strip()]
        assert {_east_asian(r) for r in runs} == {"宋体"} and {r.font.size for r in runs} == {
            Pt(14)
        }
    settings = letter.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None


def test_font_table_names_fallbacks(kb_triager: Triager) -> None:
    data = render_docx(build_draft(kb_triager.analyze(SCHOOL), today=DAY))
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="方正小标宋简体"' in fonts and 'w:val="华文中宋"' in fonts
    assert 'w:name="仿宋_GB2312"' in fonts


def test_control_characters_do_not_break_the_file(kb_triager: Triager) -> None:
    draft = build_draft(kb_triager.analyze(P084), today=DAY)
    draft.opening += "\x00\x07"
    assert docx.Document(io.BytesIO(render_docx(draft))).paragraphs
