"""`run_bot.py triage` and `run_bot.py proposals` end to end, in process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import run_bot
from tests.nlp.triage_support import P084, SCHOOL


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run run_bot.main with a fresh SQLite base under tmp_path; return (code, out, err)."""
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = run_bot.main(["--db", url, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_triage_json_and_the_proposal_workflow(cli, tmp_path: Path) -> None:
    source = tmp_path / "p084.txt"
    source.write_text(P084, encoding="utf-8")
    code, out, _err = cli("triage", str(source), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["meta"]["kind"] == "提案" and data["topic"] != "非本局业务"
    assert {"asks", "related", "indicators", "draft"} <= set(data)
    top = {(r["kind"], r["section"]) for r in data["related"][:3]}
    assert top == {("measure", "二（五）"), ("action", "三（一）"), ("action", "三（五）")}
    assert "现答复如下" in data["draft"]

    code, out, _err = cli("triage", "-", "--save", "--received", "2021-03-01", stdin=P084)
    assert code == 0 and "已登记：ID 1" in out
    code, out, _err = cli("triage", "-", "--save", "--json", stdin=P084)
    assert json.loads(out)["similar"][0]["duplicate"] is True

    code, out, _err = cli("proposals", "list")
    assert code == 0 and "2021-05-31" in out and len(out.strip().splitlines()) == 1
    code, _out, err = cli("proposals", "set-status", "1", "已答复")
    assert code == 2 and "不能改为“已答复”" in err
    code, out, _err = cli("proposals", "set-status", "1", "办理中", "--by", "张三")
    assert code == 0 and "办理中" in out
    code, out, _err = cli("proposals", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["status"] == "办理中"
    assert [(e["actor"], e["to"]) for e in shown["events"]][-1] == ("张三", "办理中")


def test_triage_out_of_scope_text(cli) -> None:
    code, out, _err = cli("triage", "-", "--json", stdin=SCHOOL)
    data = json.loads(out)
    assert code == 0 and data["topic"] == "非本局业务" and data["related"] == []


def test_triage_refuses_an_oversized_text(cli) -> None:
    code, out, err = cli("triage", "-", stdin="建议加快项目落地。" * 3000)
    assert code == 2 and "上限" in err and out == ""


def test_missing_file_is_one_line(cli, tmp_path: Path) -> None:
    code, _out, err = cli("triage", str(tmp_path / "nope.txt"))
    assert code == 2 and err.startswith("无法读取提案")


def test_what_the_proposal_says_about_itself_is_shown_and_stored(cli) -> None:
    from tests.nlp.proposal_samples import IRRIGATION, PARK_SYSTEM

    code, out, _err = cli("triage", "-", "--save", "--received", "2026-03-01", stdin=PARK_SYSTEM)
    assert code == 0
    assert "《关于加快楚雄高新区产业园区精准招商的提案》" in out
    assert "提出人 赵敏（委员，经济界）" in out and "届次：十二届一次" in out
    code, out, _err = cli("proposals", "show", "1", "--json")
    row = json.loads(out)
    assert (row["number"], row["proposer_role"], row["sector"], row["session"]) == (
        "12",
        "委员",
        "经济界",
        "十二届一次",
    )
    code, out, _err = cli("triage", "-", "--save", "--received", "2026-03-01", stdin=IRRIGATION)
    assert "建议承办单位：水务局" in out and "理由：" in out
    code, out, _err = cli("proposals", "show", "2")
    assert "杨文（代表，等3名）" in out
