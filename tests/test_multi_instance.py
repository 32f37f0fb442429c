"""Several real `python -m bot run` processes on one PostgreSQL, against the Bot API emulator.

Webhook mode: two instances, 100 people writing at once, every update posted to a random
instance (a person's next one only once the previous was accepted), some answers to sends held
back 20 s: every reply exactly once, in order. One instance SIGKILLed half-way: nothing lost,
nothing doubled but the documented gap (a reply Telegram took before its row was crossed off),
counted apart and at most the replies the killed instance had claimed. Two senders on one
reply: a send that outlasts its lease is never taken over; a sender whose lease was taken
anyway steps back. Polling mode: two instances, one polls; SIGKILL it and the other takes
over within 10 s.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from botapi_emulator import TOKEN, BotApiEmulator, Json
from pg_harness import PgServer, fresh_database
from test_telegram_e2e import KNOWLEDGE, ROOT, free_port

from bot.bundle import KnowledgeHolder
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.processor import Processor
from bot.storage import open_store
from bot.storage.base import OutboxItem

pytestmark = pytest.mark.slow

SECRET = "multi-instance-secret"


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    api: BotApiEmulator
    database_url: str
    folder: Path
    instances: list[Instance] = field(default_factory=list)

    def start(self, **settings: str) -> Instance:
        number = len(self.instances)
        log = self.folder / f"bot{number}.log"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))},
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": self.api.base_url,
            "DATABASE_URL": self.database_url,
            "KNOWLEDGE_DIR": str(KNOWLEDGE),
            "LOG_LEVEL": "INFO",
            **settings,
        }
        with log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--env-file", "/dev/null"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        port = int(settings["BOT_WEBHOOK_PORT"]) if "BOT_WEBHOOK_PORT" in settings else None
        instance = Instance(process, log, port)
        self.instances.append(instance)
        return instance

    def logs_full(self) -> str:
        return "\n".join(x.text() for x in self.instances)

    def logs(self) -> str:
        return "\n".join(f"--- bot{i}\n{x.text()[-3000:]}" for i, x in enumerate(self.instances))

    async def wait(self, predicate: object, within: float = 60.0) -> None:
        """Wait for the emulator to see `predicate` true; fail early, with the logs, if every
        instance died."""
        waiting = asyncio.create_task(self.api.wait_until(predicate, within))  # type: ignore[arg-type]
        while not waiting.done():
            if not any(i.alive() for i in self.instances):
                waiting.cancel()
                raise AssertionError(f"every instance exited:\n{self.logs()}")
            await asyncio.wait({waiting}, timeout=0.2)
        if waiting.exception() is not None:
            raise AssertionError(f"timed out:\n{self.logs()}") from waiting.exception()


@asynccontextmanager
async def cluster(
    api: BotApiEmulator, pg_server: PgServer, folder: Path
) -> AsyncIterator[Cluster]:
    running = Cluster(api, await fresh_database(pg_server, uuid.uuid4().hex), folder)
    try:
        yield running
    finally:
        for instance in running.instances:
            if instance.alive():
                instance.process.send_signal(signal.SIGTERM)
        for instance in running.instances:
            try:
                await asyncio.to_thread(instance.process.wait, 30)
            except subprocess.TimeoutExpired:
                instance.process.kill()
                await asyncio.to_thread(instance.process.wait, 30)


async def lease_holder_pid(database_url: str) -> int | None:
    db = await asyncpg.connect(database_url)
    try:
        holder = await db.fetchval(
            "SELECT holder FROM leases WHERE name = 'telegram-polling'"
            " AND expires_at > clock_timestamp()"
        )
    finally:
        await db.close()
    return int(holder.split(":")[1]) if holder else None


def bot_texts(api: BotApiEmulator, chat_id: int) -> list[str]:
    return [m["text"] for m in api.bot_messages(chat_id)]


# -- one reply, two senders ---------------------------------------------------------------------


class SlowTelegram:
    """A channel whose sends take `seconds`: they take effect at once and are answered late,
    or (`held`) take effect only at the end, like a send waiting for its turn."""

    def __init__(
        self, sent: list[tuple[str, int]], name: str, seconds: float, *, held: bool = False
    ) -> None:
        self.sent, self.name, self.seconds, self.held = sent, name, seconds, held
        self.sending = asyncio.Event()

    async def deliver(self, item: OutboxItem) -> None:
        self.sending.set()
        if self.held:
            await asyncio.sleep(self.seconds)
        self.sent.append((self.name, item.update_id))
        if not self.held:
            await asyncio.sleep(self.seconds)


async def test_a_send_outlasting_its_lease_is_not_taken_over_by_another_instance(
    pg_server: PgServer,
) -> None:
    """A delivery may take longer than one lease (a slow answer, pacing, flood control); the
    sender renews the lease meanwhile, so the other instance, which looks every few
    moments, never sends the same reply."""
    url = await fresh_database(pg_server, uuid.uuid4().hex)
    holder, sent = KnowledgeHolder.load(KNOWLEDGE), list[tuple[str, int]]()
    slow = SlowTelegram(sent, "first", 3.0)
    async with open_store(url) as first_store, open_store(url) as second_store:
        first = Processor(first_store, Engine(), holder, slow, lease_seconds=0.6, owner="a")
        second = Processor(
            second_store,
            Engine(),
            holder,
            SlowTelegram(sent, "second", 0.0),
            lease_seconds=0.6,
            owner="b",
        )
        await first.submit(1, Incoming(7, 7, text="/help"), {})
        await asyncio.wait_for(slow.sending.wait(), 30)
        for _ in range(12):  # the other instance looks for unsent replies, well past the lease
            await asyncio.sleep(0.2)
            await second.start()
        await first.join()
        await second.join()
        await first.stop()
        await second.stop()
        assert await first_store.outbox_depth() == 0
    assert sent == [("first", 1)]


async def test_a_sender_that_lost_its_lease_leaves_the_reply_to_the_new_owner(
    pg_server: PgServer,
) -> None:
    """If a lease runs out all the same (an instance cut off from the database for a whole
    lease, simulated here by the new owner's row), the old owner abandons a send that has not
    gone out yet, and the new owner sends it: once."""
    url = await fresh_database(pg_server, uuid.uuid4().hex)
    holder, sent = KnowledgeHolder.load(KNOWLEDGE), list[tuple[str, int]]()
    waiting = SlowTelegram(sent, "first", 3.0, held=True)
    async with open_store(url) as first_store, open_store(url) as second_store:
        first = Processor(first_store, Engine(), holder, waiting, lease_seconds=0.6, owner="a")
        second = Processor(
            second_store,
            Engine(),
            holder,
            SlowTelegram(sent, "second", 0.0),
            lease_seconds=60.0,
            owner="b",
        )
        await first.submit(1, Incoming(7, 7, text="/help"), {})
        await asyncio.wait_for(waiting.sending.wait(), 30)
        db = await asyncpg.connect(url)
        try:
            await db.execute(
                "UPDATE outbox SET lease_owner = 'b',"
                " lease_until = clock_timestamp() + interval '60 seconds'"
            )
        finally:
            await db.close()
        await first.join()
        await second.start()
        await second.join()
        await first.stop()
        await second.stop()
        assert await first_store.outbox_depth() == 0
    assert sent == [("second", 1)]


# -- polling ------------------------------------------------------------------------------------


async def test_two_pollers_one_polls_and_the_other_takes_over_a_killed_one(
    api: BotApiEmulator, pg_server: PgServer, tmp_path: Path
) -> None:
    person = 4242
    async with cluster(api, pg_server, tmp_path) as bots:
        first, second = bots.start(), bots.start()
        api.send_text(person, "/help")
        await bots.wait(lambda: len(api.bot_messages(person)) >= 1)
        pid = await lease_holder_pid(bots.database_url)
        leader, standby = (first, second) if pid == first.process.pid else (second, first)
        assert pid == leader.process.pid
        await asyncio.sleep(3)  # a while with both running: the standby must not poll
        assert "long polling for updates" in leader.text()
        assert "long polling for updates" not in standby.text()
        assert "another instance is polling" not in leader.text() + standby.text()

        leader.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(leader.process.wait, 30)
        killed_at = time.time()
        api.send_text(person, "/sources")
        await bots.wait(lambda: len(api.bot_messages(person)) >= 2)
        answered = time.time() - killed_at
        assert await lease_holder_pid(bots.database_url) == standby.process.pid
        assert "long polling for updates" in standby.text()
        took_over = lease_taken_at(standby) - killed_at
    print(
        f"\nstandby took the lease {took_over:.1f} s and answered {answered:.1f} s after the kill"
    )
    assert took_over < 10.0  # the requirement; by design at most ttl + renew = 8 s
    assert len(api.bot_messages(person)) == 2  # nothing answered twice


def lease_taken_at(instance: Instance) -> float:
    """When the instance logged taking the polling lease (its log's clock: this machine's)."""
    for line in instance.text().splitlines():
        if "took the polling lease" in line:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            return stamp.timestamp()
    raise AssertionError(f"never took the lease:\n{instance.text()[-3000:]}")


# -- webhook ------------------------------------------------------------------------------------

PEOPLE = 100
MESSAGES = ("/help", "/sources", "/region UK", "/region NZ", "/topics")


def take_update(api: BotApiEmulator, person: int, text: str) -> Json:
    """The person writes; we, not the emulator, post the update (to a random instance)."""
    api.send_text(person, text)
    update = api._updates.pop()  # before any await: the emulator's own pusher never sees it
    return update


async def post_until_accepted(client: httpx.AsyncClient, bots: Cluster, update: Json) -> int:
    """POST to a random live instance until one answers 200, as Telegram (and a proxy with
    retries) would; returns how many attempts it took."""
    attempts = 0
    while True:
        attempts += 1
        instance = random.choice(bots.instances)
        try:
            response = await client.post(
                f"http://127.0.0.1:{instance.port}/hook",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            if response.status_code == 200:
                return attempts
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.05)


@contextmanager
def webhook_settings(hook_port: int) -> Iterator[dict[str, str]]:
    yield {
        "BOT_WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook",
        "BOT_WEBHOOK_SECRET": SECRET,
        "BOT_WEBHOOK_PATH": "/hook",
    }


async def run_people(
    api: BotApiEmulator,
    bots: Cluster,
    *,
    kill_after: int | None = None,
    on_kill: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> int:
    """Every person writes MESSAGES in turn; with `kill_after`, the first instance is
    SIGKILLed once that many updates were accepted, and `on_kill` runs then (while the others
    go on writing). Returns the number of accepted updates."""
    accepted = 0
    killed = asyncio.Event()
    after_kill: list[asyncio.Task[None]] = []

    async def person(client: httpx.AsyncClient, user: int) -> None:
        nonlocal accepted
        for text in MESSAGES:
            await post_until_accepted(client, bots, take_update(api, user, text))
            accepted += 1
            if kill_after is not None and accepted >= kill_after and not killed.is_set():
                killed.set()
                bots.instances[0].process.send_signal(signal.SIGKILL)
                if on_kill is not None:
                    after_kill.append(asyncio.create_task(on_kill()))

    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        await asyncio.gather(*(person(client, 10_000 + i) for i in range(PEOPLE)))
    await asyncio.gather(*after_kill)
    return accepted


async def start_webhook_pair(bots: Cluster) -> None:
    hook_port = free_port()
    with webhook_settings(hook_port) as settings:
        for _ in range(2):
            bots.start(**settings, BOT_WEBHOOK_PORT=str(free_port()))
    async with httpx.AsyncClient() as client:
        for instance in bots.instances:
            for _ in range(600):
                try:
                    response = await client.get(f"http://127.0.0.1:{instance.port}/healthz")
                    if response.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if not instance.alive():
                    raise AssertionError(bots.logs())
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"instance never became healthy:\n{bots.logs()}")


@dataclass
class Tally:
    """What the people saw, chat by chat, against the replies they should have seen."""

    problems: list[str] = field(default_factory=list)
    """Chats whose replies are missing, out of order, or shown twice when that is not allowed."""
    doubled: int = 0
    """Replies shown twice (outside the allowed chats)."""
    gap: int = 0
    """Replies shown twice in chats whose reply was in flight in the killed instance."""


def expected_replies(api: BotApiEmulator) -> list[str]:
    """What a person who sent MESSAGES in order sees: the most common reply sequence, which
    must hold five different replies (so that any reordering or repeat shows)."""
    chats = Counter(tuple(bot_texts(api, 10_000 + i)) for i in range(PEOPLE))
    reference = list(chats.most_common(1)[0][0])
    assert len(reference) == len(set(reference)) == len(MESSAGES), reference
    return reference


def tally(api: BotApiEmulator, allowed_twice: set[int] = frozenset()) -> Tally:  # type: ignore[assignment]
    """Every chat must show the reference replies exactly once each, in order. In a chat of
    `allowed_twice` (a reply in flight when its instance was killed) one reply may show twice,
    right after itself: the documented gap, counted apart."""
    reference, seen = expected_replies(api), Tally()
    for i in range(PEOPLE):
        chat = 10_000 + i
        got = bot_texts(api, chat)
        repeats = [t for n, t in enumerate(got) if n and t == got[n - 1]]
        merged = [t for n, t in enumerate(got) if n == 0 or t != got[n - 1]]
        if chat in allowed_twice and len(repeats) <= 1 and merged == reference:
            seen.gap += len(repeats)
            continue
        seen.doubled += len(got) - len(set(got))
        if got != reference:
            seen.problems.append(f"chat {chat}: {[t[:20] for t in got]}")
    return seen


def log_count(bots: Cluster, line: str) -> int:
    return bots.logs_full().count(line)


async def settled(api: BotApiEmulator, bots: Cluster) -> None:
    def everyone_answered() -> bool:
        return all(len(set(bot_texts(api, 10_000 + i))) >= len(MESSAGES) for i in range(PEOPLE))

    await bots.wait(everyone_answered, 240)
    await asyncio.sleep(3.0)  # anything sent twice would arrive now


SLOW_ANSWERS = 5
SLOW_SECONDS = 20.0
"""Telegram slow under load: the first sends take effect at once but are answered only after
this long (longer than the 15 s read timeout the bot once had, which then sent them again)."""


async def test_two_webhook_instances_send_every_reply_once_in_order(
    api: BotApiEmulator, pg_server: PgServer, tmp_path: Path
) -> None:
    api.answer_late("sendMessage", SLOW_SECONDS, times=SLOW_ANSWERS)
    async with cluster(api, pg_server, tmp_path) as bots:
        await start_webhook_pair(bots)
        assert await run_people(api, bots) == PEOPLE * len(MESSAGES)
        await settled(api, bots)
        seen = tally(api)
        resent = log_count(bots, "may have been delivered already")
    print(
        f"\n{PEOPLE * len(MESSAGES)} updates: {seen.doubled} replies sent twice, "
        f"{len(seen.problems)} chats wrong, {resent} sends repeated after no answer"
    )
    assert seen.problems == []
    assert seen.doubled == 0


async def leased_by(database_url: str, pid: int) -> dict[int, int]:
    """Replies an instance had claimed and not crossed off: update id -> person."""
    db = await asyncpg.connect(database_url)
    try:
        rows = await db.fetch(
            "SELECT update_id, user_id FROM outbox WHERE lease_owner = $1",
            f"{socket.gethostname()}:{pid}",
        )
    finally:
        await db.close()
    return {r[0]: r[1] for r in rows}


async def test_a_webhook_instance_killed_mid_way_loses_nothing_and_doubles_nothing(
    api: BotApiEmulator, pg_server: PgServer, tmp_path: Path
) -> None:
    async with cluster(api, pg_server, tmp_path) as bots:
        await start_webhook_pair(bots)
        killed = bots.instances[0]
        in_flight: dict[int, int] = {}

        async def on_kill() -> None:
            await asyncio.to_thread(killed.process.wait, 30)
            in_flight.update(await leased_by(bots.database_url, killed.process.pid))

        accepted = await run_people(
            api, bots, kill_after=PEOPLE * len(MESSAGES) // 2, on_kill=on_kill
        )
        assert accepted == PEOPLE * len(MESSAGES)
        assert not killed.alive()
        await settled(api, bots)
        seen = tally(api, set(in_flight.values()))
    print(
        f"\nkilled mid-way: {len(in_flight)} replies in flight at the kill, {seen.gap} of them "
        f"shown twice; {seen.doubled} other replies sent twice, {len(seen.problems)} chats wrong"
    )
    assert seen.problems == []
    assert seen.doubled == 0
    assert seen.gap <= len(in_flight)
