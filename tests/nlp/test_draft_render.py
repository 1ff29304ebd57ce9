"""The .docx reply rendered by LibreOffice (headless) to PDF: pages, page numbers, text present.

Needs `soffice` and poppler's `pdfinfo`/`pdftotext` (Debian: libreoffice-writer-nogui,
poppler-utils, a CJK font such as fonts-wqy-zenhei; `.ci/run` installs them). Skips without
them on a workstation, fails in CI.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from nlp.draft import build_draft
from nlp.draft_docx import render_docx
from nlp.triage import Triager
from tests.nlp import triage_support as support
from tests.nlp.triage_support import P084

kb_base = support.kb_base
kb_triager = support.kb_triager
triage_tokenizer = support.triage_tokenizer
TOOLS = ("soffice", "pdfinfo", "pdftotext")


def _need_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must have {', '.join(missing)} (see .ci/run)")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def render_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with a throwaway LibreOffice profile (a shared one locks between runs)."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / (docx_path.stem + ".pdf")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def _lines(pdf: Path, page: int) -> list[str]:
    """Page `page` line by line, blanks removed, as pdftotext lays it out."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [re.sub(r"\s+", "", line) for line in out.stdout.splitlines()]


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout)


def test_libreoffice_renders_the_letter(kb_triager: Triager, tmp_path: Path) -> None:
    _need_tools()
    draft = build_draft(kb_triager.analyze(P084), today=dt.date(2026, 3, 9))
    source = tmp_path / "答复草稿.docx"
    source.write_bytes(render_docx(draft))
    pdf = render_pdf(source, tmp_path)
    pages = _pages(pdf)
    assert 2 <= pages <= 4  # three asks with quotes: more than a page, not a booklet
    lines = [line for line in _lines(pdf, 2) if line]
    assert len(lines) <= 22 + 1  # the text block's 22 lines, and the page number
    # Full lines hold 28 characters (digits and the small source notes are narrower).
    assert Counter(len(line) for line in lines).most_common(1)[0][0] == 28
    text = _text(pdf)
    for expected in (draft.title, "致公党楚雄市基层委：", "现答复如下", "一、关于加强部门联动"):
        assert re.sub(r"\s+", "", expected) in text
    assert "2026年3月9日" in text and "公开属性：主动公开" in text
    assert "—1—" in _text(pdf, 1) and "—2—" in _text(pdf, 2)  # odd and even page footers
