"""Bad input: one clear Chinese message per file and the database unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pypdf
import pytest

from knowledge import errors
from knowledge.ingest import ingest_bytes, ingest_path
from knowledge.loaders import load_bytes, load_path
from tests.knowledge.conftest import COUNTY_REPLY


def _pdf(encrypt: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    if encrypt:
        writer.encrypt(encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx(text: str = "一、工作成效\n全县新增企业5家。") -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "签约项目"
    table.rows[0].cells[1].text = "12个"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (30 * 1024 * 1024))
    return buffer.getvalue()


BAD_INPUTS = [
    ("empty.txt", b"", errors.EmptyFile, "文件为空"),
    ("blank.txt", b"   \n\n  ", errors.EmptyFile, "文件为空"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, errors.BinaryFile, "不是文本"),
    ("noise.txt", bytes(range(1, 32)) * 40, errors.BinaryFile, "不是文本"),
    ("truncated.pdf", _pdf()[:150], errors.CorruptFile, "已损坏"),
    ("fake.pdf", b"this is not a pdf at all", errors.CorruptFile, "已损坏"),
    ("locked.pdf", _pdf(encrypt="secret"), errors.EncryptedFile, "已加密"),
    ("scan.pdf", _pdf(), errors.EmptyFile, "扫描件"),
    ("broken.docx", b"PK\x03\x04 not really a zip", errors.CorruptFile, "已损坏"),
    ("bomb.docx", _zip_bomb(), errors.CorruptFile, "压缩炸弹"),
    (
        "old.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        errors.EncryptedFile,
        "已加密",
    ),
    ("table.xlsx", b"a,b\n1,2", errors.UnsupportedFormat, "不支持"),
    ("../../etc/evil.txt", "一、标题\n增长5%。".encode(), errors.UnsafePath, "文件名不安全"),
    ("..\\evil.txt", "增长5%。".encode(), errors.UnsafePath, "文件名不安全"),
]


@pytest.mark.parametrize(
    ("name", "data", "error", "words"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_upload_one_message_db_unchanged(sessions, snapshot, name, data, error, words) -> None:
    ingest_bytes(sessions, COUNTY_REPLY.encode(), "good.txt")
    before = snapshot(sessions)
    with pytest.raises(error) as caught:
        ingest_bytes(sessions, data, name)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and "Traceback" not in message
    assert isinstance(caught.value, errors.IngestError)
    assert snapshot(sessions) == before


def test_file_over_the_cap_is_refused_before_reading(
    sqlite_sessions, snapshot, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("全县新增企业5家。\n" * 1000).encode())
    before = snapshot(sqlite_sessions)
    with pytest.raises(errors.TooLarge) as caught:
        ingest_path(sqlite_sessions, big, max_bytes=10_000)
    assert "文件过大" in str(caught.value) and "big.txt" in str(caught.value)
    assert snapshot(sqlite_sessions) == before


def test_default_cap_is_twenty_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.seek(20 * 1024 * 1024)
        handle.write(b"x")
    with pytest.raises(errors.TooLarge):
        load_path(big)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.NotFound):
        load_path(tmp_path / "nope.txt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030"])
def test_text_encodings_load_the_same(encoding: str) -> None:
    loaded = load_bytes(COUNTY_REPLY.encode(encoding), "reply.txt")
    assert loaded.text.replace("\ufeff", "") == COUNTY_REPLY


def test_gb18030_only_characters() -> None:
    text = "䶮 是一个扩展汉字，全县新增企业5家。"
    assert load_bytes(text.encode("gb18030"), "rare.txt").text == text


def test_utf16_without_bom() -> None:
    text = "Summary 2021: 全县新增企业5家, growth 5%."
    assert load_bytes(text.encode("utf-16-le"), "le.txt").text == text


def test_docx_paragraphs_and_tables() -> None:
    loaded = load_bytes(_docx(), "report.docx")
    assert "全县新增企业5家。" in loaded.text
    assert "签约项目\t12个" in loaded.text


def test_pdf_owner_password_only_is_readable() -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(errors.EmptyFile):  # opened (not "encrypted"), but blank
        load_bytes(buffer.getvalue(), "owner.pdf")


def test_pdf_with_a_text_layer(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 20 100 Td (Growth 19.4 percent) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(out.getvalue())
    assert "Growth 19.4 percent" in load_path(path).text


def test_docx_ingests_end_to_end(sqlite_sessions) -> None:
    result = ingest_bytes(sqlite_sessions, _docx(), "report.docx")
    assert result.status == "added"
    assert result.counts["indicators"] >= 1


def test_text_too_long_to_parse_is_refused(sqlite_sessions, snapshot) -> None:
    from knowledge.ingest import ingest_text
    from knowledge.loaders import MAX_CHARS

    before = snapshot(sqlite_sessions)
    with pytest.raises(errors.TooLarge):
        ingest_text(sqlite_sessions, "招" * (MAX_CHARS + 1), "long.txt")
    with pytest.raises(errors.EmptyFile):
        ingest_text(sqlite_sessions, " \n ", "blank.txt")
    assert snapshot(sqlite_sessions) == before


def test_docx_heading_styles_become_numbered_sections() -> None:
    import docx

    from knowledge.parse import parse_text

    document = docx.Document()
    document.add_paragraph("某某县商务局2023年工作总结", style="Title")
    document.add_heading("主要做法", level=1)
    document.add_heading("强化招商", level=2)
    document.add_paragraph("全年签约项目32个。")
    document.add_heading("优化服务", level=2)
    document.add_paragraph("办理手续120件。")
    document.add_heading("下步打算", level=1)
    document.add_paragraph("二、已编号的标题不重复编号")
    buffer = io.BytesIO()
    document.save(buffer)
    text = load_bytes(buffer.getvalue(), "styled.docx").text
    assert "一、主要做法" in text and "（二）优化服务" in text and "二、下步打算" in text
    doc = parse_text(text)
    assert [s.id for s in doc.sections][:4] == ["一", "一（一）", "一（二）", "二"]
    assert {(i.kind, i.section) for i in doc.items} >= {("measure", "一（一）"), ("action", "二")}
