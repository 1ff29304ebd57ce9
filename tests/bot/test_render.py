"""Rendering: escaped HTML chunks within Telegram's limit, split at line breaks; buttons."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import ButtonSpec, plain, render, split_html
from nlp.reply import Button, Reply


def test_short_text_is_one_escaped_chunk() -> None:
    assert split_html("<test/> a_b*c & 州外") == ["&lt;test/&gt; a_b*c &amp; 州外"]


def test_split_happens_at_line_breaks() -> None:
    lines = [f"第{i}行：" + "资" * 40 for i in range(200)]
    chunks = split_html("\n".join(lines), limit=1000)
    assert len(chunks) > 5 and all(len(c) <= 1000 for c in chunks)
    assert [line for c in chunks for line in c.split("\n")] == lines


def test_overlong_line_is_cut_outside_entities() -> None:
    chunks = split_html("<&>" * 3000, limit=100)
    assert all(len(c) <= 100 for c in chunks)
    assert "".join(html.unescape(c) for c in chunks) == "<&>" * 3000
    assert all(not re.search(r"&[a-z]*$", c) for c in chunks)  # no entity cut in half


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12_000))
def test_any_text_renders_within_limits(text: str) -> None:
    chunks = render(Reply(intent="help", text=text)).chunks
    assert chunks and all(0 < len(c) <= 4096 for c in chunks)
    assert all("<" not in c and ">" not in c for c in chunks)
    joined = "".join(html.unescape(c) for c in chunks)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text) or not text.strip()


def test_keyboard_drops_oversized_callback_data_and_console_shows_labels() -> None:
    reply = Reply(
        intent="indicator",
        text="答复",
        buttons=[[Button(label="出处", data="1|src|5"), Button(label="坏", data="x" * 65)]],
    )
    rendered = render(reply)
    assert rendered.keyboard == [[ButtonSpec("出处", "1|src|5")]]
    assert plain(rendered) == "答复\n[出处]"
