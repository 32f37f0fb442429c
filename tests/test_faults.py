"""The nine faults of issue 12, each reproduced against the real bot and the emulator.

The bot runs end to end (Bot over HTTP, poller, processor, channel, SQLite file) while the
emulator misbehaves: poison updates, odd HTTP answers, outages, flood control, a getFile that
lies, a database file deleted underneath. Timing is never asserted tightly: waits are generous
upper bounds, and what is checked is what people would notice (every reply once, in order).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botapi_emulator import TOKEN, BotApiEmulator, Json, buttons_of

from bot.config import Settings
from bot.dialogue.incoming import Incoming
from bot.processor import MAX_ANALYSED_TEXT, to_inbox
from bot.runtime import Runtime, close_runtime, open_runtime
from bot.storage import open_store
from bot.storage.base import Commit, StoreUnavailable
from bot.telegram.app import connect, make_bot, serve, store_healthy
from bot.telegram.channel import TelegramChannel
from bot.telegram.logging_setup import setup_logging

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
ADMIN, ALICE, BOB = 4242, 1001, 1002
OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "4"))
"""The 5xx outage of the default run; the slow test uses the issue's full 20 s."""
AFTER_OUTAGE = 30.0
"""Every reply must be out within this long after an outage ends."""
SCRIPT = ("/start", "why does my back hurt when I have the flu", "/sources", "/help", "/topics")
"""Five messages with five different replies, so order and doubles show."""


@dataclass
class Live:
    api: BotApiEmulator
    runtime: Runtime
    db: Path

    async def idle(self, within: float = 30.0) -> None:
        await self.api.wait_until(lambda: self.api.pending_updates == 0, within)
        await asyncio.wait_for(self.runtime.processor.join(), within)

    def texts(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.api.bot_messages(chat_id)]

    async def say(self, user: int, text: str) -> list[str]:
        before = len(self.api.bot_messages(user))
        self.api.send_text(user, text)
        await self.idle()
        return self.texts(user)[before:]


@asynccontextmanager
async def live_bot(
    api: BotApiEmulator, tmp_path: Path, *, fast_retries: bool = True
) -> AsyncIterator[Live]:
    """The whole bot on a SQLite file in tmp_path. `fast_retries` shortens the delivery
    backoff for speed; the outage test keeps the production policy."""
    kdir = tmp_path / "knowledge"
    if not kdir.exists():
        shutil.copytree(KNOWLEDGE, kdir)
    db = tmp_path / "bot.sqlite3"
    settings = Settings(
        token=TOKEN,
        base_url=api.base_url,
        database_url=f"sqlite:///{db}",
        knowledge_dir=kdir,
        admin_ids=frozenset({ADMIN}),
    )
    bot = make_bot(settings)
    stop = asyncio.Event()
    assert await connect(bot, stop)
    runtime = await open_runtime(settings, TelegramChannel(bot))
    if fast_retries:
        runtime.processor.retry_delay, runtime.processor.max_retry_delay = 0.05, 0.5
    task = asyncio.create_task(serve(bot, runtime, stop))
    try:
        yield Live(api, runtime, db)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await close_runtime(runtime, drain_seconds=1.0)
        await bot.shutdown()


def message(user: int, **extra: Any) -> Json:
    """A private message update body as Telegram would send it (before any damage)."""
    body: Json = {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": user, "type": "private", "first_name": "P"},
        "from": {"id": user, "is_bot": False, "first_name": "P"},
        "text": "private words of someone else",
    }
    body.update(extra)
    return body


# -- 1. poison updates ----------------------------------------------------------------------


async def test_poison_updates_are_quarantined_and_the_rest_answered(
    api: BotApiEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    no_date = message(ALICE)
    del no_date["date"]
    huge = message(2**70)
    huge["chat"]["id"] = 2**70
    poison: list[Json] = [
        {"message": no_date},
        {"message": huge},
        {"message": [1, 2]},
        {"callback_query": {"id": "5", "data": "private words of someone else"}},
    ]
    async with live_bot(api, tmp_path) as live:
        await live.say(ADMIN, "/start")
        with caplog.at_level(logging.INFO):
            api.send_text(ALICE, "/start")
            ids = [api.inject_update(p) for p in poison]
            surrogate = api.inject_update({"message": message(BOB, text="\ud800 /help")})
            api.send_text(BOB, "/sources")
            await live.idle()
        assert len(live.texts(ALICE)) == 1 and len(live.texts(BOB)) == 2  # nobody held up
        assert "\ufffd" not in "".join(live.texts(BOB))  # the cleaned text was answered
        quarantined = [r.getMessage() for r in caplog.records if "quarantined" in r.getMessage()]
        assert len(quarantined) == len(poison)  # once each
        assert all(str(i) in line for i, line in zip(ids, quarantined, strict=True))
        assert "private words" not in caplog.text
        assert surrogate not in {int(line.split()[1]) for line in quarantined}
        letters = await live.runtime.store.dead_letters()
        assert {d.update_id for d in letters} == set(ids)
        assert all("update_id" in d.raw for d in letters)  # the raw JSON is kept
        [stats] = await live.say(ADMIN, "/stats")
        assert f"quarantined as unreadable: {len(poison)}" in stats
    async with live_bot(api, tmp_path) as again:  # nothing is replayed after a restart
        await again.say(ALICE, "/help")
        assert len(again.texts(ALICE)) == 2 and api.pending_updates == 0


# -- 2. an undeliverable reply at start-up ----------------------------------------------------


async def test_undeliverable_replies_never_stop_a_restart(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'bot.sqlite3'}") as store:
        api.send_text(ALICE, "hello")  # Alice has a chat; "x" does not exist
        bad = Incoming(BOB, BOB, text="hi")
        item = to_inbox(7, bad, {})
        item.payload["incoming"]["chat_id"] = "x"  # what an old version might have stored
        await store.enqueue(item)
        committed = Commit(8, ALICE, ALICE, 0, {}, [{"text": "queued before the restart"}])
        assert await store.commit(committed)
    api.fail_for("sendMessage", 1.5, status=409)
    async with live_bot(api, tmp_path) as live:  # start-up did not raise
        await api.wait_until(lambda: "queued before the restart" in live.texts(ALICE), 20)
        await live.say(ALICE, "/help")
        assert live.texts(ALICE)[0] == "queued before the restart"
        assert await live.runtime.store.undelivered() == []


# -- 3. odd answers for a few seconds ---------------------------------------------------------


@pytest.mark.parametrize("status", [200, 409, 401])
async def test_odd_answers_delay_replies_but_keep_their_order(
    api: BotApiEmulator, tmp_path: Path, status: int
) -> None:
    async with live_bot(api, tmp_path) as live:
        api.fail_for("sendMessage", 1.5, status=status)  # 200: an HTML page, not JSON
        for text in SCRIPT[:3]:
            api.send_text(ALICE, text)
        await live.idle(within=20)
        control = await replies_of_script(live, BOB, SCRIPT[:3])
        assert live.texts(ALICE) == control


async def test_refused_connections_delay_replies_but_keep_their_order(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path) as live:
        api.fail_for("sendMessage", 1.0, status=500)  # replies wait in the outbox...
        for text in SCRIPT[:3]:
            api.send_text(ALICE, text)
        await api.wait_until(lambda: api.pending_updates == 0)
        await api.go_offline()  # ...and their retries meet a closed port
        await asyncio.sleep(1.5)
        await api.go_online()
        await live.idle(within=30)
        control = await replies_of_script(live, BOB, SCRIPT[:3])
        assert live.texts(ALICE) == control


async def replies_of_script(live: Live, user: int, script: tuple[str, ...]) -> list[str]:
    for text in script:
        await live.say(user, text)
    return live.texts(user)


# -- 4. a 5xx outage: 20 people x 5 messages --------------------------------------------------


async def outage_run(api: BotApiEmulator, tmp_path: Path, seconds: float) -> float:
    """Returns how long after the outage's end the last reply arrived."""
    people = list(range(2001, 2021))
    async with live_bot(api, tmp_path, fast_retries=False) as live:
        control = await replies_of_script(live, ALICE, SCRIPT)
        assert len(set(control)) == len(SCRIPT)
        api.fail_for("sendMessage", seconds, status=500)
        ends = time.monotonic() + seconds
        for text in SCRIPT:
            for person in people:
                api.send_text(person, text)
        await api.wait_until(lambda: api.pending_updates == 0, 30)
        done = lambda: all(len(live.texts(p)) >= len(control) for p in people)  # noqa: E731
        await api.wait_until(done, seconds + AFTER_OUTAGE)
        late = max(0.0, time.monotonic() - ends)
        await live.idle()
        for person in people:
            assert live.texts(person) == control  # every reply once, in order
        return late


async def test_an_outage_neither_doubles_nor_reorders_replies(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    late = await outage_run(api, tmp_path, OUTAGE_SECONDS)
    print(f"{OUTAGE_SECONDS:g} s outage: last reply {late:.1f} s after its end")


@pytest.mark.slow
async def test_a_twenty_second_outage_neither_doubles_nor_reorders_replies(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    late = await outage_run(api, tmp_path, 20.0)
    print(f"20 s outage: last reply {late:.1f} s after its end")


# -- 5. flood control of any length -----------------------------------------------------------


async def test_a_long_flood_wait_is_obeyed_by_everyone(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path) as live:
        await live.say(ALICE, "/start")
        api.fail("sendMessage", status=429, retry_after=400)
        api.send_text(ALICE, "/help")
        await api.wait_until(lambda: len(api.calls_of("sendMessage")) == 2)
        api.send_text(BOB, "/help")
        await api.wait_until(lambda: api.pending_updates == 0)
        await asyncio.sleep(3)  # the absence of calls is what is checked
        assert len(api.calls_of("sendMessage")) == 2  # not one more call, for anybody
        waiting = await live.runtime.store.undelivered()
        assert {o.user_id for o in waiting} == {ALICE, BOB}  # kept, not dropped


# -- 6. an upload that says nothing of its size -----------------------------------------------


async def test_a_huge_upload_without_a_size_stops_at_the_cap(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path) as live:
        await live.say(ADMIN, "/admin")
        before = len(api.bot_messages(ADMIN))
        doc = api.send_document(ADMIN, "big.yaml", b"#" * 50_000_000, lie=True)
        await live.idle(within=60)
        [refused] = live.texts(ADMIN)[before:]
        assert "over 1,000,000 bytes" in refused
        file_id = doc["document"]["file_id"]
        assert api.downloaded.get(file_id, 0) < 10_000_000  # stopped early, not at 50 MB
        assert not (tmp_path / "knowledge" / "big.yaml").exists()


# -- 7. bytes that are not UTF-8 in the terminal ----------------------------------------------


def test_chat_json_answers_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/chat.sqlite3",
        "KNOWLEDGE_DIR": str(KNOWLEDGE),
        "TELEGRAM_BOT_TOKEN": "",
        "LC_ALL": "C",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json"],
        input=b"\xff hello\n/help\n",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2 and "\ufffd hello" in lines[0]
    assert b"Traceback" not in result.stderr


# -- 8. the database file deleted underneath --------------------------------------------------


def delete_database(folder: Path) -> None:
    for path in folder.glob("bot.sqlite3*"):
        path.unlink()


async def test_a_deleted_database_is_noticed_and_not_written_to(
    api: BotApiEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with live_bot(api, tmp_path) as live:
        await live.say(ALICE, "/start")
        assert await store_healthy(live.runtime)
        delete_database(tmp_path)
        with caplog.at_level(logging.INFO):
            assert not await store_healthy(live.runtime)  # /healthz answers 503
            [apology] = await live.say(ALICE, "/help")
        assert "trouble" in apology  # the person is told, not ignored
        assert any(r.levelno == logging.CRITICAL for r in caplog.records)
        with pytest.raises(StoreUnavailable):
            await live.runtime.store.load(ALICE)


# -- 9. forgotten means gone ------------------------------------------------------------------


FORGOTTEN = 987654321
SECRET_TEXT = "zebrafinch quokka marmalade backache"


def leftovers(db: Path) -> list[str]:
    """What of the forgotten person is still in the database or its write-ahead log."""
    needles = {
        "id as text": str(FORGOTTEN).encode(),
        "id as an integer": FORGOTTEN.to_bytes(4, "big"),
        "text": SECRET_TEXT.encode(),
    }
    found = []
    for path in (db, db.with_name(db.name + "-wal")):
        data = path.read_bytes() if path.exists() else b""
        found += [f"{what} in {path.name}" for what, needle in needles.items() if needle in data]
    return found


async def test_after_forget_no_byte_of_the_person_is_left(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path) as live:
        await live.say(FORGOTTEN, "/start")
        await live.say(FORGOTTEN, SECRET_TEXT)  # not answerable: kept for review
        await live.say(ALICE, "is sleep good for a sore back")
        assert (await live.runtime.store.stats())["unanswered"] >= 1
        assert leftovers(live.db)  # the search does find the person before
        await live.say(FORGOTTEN, "/forget")
        ask = api.bot_messages(FORGOTTEN)[-1]
        api.press(FORGOTTEN, ask, buttons_of(ask)[0][0])  # the first button confirms
        await live.idle()
        assert "deleted" in live.texts(FORGOTTEN)[-1]
        deadline = time.monotonic() + 5
        while leftovers(live.db) and time.monotonic() < deadline:  # noqa: ASYNC110 (a file)
            await asyncio.sleep(0.2)
        assert leftovers(live.db) == []  # while the bot still runs
        unanswered = [q.text for q in await live.runtime.store.unanswered()]
        assert SECRET_TEXT not in unanswered


async def test_debug_logging_shows_no_sql_parameters(tmp_path: Path) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        setup_logging("DEBUG", [TOKEN], stream)
        async with open_store(f"sqlite:///{tmp_path / 'bot.sqlite3'}") as store:
            await store.enqueue(to_inbox(1, Incoming(ALICE, ALICE, text=SECRET_TEXT), {}))
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    assert SECRET_TEXT not in stream.getvalue()


def test_long_texts_are_cut_before_analysis() -> None:
    item = to_inbox(1, Incoming(ALICE, ALICE, text="neck pain and fever " * 2000), {})
    assert len(item.payload["incoming"]["text"]) == MAX_ANALYSED_TEXT
