"""Rendering: whatever the engine writes, Telegram accepts every message we send."""

from __future__ import annotations

import logging

import pytest
from botapi_emulator import parse_html, utf16_len
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogue.replies import Button, Reply
from bot.telegram.render import MAX_MESSAGE, render, split_plain

# Text with the characters that break HTML, line breaks, and astral emoji (2 UTF-16 units).
awkward_text = st.lists(
    st.sampled_from([*"ab <>&\"'\n", "👍", "é", "&amp;", "<b>", "word "]),
    min_size=1,
    max_size=200,
).map("".join)


@given(awkward_text, st.integers(min_value=20, max_value=120))
def test_every_chunk_parses_fits_and_keeps_the_words(text: str, limit: int) -> None:
    chunks = render(Reply(text), limit=limit)
    plain = [parse_html(c.html) for c in chunks]
    assert all(utf16_len(c.html) <= limit for c in chunks)
    assert all(p.strip() for p in plain)
    if text.strip():
        assert "".join("".join(p.split()) for p in plain) == "".join(text.split())


def test_dynamic_text_is_escaped() -> None:
    (chunk,) = render(Reply('Is 1 < 2 & "x" <b>bold</b>?'))
    assert parse_html(chunk.html) == 'Is 1 < 2 & "x" <b>bold</b>?'
    assert "<b>" not in chunk.html


def test_a_long_answer_splits_at_paragraphs_under_the_limit() -> None:
    paragraphs = [f"Paragraph {i}: " + "word " * 150 for i in range(12)]
    chunks = render(Reply("\n\n".join(paragraphs)))
    assert len(chunks) > 1
    assert all(len(c.html) <= MAX_MESSAGE for c in chunks)
    assert all(c.html.startswith("Paragraph") for c in chunks)  # cut between paragraphs


def test_a_text_with_no_spaces_still_splits() -> None:
    chunks = render(Reply("&" * 5000))  # each & becomes &amp; (5 characters)
    assert sum(parse_html(c.html).count("&") for c in chunks) == 5000
    assert all(len(c.html) <= MAX_MESSAGE for c in chunks)


def test_split_prefers_line_then_word_boundaries() -> None:
    assert split_plain("aaaa bbbb\ncccc dddd", limit=12) == ["aaaa bbbb", "cccc dddd"]
    assert split_plain("aaaa bbbb cccc", limit=10) == ["aaaa bbbb", "cccc"]


def test_keyboard_rides_on_the_last_chunk_only() -> None:
    buttons = ((Button("Yes", "t:y"), Button("No", "t:n")), (Button("Back", "t:b"),))
    chunks = render(Reply("word " * 2000, buttons))
    assert [c.markup is not None for c in chunks] == [False] * (len(chunks) - 1) + [True]
    markup = chunks[-1].markup
    assert markup is not None
    rows = [[b.callback_data for b in row] for row in markup.inline_keyboard]
    assert rows == [["t:y", "t:n"], ["t:b"]]


def test_buttons_telegram_would_refuse_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    buttons = ((Button("Fine", "ok"), Button("Too long", "x" * 65)), (Button(" ", "blank"),))
    with caplog.at_level(logging.ERROR):
        (chunk,) = render(Reply("Pick one", buttons))
    assert chunk.markup is not None
    assert [[b.text for b in row] for row in chunk.markup.inline_keyboard] == [["Fine"]]
    assert "65 bytes" in caplog.text


def test_callback_data_limit_counts_bytes_not_characters() -> None:
    (chunk,) = render(Reply("Pick", ((Button("A", "é" * 32), Button("B", "é" * 33)),)))
    assert chunk.markup is not None
    assert [b.text for b in chunk.markup.inline_keyboard[0]] == ["A"]


def test_an_empty_reply_still_renders_something_sendable() -> None:
    (chunk,) = render(Reply("   ", ((Button("Go", "go"),),)))
    assert parse_html(chunk.html).strip() and chunk.markup is not None
