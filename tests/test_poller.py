"""Durable long polling: nothing is acknowledged to Telegram before it was stored."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from botapi_emulator import BOT_USERNAME, BotApiEmulator
from telegram import Bot

from bot.dialogue.incoming import Incoming
from bot.storage.base import StoreUnavailable
from bot.telegram.poller import Poller


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.submitted: list[tuple[int, str | None]] = []
        self.quarantined: list[tuple[int | None, str]] = []
        self.failures = failures

    async def submit(self, update_id: int, incoming: Incoming, origin: Mapping[str, Any]) -> bool:
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("disk full")
        self.submitted.append((update_id, incoming.text))
        return True

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("disk full")
        self.quarantined.append((update_id, reason))


class NoWait:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


async def poll_until(poller: Poller, api: BotApiEmulator, done: Any) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        await api.wait_until(done, 10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_updates_are_submitted_in_order_then_acknowledged(
    bot: Bot, api: BotApiEmulator
) -> None:
    recorder = Recorder()
    poller = Poller(bot, recorder, BOT_USERNAME, timeout=1, sleep=NoWait())
    api.send_text(1, "one")
    api.channel_post(-100500, "ignored but acknowledged")
    api.send_text(2, "two")
    await poll_until(poller, api, lambda: len(recorder.submitted) == 2 and not api.pending_updates)
    assert [text for _, text in recorder.submitted] == ["one", "two"]


async def test_an_update_that_could_not_be_stored_is_fetched_again(
    bot: Bot, api: BotApiEmulator
) -> None:
    recorder = Recorder(failures=2)
    sleep = NoWait()
    poller = Poller(bot, recorder, BOT_USERNAME, timeout=1, sleep=sleep)
    api.send_text(1, "keep me")
    await poll_until(poller, api, lambda: len(recorder.submitted) == 1 and not api.pending_updates)
    assert recorder.submitted[0][1] == "keep me"
    assert len(sleep.waits) == 2  # backed off twice, then succeeded


async def test_flood_control_and_outages_are_waited_out(bot: Bot, api: BotApiEmulator) -> None:
    recorder = Recorder()
    sleep = NoWait()
    poller = Poller(bot, recorder, BOT_USERNAME, timeout=1, sleep=sleep)
    api.fail("getUpdates", status=429, retry_after=5)
    api.fail("getUpdates", status=502)
    api.send_text(1, "still here")
    await poll_until(poller, api, lambda: len(recorder.submitted) == 1)
    assert sleep.waits[0] == 5


async def test_stop_ends_a_waiting_long_poll_promptly(bot: Bot, api: BotApiEmulator) -> None:
    poller = Poller(bot, Recorder(), BOT_USERNAME, timeout=30, sleep=NoWait())
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    await api.wait_until(lambda: bool(api.calls_of("getUpdates")))
    stop.set()
    await asyncio.wait_for(task, 5)  # not 30 s
