"""Every kind of update becomes the Incoming the engine should see, or a deliberate None."""

from __future__ import annotations

from typing import Any

import pytest
from botapi_emulator import BOT_USERNAME, BotApiEmulator
from telegram import Update

from bot.dialogue.incoming import Incoming
from bot.telegram.convert import to_incoming

GROUP = -1001


@pytest.fixture
def api() -> BotApiEmulator:
    return BotApiEmulator()


def convert_last(api: BotApiEmulator) -> tuple[Incoming, dict[str, Any]] | None:
    update = Update.de_json(api.queued_updates()[-1], None)
    return to_incoming(update, BOT_USERNAME)


def incoming_of(api: BotApiEmulator) -> Incoming:
    converted = convert_last(api)
    assert converted is not None
    return converted[0]


async def test_private_text_is_kept_as_typed(api: BotApiEmulator) -> None:
    api.send_text(5, "   ")
    assert incoming_of(api) == Incoming(5, 5, "text", text="   ", private=True)
    api.send_text(5, "why does my back hurt? " * 500)
    assert len(incoming_of(api).text or "") == 23 * 500


async def test_own_command_suffix_is_removed(api: BotApiEmulator) -> None:
    api.send_text(5, f"/help@{BOT_USERNAME} please")
    assert incoming_of(api).text == "/help please"


@pytest.mark.parametrize(
    ("send", "kind"),
    [
        (lambda api: api.send_sticker(5), "sticker"),
        (lambda api: api.send_photo(5), "photo"),
        (lambda api: api.send_voice(5), "voice"),
        (lambda api: api.send_video(5), "video"),
        (lambda api: api.send_location(5), "location"),
        (lambda api: api.send_contact(5), "contact"),
    ],
)
async def test_each_message_kind_reaches_the_engine(
    api: BotApiEmulator, send: Any, kind: str
) -> None:
    send(api)
    assert incoming_of(api).kind == kind


async def test_documents_carry_their_file_name(api: BotApiEmulator) -> None:
    api.send_document(5, "knowledge.yaml")
    incoming = incoming_of(api)
    assert (incoming.kind, incoming.file_name) == ("document", "knowledge.yaml")


async def test_an_edited_message_is_marked_edited(api: BotApiEmulator) -> None:
    sent = api.send_text(5, "first")
    api.edit_text(sent, "second")
    assert incoming_of(api).kind == "edited"


async def test_channel_posts_are_dropped(api: BotApiEmulator) -> None:
    api.channel_post(-100500, "news")
    assert convert_last(api) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/check", "/check"),
        (f"/topics@{BOT_USERNAME}", "/topics"),
        ("/start@SomeOtherBot", None),
        (f"hey @{BOT_USERNAME} why does my back hurt?", "hey why does my back hurt?"),
        ("just chatting among ourselves", None),
    ],
)
async def test_groups_pass_commands_and_mentions_only(
    api: BotApiEmulator, text: str, expected: str | None
) -> None:
    api.send_text(5, text, chat_id=GROUP)
    converted = convert_last(api)
    if expected is None:
        assert converted is None
        return
    assert converted is not None
    incoming, meta = converted
    assert incoming == Incoming(5, GROUP, "text", text=expected, private=False)
    assert meta["reply_to_message_id"] > 0


async def test_a_reply_to_the_bot_in_a_group_counts_as_addressed(api: BotApiEmulator) -> None:
    api.add_group(GROUP)
    ours = {
        "message_id": 1,
        "date": 0,
        "chat": api.chat_info[GROUP],
        "from": {"id": 1, "is_bot": True, "first_name": "B", "username": BOT_USERNAME},
    }
    api.send_text(6, "and what about fever?", chat_id=GROUP, reply_to=ours)
    assert incoming_of(api).text == "and what about fever?"


async def test_stickers_in_groups_are_ignored(api: BotApiEmulator) -> None:
    api.send_sticker(5, chat_id=GROUP)
    assert convert_last(api) is None


async def test_a_button_press_carries_what_the_channel_needs(api: BotApiEmulator) -> None:
    api.send_text(5, "hi")
    api.chats[5].append(
        {
            "message_id": 2,
            "date": 1700000000,
            "chat": api.chat_info[5],
            "text": "Fever?",
            "from": {"id": 1, "is_bot": True, "first_name": "B"},
            "reply_markup": {"inline_keyboard": [[{"text": "Yes", "callback_data": "t:y"}]]},
        }
    )
    query_id = api.press(7, api.message(5, 2), "Yes")
    converted = convert_last(api)
    assert converted is not None
    incoming, meta = converted
    assert incoming == Incoming(7, 5, "button", button="t:y", private=True)
    assert meta == {
        "callback_query_id": query_id,
        "message_id": 2,
        "message_text": "Fever?",
        "button_label": "Yes",
    }
