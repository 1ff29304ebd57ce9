"""Turn .txt/.docx/.pdf bytes into text, refusing empty, binary, oversized or unsafe input.

File names are used only as labels: nothing here opens a path derived from a name.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import (
    BadEncoding,
    BinaryFile,
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    IngestError,
    NotFound,
    TooLarge,
    UnsafePath,
    UnsupportedFormat,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTED = (".txt", ".docx", ".pdf")
# Real documents of the genre are far below this; the cap bounds parse time (about 3 s).
MAX_CHARS = 1_000_000
# A .docx is a zip; its XML may inflate far beyond the file itself (a zip bomb).
MAX_DOCX_INFLATED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200
HEADING_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])"
)
MAGIC_BINARY = (
    b"%PDF",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)


@dataclass(frozen=True)
class LoadedText:
    """Text read from one file, with how it was read."""

    text: str
    label: str
    fmt: str
    encoding: str = ""


def safe_label(name: str) -> str:
    """Return `name` as a display label, refusing traversal and control characters."""
    bad = name.startswith("..") or "/" in name or "\\" in name or "\x00" in name
    if bad or any(ord(c) < 32 for c in name) or not name.strip():
        raise UnsafePath(repr(name)[1:-1][:80] or "（空文件名）")
    return name


def load_path(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Read the file at `path` (a path given by the operator) into text."""
    path = Path(path)
    label = safe_label(path.name)
    if not path.is_file():
        raise NotFound(label)
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLarge(label, f"{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return load_bytes(data, label, max_bytes=max_bytes)


def load_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Read an uploaded file's bytes into text; `name` only picks the format and labels errors."""
    label = safe_label(name)
    suffix = Path(label).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFormat(label, suffix or "无扩展名")
    if len(data) > max_bytes:
        raise TooLarge(label, f"{len(data) / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB")
    if not data.strip():
        raise EmptyFile(label)
    if suffix == ".txt":
        text, encoding = decode_text(data, label)
        return checked(LoadedText(text, label, "txt", encoding))
    if suffix == ".docx":
        return checked(LoadedText(read_docx(data, label), label, "docx"))
    return checked(LoadedText(read_pdf(data, label), label, "pdf"))


def checked(loaded: LoadedText) -> LoadedText:
    """Refuse text that is empty or too long to parse in bounded time."""
    if not loaded.text.strip():
        raise EmptyFile(loaded.label)
    if len(loaded.text) > MAX_CHARS:
        raise TooLarge(loaded.label, f"文字 {len(loaded.text)} 字，上限 {MAX_CHARS} 字")
    return loaded


# --- plain text ------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes: BOM first, then UTF-8, UTF-16 without BOM, then GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, label), encoding
    if data.startswith(MAGIC_BINARY):
        raise BinaryFile(label)
    try:
        return _plausible(data.decode("utf-8"), label), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _utf16_without_bom(data)
    if guess:
        return _decode(data, guess, label), guess
    if b"\x00" in data:
        raise BinaryFile(label)
    try:
        return _plausible(data.decode("gb18030"), label), "gb18030"
    except UnicodeDecodeError as exc:
        raise BadEncoding(label) from exc


def _decode(data: bytes, encoding: str, label: str) -> str:
    try:
        return _plausible(data.decode(encoding), label)
    except UnicodeDecodeError as exc:
        raise BadEncoding(label, encoding) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 from where the zero bytes sit (ASCII-heavy text has one per character)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _plausible(text: str, label: str) -> str:
    """Reject text that decoded but is mostly control or unusual characters (binary data)."""
    sample = text[:20000]
    if not sample:
        return text
    odd = sum(1 for c in sample if _unusual(c))
    if odd > 0.1 * len(sample):
        raise BinaryFile(label)
    return text


def _unusual(char: str) -> bool:
    code = ord(char)
    if code < 32:
        return char not in "\n\r\t\f\v"
    if code < 0x3000:
        return 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
    common = (
        0x3000 <= code < 0x3100
        or 0x4E00 <= code < 0xA000
        or 0xFF00 <= code < 0xFFF0
        or 0x3400 <= code < 0x4DC0
        or 0xFE30 <= code < 0xFE50
        or 0x1F300 <= code < 0x1FAFF
    )
    return not common


# --- docx ------------------------------------------------------------------------------------


def read_docx(data: bytes, label: str) -> str:
    """Extract paragraphs and table rows, in body order, after checking the zip is safe."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise EncryptedFile(label, "或为旧版 .doc 格式")
    _check_zip(data, label)
    import docx  # imported here: most ingests are .txt and need not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptFile(label) from exc
    except Exception as exc:  # lxml and python-docx raise many types on damaged XML
        raise CorruptFile(label, type(exc).__name__) from exc
    return "\n".join(_docx_blocks(document))


def _check_zip(data: bytes, label: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFile(label) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise CorruptFile(label, "缺少 word/document.xml")
    inflated = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if inflated > MAX_DOCX_INFLATED or inflated / packed > MAX_DOCX_RATIO:
        raise CorruptFile(label, "解压后体积异常，疑似压缩炸弹")


def _docx_blocks(document: object) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    numbering = _Numbering()
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            blocks.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _unique_cells(cell.text.strip() for cell in row.cells)
                blocks.append("\t".join(cells))
    return blocks


class _Numbering:
    """Write the numbers Word generates (list numbering, heading styles) into the text.

    python-docx returns a paragraph's typed text only, so "一、" produced by automatic
    numbering would be lost and with it the section tree.
    """

    MARKS = (
        lambda n: f"{_cn(n)}、",
        lambda n: f"（{_cn(n)}）",
        lambda n: f"{n}.",
        lambda n: f"（{n}）",
    )

    def __init__(self) -> None:
        self.counters = [0, 0, 0, 0]

    def label(self, paragraph: object) -> str:
        """Return the marker to put before this paragraph ('' when it has none)."""
        text = paragraph.text.strip()  # type: ignore[attr-defined]
        level = self._level(paragraph)
        if level is None or not text or HEADING_START_RE.match(text):
            return ""
        self.counters[level] += 1
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        return self.MARKS[level](self.counters[level])

    @staticmethod
    def _level(paragraph: object) -> int | None:
        element = paragraph._p  # type: ignore[attr-defined]
        num = element.pPr.numPr if element.pPr is not None else None
        if num is not None and num.ilvl is not None:
            return min(int(num.ilvl.val), 3)
        style = (getattr(paragraph.style, "name", "") or "").lower()  # type: ignore[attr-defined]
        match = re.match(r"(?:heading|标题)\s*(\d)", style)
        if match and 1 <= int(match.group(1)) <= 4:
            return int(match.group(1)) - 1
        return None


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def _unique_cells(cells: object) -> list[str]:
    """Drop repeats that merged cells produce (python-docx returns a merged cell per column)."""
    out: list[str] = []
    for text in cells:  # type: ignore[attr-defined]
        if not out or out[-1] != text:
            out.append(text)
    return out


# --- pdf -------------------------------------------------------------------------------------


def read_pdf(data: bytes, label: str) -> str:
    """Extract the text layer of every page; refuse encrypted or damaged files."""
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise CorruptFile(label, "不是有效的 PDF")
    import pypdf  # imported here: only PDFs need it
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt_blank(reader, label)
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptFile(label, type(exc).__name__) from exc
    except Exception as exc:  # pypdf can raise almost anything on a broken xref
        raise CorruptFile(label, type(exc).__name__) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise EmptyFile(label, "PDF 没有文字层，可能是扫描件")
    return text


def _decrypt_blank(reader: object, label: str) -> None:
    """Open PDFs that only carry an owner password; anything needing a password is refused."""
    try:
        ok = reader.decrypt("")  # type: ignore[attr-defined]
    except Exception as exc:  # missing crypto backends raise their own errors
        raise EncryptedFile(label) from exc
    if not ok:
        raise EncryptedFile(label)
