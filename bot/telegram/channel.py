"""Delivers committed replies through the Bot API, riding out Telegram's failures.

Order for a button press: answer the callback query (Telegram shows a spinner until then),
settle the pressed message's keyboard, then send the replies. Each call is tried once: what a
retry may fix (timeouts, 5xx, 409, 401, a body that is not JSON, flood control) raises
DeliveryDeferred and the processor's sender tries the delivery again later, repeating none of
the steps already done. A call that went out but got no answer (a read timeout) may have
been delivered; the Bot API has no idempotent send, so it is tried again and flagged
`maybe_sent` (at least once: a reply may show twice, none is lost). The send timeouts
(`app.make_bot`) are long, so only a connection that is really gone gets there. A 429
pauses every call of this channel for as long as Telegram asks, whatever the length (the Bot
API does not say whether a limit is per chat, so all chats wait).
A person who blocked the bot is logged and skipped; a request Telegram refuses (400, e.g.
chat not found) is logged and skipped, never retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import httpx
from telegram import Bot, LinkPreviewOptions, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from bot.admin.upload import read_capped
from bot.channel import DeliveryDeferred, DeliveryHints
from bot.dialogue.replies import Reply
from bot.storage.base import OutboxItem
from bot.telegram.pacing import one_delivery
from bot.telegram.render import MAX_MESSAGE, Chunk, escape, render
from bot.telegram.retry import retry_after_seconds

logger = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Coroutine[Any, Any, None]]

_IGNORABLE_EDITS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
    "there is no reply markup",
)


@dataclass
class _Chat:
    """Where one delivery goes; changes if Telegram says the group migrated."""

    id: int


MAX_DOWNLOAD = 1_000_000
"""Largest document fetched (an admin's knowledge YAML is tens of kilobytes)."""


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures before any byte of the request left: Telegram cannot have acted on it."""


def reached_telegram(exc: TelegramError) -> bool:
    """Whether a failed call may still have taken effect: the request went out but no
    answer came (read or write timeout, a dropped connection). An answer from Telegram,
    even an error, and a connection never made mean it did not."""
    cause = exc.__cause__
    return isinstance(cause, httpx.TransportError) and not isinstance(cause, _NOT_SENT)


class Blocked(Exception):
    """The person blocked the bot (or deleted their account): nothing can reach them."""


class TelegramChannel:
    """The Channel the processor delivers to; one per Bot."""

    def __init__(self, bot: Bot, *, sleep: Sleep = asyncio.sleep) -> None:
        self.bot = bot
        self.sleep = sleep
        self._paused_until = 0.0
        """time.monotonic() before which no call is made (flood control)."""
        self._progress: dict[tuple[int, tuple[str, ...]], int] = {}
        """Steps already done per delivery, so a retried delivery repeats none of them."""

    @one_delivery
    async def deliver(self, item: OutboxItem) -> None:
        key = (item.update_id, tuple(str(r.get("text")) for r in item.replies))
        steps = self._steps(item)
        try:
            for index in range(self._progress.get(key, 0), len(steps)):
                await steps[index]()
                self._progress[key] = index + 1
        except Blocked:
            logger.info("user %s blocked the bot; update %s skipped", item.user_id, item.update_id)
        self._progress.pop(key, None)

    async def fetch_file(self, file_id: str) -> bytes:
        """A document's bytes, for admin uploads; ValueError (for the admin) over the cap.
        The download is streamed and stops at the cap whatever getFile said the size was."""
        file = await self._call(lambda: self.bot.get_file(file_id))
        size = file.file_size or 0
        if size > MAX_DOWNLOAD:
            raise ValueError(f"the file is {size:,} bytes; the limit is {MAX_DOWNLOAD:,}")
        if not file.file_path:
            raise ValueError("Telegram gave no download path for it")
        return await read_capped(file.file_path, MAX_DOWNLOAD)

    def _steps(self, item: OutboxItem) -> list[Callable[[], Awaitable[None]]]:
        """Answer the press, settle its keyboard, show typing, send each message."""
        meta, hints, chat = item.meta, DeliveryHints.of(item), _Chat(item.chat_id)
        steps: list[Callable[[], Awaitable[None]]] = []
        query_id, pressed = meta.get("callback_query_id"), meta.get("message_id")
        if query_id:
            steps.append(lambda: self._answer_query(str(query_id), hints.notice))
            if pressed is not None and not hints.stale:
                steps.append(lambda: self._settle_keyboard(chat.id, int(pressed), meta, hints))
        chunks = [c for r in self._replies_for(item, hints) for c in render(r)]
        if chunks:
            steps.append(lambda: self._typing(chat.id))
        reply_to = meta.get("reply_to_message_id")
        for index, chunk in enumerate(chunks):
            first = reply_to if index == 0 else None
            steps.append(partial(self._send, chat, chunk, first))
        return steps

    def _replies_for(self, item: OutboxItem, hints: DeliveryHints) -> list[Reply]:
        replies = [Reply.from_record(r) for r in item.replies]
        if hints.private:
            return replies
        kept = [r for r in replies if r.triage is None or r.emergency]  # never a check in a group
        if len(kept) < len(replies):
            logger.warning("update %s: check replies held back from a group", item.update_id)
        return kept

    # -- the pressed button -----------------------------------------------------------------
    async def _answer_query(self, query_id: str, notice: str | None) -> None:
        text = notice[:200] if notice else None
        try:
            await self._call(lambda: self.bot.answer_callback_query(query_id, text=text))
        except BadRequest as exc:  # too old (over ~15 s) or answered already: nothing to do
            logger.info("callback answer skipped: %s", exc.message)

    async def _settle_keyboard(
        self, chat_id: int, message_id: int, meta: dict[str, Any], hints: DeliveryHints
    ) -> None:
        """Show which button was pressed and take the keyboard away, so it can't be pressed
        twice. With a notice (feedback thanks, an out-of-date button) only the keyboard goes."""
        text, label = meta.get("message_text"), meta.get("button_label")
        if text and label and not hints.notice:
            edited = f"{escape(text)}\n\n<i>→ {escape(label)}</i>"
            if len(edited) <= MAX_MESSAGE and await self._edit(
                lambda: self.bot.edit_message_text(
                    edited, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=None
                )
            ):
                return
        await self._edit(
            lambda: self.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        )

    async def _edit(self, call: Callable[[], Awaitable[object]]) -> bool:
        try:
            await self._call(call)
        except ChatMigrated:
            return False
        except BadRequest as exc:
            if not any(s in exc.message.lower() for s in _IGNORABLE_EDITS):
                logger.warning("could not update a pressed message: %s", exc.message)
            return False
        return True

    # -- sending ----------------------------------------------------------------------------
    async def _typing(self, chat_id: int) -> None:
        """Best effort: one try, never worth a retry or a delay."""
        await self._wait_for_flood_control()
        try:
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except Forbidden as exc:
            raise Blocked from exc
        except TelegramError as exc:
            logger.debug("typing action skipped: %s", exc.message)

    async def _send(self, chat: _Chat, chunk: Chunk, reply_to: int | None) -> None:
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            await self._call(
                lambda: self.bot.send_message(
                    chat.id,
                    chunk.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=chunk.markup,
                    reply_parameters=reply,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
        except ChatMigrated as exc:  # a group became a supergroup: follow it
            logger.info("chat %s moved to %s", chat.id, exc.new_chat_id)
            chat.id = exc.new_chat_id
            await self._send(chat, chunk, reply_to)
        except BadRequest as exc:
            logger.error("Telegram refused a message to chat %s: %s", chat.id, exc.message)

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        """One attempt (after any flood-control pause): what a retry may fix becomes
        DeliveryDeferred, what it cannot (blocked, 400) is raised for the caller."""
        await self._wait_for_flood_control()
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            self._paused_until = max(self._paused_until, time.monotonic() + wait)
            logger.warning("Telegram asked to wait %gs; all sending paused until then", wait)
            raise DeliveryDeferred(f"flood control: retry in {wait:g}s", wait) from exc
        except Forbidden as exc:
            raise Blocked from exc
        except (BadRequest, ChatMigrated):
            raise
        except TelegramError as exc:  # timeouts, 5xx, 409, 401, a body that is not JSON
            reason = f"{type(exc).__name__}: {exc.message}"
            raise DeliveryDeferred(reason, maybe_sent=reached_telegram(exc)) from exc

    async def _wait_for_flood_control(self) -> None:
        left = self._paused_until - time.monotonic()
        if left > 0:
            await self.sleep(left)
