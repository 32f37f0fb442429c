"""Typed button data: what a button carries round-trips, and anything else is Unknown."""

from __future__ import annotations

import logging

import pytest
from chat_driver import Conversation, real_knowledge
from hypothesis import given
from hypothesis import strategies as st

from bot.admin.review import REVIEW_BUTTONS, AddPhrasing, Dismiss
from bot.bundle import Knowledge
from bot.dialogue import texts
from bot.dialogue.buttondata import MAX_BYTES, ButtonData, Unknown, button, decode
from bot.dialogue.buttons import (
    ENGINE_BUTTONS,
    CheckAnswer,
    CheckBack,
    CheckStart,
    Feedback,
    ForgetYes,
    ShowTopic,
    TopicsPage,
)

ALL_KINDS = (*ENGINE_BUTTONS, *REVIEW_BUTTONS)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return real_knowledge()


@pytest.mark.parametrize(
    ("data", "wire"),
    [
        (ShowTopic("fever-and-back-pain"), "a:fever-and-back-pain"),
        (TopicsPage(2), "p:2"),
        (Feedback("sleep", "d"), "f:sleep:d"),
        (CheckStart(), "ts"),
        (CheckBack(3), "tb:3"),
        (CheckAnswer("saddle", 0, "y"), "t:saddle:0:y"),
        (ForgetYes("12"), "fg:12"),
        (AddPhrasing("0123456789", "sleep"), "ad:a:0123456789:sleep"),
        (Dismiss("0123456789"), "ad:d:0123456789"),
    ],
)
def test_buttons_on_old_messages_still_decode(data: ButtonData, wire: str) -> None:
    """The wire format is the one already on people's messages."""
    assert data.encode() == wire
    assert decode(wire, ALL_KINDS) == data


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "zz",
        "a:",
        "p:-1",
        "p:1e3",
        "p:007",
        "p:٣",  # a digit, but not an ASCII one
        "f:sleep:x",
        "t:saddle:zero:y",
        "t:saddle:0:",
        "tb",
        "ts:extra",
        "ad:x:0123456789",
        "a:" + "x" * 70,
    ],
)
def test_forged_or_malformed_data_is_unknown(forged: str) -> None:
    assert decode(forged, ALL_KINDS) == Unknown(forged)


@given(st.text(max_size=80))
def test_decoding_never_raises_and_what_decodes_re_encodes_the_same(data: str) -> None:
    found = decode(data, ALL_KINDS)
    if not isinstance(found, Unknown):
        assert found.encode() == data


def test_encode_refuses_what_could_not_come_back() -> None:
    with pytest.raises(ValueError, match="bytes"):
        ShowTopic("x" * MAX_BYTES).encode()
    with pytest.raises(ValueError, match="without"):
        ShowTopic("a:b").encode()
    with pytest.raises(ValueError, match="one of"):
        Feedback("sleep", "maybe").encode()  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        TopicsPage(-1).encode()


def test_a_button_that_cannot_be_encoded_is_dropped_not_fatal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        assert button("Too long", ShowTopic("x" * MAX_BYTES)) is None
    assert "dropped" in caplog.text
    made = button("Fine", ShowTopic("sleep"))
    assert made is not None and made.data == "a:sleep"


def test_a_person_pressing_forged_data_is_told_so_politely(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    for forged in ("zz:1", "t:::", "p:99999999999", "\x00"):
        turn = chat.data(forged)
        assert turn.notice == texts.FORGED_BUTTON and turn.stale
        assert texts.FORGED_BUTTON in chat.text


def test_an_old_topic_button_is_stale_not_forged(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    turn = chat.data(ShowTopic("no-such-topic").encode())
    assert turn.notice == texts.STALE_BUTTON and turn.stale
