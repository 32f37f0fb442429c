"""Durable long polling: an update is acknowledged only after the processor persisted it.

python-telegram-bot's Updater moves the offset on as soon as updates arrive, so a crash
between fetching and handling loses them. Here the offset passed to the next getUpdates
(which is what acknowledges updates to Telegram) only moves past an update once
`submit` has written it to the store.

Updates are fetched as raw JSON and read one by one: an update that cannot be parsed,
converted or stored (a poison update) is quarantined as a dead letter and acknowledged, so
it never holds up the people behind it. Only a store that cannot take even the dead letter
stops the offset (and the batch is fetched again after a backoff).
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.channel import Intake
from bot.processor import clean_json
from bot.storage.base import StoreUnavailable
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
READ_MARGIN = 10.0
"""Seconds past the long-poll timeout before a getUpdates is given up as hung."""


async def take_update(data: Any, bot: Bot, processor: Intake, bot_username: str) -> bool:
    """Read, convert and persist one raw update. True if it was taken (or deliberately
    ignored); False if it was quarantined. Raises StoreUnavailable only when not even the
    dead letter could be stored: then the update must not be acknowledged."""
    stage = "parse"
    try:
        clean = clean_json(data)
        if not isinstance(clean, dict) or update_id_of(clean) is None:
            raise TypeError("an update must be a JSON object with an integer update_id")
        update = Update.de_json(clean, bot)
        stage = "convert"
        converted = to_incoming(update, bot_username)
        if converted is not None:
            stage = "store"
            await processor.submit(update.update_id, *converted)
        return True
    except StoreUnavailable:
        raise
    except Exception as exc:  # the message says what was wrong, never the update's text
        reason = f"{type(exc).__name__} at {stage}"
    raw = json.dumps(clean_json(data), ensure_ascii=False, default=repr)
    await processor.quarantine(update_id_of(data), _user_id_of(data), raw, reason)
    return False


def update_id_of(data: Any) -> int | None:
    value = data.get("update_id") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _user_id_of(data: Any) -> int | None:
    """Whose update it was, if that can be read (so /forget finds the dead letter too)."""
    if not isinstance(data, dict):
        return None
    for key, body in data.items():
        if key != "update_id" and isinstance(body, dict):
            sender = body.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


class Poller:
    """The receiving side of the Telegram channel in polling mode (a `bot.channel.Receiver`)."""

    def __init__(
        self,
        bot: Bot,
        processor: Intake,
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
        for data in await self._raw_updates():
            await take_update(data, self.bot, self.processor, self.bot_username)
            update_id = update_id_of(data)
            if update_id is not None:
                self.offset = max(self.offset or 0, update_id + 1)

    async def _raw_updates(self) -> list[Any]:
        """getUpdates without python-telegram-bot's parsing, which fails a whole batch for
        one bad update; the long poll keeps its own connection pool."""
        with warnings.catch_warnings():  # "use Bot.get_updates": on purpose, we can't
            warnings.simplefilter("ignore")
            result = await self.bot.do_api_request(
                "getUpdates",
                api_kwargs={
                    "offset": self.offset,
                    "timeout": self.timeout,
                    "allowed_updates": list(ALLOWED_UPDATES),
                },
                read_timeout=self.timeout + READ_MARGIN,
            )
        if not isinstance(result, list):
            raise NetworkError("getUpdates answered something that is not a list")
        return result

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
        logger.error("could not take updates in (%s); retrying in %gs", type(exc).__name__, delay)
        return delay

    async def _pause(self, seconds: float, stop: asyncio.Event) -> None:
        pause = asyncio.create_task(self.sleep(seconds))
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({pause, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (pause, stopper):
            task.cancel()
        await asyncio.gather(pause, stopper, return_exceptions=True)
