"""Send pacing against Telegram's flood limits, enforced by the emulator (`FloodLimits`).

Times here are read from the emulator's own clock of accepted calls, so a slow machine makes
the run longer but does not change what is measured: how tightly the sends were packed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from botapi_emulator import TOKEN, BotApiEmulator, FloodLimits
from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from test_telegram_e2e import running_bot

from bot.dialogue import texts
from bot.telegram.pacing import Limit, Pacer, one_delivery

PEOPLE = 150
QUESTION = "why does my back hurt when I have the flu?"


def recorder(log: list[str]) -> Callable[[str], Callable[[], Awaitable[bool]]]:
    def call(name: str) -> Callable[[], Awaitable[bool]]:
        async def run() -> bool:
            log.append(name)
            return True

        return run

    return call


async def paced(pacer: Pacer, call: Callable[[], Awaitable[Any]], chat_id: int) -> Any:
    return await pacer.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)


async def test_the_delivery_that_started_first_goes_first() -> None:
    pacer = Pacer(bot=Limit(1, 0.5))
    log: list[str] = []
    call = recorder(log)
    first_sent = asyncio.Event()

    @one_delivery
    async def early() -> None:  # starts first, but is slow to produce its replies
        await first_sent.wait()
        await paced(pacer, call("early 1"), 1)
        await paced(pacer, call("early 2"), 1)

    @one_delivery
    async def late() -> None:
        await paced(pacer, call("late 1"), 2)
        first_sent.set()
        await paced(pacer, call("late 2"), 2)

    early_task = asyncio.create_task(early())
    await asyncio.sleep(0)
    await asyncio.gather(late(), early_task)
    assert log == ["late 1", "early 1", "early 2", "late 2"]


async def test_a_group_at_its_limit_holds_up_no_one_else() -> None:
    pacer = Pacer(bot=Limit(100, 1.0), group=Limit(2, 1.0))
    log: list[str] = []
    call = recorder(log)
    group_sends = [paced(pacer, call(f"group {n}"), -100) for n in range(4)]
    tasks = [asyncio.create_task(c) for c in group_sends]
    await asyncio.sleep(0.05)
    await paced(pacer, call("private"), 7)
    await asyncio.gather(*tasks)
    assert log.index("private") < log.index("group 2")
    assert sorted(log) == sorted(["private", *(f"group {n}" for n in range(4))])


async def test_calls_without_a_chat_are_never_held() -> None:
    pacer = Pacer(bot=Limit(1, 60.0))
    log: list[str] = []
    call = recorder(log)
    await paced(pacer, call("fills the minute"), 1)
    await pacer.process_request(call("getMe"), (), {}, "getMe", {}, None)
    assert log == ["fills the minute", "getMe"]


async def flood(bot: Bot, chats: list[int]) -> None:
    await asyncio.gather(*(bot.send_message(chat, "hello") for chat in chats))


async def test_the_emulator_refuses_a_flood_and_the_pacer_avoids_it(api: BotApiEmulator) -> None:
    api.limits = FloodLimits(per_second=5, per_group=3, window=0.5, group_window=0.5)
    chats = [*range(2001, 2011), -100, -100, -100, -100]
    for chat in chats:
        api.send_text(abs(chat), "hi", chat_id=chat)
    async with Bot(TOKEN, base_url=api.base_url) as unpaced:
        with pytest.raises(RetryAfter):
            await flood(unpaced, chats)
    assert api.limits.refused
    api.limits = FloodLimits(per_second=5, per_group=3, window=0.5, group_window=0.5)
    pacer = Pacer(bot=Limit(5, 0.5), group=Limit(3, 0.5))
    async with ExtBot(TOKEN, base_url=api.base_url, rate_limiter=pacer) as bot:
        await flood(bot, chats)
    assert api.limits.refused == []
    assert len(api.limits.accepted) == len(chats)


@pytest.mark.slow
async def test_a_burst_of_150_people_is_paced_fairly_without_a_single_429(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    api.limits = FloodLimits()  # Telegram's: 30 a second, 20 a minute per group
    people = list(range(10_001, 10_001 + PEOPLE))
    async with running_bot(api, tmp_path / "bot.sqlite3") as live:
        for person in people:
            api.send_text(person, QUESTION)
        await api.wait_until(lambda: all(len(api.bot_messages(p)) >= 2 for p in people), 180)
        await live.idle()
    assert api.limits.refused == []
    for person in people:  # everyone answered once, the disclaimer first
        first, answer = (m["text"] for m in api.bot_messages(person))
        assert first == texts.DISCLAIMER and "Source:" in answer
    accepted = [a for a in api.limits.accepted if a[2] in set(people)]
    sends = len(accepted)
    # How close the sends come to 30 a second is a wall-clock figure: bench/pacing.py
    # measures it (a loaded machine slowed this test's bot, not its pacer, past any bound).
    # Fair: people finish in about the order they asked (rank correlation), and the first
    # tenth to ask are all answered within the first third of the sends.
    done_at = {chat: index for index, (_, _, chat) in enumerate(accepted)}
    order = sorted(people, key=lambda p: done_at[p])
    assert spearman([people.index(p) for p in order]) >= 0.9
    assert max(done_at[p] for p in people[: PEOPLE // 10]) <= sends // 3


def spearman(ranks: list[int]) -> float:
    """Rank correlation of a permutation of 0..n-1 with the identity."""
    n = len(ranks)
    squared = sum((position - rank) ** 2 for position, rank in enumerate(ranks))
    return 1 - 6 * squared / (n * (n * n - 1))
