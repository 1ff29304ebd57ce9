"""Bad files uploaded through Telegram: one clear message each, the database unchanged."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from db.models import Document, Indicator, Item, Section
from devtools.fake_bot_api import FakeBotAPI, document_update
from tests.bot.conftest import ADMIN, RunningBot, until


def pdf_bytes(encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 300_000_000)
    return buffer.getvalue()


BAD_FILES = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 64,
    "truncated.pdf": pdf_bytes()[:200],
    "encrypted.pdf": pdf_bytes(encrypt=True),
    "corrupt.docx": b"PK\x03\x04 this is not a zip archive at all",
    "bomb.docx": zip_bomb_docx(),
    "../../../../etc/passwd.txt": b"\x00\x01\x02\x03" * 100,
}


def dump(services) -> list[tuple]:
    with services.sessions() as session:
        rows: list[tuple] = []
        for model in (Document, Section, Indicator, Item):
            rows += [(model.__tablename__, r.id) for r in session.scalars(select(model))]
        return rows


@pytest.mark.timeout(120)
async def test_each_bad_upload_gets_one_clear_message(
    running_bot: RunningBot, fake_api: FakeBotAPI, figures
) -> None:
    before = dump(running_bot.services)
    for name, content in BAD_FILES.items():
        fake_api.add_update(document_update(fake_api, ADMIN, name, content))
    huge = document_update(fake_api, ADMIN, "huge.txt", b"x")
    huge["message"]["document"]["file_size"] = 50 * 1024 * 1024  # refused before download
    fake_api.add_update(huge)
    expected = len(BAD_FILES) + 1
    await until(lambda: len(fake_api.sent("sendMessage", ADMIN)) >= expected, timeout=90)
    replies = [c.params["text"] for c in fake_api.sent("sendMessage", ADMIN)]
    assert len(replies) == expected
    for reply in replies:
        assert "出错了" not in reply and "Traceback" not in reply
        assert "失败" in reply or "过大" in reply or "仅支持" in reply, reply
    assert "过大" in replies[-1]
    assert len([c for c in fake_api.calls if c.method == "getFile"]) == len(BAD_FILES)
    assert dump(running_bot.services) == before
    figures(
        "bad uploads", f"{expected} bad files via Telegram: one clear message each, DB unchanged"
    )
