"""`python -m bot chat`: the terminal channel, on the same engine, store and processor.

Buttons print as numbered options; typing the number, the label or the button's data presses
it. With --json every input line yields exactly one JSON line (for scripted question sets).
Input is read as UTF-8 whatever the locale; bytes that are not UTF-8 become U+FFFD, so a
stray byte is answered like any other text rather than ending the session.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from bot.channel import DeliveryHints, WaitingIntake
from bot.config import ConfigError, Settings
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Button, Reply
from bot.knowledge.model import DataError
from bot.processor import clean_text
from bot.runtime import close_runtime, open_runtime
from bot.storage.base import OutboxItem, StoreTooNew, StoreUnavailable

DEFAULT_USER = 1


class TerminalChannel:
    """The terminal's sending side (a `bot.channel.Sender`): collects what the processor
    delivers; the receiver prints it after each input."""

    def __init__(self) -> None:
        self.delivered: list[OutboxItem] = []

    async def deliver(self, item: OutboxItem) -> None:
        self.delivered.append(item)

    def take(self) -> tuple[list[Reply], list[str]]:
        replies = [Reply.from_record(r) for item in self.delivered for r in item.replies]
        notices = [n for item in self.delivered if (n := DeliveryHints.of(item).notice)]
        self.delivered.clear()
        return replies, notices


class Chat:
    def __init__(self, user_id: int, as_json: bool, out: TextIO) -> None:
        self.user_id = user_id
        self.as_json = as_json
        self.out = out
        self.buttons: list[Button] = []
        self._last_id = 0

    def to_incoming(self, line: str) -> Incoming:
        """A line that names a live button (number, label or data) presses it."""
        text = line.strip()
        for number, button in enumerate(self.buttons, start=1):
            if text in (str(number), button.label, button.data) or (
                text.lower() == button.label.lower()
            ):
                return Incoming(self.user_id, self.user_id, kind="button", button=button.data)
        return Incoming(self.user_id, self.user_id, kind="text", text=line)

    def prompt(self) -> None:
        if not self.as_json:
            self.out.write("you> ")
            self.out.flush()

    def next_update_id(self) -> int:
        """Negative ids never collide with Telegram's positive ones in a shared database."""
        candidate = -(time.time_ns() // 1000)
        self._last_id = min(candidate, self._last_id - 1)
        return self._last_id

    def show(self, line: str, replies: list[Reply], notices: list[str]) -> None:
        self.buttons = [b for reply in replies for row in reply.buttons for b in row]
        if self.as_json:
            record = {"input": line, "replies": [r.to_json() for r in replies]}
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.out.flush()
            return
        for notice in notices:
            self.out.write(f"  ({notice})\n")
        number = 1
        for reply in replies:
            self.out.write(f"bot> {reply.text}\n")
            for row in reply.buttons:
                labels = []
                for button in row:
                    labels.append(f"[{number}] {button.label}")
                    number += 1
                self.out.write("     " + "   ".join(labels) + "\n")
        self.out.flush()


class TerminalReceiver:
    """The terminal's receiving side (a `bot.channel.Receiver`): a line in, its replies out,
    until the input ends."""

    def __init__(
        self, intake: WaitingIntake, channel: TerminalChannel, session: Chat, inp: TextIO
    ) -> None:
        self.intake = intake
        self.channel = channel
        self.session = session
        self.inp = inp

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            self.session.prompt()
            line = await loop.run_in_executor(None, self.inp.readline)
            if not line:
                return
            line = clean_text(line.rstrip("\n"))
            incoming = self.session.to_incoming(line)
            await self.intake.submit(self.session.next_update_id(), incoming, {})
            await self.intake.join()
            replies, notices = self.channel.take()
            self.session.show(line, replies, notices)


async def chat(settings: Settings, user_id: int, as_json: bool, inp: TextIO, out: TextIO) -> int:
    channel = TerminalChannel()
    runtime = await open_runtime(settings, channel)
    session = Chat(user_id, as_json, out)
    await runtime.processor.join()
    channel.take()  # anything replayed from an earlier run was for then, not now
    if not as_json:
        out.write("Chat with the bot (Ctrl-D to quit). Try: why does my back hurt with the flu?\n")
        out.flush()
    try:
        await TerminalReceiver(runtime.processor, channel, session, inp).run(asyncio.Event())
    finally:
        await close_runtime(runtime)
    return 0


def run_chat(settings: Settings, user_id: int = DEFAULT_USER, as_json: bool = False) -> int:
    try:
        inp, out = _utf8(sys.stdin), _utf8(sys.stdout)
        return asyncio.run(chat(settings, user_id, as_json, inp, out))
    except DataError as exc:
        print(f"The knowledge files have problems:\n{exc}", file=sys.stderr)
    except (StoreTooNew, StoreUnavailable) as exc:
        print(f"Cannot open the database: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 0
    return 2


def _utf8(stream: TextIO) -> TextIO:
    """The same stream as UTF-8, replacing what cannot be decoded or encoded."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="replace")
    return stream


def _command(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(os.environ, Path(".env"))
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return run_chat(settings, args.user, args.json)


def register(sub: Any) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal")
    parser.add_argument("--user", type=int, default=DEFAULT_USER, help="who is talking (user id)")
    parser.add_argument("--json", action="store_true", help="one JSON line per input line")
    parser.set_defaults(func=_command)
