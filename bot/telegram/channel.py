"""Delivers committed replies through the Bot API, riding out Telegram's failures.

Order for a button press: answer the callback query (Telegram shows a spinner until then),
settle the pressed message's keyboard, then send the replies. Flood limits (429) wait the
time Telegram asks; timeouts and 5xx back off exponentially; a person who blocked the bot is
logged and skipped; a request Telegram refuses (400) is logged and skipped, never retried.
What still fails after the retries raises DeliveryDeferred: the outbox keeps it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, LinkPreviewOptions, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.dialogue.replies import Reply
from bot.processor import DeliveryDeferred
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


class Blocked(Exception):
    """The person blocked the bot (or deleted their account): nothing can reach them."""


class TelegramChannel:
    """The Channel the processor delivers to; one per Bot."""

    def __init__(
        self,
        bot: Bot,
        *,
        sleep: Sleep = asyncio.sleep,
        attempts: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_retry_after: float = 300.0,
    ) -> None:
        self.bot = bot
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
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
        """A document's bytes, for admin uploads; ValueError (for the admin) over the cap."""
        file = await self._call(lambda: self.bot.get_file(file_id))
        size = file.file_size or 0
        if size > MAX_DOWNLOAD:
            raise ValueError(f"the file is {size:,} bytes; the limit is {MAX_DOWNLOAD:,}")
        data = await self._call(file.download_as_bytearray)
        if len(data) > MAX_DOWNLOAD:
            raise ValueError(f"the file is over {MAX_DOWNLOAD:,} bytes")
        return bytes(data)

    def _steps(self, item: OutboxItem) -> list[Callable[[], Awaitable[None]]]:
        """Answer the press, settle its keyboard, show typing, send each message."""
        meta, chat = item.meta, _Chat(item.chat_id)
        steps: list[Callable[[], Awaitable[None]]] = []
        query_id, pressed = meta.get("callback_query_id"), meta.get("message_id")
        if query_id:
            steps.append(lambda: self._answer_query(str(query_id), meta.get("notice")))
            if pressed is not None and not meta.get("stale"):
                steps.append(lambda: self._settle_keyboard(chat.id, int(pressed), meta))
        chunks = [c for r in self._replies_for(item) for c in render(r)]
        if chunks:
            steps.append(lambda: self._typing(chat.id))
        reply_to = meta.get("reply_to_message_id")
        for index, chunk in enumerate(chunks):
            first = reply_to if index == 0 else None
            steps.append(partial(self._send, chat, chunk, first))
        return steps

    def _replies_for(self, item: OutboxItem) -> list[Reply]:
        replies = [Reply.from_record(r) for r in item.replies]
        if item.chat_id > 0:
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

    async def _settle_keyboard(self, chat_id: int, message_id: int, meta: dict[str, Any]) -> None:
        """Show which button was pressed and take the keyboard away, so it can't be pressed
        twice. With a notice (feedback thanks, an out-of-date button) only the keyboard goes."""
        text, label = meta.get("message_text"), meta.get("button_label")
        if text and label and not meta.get("notice"):
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
        """Retry 429s and transient network errors; re-raise what a retry cannot fix."""
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                return await call()
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if wait > self.max_retry_after or attempt == self.attempts:
                    raise DeliveryDeferred(f"flood control: retry in {wait:g}s") from exc
                logger.warning("Telegram asked to wait %gs (attempt %d)", wait, attempt)
                await self.sleep(wait)
            except Forbidden as exc:
                raise Blocked from exc
            except (BadRequest, ChatMigrated):
                raise
            except (TimedOut, NetworkError) as exc:
                if attempt == self.attempts:
                    raise DeliveryDeferred(f"network: {exc.message}") from exc
                logger.warning("Telegram call failed (%s); retrying in %gs", exc.message, delay)
                await self.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")  # pragma: no cover
