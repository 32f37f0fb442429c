"""Durable, exactly-once, ordered processing on a real SQLite file (no Telegram)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from chat_driver import KNOWLEDGE_DIR

from bot.bundle import KnowledgeHolder
from bot.dialogue import texts
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Reply
from bot.processor import DeliveryDeferred, Processor, to_inbox
from bot.safety.neighbours import NeighbourSignal
from bot.storage import open_store
from bot.storage.base import Commit, OutboxItem, Store


class Collecting:
    """A channel that records deliveries; can be told to fail transiently."""

    def __init__(self) -> None:
        self.items: list[OutboxItem] = []
        self.fail_next = 0

    async def deliver(self, item: OutboxItem) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise DeliveryDeferred("network down")
        self.items.append(item)

    def replies(self, chat_id: int) -> list[Reply]:
        return [
            Reply.from_record(r) for i in self.items if i.chat_id == chat_id for r in i.replies
        ]


@pytest.fixture(scope="module")
def holder() -> KnowledgeHolder:
    return KnowledgeHolder.load(KNOWLEDGE_DIR)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/bot.sqlite3"


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    s = open_store(db_url)
    await s.open()
    yield s
    await s.close()


def make(store: Store, holder: KnowledgeHolder, channel: Collecting) -> Processor:
    return Processor(store, Engine(), holder, channel, retry_delay=0.01)


def text(user: int, body: str) -> Incoming:
    return Incoming(user, user, text=body)


def press(user: int, data: str) -> Incoming:
    return Incoming(user, user, kind="button", button=data)


def last_question(channel: Collecting, user: int) -> str | None:
    for reply in reversed(channel.replies(user)):
        if reply.triage is not None:
            return reply.triage.question
    return None


def button_data(channel: Collecting, user: int, label: str) -> str:
    for reply in reversed(channel.replies(user)):
        for row in reply.buttons:
            for b in row:
                if b.label == label:
                    return b.data
    raise AssertionError(label)


async def test_same_update_twice_advances_once(store: Store, holder: KnowledgeHolder) -> None:
    channel = Collecting()
    proc = make(store, holder, channel)
    await proc.submit(1, text(5, "/check"), {})
    await proc.join()
    me = button_data(channel, 5, "Me")
    assert await proc.submit(2, press(5, me), {})
    assert not await proc.submit(2, press(5, me), {})
    await proc.join()
    assert last_question(channel, 5) == "cauda_equina"
    assert len(channel.items) == 2


async def test_two_quick_presses_end_consistently(store: Store, holder: KnowledgeHolder) -> None:
    channel = Collecting()
    proc = make(store, holder, channel)
    await proc.submit(1, text(5, "/check"), {})
    await proc.join()
    me = button_data(channel, 5, "Me")
    baby = button_data(channel, 5, "A baby under 3 months")
    await asyncio.gather(proc.submit(2, press(5, me), {}), proc.submit(3, press(5, baby), {}))
    await proc.join()
    # Exactly one of the two presses was applied to question 1; the other was recognised as old.
    stored = await store.load(5)
    answers = [list(a) for a in stored.state["check"]["answers"]]
    assert answers in ([["who", "me"]], [["who", "baby"]])
    assert not [r.outcome for r in channel.replies(5) if r.outcome]
    notices = [i.meta.get("notice") for i in channel.items]
    assert texts.STALE_CHECK_BUTTON in notices


async def test_updates_of_one_person_are_handled_in_order(
    store: Store, holder: KnowledgeHolder
) -> None:
    channel = Collecting()
    proc = make(store, holder, channel)
    await proc.submit(1, text(9, "/check"), {})
    for n in range(2, 6):
        await proc.submit(n, text(9, "me" if n == 2 else "no"), {})
    await proc.join()
    assert [i.update_id for i in channel.items] == [1, 2, 3, 4, 5]
    assert last_question(channel, 9) == "self_harm"


async def test_restart_replays_accepted_but_unhandled_updates(
    db_url: str, holder: KnowledgeHolder
) -> None:
    first = open_store(db_url)
    await first.open()
    assert await first.enqueue(to_inbox(1, text(3, "/check"), {}))
    await first.close()
    store = open_store(db_url)
    await store.open()
    channel = Collecting()
    proc = make(store, holder, channel)
    await proc.start()
    await proc.join()
    assert last_question(channel, 3) == "who"
    await store.close()


async def test_undelivered_replies_are_retried_not_lost(
    store: Store, holder: KnowledgeHolder
) -> None:
    channel = Collecting()
    channel.fail_next = 2
    proc = make(store, holder, channel)
    await proc.submit(1, text(4, "what are cytokines"), {})
    await proc.join()
    assert len(channel.items) == 1
    assert await store.undelivered() == []


async def test_mydata_then_forget_leaves_no_row_with_the_id(
    store: Store, holder: KnowledgeHolder, db_url: str
) -> None:
    channel = Collecting()
    proc = make(store, holder, channel)
    await proc.submit(1, text(424242, "/region UK"), {})
    await proc.submit(2, text(424242, "what are cytokines"), {})
    await proc.submit(3, text(424242, "/mydata"), {})
    await proc.join()
    shown = channel.replies(424242)[-1].text
    assert "UK" in shown and "cytokines" in shown
    await proc.submit(4, text(424242, "/forget"), {})
    await proc.join()
    await proc.submit(5, press(424242, button_data(channel, 424242, "Yes, delete everything")), {})
    await proc.join()
    assert texts.FORGET_DONE in channel.replies(424242)[-1].text
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):
                assert 424242 not in row and "424242" not in map(str, row), (table, row)


async def test_store_failure_gets_a_polite_reply(holder: KnowledgeHolder, tmp_path: Path) -> None:
    class Broken:
        async def enqueue(self, item: Any) -> bool:
            from bot.storage.base import StoreUnavailable

            raise StoreUnavailable("disk full")

    channel = Collecting()
    proc = Processor(Broken(), Engine(), holder, channel)  # type: ignore[arg-type]
    await proc.submit(1, text(8, "hello"), {})
    assert channel.replies(8)[0].text == texts.STORE_DOWN


class Flaky(Collecting):
    """Defers every delivery while `down`; raises a bug-like error for chosen texts."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.broken: set[str] = set()

    async def deliver(self, item: OutboxItem) -> None:
        if self.down:
            raise DeliveryDeferred("network down")
        if any(r.get("text") in self.broken for r in item.replies):
            raise TypeError("cannot render")
        self.items.append(item)


async def test_a_reply_waiting_for_telegram_holds_back_the_next_one(
    store: Store, holder: KnowledgeHolder
) -> None:
    channel = Flaky()
    proc = make(store, holder, channel)
    channel.down = True
    for update_id, body in enumerate(("/start", "/help", "/sources"), start=1):
        await proc.submit(update_id, text(6, body), {})
    for _ in range(500):  # wait for the three commits however loaded the machine is
        if len(await store.undelivered()) == 3:
            break
        await asyncio.sleep(0.02)
    assert channel.items == [] and len(await store.undelivered()) == 3
    channel.down = False
    await proc.join()
    assert [i.update_id for i in channel.items] == [1, 2, 3]  # once each, in order
    await proc.stop()


async def test_start_hands_waiting_replies_over_without_waiting_for_telegram(
    store: Store, holder: KnowledgeHolder
) -> None:
    channel = Flaky()
    channel.down = True
    assert await store.commit(Commit(1, 6, 6, 0, {}, [{"text": "left by the last run"}]))
    second = make(store, holder, channel)
    await asyncio.wait_for(second.start(), 5)  # returns though nothing can be delivered
    assert len(await store.undelivered()) == 1
    channel.down = False
    await second.join()
    assert [i.update_id for i in channel.items] == [1]
    await second.stop()


async def test_a_reply_that_can_never_be_delivered_does_not_block_the_rest(
    store: Store, holder: KnowledgeHolder, caplog: pytest.LogCaptureFixture
) -> None:
    channel = Flaky()
    proc = make(store, holder, channel)
    channel.broken = {texts.FORGET_ASK}
    await proc.submit(1, text(6, "/forget"), {})
    await proc.submit(2, text(6, "/help"), {})
    await proc.join()
    assert [i.update_id for i in channel.items] == [2]
    assert "update 1: reply dropped" in caplog.text
    assert await store.undelivered() == []


async def test_a_first_message_waits_for_the_detector_to_load(
    store: Store, holder: KnowledgeHolder
) -> None:
    """A crisis only the neighbour signal catches, sent while it is still loading at start-up,
    gets the crisis reply, not "Sorry, I don't know that one"."""
    channel = Collecting()
    proc = make(store, holder, channel)
    # A signal that has not loaded yet (it loads on its first wait: no race with a background
    # thread that earlier tests' shared embedder would make instant).
    proc.engine.detector.neighbours = signal = NeighbourSignal(background=False)
    assert not signal.settled
    await proc.submit(1, text(5, "parked up at the old quarry, engine running, hose ready"), {})
    await proc.join()
    said = " ".join(r.text for r in channel.replies(5))
    assert "13 11 14" in said, said
