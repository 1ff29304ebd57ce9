"""Private memory stays bounded: mapped column pages and free heap pages are handed back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp import pipeline
from nlp.columns import map_array, release_pages
from nlp.heap import return_free_heap

SMAPS = Path("/proc/self/smaps")


def _resident_kb(path: Path) -> int:
    """Resident kB of this process's mappings of `path` (from /proc/self/smaps)."""
    total, inside = 0, False
    for line in SMAPS.read_text(encoding="ascii", errors="replace").splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
            inside = len(fields) >= 6 and fields[5] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@pytest.mark.skipif(not SMAPS.exists(), reason="needs Linux /proc")
def test_released_pages_leave_the_process_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "column.npy"
    np.save(path, np.arange(2_000_000, dtype=np.int64))  # 16 MB
    column = map_array(path)
    assert int(column.sum()) == 1_999_999 * 2_000_000 // 2  # every page read
    assert _resident_kb(path) > 10_000
    assert release_pages() >= 1
    assert _resident_kb(path) < 1_000  # the pages are the file cache's, not this process's
    assert int(column[1_234_567]) == 1_234_567  # and read back on demand


def test_heap_return_reports_whether_it_could() -> None:
    assert return_free_heap() in (True, False)


def test_answers_are_the_same_across_a_release(seeded_assistant, monkeypatch) -> None:
    # A release every second answer: each question below is answered after one.
    monkeypatch.setattr(pipeline, "RELEASE_EVERY", 2)
    monkeypatch.setattr(seeded_assistant, "_large", True)  # as a 10,000-document base would be
    question = "州外到位资金是多少"
    first = seeded_assistant.answer(question)
    for _ in range(3):
        again = seeded_assistant.answer(question)
        assert (again.text, again.citations) == (first.text, first.citations)


def test_a_small_base_does_not_release_pages_as_it_answers(seeded_assistant, monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(pipeline, "release_pages", lambda: calls.append(1) or 0)
    monkeypatch.setattr(pipeline, "RELEASE_EVERY", 2)
    for _ in range(6):
        seeded_assistant.answer("州外到位资金是多少")
    assert calls == []  # its columns map far less than RELEASE_FROM_BYTES
