"""End to end over HTTP: the real bot (Bot with base_url, channel, poller, runtime, SQLite,
the real knowledge/) against our Bot API emulator, driven the way people use Telegram."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from botapi_emulator import TOKEN, BotApiEmulator, FloodLimits, Json, buttons_of
from telegram import Bot

from bot.bundle import Knowledge
from bot.config import Settings
from bot.runtime import Runtime, close_runtime, open_runtime
from bot.storage import open_store
from bot.telegram.app import connect, make_bot, register_commands, serve
from bot.telegram.channel import TelegramChannel

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
ALICE, BOB = 1001, 1002
GROUP = -100777
EMERGENCY_TEXT = "I suddenly can't feel anything between my legs and I can't pee"


async def quick_sleep(seconds: float) -> None:
    """The channel really waits (order is real), just 100 times shorter."""
    await asyncio.sleep(seconds / 100)


@dataclass
class Running:
    api: BotApiEmulator
    bot: Bot
    runtime: Runtime

    async def idle(self) -> None:
        """Every update taken in, handled and delivered."""
        await self.api.wait_until(lambda: self.api.pending_updates == 0)
        await self.runtime.processor.join()

    @property
    def knowledge(self) -> Knowledge:
        return self.runtime.knowledge.current


def settings_for(api: BotApiEmulator, db: Path, **more: Any) -> Settings:
    return Settings(
        token=TOKEN,
        base_url=api.base_url,
        database_url=f"sqlite:///{db}",
        knowledge_dir=KNOWLEDGE,
        **more,
    )


@asynccontextmanager
async def running_bot(api: BotApiEmulator, db: Path, **more: Any) -> AsyncIterator[Running]:
    """The bot as in production, against an emulator enforcing Telegram's flood limits: the
    bot's pacing must keep every scenario free of 429s."""
    limits = api.limits = api.limits or FloodLimits()
    settings = settings_for(api, db, **more)
    bot = make_bot(settings)
    stop = asyncio.Event()
    assert await connect(bot, stop)
    await register_commands(bot)
    runtime = await open_runtime(settings, TelegramChannel(bot, sleep=quick_sleep))
    task = asyncio.create_task(serve(bot, runtime, stop))
    try:
        yield Running(api, bot, runtime)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await close_runtime(runtime)
        await bot.shutdown()
    assert limits.refused == [], "the bot went over Telegram's flood limits"


@pytest.fixture
async def live(api: BotApiEmulator, tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(api, tmp_path / "bot.sqlite3") as running:
        yield running


def texts(api: BotApiEmulator, chat_id: int) -> list[str]:
    return [m["text"] for m in api.bot_messages(chat_id)]


def labels(message: Json) -> list[str]:
    return [label for label, _ in buttons_of(message)]


async def say(live: Running, user: int, text: str) -> list[Json]:
    """Send a text and return the bot's new messages once it has finished."""
    before = len(live.api.bot_messages(user))
    live.api.send_text(user, text)
    await live.idle()
    return live.api.bot_messages(user)[before:]


async def press(live: Running, user: int, message: Json, button: str) -> tuple[str, list[Json]]:
    before = len(live.api.bot_messages(user))
    query = live.api.press(user, message, button)
    await live.idle()
    return query, live.api.bot_messages(user)[before:]


def did_you_mean_text(knowledge: Knowledge) -> str:
    """A misspelt question the matcher is unsure about, so it offers choices."""
    candidates = ["immune cells", "nerve", "spine", "brain fog", "stress", "tired and achy"]
    for entry in knowledge.kb.entries.values():
        candidates += [entry.title[::2], " ".join(w[:4] for w in entry.title.split())]
    for text in candidates:
        result = knowledge.matcher.match(text)
        if result.match is None and result.suggestions:
            return text
    raise AssertionError("the matcher offered no 'did you mean' for any candidate")


# -- scenarios ------------------------------------------------------------------------------


async def test_start_greets_and_registers_the_command_menu(live: Running) -> None:
    (welcome,) = await say(live, ALICE, "/start")
    assert "not medical advice" in welcome["text"]
    assert "Start the red-flag check" in labels(welcome)
    assert "start" in {c["command"] for c in live.api.menu_for(ALICE)}
    assert (ALICE, "typing") in live.api.actions


async def test_a_question_gets_its_answer_and_feedback_buttons_work(live: Running) -> None:
    question = "why does my back hurt when I have the flu?"
    expected = live.knowledge.matcher.match(question).match
    assert expected is not None
    replies = await say(live, ALICE, question)
    answer = replies[-1]
    assert answer["text"].startswith(live.knowledge.kb.entries[expected.id].answer[:40])
    assert "👍 Helpful" in labels(answer)
    query, new = await press(live, ALICE, answer, "👍 Helpful")
    assert new == []
    assert live.api.answers[query]  # a thank-you toast
    assert "reply_markup" not in live.api.message(ALICE, answer["message_id"])


async def test_a_did_you_mean_press_answers_the_chosen_topic(live: Running) -> None:
    replies = await say(live, ALICE, did_you_mean_text(live.knowledge))
    offer = next(m for m in replies if buttons_of(m))
    label, data = buttons_of(offer)[0]
    entry = live.knowledge.kb.entries[data.split(":", 1)[1]]
    query, new = await press(live, ALICE, offer, label)
    assert query in live.api.answers
    assert new[-1]["text"].startswith(entry.answer[:40])
    pressed = live.api.message(ALICE, offer["message_id"])
    assert "reply_markup" not in pressed and pressed["text"].endswith(f"→ {label}")


async def run_check_by_buttons(live: Running, user: int, answer: str) -> list[Json]:
    """Say "Me", then press `answer` on every question; returns the yes/no question messages
    and the outcome."""
    (who,) = [m for m in await say(live, user, "/check") if buttons_of(m)]
    _, (current,) = await press(live, user, who, "Me")
    seen = [current]
    for _ in range(30):
        if answer not in labels(current):
            return seen
        _, new = await press(live, user, current, answer)
        (current,) = new
        seen.append(current)
    raise AssertionError("the check never ended")


async def test_a_whole_check_by_buttons(live: Running) -> None:
    messages = await run_check_by_buttons(live, ALICE, "No")
    questions, outcome = messages[:-1], messages[-1]
    assert len(questions) >= 2
    assert "Start the check again" in labels(outcome)
    for question in questions:  # each pressed question shows the choice, keyboard gone
        now = live.api.message(ALICE, question["message_id"])
        assert now["text"].endswith("→ No") and "reply_markup" not in now
    assert len(live.api.answers) == len(questions) + 1  # every press answered exactly once


async def test_an_emergency_in_the_middle_of_a_check(live: Running) -> None:
    (first,) = [m for m in await say(live, ALICE, "/check") if buttons_of(m)]
    _, (second,) = await press(live, ALICE, first, "Me")
    (alarm,) = await say(live, ALICE, EMERGENCY_TEXT)
    assert "Call 000" in alarm["text"]
    assert buttons_of(alarm) == []
    query, (after,) = await press(live, ALICE, second, "No")  # the check was closed
    assert live.api.answers[query]
    assert "Question" not in after["text"]


async def test_an_old_button_changes_nothing(live: Running) -> None:
    (first,) = [m for m in await say(live, ALICE, "/check") if buttons_of(m)]
    _, (second,) = await press(live, ALICE, first, "Me")
    old_data = buttons_of(first)[0][1]  # "Me" on the first question, as a stale client has it
    query = live.api.press_data(ALICE, first, old_data)
    await live.idle()
    assert live.api.answers[query]  # told, politely
    _, (third,) = await press(live, ALICE, second, "No")  # the check carries on where it was
    assert third["text"] != second["text"]


async def test_a_forged_button_gets_a_friendly_line(live: Running) -> None:
    (welcome,) = await say(live, ALICE, "/start")
    before = len(live.api.bot_messages(ALICE))
    query = live.api.press_data(ALICE, welcome, "zz:not-ours")
    await live.idle()
    assert live.api.answers[query]
    new = live.api.bot_messages(ALICE)[before:]
    assert len(new) <= 1 and all(buttons_of(m) == [] for m in new)  # nothing started


@pytest.mark.parametrize(
    "send",
    [
        BotApiEmulator.send_sticker,
        BotApiEmulator.send_photo,
        BotApiEmulator.send_voice,
        BotApiEmulator.send_video,
        BotApiEmulator.send_document,
        BotApiEmulator.send_location,
        BotApiEmulator.send_contact,
    ],
)
async def test_each_non_text_message_gets_one_deliberate_answer(
    live: Running, send: object
) -> None:
    send(live.api, ALICE)  # type: ignore[operator]
    await live.idle()
    replies = texts(live.api, ALICE)
    assert replies and any("text" in r for r in replies)


@pytest.mark.parametrize("text", ["   ", "\n\t", "why " * 2500])
async def test_empty_and_huge_texts_are_answered(live: Running, text: str) -> None:
    replies = await say(live, ALICE, text)
    assert replies
    assert all(len(m["text"]) <= 4096 for m in replies)


async def test_an_edited_message_is_not_rerun(live: Running) -> None:
    sent = live.api.send_text(ALICE, "why does my back hurt?")
    await live.idle()
    before = len(live.api.bot_messages(ALICE))
    live.api.edit_text(sent, "is it the flu?")
    await live.idle()
    (note,) = live.api.bot_messages(ALICE)[before:]
    assert "edit" in note["text"]


async def test_channel_posts_are_taken_and_left_unanswered(live: Running) -> None:
    live.api.channel_post(-100900, "news")
    await live.idle()
    assert live.api.bot_messages(-100900) == []


async def test_groups_hear_commands_and_mentions_only(live: Running) -> None:
    api = live.api
    api.send_text(ALICE, "hello there everyone", chat_id=GROUP)
    await live.idle()
    assert api.bot_messages(GROUP) == []
    api.send_text(ALICE, f"@{api.username} why does my back hurt when I'm sick?", chat_id=GROUP)
    await live.idle()
    assert len(api.bot_messages(GROUP)) >= 1
    count = len(api.bot_messages(GROUP))
    api.send_text(BOB, "/check", chat_id=GROUP)
    await live.idle()
    new = api.bot_messages(GROUP)[count:]
    assert "private" in new[-1]["text"]
    assert all(buttons_of(m) == [] for m in new)


async def test_a_group_never_sees_anyones_check(live: Running) -> None:
    await say(live, ALICE, "/check")  # Alice has a check open in private
    api = live.api
    api.send_text(ALICE, f"@{api.username} what about the flu?", chat_id=GROUP)
    api.send_text(ALICE, "/mydata", chat_id=GROUP)
    await live.idle()
    shown = "\n".join(texts(api, GROUP))
    assert "Question" not in shown and "check" not in shown.lower().replace("/check", "")
    assert str(ALICE) not in shown


async def test_telegram_failures_are_ridden_out(live: Running) -> None:
    api = live.api
    api.fail("sendMessage", times=2, status=429, retry_after=1)
    api.fail("sendMessage", times=1, status=500)
    replies = await say(live, ALICE, "/help")
    assert len(replies) >= 1 and "/check" in replies[-1]["text"]
    api.block(BOB)
    await say(live, BOB, "/start")  # logged and skipped; nothing stuck
    await live.idle()
    assert api.bot_messages(BOB) == []
    assert await live.runtime.store.undelivered() == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_end_to_end(api: BotApiEmulator, tmp_path: Path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    webhook = {
        "webhook_url": hook,
        "webhook_port": port,
        "webhook_secret": "s3cret",
        "webhook_path": "/hook",
    }
    async with running_bot(api, tmp_path / "bot.sqlite3", **webhook) as live:
        await api.wait_until(lambda: api.webhook is not None)
        assert api.webhook == {"url": hook, "secret_token": "s3cret"}
        api.send_text(ALICE, "/start")
        (welcome,) = await api.wait_for_messages(ALICE, 1)
        assert "Start the red-flag check" in labels(welcome)
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            forged = await client.post(hook, json={"update_id": 1})
        assert health.json() == {"ok": True}
        assert forged.status_code == 403
        await live.runtime.processor.join()
    assert not api.calls_of("getUpdates")


@pytest.mark.slow
async def test_a_hundred_people_at_once(live: Running) -> None:
    api, knowledge = live.api, live.knowledge
    questions = [
        "what about heat",
        "tablets",
        "does sleep help",
        "long covid",
        "why does my back hurt when sick",
    ]
    expected = {q: knowledge.matcher.match(q).match for q in questions}
    assert all(expected.values())
    people = list(range(5000, 5100))
    for person in people:
        api.send_text(person, "/start")
        api.send_text(person, questions[person % len(questions)])
    await live.idle()
    for person in people:
        messages = api.bot_messages(person)
        assert len(messages) == 2, (person, texts(api, person))  # nothing lost or doubled
        welcome, answer = messages
        match = expected[questions[person % len(questions)]]
        assert match is not None
        assert "not medical advice" in welcome["text"]
        assert answer["text"].startswith(knowledge.kb.entries[match.id].answer[:40])


# -- a real process, really killed ------------------------------------------------------------


def start_process(
    api: BotApiEmulator, db: Path, log: Path, token: str = TOKEN
) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))},
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_URL": f"sqlite:///{db}",
        "KNOWLEDGE_DIR": str(KNOWLEDGE),
        "LOG_LEVEL": "INFO",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--env-file", str(db.parent / "none.env")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def settled(db: Path) -> None:
    """Wait until the running bot has nothing accepted-but-unhandled or undelivered."""
    store = open_store(f"sqlite:///{db}")
    await store.open()
    try:
        for _ in range(300):
            if not await store.pending() and not await store.undelivered():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the bot never settled")
    finally:
        await store.close()


async def messages_from(
    api: BotApiEmulator, process: subprocess.Popen[bytes], n: int, log: Path
) -> Json:
    """Alice's n-th message from the bot; fails at once, with the log, if the process died."""
    waiting = asyncio.create_task(api.wait_for_messages(ALICE, n, within=60))
    while not waiting.done():
        if process.poll() is not None:
            waiting.cancel()
            raise AssertionError(f"bot exited with {process.returncode}:\n{read(log)}")
        await asyncio.wait({waiting}, timeout=0.2)
    return waiting.result()[n - 1]


def read(log: Path) -> str:
    return log.read_text(errors="replace")


async def stop_process(process: subprocess.Popen[bytes], sig: int) -> int:
    process.send_signal(sig)
    return await asyncio.to_thread(process.wait, 30)


@pytest.mark.slow
async def test_killed_mid_check_and_started_again(api: BotApiEmulator, tmp_path: Path) -> None:
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    process = start_process(api, db, log)
    try:
        api.send_text(ALICE, "/check")
        first = await messages_from(api, process, 2, log)
        assert "Me" in labels(first)
        api.press(ALICE, first, "Me")
        second = await messages_from(api, process, 3, log)
        await settled(db)
    finally:
        await stop_process(process, signal.SIGKILL)
    process = start_process(api, db, log)
    try:
        api.press(ALICE, second, "No")
        third = await messages_from(api, process, 4, log)
        assert third["text"] != second["text"] and "No" in labels(third)
        await api.wait_until(lambda: api.pending_updates == 0, within=30)
        assert await stop_process(process, signal.SIGTERM) == 0  # orderly shutdown
    finally:
        if process.poll() is None:
            await stop_process(process, signal.SIGKILL)
    assert len(api.bot_messages(ALICE)) == 4, read(log)  # nothing repeated
    assert TOKEN not in read(log)


@pytest.mark.slow
async def test_killed_right_after_a_press_was_stored(api: BotApiEmulator, tmp_path: Path) -> None:
    """Killed with the press stored but perhaps not answered: the answer comes after restart
    (at most one repeat, from the crash window between sending and crossing off)."""
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    process = start_process(api, db, log)
    try:
        api.send_text(ALICE, "/check")
        first = await messages_from(api, process, 2, log)
        api.press(ALICE, first, "Me")
        await api.wait_until(lambda: api.pending_updates == 0, within=30)  # stored
    finally:
        await stop_process(process, signal.SIGKILL)
    before = [m["text"] for m in api.bot_messages(ALICE)]
    process = start_process(api, db, log)
    try:
        n = len(before) + 1
        second = await messages_from(api, process, n, log)
        repeats = []
        while "No" not in labels(second):  # a delivery sent but not crossed off goes again
            repeats.append(second["text"])
            n += 1
            second = await messages_from(api, process, n, log)
        assert second["text"] not in before
        assert len(repeats) <= len(before) and set(repeats) <= set(before), repeats
        await settled(db)
        latest = api.bot_messages(ALICE)[-1]
        api.press(ALICE, latest, "No")
        count = len(api.bot_messages(ALICE))
        third = await messages_from(api, process, count + 1, log)
        assert third["text"] not in (first["text"], second["text"])
    finally:
        await stop_process(process, signal.SIGKILL)
    assert len(api.bot_messages(ALICE)) - len(repeats) in (4, 5)


async def test_a_token_telegram_refuses_exits_2_with_one_line(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    wrong = TOKEN[:-4] + "WXYZ"
    log = tmp_path / "bot.log"
    process = start_process(api, tmp_path / "bot.sqlite3", log, token=wrong)
    assert await asyncio.to_thread(process.wait, 60) == 2
    output = read(log)
    assert "refused TELEGRAM_BOT_TOKEN" in output and "Traceback" not in output
    assert wrong not in output
