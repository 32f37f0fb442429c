"""Several real `python -m bot run` processes on one PostgreSQL, against the Bot API emulator.

Webhook mode: two instances, 100 people writing at once, every update posted to a random
instance (a person's next one only once the previous was accepted), one instance SIGKILLed
half-way. Polling mode: two instances, one polls; SIGKILL it and the other takes over.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
from botapi_emulator import TOKEN, BotApiEmulator, Json
from pg_harness import PgServer, fresh_database
from test_telegram_e2e import KNOWLEDGE, ROOT, free_port

pytestmark = pytest.mark.slow

SECRET = "multi-instance-secret"
MAX_IN_FLIGHT = 64
"""Sends one instance can have open at once (its connection pool): the most a SIGKILL can
leave sent but not crossed off."""


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
        killed_at = time.monotonic()
        api.send_text(person, "/sources")
        await bots.wait(lambda: len(api.bot_messages(person)) >= 2)
        took_over = time.monotonic() - killed_at
        assert await lease_holder_pid(bots.database_url) == standby.process.pid
        assert "long polling for updates" in standby.text()
    print(f"\nstandby answered {took_over:.1f} s after the leader was killed")
    assert len(api.bot_messages(person)) == 2  # nothing answered twice


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


async def run_people(api: BotApiEmulator, bots: Cluster, *, kill_after: int | None = None) -> int:
    """Every person writes MESSAGES in turn; with `kill_after`, one instance is SIGKILLed once
    that many updates were accepted. Returns the number of accepted updates."""
    accepted = 0
    killed = asyncio.Event()

    async def person(client: httpx.AsyncClient, user: int) -> None:
        nonlocal accepted
        for text in MESSAGES:
            await post_until_accepted(client, bots, take_update(api, user, text))
            accepted += 1
            if kill_after is not None and accepted >= kill_after and not killed.is_set():
                killed.set()
                bots.instances[0].process.send_signal(signal.SIGKILL)

    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        await asyncio.gather(*(person(client, 10_000 + i) for i in range(PEOPLE)))
    return accepted


def collapsed(texts: list[str]) -> tuple[list[str], int]:
    """(replies with adjacent repeats merged, how many repeats there were)."""
    kept = [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]
    return kept, len(texts) - len(kept)


def expected_replies(api: BotApiEmulator) -> list[str]:
    """What a person who sent MESSAGES in order sees: the most common reply sequence, which
    must hold five different replies (so that any reordering shows)."""
    chats = Counter(tuple(collapsed(bot_texts(api, 10_000 + i))[0]) for i in range(PEOPLE))
    reference = list(chats.most_common(1)[0][0])
    assert len(reference) == len(set(reference)) == len(MESSAGES), reference
    return reference


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


def check_chats(api: BotApiEmulator, bots: Cluster) -> tuple[list[str], int, int]:
    """(chats whose replies are missing or out of order, replies sent twice, sends that
    timed out). A reply is sent twice only when Telegram took it but the answer never came
    back (a timeout; the Bot API has no idempotent send) or its sender was killed in between;
    the repeat follows its original, so order still shows once repeats are merged."""
    reference = expected_replies(api)
    problems, repeats = [], 0
    for i in range(PEOPLE):
        got, doubled = collapsed(bot_texts(api, 10_000 + i))
        repeats += doubled
        if got != reference:
            problems.append(f"chat {10_000 + i}: {[t[:20] for t in got]}")
    timeouts = bots.logs_full().count("delivery deferred")
    return problems, repeats, timeouts


async def settled(api: BotApiEmulator, bots: Cluster) -> None:
    def everyone_answered() -> bool:
        return all(len(set(bot_texts(api, 10_000 + i))) >= len(MESSAGES) for i in range(PEOPLE))

    await bots.wait(everyone_answered, 240)
    await asyncio.sleep(2.0)  # anything doubled would arrive now


async def test_two_webhook_instances_keep_each_persons_order(
    api: BotApiEmulator, pg_server: PgServer, tmp_path: Path
) -> None:
    async with cluster(api, pg_server, tmp_path) as bots:
        await start_webhook_pair(bots)
        assert await run_people(api, bots) == PEOPLE * len(MESSAGES)
        await settled(api, bots)
        problems, repeats, timeouts = check_chats(api, bots)
    print(f"\n{PEOPLE * len(MESSAGES)} updates: {repeats} repeats, {timeouts} deferred sends")
    assert problems == []
    assert repeats <= timeouts


async def test_a_webhook_instance_killed_mid_way_loses_nothing(
    api: BotApiEmulator, pg_server: PgServer, tmp_path: Path
) -> None:
    async with cluster(api, pg_server, tmp_path) as bots:
        await start_webhook_pair(bots)
        accepted = await run_people(api, bots, kill_after=PEOPLE * len(MESSAGES) // 2)
        assert accepted == PEOPLE * len(MESSAGES)
        assert not bots.instances[0].alive()
        await settled(api, bots)
        problems, repeats, timeouts = check_chats(api, bots)
    print(f"\nkilled mid-way: {repeats} repeats, {timeouts} deferred sends")
    assert problems == []
    assert repeats <= timeouts + MAX_IN_FLIGHT
