"""TelegramChannel against the emulator: retries, blocked people, button presses."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botapi_emulator import TOKEN, BotApiEmulator, Json
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.dialogue.replies import Button, Reply
from bot.processor import DeliveryDeferred
from bot.storage.base import OutboxItem
from bot.telegram.channel import TelegramChannel

USER = 42


class Sleeps:
    """Records the waits instead of waiting, so tests are fast and can see the policy."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def api() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    await emulator.start()
    emulator.send_text(USER, "hello")
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(TOKEN, base_url=api.base_url, request=request) as client:
        yield client


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def channel(bot: Bot, sleeps: Sleeps) -> TelegramChannel:
    return TelegramChannel(bot, sleep=sleeps)


def item(*replies: Reply, update_id: int = 1, **meta: Any) -> OutboxItem:
    records = [r.to_record() for r in replies]
    return OutboxItem(update_id, USER, USER, records, {"notice": None, **meta})


def texts(api: BotApiEmulator) -> list[str]:
    return [m["text"] for m in api.bot_messages(USER)]


async def test_replies_arrive_in_order_with_typing_first(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    await channel.deliver(item(Reply("one <1>"), Reply("two & three")))
    assert texts(api) == ["one <1>", "two & three"]
    assert api.actions == [(USER, "typing")]
    methods = [c.method for c in api.calls if c.method != "getMe"]
    assert methods == ["sendChatAction", "sendMessage", "sendMessage"]


async def test_flood_control_defers_and_pauses_every_later_call(
    channel: TelegramChannel, api: BotApiEmulator, sleeps: Sleeps
) -> None:
    api.fail("sendMessage", times=1, status=429, retry_after=700)
    with pytest.raises(DeliveryDeferred) as deferred:
        await channel.deliver(item(Reply("hi")))
    assert deferred.value.retry_after == 700  # obeyed whatever its size
    await channel.deliver(item(Reply("hi")))  # the sender's retry first waits out the pause
    assert texts(api) == ["hi"]
    assert sleeps.waits and 699 < sleeps.waits[0] <= 700


@pytest.mark.parametrize("fault", [500, 502, 409, 401])
async def test_errors_a_retry_may_fix_defer_the_delivery(
    channel: TelegramChannel, api: BotApiEmulator, fault: int
) -> None:
    api.fail("sendMessage", status=fault)
    with pytest.raises(DeliveryDeferred):
        await channel.deliver(item(Reply("hi")))
    await channel.deliver(item(Reply("hi")))
    assert texts(api) == ["hi"]


async def test_a_timeout_defers_the_delivery(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    api.stall("sendMessage", seconds=1.0)
    with pytest.raises(DeliveryDeferred):
        await channel.deliver(item(Reply("hi")))
    await channel.deliver(item(Reply("hi")))
    assert texts(api) == ["hi"]


async def test_a_lasting_outage_defers_without_repeating_what_was_sent(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    delivery = item(Reply("first"), Reply("second"))
    api.fail("sendChatAction", times=1, status=500)  # typing is best effort
    await channel.deliver(item(Reply("warm-up"), update_id=0))
    # first message goes out, then the second fails
    original = api.dispatch

    async def fail_second(token: str, method: str, params: Json) -> Any:
        if method == "sendMessage" and params.get("text") == "second":
            api.fail("sendMessage", status=502)
        return await original(token, method, params)

    api.dispatch = fail_second  # type: ignore[method-assign]
    with pytest.raises(DeliveryDeferred):
        await channel.deliver(delivery)
    api.dispatch = original  # type: ignore[method-assign]
    await channel.deliver(delivery)  # the processor's later retry
    assert texts(api) == ["warm-up", "first", "second"]


async def test_a_person_who_blocked_the_bot_is_logged_and_skipped(
    channel: TelegramChannel, api: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    api.block(USER)
    with caplog.at_level(logging.INFO):
        await channel.deliver(item(Reply("hi")))
    assert texts(api) == []
    assert f"user {USER} blocked the bot" in caplog.text
    assert len(api.calls_of("sendMessage")) <= 1  # not retried


async def test_a_refused_message_is_logged_and_the_rest_still_sent(
    channel: TelegramChannel, api: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("sendMessage", status=400)
    with caplog.at_level(logging.ERROR):
        await channel.deliver(item(Reply("lost"), Reply("kept")))
    assert texts(api) == ["kept"]
    assert "refused a message" in caplog.text


async def send_question(api: BotApiEmulator, channel: TelegramChannel) -> Json:
    buttons = ((Button("Yes", "t:y"), Button("No", "t:n")),)
    await channel.deliver(item(Reply("Do you have a fever?", buttons), update_id=0))
    return api.bot_messages(USER)[-1]


async def test_a_press_is_answered_and_its_keyboard_shows_the_choice(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    question = await send_question(api, channel)
    query = api.press_data(USER, question, "t:y")
    meta = {
        "callback_query_id": query,
        "message_id": question["message_id"],
        "message_text": question["text"],
        "button_label": "Yes",
    }
    await channel.deliver(item(Reply("Next question"), **meta))
    updated = api.message(USER, question["message_id"])
    assert "reply_markup" not in updated
    assert updated["text"] == "Do you have a fever?\n\n→ Yes"
    assert query in api.answers and texts(api)[-1] == "Next question"


async def test_a_press_with_a_notice_only_drops_the_keyboard(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    question = await send_question(api, channel)
    query = api.press_data(USER, question, "f:x:u")
    meta = {
        "callback_query_id": query,
        "message_id": question["message_id"],
        "message_text": question["text"],
        "button_label": "Yes",
        "notice": "Thanks!",
    }
    await channel.deliver(item(**meta))
    updated = api.message(USER, question["message_id"])
    assert updated["text"] == "Do you have a fever?" and "reply_markup" not in updated
    assert api.answers[query] == "Thanks!"


async def test_a_stale_press_changes_no_message(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    question = await send_question(api, channel)
    query = api.press_data(USER, question, "t:old")
    meta = {
        "callback_query_id": query,
        "message_id": question["message_id"],
        "stale": True,
        "notice": "That button is from an earlier question",
    }
    await channel.deliver(item(**meta))
    assert api.message(USER, question["message_id"]) == question
    assert api.answers[query] == "That button is from an earlier question"


async def test_an_already_answered_query_and_unchanged_message_are_fine(
    channel: TelegramChannel, api: BotApiEmulator, bot: Bot
) -> None:
    question = await send_question(api, channel)
    query = api.press_data(USER, question, "t:y")
    await bot.answer_callback_query(query)
    await bot.edit_message_reply_markup(USER, question["message_id"], reply_markup=None)
    meta = {"callback_query_id": query, "message_id": question["message_id"]}
    await channel.deliver(item(Reply("carry on"), **meta))
    assert texts(api)[-1] == "carry on"


async def test_a_send_taken_but_not_answered_may_have_been_delivered(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    """The ambiguous case: Telegram took the message, its answer came too late. The retry
    is flagged (it may show the message twice: the Bot API has no idempotent send)."""
    api.answer_late("sendMessage", 1.0)
    with pytest.raises(DeliveryDeferred) as deferred:
        await channel.deliver(item(Reply("hi")))
    assert deferred.value.maybe_sent
    assert texts(api) == ["hi"]


async def test_an_error_answer_or_no_connection_was_not_delivered(
    channel: TelegramChannel, api: BotApiEmulator
) -> None:
    api.fail("sendMessage", status=502)
    with pytest.raises(DeliveryDeferred) as answered:
        await channel.deliver(item(Reply("hi")))
    await api.go_offline()
    with pytest.raises(DeliveryDeferred) as refused:
        await channel.deliver(item(Reply("hi")))
    assert not answered.value.maybe_sent
    assert not refused.value.maybe_sent
    assert texts(api) == []
