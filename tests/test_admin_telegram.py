"""Admins over Telegram: the real bot against the Bot API emulator, with a copy of knowledge/.

Live edits, a refused edit reported to the admin while people keep getting answers, the
review loop writing a phrasing back, uploads with backup and rollback, and a person who is
not an admin being answered as for any unknown command.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from botapi_emulator import TOKEN, BotApiEmulator, FloodLimits, Json, buttons_of
from telegram import Bot
from test_admin_core import (
    LIVE_WITHIN,
    NEIGHBOUR,
    TOPIC,
    UNANSWERED,
    with_answer,
    with_duplicate_id,
)

from bot.admin.layer import AdminLayer
from bot.config import Settings
from bot.dialogue import texts as bot_texts
from bot.knowledge.model import Entry
from bot.runtime import Runtime, close_runtime, open_runtime
from bot.telegram.app import connect, make_bot, serve
from bot.telegram.channel import TelegramChannel

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
ADMIN, PERSON = 4242, 1001


async def quick_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds / 100)


@dataclass
class Live:
    api: BotApiEmulator
    bot: Bot
    runtime: Runtime
    layer: AdminLayer

    @property
    def kdir(self) -> Path:
        return self.runtime.settings.knowledge_dir

    def entry(self, entry_id: str) -> Entry:
        entry = self.runtime.knowledge.current.kb.get(entry_id)
        assert entry is not None
        return entry

    async def idle(self) -> None:
        await self.api.wait_until(lambda: self.api.pending_updates == 0)
        await self.runtime.processor.join()

    async def say(self, user: int, text: str) -> list[Json]:
        before = len(self.api.bot_messages(user))
        self.api.send_text(user, text)
        await self.idle()
        return self.api.bot_messages(user)[before:]

    async def press(self, user: int, message: Json, button: str) -> tuple[str, list[Json]]:
        before = len(self.api.bot_messages(user))
        query = self.api.press(user, message, button)
        await self.idle()
        return query, self.api.bot_messages(user)[before:]


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    api = BotApiEmulator()
    await api.start()
    api.limits = FloodLimits()  # Telegram's flood limits: the bot's pacing must stay inside
    kdir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, kdir, ignore=shutil.ignore_patterns(".*"))
    settings = Settings(
        token=TOKEN,
        base_url=api.base_url,
        database_url=f"sqlite:///{tmp_path}/bot.sqlite3",
        knowledge_dir=kdir,
        admin_ids=frozenset({ADMIN}),
    )
    bot = make_bot(settings)
    stop = asyncio.Event()
    assert await connect(bot, stop)
    channel = TelegramChannel(bot, sleep=quick_sleep)
    runtime = await open_runtime(settings, channel)
    layer = runtime.admin
    assert layer is not None  # open_runtime starts the admin layer
    task = asyncio.create_task(serve(bot, runtime, stop))
    try:
        yield Live(api, bot, runtime, layer)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await close_runtime(runtime)
        await bot.shutdown()
        await api.stop()
    assert api.limits.refused == [], "the bot went over Telegram's flood limits"


def text_of(messages: list[Json]) -> str:
    return "\n".join(m["text"] for m in messages)


async def test_a_good_edit_goes_live_without_a_restart(live: Live) -> None:
    entry = live.entry(TOPIC)
    assert entry.answer[:40] in text_of(await live.say(PERSON, entry.questions[0]))
    path = live.kdir / Path(entry.file).name
    marker = "Edited over Telegram: the immune system and the brain talk, and the back listens."
    path.write_text(with_answer(path.read_text("utf-8"), TOPIC, marker), "utf-8")
    async with asyncio.timeout(LIVE_WITHIN):
        while marker not in text_of(await live.say(PERSON, entry.questions[0])):  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_a_broken_edit_is_refused_with_file_and_line_while_answers_keep_flowing(
    live: Live,
) -> None:
    await live.say(ADMIN, "/admin")  # an admin has a chat with the bot
    entry = live.entry(TOPIC)
    path = live.kdir / Path(entry.file).name
    broken, line = with_duplicate_id(path.read_text("utf-8"), TOPIC, NEIGHBOUR)
    path.write_text(broken, "utf-8")
    where = f"{path.name}:{line}"
    await live.api.wait_until(
        lambda: any(where in m["text"] for m in live.api.bot_messages(ADMIN)), LIVE_WITHIN
    )
    assert entry.answer[:40] in text_of(await live.say(PERSON, entry.questions[0]))
    assert where not in text_of(live.api.bot_messages(PERSON))


async def test_the_review_loop_writes_a_phrasing_back(live: Live) -> None:
    for question in UNANSWERED:
        assert bot_texts.DONT_KNOW[:30] in text_of(await live.say(PERSON, question))
    [listing] = await live.say(ADMIN, "/unanswered")
    assert "yoga" in listing["text"].splitlines()[2]
    add = next(label for label, _ in buttons_of(listing) if label.startswith("➕ 1"))
    data = dict(buttons_of(listing))[add]
    entry = live.entry(data.rsplit(":", 1)[1])
    path = live.kdir / Path(entry.file).name
    before = path.read_text("utf-8").splitlines()
    _, replies = await live.press(ADMIN, listing, add)
    assert "Added" in replies[0]["text"]
    pressed = live.api.message(ADMIN, listing["message_id"])
    assert "reply_markup" not in pressed and pressed["text"].endswith(f"→ {add}")
    after = path.read_text("utf-8").splitlines()
    [added] = [line for line in after if line not in before]
    assert "yoga" in added and [line for line in after if line != added] == before
    answer = text_of(await live.say(PERSON, UNANSWERED[0]))
    assert live.entry(entry.id).answer[:40] in answer


async def test_dismissing_from_the_review_list(live: Live) -> None:
    for question in UNANSWERED:
        await live.say(PERSON, question)
    [listing] = await live.say(ADMIN, "/unanswered")
    query, (fresh,) = await live.press(ADMIN, listing, "✖ 2")
    assert "Dismissed" in (live.api.answers[query] or "")
    assert "france" not in fresh["text"] and "yoga" in fresh["text"]


async def test_stats_for_an_admin(live: Live) -> None:
    await live.say(PERSON, live.entry(TOPIC).questions[0])
    [stats] = await live.say(ADMIN, "/stats")
    assert "People: 1" in stats["text"] and "answered 1 (100%)" in stats["text"]


@pytest.mark.parametrize("command", ["/reload", "/stats", "/unanswered", "/rollback"])
async def test_a_non_admin_is_answered_as_for_an_unknown_command(
    live: Live, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    await live.say(PERSON, "hello")
    [unknown] = await live.say(PERSON, "/nosuchthing")
    [refused] = await live.say(PERSON, command)
    assert refused["text"] == unknown["text"]
    assert any(
        str(PERSON) in r.getMessage() and command[1:] in r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING
    )


async def send_file(live: Live, user: int, name: str, content: bytes) -> list[Json]:
    before = len(live.api.bot_messages(user))
    live.api.send_document(user, name, content)
    await live.idle()
    return live.api.bot_messages(user)[before:]


def backups(kdir: Path) -> list[bytes]:
    folder = kdir / ".backups"
    return [p.read_bytes() for p in sorted(folder.iterdir())] if folder.is_dir() else []


async def test_upload_backup_and_rollback(live: Live) -> None:
    entry = live.entry(TOPIC)
    name = Path(entry.file).name
    path = live.kdir / name
    original = path.read_bytes()
    edited = with_answer(original.decode(), TOPIC, "Uploaded over Telegram.").encode()

    [saved] = await send_file(live, ADMIN, name, edited)
    assert "saved" in saved["text"] and "live" in saved["text"]
    assert path.read_bytes() == edited and backups(live.kdir) == [original]
    assert "Uploaded over Telegram." in text_of(await live.say(PERSON, entry.questions[0]))

    [restored] = await live.say(ADMIN, "/rollback")
    assert "restored" in restored["text"] and path.read_bytes() == original
    assert entry.answer[:40] in text_of(await live.say(PERSON, entry.questions[0]))


async def test_an_invalid_upload_is_refused_with_file_and_line(live: Live) -> None:
    name = Path(live.entry(TOPIC).file).name
    path = live.kdir / name
    original = path.read_bytes()
    broken, line = with_duplicate_id(original.decode(), TOPIC, NEIGHBOUR)
    [refused] = await send_file(live, ADMIN, name, broken.encode())
    assert f"{name}:{line}" in refused["text"] and "refused" in refused["text"]
    assert path.read_bytes() == original and backups(live.kdir) == []


async def test_an_oversized_upload_is_not_even_downloaded(live: Live) -> None:
    [refused] = await send_file(live, ADMIN, "big.yaml", b"#" * 1_000_001)
    assert "limit" in refused["text"]
    assert live.api.calls_of("download") == []
    assert not (live.kdir / "big.yaml").exists()


async def test_a_non_admin_upload_is_answered_as_any_file_and_never_fetched(live: Live) -> None:
    await live.say(PERSON, "hello")
    name = Path(live.entry(TOPIC).file).name
    before = (live.kdir / name).read_bytes()
    [reply] = await send_file(live, PERSON, name, b"entries: []\n")
    assert reply["text"] == bot_texts.NOT_TEXT
    assert live.api.calls_of("getFile") == [] and live.api.calls_of("download") == []
    assert (live.kdir / name).read_bytes() == before
