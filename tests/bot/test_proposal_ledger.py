"""The 台账 (.xlsx) from the CLI and /tian 导出, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from bot import proposal_handlers as ph
from bot.proposal_ledger import COLUMNS
from db import proposals as store
from tests.bot.test_proposal_handlers import ADMIN, STAFF, TODAY, _msg, services, tokenizer
from tests.nlp.proposal_samples import IRRIGATION, PARK_SYSTEM
from tests.nlp.triage_support import P084

__all__ = ["services", "tokenizer"]
HEADER = [name for name, _width in COLUMNS]


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _store_three(services) -> None:
    for text in (P084, PARK_SYSTEM, IRRIGATION):
        ph.triage_reply(_msg(STAFF, text), services, today=TODAY)
    answered = dt.date(2021, 4, 2)
    with services.sessions.begin() as session:
        store.set_status(session, 2, store.HANDLING, actor="张三", today=answered)
        store.set_status(session, 2, store.ANSWERED, actor="张三", today=answered)
        store.set_outcome(session, 2, "B", actor="张三")


def test_admin_gets_the_ledger_as_xlsx(services) -> None:
    _store_three(services)
    reply = ph.tian_reply(_msg(ADMIN, args=["导出"]), services, today=TODAY)
    attachment = reply.attachments[0]
    assert attachment.filename == "提案办理台账_20210301.xlsx" and "共 3 件" in reply.text
    sheet = _sheet(attachment.data)
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N4"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1F4E78")
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1, 2, 3]
    col = {name: i for i, name in enumerate(HEADER)}
    park = rows[1]
    assert park[col["编号"]] == "12" and park[col["标题"]].endswith("精准招商的提案")
    assert park[col["提出人"]] == "赵敏（委员，经济界）"
    assert park[col["承办方式"]] == "主办" and park[col["状态"]] == "已答复"
    assert park[col["收到日期"]] == dt.datetime(2021, 3, 1)  # a real date, not text
    assert sheet.cell(row=3, column=col["收到日期"] + 1).number_format == "yyyy-mm-dd"
    assert park[col["答复日期"]] == dt.datetime(2021, 4, 2) and park[col["答复类别"]] == "B"
    irrigation = rows[2]
    assert irrigation[col["主题"]] == "非本局业务"
    assert "建议由水务局承办" in irrigation[col["备注"]]
    assert irrigation[col["答复日期"]] is None and irrigation[col["满意度"]] is None


def test_staff_cannot_export(services) -> None:
    reply = ph.tian_reply(_msg(STAFF, args=["导出"]), services, today=TODAY)
    assert not reply.attachments and "只有管理员" in reply.text


def test_an_empty_ledger_has_its_header(services) -> None:
    reply = ph.tian_reply(_msg(ADMIN, args=["台账"]), services, today=TODAY)
    sheet = _sheet(reply.attachments[0].data)
    assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 1


def test_cli_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import run_bot

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    source = tmp_path / "p.txt"
    source.write_text(PARK_SYSTEM, encoding="utf-8")
    assert run_bot.main(["--db", url, "triage", str(source), "--save"]) == 0
    target = tmp_path / "台账.xlsx"
    assert run_bot.main(["--db", url, "proposals", "export", "--xlsx", str(target)]) == 0
    assert "1 件" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[1]] == HEADER and sheet["B2"].value == "12"
    bad = run_bot.main(["--db", url, "proposals", "export", "--xlsx", str(tmp_path / "x.csv")])
    assert bad == 2 and ".xlsx" in capsys.readouterr().err


def test_console_export_keeps_the_file(services) -> None:
    from bot.console import chat

    _store_three(services)
    out = io.StringIO()
    assert chat(services, io.StringIO("/tian 导出\nexit\n"), out) == 0
    saved = services.settings.var_dir / "attachments" / "x"
    path = next(services.settings.var_dir.glob("attachments/提案办理台账_*.xlsx"))
    assert str(path) in out.getvalue() and str(saved.parent) in str(path)
    assert _sheet(path.read_bytes()).max_row == 4


def _to_answered(services, pid: int) -> None:
    with services.sessions.begin() as session:
        store.set_status(session, pid, store.HANDLING, actor="张三", today=TODAY)
        store.set_status(session, pid, store.ANSWERED, actor="张三", today=TODAY)


def test_feedback_buttons_after_the_reply_and_dissatisfied_reopens(services) -> None:
    ph.triage_reply(_msg(STAFF, PARK_SYSTEM), services, today=TODAY)
    shown = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    assert not any("反馈" in b.label for row in shown.buttons for b in row)
    _to_answered(services, 1)
    shown = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    labels = [b.label for row in shown.buttons for b in row]
    assert {"反馈：满意", "反馈：基本满意", "反馈：不满意"} <= set(labels)
    staff = ph.proposal_callback(_msg(STAFF), services, ph.feedback_button(1, "不满意").data)
    assert "只有管理员" in staff.text
    reply = ph.proposal_callback(_msg(ADMIN), services, ph.feedback_button(1, "不满意").data)
    assert "重新进入办理" in reply.text and "状态：办理中" in reply.text
    assert "满意度：不满意" in reply.text


def test_feedback_command_with_a_note_shows_in_tian_and_the_ledger(services) -> None:
    ph.triage_reply(_msg(STAFF, PARK_SYSTEM), services, today=TODAY)
    _to_answered(services, 1)
    args = ["1", "满意度", "基本满意", "希望", "加快配套"]
    reply = ph.tian_reply(_msg(ADMIN, args=args), services, today=TODAY)
    assert (
        "已登记满意度：基本满意" in reply.text
        and "满意度：基本满意（希望 加快配套）" in reply.text
    )
    bad = ph.tian_reply(_msg(ADMIN, args=["1", "满意度", "很好"]), services, today=TODAY)
    assert "满意、基本满意、不满意" in bad.text
    sheet = _sheet(
        ph.tian_reply(_msg(ADMIN, args=["导出"]), services, today=TODAY).attachments[0].data
    )
    col = {name: i + 1 for i, name in enumerate(HEADER)}
    assert sheet.cell(row=2, column=col["满意度"]).value == "基本满意"
    assert "意见：希望 加快配套" in sheet.cell(row=2, column=col["备注"]).value


def test_cli_satisfaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import run_bot

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    source = tmp_path / "p.txt"
    source.write_text(PARK_SYSTEM, encoding="utf-8")

    def cli(*argv: str) -> int:
        return run_bot.main(["--db", url, *argv])

    assert cli("triage", str(source), "--save") == 0
    assert cli("proposals", "satisfaction", "1", "满意") == 2  # not answered yet
    assert "已答复" in capsys.readouterr().err
    assert cli("proposals", "set-status", "1", "办理中") == 0
    assert cli("proposals", "set-status", "1", "已答复") == 0
    assert cli("proposals", "satisfaction", "1", "不满意", "--note", "未答到点上") == 0
    assert "已重新进入办理" in capsys.readouterr().out
    assert cli("proposals", "show", "1") == 0
    assert "满意度：不满意" in capsys.readouterr().out
