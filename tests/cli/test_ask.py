from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.settings import Settings
from cli import ask


def test_batch_writes_one_reply_per_line_with_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.jsonl"
    rows = [{"id": "a", "question": "文号"}, {"id": "b", "question": "你会做饭吗"}]
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kb.db'}", var_dir=tmp_path / "var")
    args = argparse.Namespace(question=None, json=True, batch=str(batch))
    assert ask.run(args, settings) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["answered"] is True and "〔" in lines[0]["text"]
    assert lines[1]["answered"] is False
    assert {"intent", "confidence", "citations", "facts", "suggestions"} <= set(lines[0])


def test_batch_takes_plain_lines_numbered_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text('文号\n\n{"id": "x", "question": "你会做饭吗"}\n[1, 2]\n', encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kb.db'}", var_dir=tmp_path / "var")
    args = argparse.Namespace(question=None, json=True, batch=str(batch))
    assert ask.run(args, settings) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [1, "x", 4]
    assert lines[0]["answered"] is True and lines[1]["answered"] is False


def test_missing_question_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(question=None, json=False, batch=None)
    assert ask.run(args, Settings()) == 2
    assert "请给出问题" in capsys.readouterr().err
