"""Durable long polling: an update is acknowledged only after the processor persisted it.

python-telegram-bot's Updater moves the offset on as soon as updates arrive, so a crash
between fetching and handling loses them. Here the offset passed to the next getUpdates
(which is what acknowledges updates to Telegram) only moves past an update once
`submit` has written it to the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.dialogue.incoming import Incoming
from bot.telegram.convert import to_incoming
from bot.telegram.retry import retry_after_seconds

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = (
    "message",
    "edited_message",
    "callback_query",
    "channel_post",
    "edited_channel_post",
    "my_chat_member",
)
Sleep = Callable[[float], Coroutine[Any, Any, None]]


class Submitter(Protocol):
    async def submit(self, update_id: int, incoming: Incoming, meta: dict[str, Any]) -> bool: ...


async def submit_update(update: Update, processor: Submitter, bot_username: str) -> None:
    """Convert and persist one update; an update we cannot read is logged and let go."""
    try:
        converted = to_incoming(update, bot_username)
    except Exception as exc:
        logger.error("update %s could not be read: %r", update.update_id, exc)
        return
    if converted is not None:
        incoming, meta = converted
        await processor.submit(update.update_id, incoming, meta)


class Poller:
    def __init__(
        self,
        bot: Bot,
        processor: Submitter,
        bot_username: str,
        *,
        timeout: int = 25,
        sleep: Sleep = asyncio.sleep,
        max_backoff: float = 60.0,
    ) -> None:
        self.bot = bot
        self.processor = processor
        self.bot_username = bot_username
        self.timeout = timeout
        self.sleep = sleep
        self.max_backoff = max_backoff
        self.offset: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; an in-flight getUpdates is cancelled (nothing is lost:
        unacknowledged updates come back on the next start)."""
        stopper = asyncio.create_task(stop.wait())
        try:
            delay = 1.0
            while not stop.is_set():
                fetch = asyncio.create_task(self._fetch())
                await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    await asyncio.gather(fetch, return_exceptions=True)
                    return
                wait = await self._settle(fetch, delay)
                if wait > 0:
                    await self._pause(wait, stop)
                    delay = min(delay * 2, self.max_backoff)
                else:
                    delay = 1.0
        finally:
            stopper.cancel()
            await asyncio.gather(stopper, return_exceptions=True)

    async def _fetch(self) -> None:
        updates = await self.bot.get_updates(
            offset=self.offset, timeout=self.timeout, allowed_updates=list(ALLOWED_UPDATES)
        )
        for update in updates:
            await submit_update(update, self.processor, self.bot_username)
            self.offset = update.update_id + 1

    async def _settle(self, fetch: asyncio.Task[None], delay: float) -> float:
        """How long to pause after one round: 0 after success, else a backoff."""
        exc = fetch.exception()
        if exc is None:
            return 0.0
        if isinstance(exc, InvalidToken):
            raise exc
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc)
        if isinstance(exc, TimedOut):  # a slow long poll: just ask again
            return 0.0
        if isinstance(exc, Conflict):
            logger.error("another instance is polling, or a webhook is set: %s", exc.message)
            return delay
        if isinstance(exc, NetworkError):
            logger.warning("getUpdates failed (%s); retrying in %gs", exc.message, delay)
            return delay
        logger.error("could not take updates in: %r; retrying in %gs", exc, delay)
        return delay

    async def _pause(self, seconds: float, stop: asyncio.Event) -> None:
        pause = asyncio.create_task(self.sleep(seconds))
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({pause, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (pause, stopper):
            task.cancel()
        await asyncio.gather(pause, stopper, return_exceptions=True)
