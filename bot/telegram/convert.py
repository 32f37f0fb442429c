"""telegram.Update -> Incoming: the only place that knows Telegram's update shapes.

Every update gets a deliberate outcome. Private chats: every message kind becomes an
Incoming (the engine answers it). Groups: only commands and messages addressed to the bot
(a mention or a reply to it) pass, with private=False so checks are refused and no one's
state is shown to the group; anything else in a group is ignored, on purpose. Channel posts
are logged and dropped: a bot in a channel has no person to talk to, and a post there would
speak to every subscriber. Member-status updates (someone blocked the bot) are logged only.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Chat, Message, Update

from bot.dialogue.incoming import Incoming, Kind

logger = logging.getLogger(__name__)

# Messages "sent by" a chat rather than a person (anonymous group admins, linked channels):
# the user id is a shared placeholder, so no one's state can be kept for them.
_ANONYMOUS = "sender_chat"
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?=\s|$)")

Converted = tuple[Incoming, dict[str, Any]]


def to_incoming(update: Update, bot_username: str) -> Converted | None:
    """The engine's view of one update, plus the channel's origin (what its sender needs
    later: the callback query, the pressed message); None = ignore."""
    if update.callback_query is not None:
        return _from_callback(update)
    if update.channel_post is not None or update.edited_channel_post is not None:
        logger.info("update %s: channel post ignored (no person to answer)", update.update_id)
        return None
    if update.my_chat_member is not None:
        _log_member_change(update)
        return None
    if update.message is not None:
        return _from_message(update.message, bot_username, edited=False)
    if update.edited_message is not None:
        return _from_message(update.edited_message, bot_username, edited=True)
    logger.debug("update %s: kind not handled, ignored", update.update_id)
    return None


def _from_callback(update: Update) -> Converted | None:
    query = update.callback_query
    assert query is not None
    message = query.message
    chat = message.chat if message is not None else None
    meta: dict[str, Any] = {"callback_query_id": query.id}
    if message is not None:
        meta["message_id"] = message.message_id
    if isinstance(message, Message) and message.is_accessible:
        meta["message_text"] = message.text or message.caption or ""
        label = _pressed_label(message, query.data)
        if label is not None:
            meta["button_label"] = label
    incoming = Incoming(
        user_id=query.from_user.id,
        chat_id=chat.id if chat is not None else query.from_user.id,
        kind="button",
        button=query.data or "",
        private=chat is None or chat.type == Chat.PRIVATE,
    )
    return incoming, meta


def _pressed_label(message: Message, data: str | None) -> str | None:
    markup = message.reply_markup
    if markup is None or data is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def _from_message(message: Message, bot_username: str, *, edited: bool) -> Converted | None:
    user = message.from_user
    if user is None or getattr(message, _ANONYMOUS) is not None:
        logger.info("message %s without a person behind it ignored", message.message_id)
        return None
    private = message.chat.type == Chat.PRIVATE
    meta: dict[str, Any] = {}
    if not private:
        text = _addressed_text(message, bot_username)
        if text is None or edited:
            return None
        meta["reply_to_message_id"] = message.message_id
        return Incoming(user.id, message.chat.id, "text", text=text, private=False), meta
    kind = "edited" if edited else _kind(message)
    if kind == "other" and _is_service(message):
        return None
    text = message.text if message.text is not None else message.caption
    if kind == "text":
        text = _strip_own_command_suffix(text or "", bot_username)
    document = message.document if kind == "document" else None
    file_name = document.file_name if document else None
    file_id = document.file_id if document else None
    incoming = Incoming(
        user.id, message.chat.id, kind, text=text, file_name=file_name, file_id=file_id
    )
    return incoming, meta


def _kind(message: Message) -> Kind:
    """Most specific first: an animation also carries a document, a venue a location."""
    if message.text is not None:
        return "text"
    checks: tuple[tuple[Kind, object], ...] = (
        ("sticker", message.sticker),
        ("photo", message.photo or None),
        ("voice", message.voice or message.audio),
        ("video", message.video or message.video_note or message.animation),
        ("document", message.document),
        ("location", message.location or message.venue),
        ("contact", message.contact),
    )
    for kind, present in checks:
        if present is not None:
            return kind
    return "other"


def _is_service(message: Message) -> bool:
    """Joins, leaves, pins, title changes...: nobody asked anything."""
    return any(
        getattr(message, name, None)
        for name in (
            "new_chat_members",
            "left_chat_member",
            "new_chat_title",
            "new_chat_photo",
            "delete_chat_photo",
            "group_chat_created",
            "supergroup_chat_created",
            "pinned_message",
            "migrate_to_chat_id",
            "migrate_from_chat_id",
            "message_auto_delete_timer_changed",
        )
    )


def _addressed_text(message: Message, bot_username: str) -> str | None:
    """In a group: the text if it is a command for us or mentions/replies to us, else None."""
    text = message.text
    if text is None:
        return None
    command = _COMMAND_RE.match(text)
    if command is not None:
        target = command.group(2)
        if target is not None and target.lower() != bot_username.lower():
            return None  # a command for another bot
        return _strip_own_command_suffix(text, bot_username)
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.IGNORECASE)
    if mention.search(text):
        return " ".join(mention.sub(" ", text).split())
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if author is not None and (author.username or "").lower() == bot_username.lower():
        return text
    return None


def _strip_own_command_suffix(text: str, bot_username: str) -> str:
    """`/help@OurBot rest` -> `/help rest`, so the engine sees one spelling of each command."""
    command = _COMMAND_RE.match(text)
    if command is None or command.group(2) is None:
        return text
    if command.group(2).lower() != bot_username.lower():
        return text
    return f"/{command.group(1)}{text[command.end() :]}"


def _log_member_change(update: Update) -> None:
    change = update.my_chat_member
    assert change is not None
    status = change.new_chat_member.status
    logger.info(
        "update %s: bot is now %r in a %s chat", update.update_id, status, change.chat.type
    )
