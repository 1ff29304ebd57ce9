"""`run_bot.py ingest` and `run_bot.py kb` through the real entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import run_bot
from tests.knowledge.conftest import BUREAU_SUMMARY, COUNTY_REPLY


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_bot.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_folder_recursively_with_a_bad_file(tmp_path: Path, db: str, capsys) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "reply.txt").write_text(COUNTY_REPLY, encoding="gbk")
    (folder / "sub" / "summary.txt").write_text(BUREAU_SUMMARY, encoding="utf-8")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    code, out, err = _run(capsys, "--db", db, "ingest", str(folder))
    assert code == 1
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 2 and all("已导入" in line for line in lines)
    assert "章节" in lines[0] and "指标" in lines[0]
    assert "失败 empty.txt：文件为空" in err


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress bar draws."""

    def isatty(self) -> bool:
        return True


def test_ingest_draws_a_progress_bar_on_a_terminal_only(
    tmp_path: Path, db: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(5):
        (folder / f"copy{n}.txt").write_text(COUNTY_REPLY, encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    code = run_bot.main(["--db", db, "ingest", str(folder)])
    out = capsys.readouterr().out
    assert code == 0
    assert "5/5" in terminal.getvalue()  # the bar reached the end
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 5 and "已导入" in lines[0]  # one line per file, on stdout
    assert "5/5" not in out


def test_ingest_json_and_exit_zero(tmp_path: Path, db: str, capsys) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(COUNTY_REPLY, encoding="utf-8")
    code, out, _ = _run(capsys, "--db", db, "ingest", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] == 1 and report["failed"] == 0
    assert report["files"][0]["number"] == "禄商复〔2022〕第12号"
    assert report["files"][0]["counts"]["indicators"] > 5


def test_kb_export_shape_and_history(tmp_path: Path, db: str, capsys) -> None:
    v1, v2 = tmp_path / "v1.txt", tmp_path / "v2.txt"
    v1.write_text(COUNTY_REPLY, encoding="utf-8")
    v2.write_text(COUNTY_REPLY.replace("45.6亿元", "46.0亿元"), encoding="utf-8")
    _run(capsys, "--db", db, "ingest", str(v1), str(v2))
    code, out, _ = _run(capsys, "--db", db, "kb", "export", "--json")
    assert code == 0
    docs = json.loads(out)["documents"]
    numbers = [d["number"] for d in docs]
    assert numbers.count("禄商复〔2022〕第12号") == 1  # only the current version
    doc = next(d for d in docs if d["number"] == "禄商复〔2022〕第12号")
    for key in (
        "issuer",
        "title",
        "addressee",
        "date",
        "contact",
        "cc",
        "classification",
        "proposal",
        "sections",
        "indicators",
        "items",
        "entities",
        "cited_documents",
    ):
        assert key in doc
    assert doc["date"] == "2022-10-18"
    assert {"id", "title", "text"} <= set(doc["sections"][1])
    assert {"name", "value", "unit", "period", "target", "section", "quote"} <= set(
        doc["indicators"][0]
    )
    assert doc["items"][0]["kind"] in ("measure", "action")
    assert doc["proposal"]["number"] == "35"
    code, out, _ = _run(capsys, "--db", db, "kb", "export", "--json", "--all")
    numbers = [d["number"] for d in json.loads(out)["documents"]]
    assert numbers.count("禄商复〔2022〕第12号") == 2


def test_kb_list_and_show(tmp_path: Path, db: str, capsys) -> None:
    path = tmp_path / "summary.txt"
    path.write_text(BUREAU_SUMMARY, encoding="utf-8")
    _run(capsys, "--db", db, "ingest", str(path))
    code, out, _ = _run(capsys, "--db", db, "kb", "list")
    assert code == 0 and "大商发〔2023〕7号" in out
    doc_id = next(line for line in out.splitlines() if "大商发" in line).split("]")[0].strip("[")
    code, out, _ = _run(capsys, "--db", db, "kb", "show", doc_id)
    assert code == 0
    assert "文号：大商发〔2023〕7号" in out and "实际利用外资" in out
    code, _, err = _run(capsys, "--db", db, "kb", "show", "99999")
    assert code == 1 and "未找到" in err


def test_default_base_is_ingested_at_start(db: str, capsys) -> None:
    code, out, _ = _run(capsys, "--db", db, "kb", "export", "--json")
    docs = json.loads(out)["documents"]
    assert code == 0 and docs[0]["number"] == "州投促字〔2021〕3号"
    assert len(docs[0]["indicators"]) >= 34
