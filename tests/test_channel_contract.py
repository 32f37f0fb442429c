"""The channel contract (`bot.channel`): any channel drives the same core the same way.

The terminal and a web chat written here in a few lines (a second channel, as a new package
would be) each run a real runtime (SQLite, processor, engine, admin layer) through the
contract only: a Receiver submits to the Intake, a Sender gets items with typed hints and
its own origin back.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chat_driver import KNOWLEDGE_DIR

from bot.channel import DeliveryHints, Receiver, Sender, WaitingIntake, origin_of
from bot.config import Settings
from bot.dialogue import texts
from bot.dialogue.buttondata import MAX_BYTES
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Reply
from bot.runtime import close_runtime, open_runtime
from bot.storage.base import OutboxItem
from bot.telegram.render import MAX_CALLBACK_DATA
from bot.terminal import Chat, TerminalChannel, TerminalReceiver

SCRIPT = ["hello", "/check", "Me", "No", "why does my back ache when I have the flu?", "bye"]


@dataclass
class Delivered:
    replies: list[Reply]
    hints: DeliveryHints
    origin: dict[str, Any]


@dataclass
class WebChat:
    """A second channel: requests (person, text or button, private?) in, deliveries out."""

    requests: list[tuple[int, str, bool]]
    delivered: dict[int, Delivered] = field(default_factory=dict)
    intake: WaitingIntake | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def run(self, stop: asyncio.Event) -> None:
        assert self.intake is not None
        for person, said, private in self.requests:
            if stop.is_set():
                return
            request = next(self._ids)
            kind = "button" if ":" in said and " " not in said else "text"
            incoming = Incoming(
                person,
                person if private else -500,
                kind,
                text=said if kind == "text" else None,
                button=said if kind == "button" else None,
                private=private,
            )
            await self.intake.submit(request, incoming, {"request": request, "page": "/chat"})
            await self.intake.join()

    async def deliver(self, item: OutboxItem) -> None:
        replies = [Reply.from_record(r) for r in item.replies]
        self.delivered[item.update_id] = Delivered(
            replies, DeliveryHints.of(item), origin_of(item)
        )


def settings(tmp_path: Path, name: str) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/{name}.sqlite3", knowledge_dir=KNOWLEDGE_DIR
    )


async def run_web(tmp_path: Path, requests: list[tuple[int, str, bool]]) -> WebChat:
    web = WebChat(requests)
    sender: Sender = web
    runtime = await open_runtime(settings(tmp_path, "web"), sender)
    web.intake = runtime.processor
    receiver: Receiver = web
    try:
        await receiver.run(asyncio.Event())
    finally:
        await close_runtime(runtime)
    return web


async def run_terminal(tmp_path: Path, lines: list[str]) -> list[dict[str, Any]]:
    channel = TerminalChannel()
    runtime = await open_runtime(settings(tmp_path, "terminal"), channel)
    out = io.StringIO()
    receiver: Receiver = TerminalReceiver(
        runtime.processor, channel, Chat(1, True, out), io.StringIO("\n".join(lines) + "\n")
    )
    try:
        await receiver.run(asyncio.Event())
    finally:
        await close_runtime(runtime)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_the_terminal_and_a_second_channel_get_the_same_answers(tmp_path: Path) -> None:
    terminal = await run_terminal(tmp_path, SCRIPT)
    said = [[r["text"] for r in record["replies"]] for record in terminal]
    # the web page posts the data of the button whose label was typed in the terminal
    requests: list[tuple[int, str, bool]] = []
    buttons: dict[str, str] = {}
    for line, record in zip(SCRIPT, terminal, strict=True):
        requests.append((1, buttons.get(line, line), True))
        buttons = {b["label"]: b["data"] for r in record["replies"] for b in r["buttons"]}
    web = await run_web(tmp_path, requests)
    assert [[r.text for r in web.delivered[i].replies] for i in range(1, 7)] == said
    assert "not medical advice" in said[0][0]
    assert any("Question" in text for text in said[3])  # "No" pressed a check button in both


async def test_hints_are_typed_and_the_origin_comes_back_untouched(tmp_path: Path) -> None:
    web = await run_web(tmp_path, [(2, "/check", True), (2, "t:nothing:9:y", True)])
    first, stale = web.delivered[1], web.delivered[2]
    assert first.hints == DeliveryHints(private=True, notice=None, stale=False)
    assert first.origin == {"request": 1, "page": "/chat"}
    assert stale.hints.stale and stale.hints.notice is not None
    assert stale.origin == {"request": 2, "page": "/chat"}


async def test_the_chat_type_comes_from_the_channel_not_the_ids(tmp_path: Path) -> None:
    web = await run_web(tmp_path, [(3, "/check", False), (3, "/mydata", False)])
    for delivered in web.delivered.values():
        assert delivered.hints.private is False
        assert all(r.triage is None for r in delivered.replies)
    assert texts.GROUP_PRIVATE in web.delivered[2].replies[0].text


def test_the_cores_button_data_fits_telegram() -> None:
    """Button data is made once for every channel: a ceiling above Telegram's would have its
    buttons dropped there."""
    assert MAX_BYTES <= MAX_CALLBACK_DATA
