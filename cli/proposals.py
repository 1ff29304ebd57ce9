"""`run_bot.py proposals list|show ID|set-status|set-outcome|assign|satisfaction|export`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="open proposals by due date (--all for every one)")
    listing.add_argument("--all", action="store_true", help="include answered and closed ones")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = sub.add_parser("show", help="one proposal with its history")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="print JSON")
    status = sub.add_parser("set-status", help="收到 → 办理中 → 已答复 → 已办结, or 退回")
    status.add_argument("id", type=int)
    status.add_argument("status")
    outcome = sub.add_parser("set-outcome", help="outcome class A/B/C/D of the reply")
    outcome.add_argument("id", type=int)
    outcome.add_argument("outcome")
    assign = sub.add_parser("assign", help="give the proposal to a member of staff")
    assign.add_argument("id", type=int)
    assign.add_argument("name")
    feedback = sub.add_parser(
        "satisfaction", help="the proposer's 满意/基本满意/不满意 after 已答复"
    )
    feedback.add_argument("id", type=int)
    feedback.add_argument("level", help="满意 / 基本满意 / 不满意 (不满意 reopens handling)")
    feedback.add_argument("--note", default="", help="what the proposer said")
    export = sub.add_parser("export", help="the 台账 (ledger) of every proposal as .xlsx")
    export.add_argument("--xlsx", metavar="FILE", required=True, help="where to write it")
    for child in (status, outcome, assign, feedback):
        child.add_argument("--by", metavar="NAME", default="cli", help="who makes the change")
        child.add_argument("--date", metavar="YYYY-MM-DD", help="today (default: the real one)")


def _row(p) -> dict:
    return {
        "id": p.id,
        "number": p.number,
        "kind": p.kind,
        "title": p.title,
        "proposer": p.proposer,
        "proposer_role": p.proposer_role,
        "cosigners": p.cosigners,
        "sector": p.sector,
        "session": p.session,
        "topic": p.topic,
        "status": p.status,
        "assignee": p.assignee,
        "outcome": p.outcome,
        "answered_date": p.answered_date.isoformat() if p.answered_date else None,
        "satisfaction": p.satisfaction,
        "satisfaction_note": p.satisfaction_note,
        "received_date": p.received_date.isoformat(),
        "due_date": p.due_date.isoformat(),
        "duplicate_of": p.duplicate_of_id,
    }


def _line(p) -> str:
    return (
        f"{p.id:>4}  {p.status:<4}  期限 {p.due_date.isoformat()}  {p.kind}"
        f"{'第' + p.number + '号' if p.number else ''}  《{p.title[:40]}》  {p.topic or ''}"
    )


def _list(session, args) -> int:
    from db import proposals as store

    rows = store.list_all(session) if args.all else store.list_open(session)
    if args.json:
        print(json.dumps([_row(p) for p in rows], ensure_ascii=False, indent=2))
    elif not rows:
        print("没有待办理的提案。")
    for p in [] if args.json else rows:
        print(_line(p))
    return 0


def _show(session, args) -> int:
    from db import proposals as store

    p = store.get_proposal(session, args.id)
    events = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "field": e.field,
            "from": e.old,
            "to": e.new,
        }
        for e in p.events
    ]
    if args.json:
        data = {**_row(p), "events": events, "triage": p.triage}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(_line(p))
    from bot.proposal_handlers import stored_proposer

    print(
        f"提出人：{stored_proposer(p)}  承办人：{p.assignee or '未指定'}  "
        f"结果：{p.outcome or '-'}  满意度：{p.satisfaction or '-'}"
    )
    if p.session:
        print(f"届次：{p.session}")
    for e in events:
        print(f"  {e['at']}  {e['actor']}  {e['field']}：{e['from'] or '—'} → {e['to']}")
    return 0


def _export(session, args) -> int:
    from pathlib import Path

    from bot.proposal_ledger import ledger_xlsx
    from db import proposals as store

    rows = store.ledger_rows(session)
    target = Path(args.xlsx)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"台账文件名应以 .xlsx 结尾：{target}")
    try:
        target.write_bytes(ledger_xlsx(rows, today=dt.date.today()))
    except OSError as exc:
        raise ValueError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    print(f"已导出提案办理台账：{target}（{len(rows)} 件）")
    return 0


def _change(session, args) -> int:
    from db import proposals as store

    today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    if args.action == "set-status":
        p = store.set_status(session, args.id, args.status, actor=args.by, today=today)
        print(f"ID {p.id} 状态已改为「{p.status}」。")
    elif args.action == "set-outcome":
        p = store.set_outcome(session, args.id, args.outcome, actor=args.by)
        print(f"ID {p.id} 办理结果登记为 {p.outcome} 类（{store.OUTCOMES[p.outcome]}）。")
    elif args.action == "satisfaction":
        p = store.set_satisfaction(session, args.id, args.level, note=args.note, actor=args.by)
        reopened = "，已重新进入办理（办理中）" if p.status == store.HANDLING else ""
        print(f"ID {p.id} 满意度：{p.satisfaction}{reopened}。")
    else:
        p = store.set_assignee(session, args.id, args.name, actor=args.by)
        print(f"ID {p.id} 承办人：{p.assignee}。")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen proposals action."""
    from bot.services import open_services
    from db.proposals import ProposalError

    actions = {"list": _list, "show": _show, "export": _export}
    services = open_services(settings)
    try:
        with services.sessions.begin() as session:
            return actions.get(args.action, _change)(session, args)
    except (ProposalError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        services.close()
