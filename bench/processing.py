"""Whole-update cost: engine alone, and the processor with store and a slow channel.

The channel sleeps to stand in for Telegram's round trip, so the table shows how far per-person
ordering with cross-person parallelism goes toward 300 updates/s at 100 ms latency.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.bundle import KnowledgeHolder
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.dialogue.state import ConversationState
from bot.processor import Processor
from bot.storage import open_store
from bot.storage.base import OutboxItem

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
MESSAGES = (
    "why does my back hurt when I have the flu",
    "/check",
    "no",
    "what are cytokines",
    "does a hot water bottle help",
    "thanks",
)


class SlowChannel:
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.delivered = 0

    async def deliver(self, item: OutboxItem) -> None:
        await asyncio.sleep(self.latency * max(1, len(item.replies)))
        self.delivered += 1


def engine_turn_us(holder: KnowledgeHolder, rounds: int = 3000) -> float:
    engine = Engine()
    state = ConversationState()
    samples = []
    for n in range(rounds):
        msg = Incoming(1, 1, text=MESSAGES[n % len(MESSAGES)])
        started = time.perf_counter()
        turn = engine.handle(msg, state, holder.current)
        samples.append(time.perf_counter() - started)
        state = turn.state
    return statistics.median(samples) * 1e6


async def throughput(holder: KnowledgeHolder, users: int, per_user: int, latency: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.sqlite3")
        await store.open()
        channel = SlowChannel(latency)
        proc = Processor(store, Engine(), holder, channel)
        started = time.perf_counter()
        update_id = 0
        for round_ in range(per_user):
            for user in range(1, users + 1):
                update_id += 1
                text = MESSAGES[(round_ + user) % len(MESSAGES)]
                await proc.submit(update_id, Incoming(user, user, text=text), {})
        await proc.join()
        elapsed = time.perf_counter() - started
        await proc.stop()
        await store.close()
    return update_id / elapsed


def run() -> str:
    holder = KnowledgeHolder.load(KNOWLEDGE)
    rows = [
        "## Handling one update",
        "",
        "| path | result |",
        "|---|---:|",
        f"| engine only (match + dialogue), median | {engine_turn_us(holder):.0f} µs |",
    ]
    for users, per_user, latency in ((1, 200, 0.0), (200, 5, 0.0), (300, 3, 0.1)):
        rate = asyncio.run(throughput(holder, users, per_user, latency))
        rows.append(
            f"| processor + SQLite, {users} people × {per_user} updates, "
            f"{latency * 1000:.0f} ms send latency | {rate:.0f} updates/s |"
        )
    return "\n".join(rows) + "\n"
