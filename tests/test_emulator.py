"""The Bot API emulator refuses what Telegram refuses, so the end-to-end tests mean something."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from botapi_emulator import TOKEN, BotApiEmulator, parse_html
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data=data)]])


@pytest.mark.parametrize(
    "text",
    ["a <x>tag</x>", "<b>unclosed", "a & b", "1 < 2", "&nbsp;", "<b><i>crossed</b></i>", "x > y"],
)
def test_html_telegram_cannot_parse_is_refused(text: str) -> None:
    with pytest.raises(Exception, match=r"(?i)can't parse entities"):
        parse_html(text)


def test_escaped_html_parses_to_the_plain_text() -> None:
    assert parse_html("<b>1 &lt; 2</b> &amp; &quot;q&quot; &#128077;") == '1 < 2 & "q" 👍'


async def test_get_me_names_the_bot(bot: Bot, api: BotApiEmulator) -> None:
    assert bot.username == api.username


async def test_a_wrong_token_is_unauthorized(api: BotApiEmulator) -> None:
    other = TOKEN[:-1] + ("x" if TOKEN[-1] != "x" else "y")
    with pytest.raises(InvalidToken):
        async with Bot(other, base_url=api.base_url):
            pass


async def test_send_message_keeps_text_and_keyboard(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    sent = await bot.send_message(
        7, "<b>Hi</b> &amp; bye", parse_mode=ParseMode.HTML, reply_markup=keyboard("yes")
    )
    stored = api.bot_messages(7)[-1]
    assert sent.text == "Hi & bye" == stored["text"]
    assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"


async def test_refusals_match_telegram(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(7, "1 < 2", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(7, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(7, "hi", reply_markup=keyboard("d" * 65))
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(99, "hi")
    await bot.send_message(7, "x" * 4096)  # exactly the limit is fine
    assert len(api.bot_messages(7)) == 1


async def test_an_edit_that_changes_nothing_is_refused(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    sent = await bot.send_message(7, "question", reply_markup=keyboard("yes"))
    await bot.edit_message_reply_markup(7, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(7, sent.message_id, reply_markup=None)
    await bot.edit_message_text("question, answered", 7, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("question, answered", 7, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("nothing here", 7, 999)
    assert api.message(7, sent.message_id)["text"] == "question, answered"


async def test_a_callback_query_is_answered_once(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    sent = await bot.send_message(7, "question", reply_markup=keyboard("yes"))
    query_id = api.press(7, sent.to_dict(), "Yes")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].callback_query is not None
    assert updates[-1].callback_query.data == "yes"
    await bot.answer_callback_query(query_id, text="Noted")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    assert api.answers[query_id] == "Noted"


async def test_long_polling_honours_offsets(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(1, "one")
    api.send_text(2, "two")
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first]  # not acknowledged
    waiting = asyncio.create_task(bot.get_updates(offset=first[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # long poll holds while there is nothing new
    api.send_text(3, "three")
    later = await waiting
    assert [u.message.text for u in later if u.message] == ["three"]


async def test_injected_faults_reach_the_client(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    api.fail("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(7, "hi")
    api.fail("sendMessage", status=500)
    with pytest.raises(NetworkError):
        await bot.send_message(7, "hi")
    api.fail("sendMessage", status=403)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(7, "hi")
    await bot.send_message(7, "hi")
    assert len(api.bot_messages(7)) == 1


async def test_a_blocked_person_cannot_be_messaged(bot: Bot, api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    api.block(7)
    with pytest.raises(Forbidden):
        await bot.send_message(7, "hi")


async def test_json_bodies_are_accepted_too(api: BotApiEmulator) -> None:
    api.send_text(7, "hello")
    async with httpx.AsyncClient() as client:
        url = f"{api.base_url}{TOKEN}/sendMessage"
        ok = await client.post(url, json={"chat_id": 7, "text": "<i>hi</i>", "parse_mode": "HTML"})
        bad = await client.post(url, json={"chat_id": 7, "text": "<i>hi", "parse_mode": "HTML"})
        missing = await client.post(f"{api.base_url}{TOKEN}/noSuchMethod", json={})
    assert ok.json()["result"]["text"] == "hi"
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert missing.status_code == 404


async def test_commands_are_validated(bot: Bot, api: BotApiEmulator) -> None:
    await bot.set_my_commands([("start", "Begin")])
    assert api.commands == [{"command": "start", "description": "Begin"}]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Bad-Name", "nope")])
