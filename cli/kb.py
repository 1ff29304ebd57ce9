"""`run_bot.py kb list | show ID | export [--json] [--all]`: inspect the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.settings import Settings
from scope.labels import identity_label


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this subcommand's options."""
    sub = parser.add_subparsers(dest="kb_command", metavar="ACTION")
    listing = sub.add_parser("list", help="list documents (文号, date, title, counts)")
    listing.add_argument("--all", action="store_true", help="include superseded versions")
    show = sub.add_parser("show", help="show one document (by id or 文号)")
    show.add_argument("id", help="document id or 文号")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = sub.add_parser("export", help="print the whole base")
    export.add_argument("--json", action="store_true", help="print JSON (the default)")
    export.add_argument("--all", action="store_true", help="include superseded versions")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Open the base and run the chosen action."""
    action = getattr(args, "kb_command", None)
    if action is None:
        print("用法：run_bot.py kb list | show ID | export --json", file=sys.stderr)
        return 2
    from bot.services import open_services
    from db import queries
    from knowledge.export import export_base

    services = open_services(settings)
    try:
        with services.sessions() as session:
            history = action == "show" or bool(getattr(args, "all", False))
            base = export_base(queries.documents_with_records(session, include_history=history))
    finally:
        services.close()
    if action == "export":
        print(json.dumps(base, ensure_ascii=False, indent=1))
        return 0
    if action == "list":
        print(format_list(base["documents"]))
        return 0
    doc = find_document(base["documents"], args.id)
    if doc is None:
        print(f"未找到文档：{args.id}（用 kb list 查看编号）", file=sys.stderr)
        return 1
    print(json.dumps(doc, ensure_ascii=False, indent=1) if args.json else format_document(doc))
    return 0


def find_document(docs: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """Find a document by id or 文号 (current version first)."""
    for doc in sorted(docs, key=lambda d: not d["is_current"]):
        if str(doc["id"]) == key or doc["number"] == key:
            return doc
    return None


def format_list(docs: list[dict[str, Any]]) -> str:
    """One line per document."""
    if not docs:
        return "知识库为空。"
    lines = []
    for doc in docs:
        state = "" if doc["is_current"] else f"（历史版本，已被 {doc['superseded_by']} 取代）"
        period = doc["period"]
        who = identity_label(
            doc["subject"], period["year"], period["start"], period["end"], doc["genre"]
        )
        lines.append(
            f"[{doc['id']}] {doc['display_name'] or doc['title']} {doc['date'] or ''}{state}\n"
            f"    {who} — 章节{len(doc['sections'])} 指标{len(doc['indicators'])}"
            f" 事项{len(doc['items'])} 实体{len(doc['entities'])}"
        )
    return "\n".join(lines)


def format_document(doc: dict[str, Any]) -> str:
    """A readable page for one document."""
    lines = [
        f"{doc['title']}",
        f"引用名：{doc['display_name']}",
        "报告对象与期间："
        + identity_label(
            doc["subject"], doc["period"]["year"], doc["period"]["start"], doc["period"]["end"],
            doc["genre"],
        ),
        f"文号：{doc['number'] or '无'}    发文机关：{doc['issuer'] or '未识别'}",
        f"主送：{doc['addressee'] or '无'}    日期：{doc['date'] or '未识别'}",
        f"联系人：{doc['contact'] or '无'} {doc['contact_phone'] or ''}",
        f"抄送：{'、'.join(doc['cc']) or '无'}",
        f"密级/公开：{'、'.join(doc['classification']) or '无'}",
    ]
    if doc["proposal"]:
        p = doc["proposal"]
        kind = p["kind"] or "提案"
        lines.append(f"答复{kind}：第{p['number']}号《{p['title'] or ''}》")
        lines.append(f"提出者：{p['proposer'] or '未识别'}")
    lines.append("\n章节：")
    lines += [f"  {s['id']} {s['title']}" for s in doc["sections"]]
    lines.append("\n指标：")
    lines += [
        f"  [{i['section']}] {i['place'] or ''} {i['name']} {i['value']:g}{i['unit']}"
        f"{'（' + i['period'] + '）' if i['period'] else ''} {i['kind']}"
        f"{'；目标' + i['target'] if i['target'] else ''}"
        for i in doc["indicators"]
    ]
    lines.append("\n工作措施与下步计划：")
    kinds = {"measure": "措施", "action": "计划"}
    lines += [f"  [{i['section']}] {kinds[i['kind']]}：{i['title']}" for i in doc["items"]]
    lines.append("\n实体：")
    lines.append("  " + "、".join(f"{e['name']}" for e in doc["entities"]))
    if doc["cited_documents"]:
        lines.append("\n引用文件：" + "、".join(f"《{c}》" for c in doc["cited_documents"]))
    return "\n".join(lines)
