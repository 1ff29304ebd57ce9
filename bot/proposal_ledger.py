"""The 台账 (ledger) every proposal office keeps, as an .xlsx: one row per proposal.

Columns as the office keeps them: 序号, 编号, 类别, 标题, 提出人, 主题, 承办方式, 收到日期,
办理期限, 状态, 答复日期, 答复类别, 满意度, 备注. The header is styled and frozen, filters are
on, dates are real dates (so the sheet sorts and filters by them), and text cells wrap.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from db.models import Proposal
from nlp.triage_meta import proposer_label

SHEET_TITLE = "提案办理台账"
# (header, width in characters)
COLUMNS = (
    ("序号", 6),
    ("编号", 10),
    ("类别", 6),
    ("标题", 44),
    ("提出人", 22),
    ("主题", 14),
    ("承办方式", 9),
    ("收到日期", 12),
    ("办理期限", 12),
    ("状态", 8),
    ("答复日期", 12),
    ("答复类别", 9),
    ("满意度", 9),
    ("备注", 36),
)
DATE_COLUMNS = ("收到日期", "办理期限", "答复日期")
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(name="黑体", bold=True, color="FFFFFF", size=11)
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def remark(p: Proposal) -> str:
    """备注: the office's own note, the proposer's comment on the reply, duplicates, returns."""
    notes = [p.remark or ""]
    if p.satisfaction_note:
        notes.append(f"意见：{p.satisfaction_note}")
    if p.duplicate_of_id:
        notes.append(f"与ID {p.duplicate_of_id}重复或相似")
    if p.department:
        notes.append(f"建议由{p.department}承办")
    return "；".join(n for n in notes if n)


def row(index: int, p: Proposal) -> list[object]:
    """One ledger row, in COLUMNS order (dates as dates, blanks as None)."""
    return [
        index,
        p.number,
        p.kind,
        p.title,
        proposer_label(p.proposer, p.proposer_role, p.cosigners, p.sector) or None,
        p.topic,
        p.handling,
        p.received_date,
        p.due_date,
        p.status,
        p.answered_date,
        p.outcome,
        p.satisfaction,
        remark(p) or None,
    ]


def ledger_xlsx(proposals: Sequence[Proposal], *, today: dt.date | None = None) -> bytes:
    """Return the ledger workbook of `proposals` (in the order given) as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append([name for name, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 24
    for index, proposal in enumerate(proposals, 1):
        sheet.append(row(index, proposal))
    date_columns = {i for i, (name, _w) in enumerate(COLUMNS, 1) if name in DATE_COLUMNS}
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.column in date_columns:
                cell.number_format = DATE_FORMAT
    for i, (_name, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 2)}"
    book.properties.title = SHEET_TITLE
    if today is not None:
        book.properties.created = dt.datetime.combine(today, dt.time())
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_filename(today: dt.date) -> str:
    """提案办理台账_20260309.xlsx"""
    return f"{SHEET_TITLE}_{today:%Y%m%d}.xlsx"
