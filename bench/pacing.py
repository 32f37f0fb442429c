"""A burst of 150 people asking at once, against the emulator enforcing Telegram's flood limits.

The whole bot runs (poller, processor, SQLite, channel) over HTTP; only the rate limiter in
front of the Bot API changes. Times come from the emulator's clock of accepted calls.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.config import Secret, Settings
from bot.runtime import close_runtime, open_runtime
from bot.telegram.app import connect, serve
from bot.telegram.channel import TelegramChannel
from bot.telegram.pacing import Pacer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
emulator: Any = importlib.import_module("botapi_emulator")  # the tests' Bot API emulator
TOKEN: str = emulator.TOKEN

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
PEOPLE = 150
RUNS = 3
QUESTION = "why does my back hurt when I have the flu?"


async def burst(limiter: Callable[[], BaseRateLimiter[Any] | None]) -> dict[str, float]:
    api = emulator.BotApiEmulator()
    await api.start()
    api.limits = emulator.FloodLimits()
    people = list(range(10_001, 10_001 + PEOPLE))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            token=Secret(TOKEN),
            base_url=api.base_url,
            database_url=f"sqlite:///{tmp}/bench.sqlite3",
            knowledge_dir=KNOWLEDGE,
        )
        bot = ExtBot(
            TOKEN,
            base_url=api.base_url,
            request=HTTPXRequest(connection_pool_size=64, read_timeout=15.0, pool_timeout=10.0),
            rate_limiter=limiter(),
        )
        stop = asyncio.Event()
        await connect(bot, stop)
        runtime = await open_runtime(settings, TelegramChannel(bot))
        task = asyncio.create_task(serve(bot, runtime, stop))
        start = asyncio.get_running_loop().time()
        for person in people:
            api.send_text(person, QUESTION)
        await api.wait_until(lambda: all(len(api.bot_messages(p)) >= 2 for p in people), 600)
        await runtime.processor.join()
        stop.set()
        await task
        await close_runtime(runtime)
        await bot.shutdown()
    await api.stop()
    accepted = [a for a in api.limits.accepted if a[2] in set(people)]
    done = {chat: at - start for at, _, chat in accepted}
    order = sorted(people, key=lambda p: done[p])
    waits = sorted(done.values())
    span = accepted[-1][0] - accepted[0][0]
    answered = sum(len(api.bot_messages(p)) == 2 for p in people)
    twice = sum(len(api.bot_messages(p)) > 2 for p in people)
    return {
        "refused": len(api.limits.refused),
        "sends": len(accepted),
        "span": span,
        "ratio": span / (len(accepted) / 30),
        "median": statistics.median(waits),
        "p95": waits[int(0.95 * (len(waits) - 1))],
        "fair": spearman([people.index(p) for p in order]),
        "answered": answered,
        "twice": twice,
    }


def spearman(ranks: list[int]) -> float:
    n = len(ranks)
    squared = sum((position - rank) ** 2 for position, rank in enumerate(ranks))
    return 1 - 6 * squared / (n * (n * n - 1))


def run() -> str:
    for name in ("bot", "telegram"):  # hundreds of 429 warnings otherwise
        logging.getLogger(name).setLevel(logging.CRITICAL)
    limiters: list[tuple[str, Callable[[], BaseRateLimiter[Any] | None]]] = [
        ("none: react to 429 only (before)", lambda: None),
        ("AIORateLimiter(max_retries=0)", lambda: AIORateLimiter(max_retries=0)),
        ("Pacer (bot/telegram/pacing.py)", Pacer),
    ]
    rows = [
        "## Send pacing: a burst of 150 people",
        "",
        f"{PEOPLE} people send one question at once (each gets the disclaimer and the answer, "
        "after a typing action: 3 calls). The emulator refuses with 429 more than 30 calls to "
        f"chats in any second. Medians of {RUNS} runs; times from the emulator's clock of "
        "accepted calls; `× min` is the span of accepted sends over sends / 30 s; fairness is "
        "the rank correlation of the order people were answered in with the order they asked; "
        "`twice` counts people who got more than their two messages.",
        "",
        "| limiter | 429s | answered once | twice | sends | span s | × min | median wait s "
        "| p95 wait s | fairness |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, limiter in limiters:
        runs = [asyncio.run(burst(limiter)) for _ in range(RUNS)]
        r = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        rows.append(
            f"| {name} | {r['refused']:.0f} | {r['answered']:.0f}/{PEOPLE} | {r['twice']:.0f} "
            f"| {r['sends']:.0f} | {r['span']:.1f} | {r['ratio']:.2f} | {r['median']:.1f} "
            f"| {r['p95']:.1f} | {r['fair']:.2f} |"
        )
    return "\n".join(rows) + "\n"
