"""The reply letter as a .docx in the national 公文 format (GB/T 9704-2012).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of 22 lines of
28 characters; title 2号 (22 pt) 方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312 with a
two-character first-line indent; 一、 headings 黑体, （一） headings 楷体_GB2312; 落款 and 成文日期
right-aligned four characters in; page numbers "— 1 —" in 4号 (14 pt) 宋体 below the text,
odd pages right and even pages left, one character in. Fonts are named in the East Asian slot
(Latin text in Times New Roman); the font table names a fallback for machines without the
公文 fonts, which Word and LibreOffice use instead of their default. Sources of quoted
sentences follow in small grey type, for the clerk to check and delete.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from nlp.draft import NOTHING_DONE, NOTHING_PLANNED, CitedSentence, DraftReply, source_note

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Fallbacks for machines without the 公文 fonts (written to the font table as altName).
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
    HEADING_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}
SOURCE_SIZE = Pt(9)
_TWIPS_PER_MM = 1440 / 25.4
# Characters XML (and so .docx) cannot hold.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def text_area_mm() -> tuple[float, float]:
    """Width and height of the text block (版心): 156 x 225 mm."""
    width = 210 - MARGINS["left"].mm - MARGINS["right"].mm
    height = 297 - MARGINS["top"].mm - MARGINS["bottom"].mm
    return width, height


def grid() -> tuple[int, int]:
    """Line pitch (twips) and character spacing (twentieths of a point) for 22 x 28.

    28 characters of 3号 (16 pt) are 448 pt, 6 pt wider than the 156 mm text block, so each
    character is drawn 0.25 pt closer. A character grid (linesAndChars) would say the same to
    Word, but LibreOffice gives a 16 pt character two 15.8 pt cells (14 to a line), so the
    grid holds lines only and the spacing sits on the text.
    """
    width, height = text_area_mm()
    line_pitch = int(height * _TWIPS_PER_MM / LINES_PER_PAGE)
    char_pitch_pt = width * 72 / 25.4 / CHARS_PER_LINE
    spacing = math.floor((char_pitch_pt - BODY_SIZE.pt) * 20)  # 28 must fit, not 27.99
    return line_pitch, spacing


def _safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text)


def _set_font(run_or_style, name: str, size: Pt) -> None:
    """Name the font in the East Asian slot (Latin in Times New Roman) and set the size."""
    font = run_or_style.font
    font.name = LATIN_FONT
    font.size = size
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _run(paragraph: Paragraph, text: str, font: str, size: Pt = BODY_SIZE):
    run = paragraph.add_run(_safe(text))
    _set_font(run, font, size)
    return run


def _paragraph(document, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    return paragraph


def _source(paragraph: Paragraph, sentences: Sequence[CitedSentence]) -> None:
    note = source_note(sentences)
    if note:
        run = _run(paragraph, note, BODY_FONT, SOURCE_SIZE)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _setup_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(25)
    line_pitch, spacing = grid()
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    doc_grid = OxmlElement("w:docGrid")
    doc_grid.set(qn("w:type"), "lines")
    doc_grid.set(qn("w:linePitch"), str(line_pitch))
    sect_pr.append(doc_grid)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_SIZE)
    character_spacing = OxmlElement("w:spacing")
    character_spacing.set(qn("w:val"), str(spacing))
    normal.element.get_or_add_rPr().append(character_spacing)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pitch / 20)
    _page_numbers(document, section)
    _font_table_fallbacks(document)


def _page_numbers(document, section) -> None:
    """ "— 1 —" at the foot, odd pages right and even pages left, one character in."""
    settings = document.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        one_char = Pt(PAGE_NUMBER_SIZE.pt)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = one_char
        else:
            paragraph.paragraph_format.left_indent = one_char
        _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _field(paragraph, "PAGE")
        _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def _font_table_fallbacks(document) -> None:
    """Name a fallback (altName) for each 公文 font in the package's font table."""
    part = document.part
    font_rel = next((r for r in part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if font_rel is None:
        return
    fonts_el = etree.fromstring(font_rel.target_part.blob)
    for name, alternative in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")
        font.append(alt)
        font.append(charset)
        fonts_el.append(font)
    font_rel.target_part._blob = etree.tostring(
        fonts_el, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def render_docx(draft: DraftReply) -> bytes:
    """Render the letter in the GB/T 9704-2012 layout and return the .docx bytes."""
    document = docx.Document()
    _setup_page(document)
    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None:
        body._element.getparent().remove(body._element)
    title = _paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, draft.title, TITLE_FONT, TITLE_SIZE)
    document.add_paragraph()  # one blank line under the title, as the standard lays it out
    if draft.addressee:
        _run(_paragraph(document, indent=False), f"{draft.addressee}：", BODY_FONT)
    _run(_paragraph(document), draft.opening, BODY_FONT)
    if draft.note:
        _run(_paragraph(document), draft.note, BODY_FONT)
    for part in draft.paragraphs:
        _run(_paragraph(document), part.heading, HEADING_FONT)
        if part.empty:
            _run(_paragraph(document), NOTHING_DONE, BODY_FONT)
            continue
        for label, sentences, missing in (
            ("（一）已开展的工作。", part.done, NOTHING_DONE),
            ("（二）下一步打算。", part.planned, NOTHING_PLANNED),
        ):
            paragraph = _paragraph(document)
            _run(paragraph, label, SUBHEADING_FONT)
            _run(paragraph, "".join(s.text for s in sentences) or missing, BODY_FONT)
            _source(paragraph, sentences)
    if draft.paragraphs:
        _run(_paragraph(document), draft.closing, BODY_FONT)
    document.add_paragraph()
    for line in (draft.issuer, draft.date_line):
        signed = _paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        signed.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
        _run(signed, line, BODY_FONT)
    document.add_paragraph()
    for line in (draft.contact_line, draft.outcome_line, f"公开属性：{draft.publicity}"):
        if line:
            _run(_paragraph(document), line, BODY_FONT)
    copy = _paragraph(document, indent=False)
    copy.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE.pt)
    _run(copy, f"抄送：{draft.copy_to}", BODY_FONT, PAGE_NUMBER_SIZE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
