"""One list of commands, read by everything: routing, the /help text and the channels' menus.

A command is one `Command` entry beside its handler (the engine's in `engine.py`, the admins'
in `admin/commands.py`); the runtime joins both lists into one `CommandRegistry`, which
checks them once at start-up. Nothing else names a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

H = TypeVar("H")

NAME = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_HELP = 256


class Scope(Enum):
    """Which menus show the command (it is routed wherever its guards allow)."""

    ALL_CHATS = "all chats"
    """Everyone's menu, groups included."""
    PRIVATE_CHATS = "private chats"
    """Everyone's menu in a private chat with the bot."""
    ADMINS = "admins"
    """Only each admin's own menu."""


@dataclass(frozen=True)
class Command(Generic[H]):
    name: str
    """Without the slash: lowercase letters, digits and _, at most 32."""
    help: str
    """One line for /help and the menu."""
    scope: Scope
    private_only: bool
    """Refused in groups (with `in_groups`, or a general line)."""
    admin_only: bool
    """Only for admin ids; for anyone else it is an unknown command."""
    handler: H
    in_groups: str = ""
    """What a group is told instead, for a private-only command."""


@dataclass(frozen=True)
class CommandCall:
    """A typed command: `/region uk` gives name "region", arg "uk"."""

    name: str
    arg: str


def parse_command(text: str | None) -> CommandCall | None:
    """`/name[@bot] [arg]` as a CommandCall; None if the text is not a command."""
    text = (text or "").strip()
    if not text.startswith("/"):
        return None
    head, *rest = text.split(maxsplit=1)
    name = head[1:].split("@", 1)[0].lower()
    return CommandCall(name, rest[0].strip() if rest else "")


class CommandRegistry:
    """Every command the bot has, in menu order, checked for consistency when built."""

    def __init__(self, commands: Iterable[Command[Any]]) -> None:
        self.commands: tuple[Command[Any], ...] = tuple(commands)
        self._by_name: dict[str, Command[Any]] = {}
        for command in self.commands:
            problem = _problem(command)
            if problem is None and command.name in self._by_name:
                problem = "registered twice"
            if problem is not None:
                raise ValueError(f"command /{command.name}: {problem}")
            self._by_name[command.name] = command

    def get(self, name: str) -> Command[Any] | None:
        return self._by_name.get(name)

    def menu(self, *, private: bool, admin: bool) -> list[Command[Any]]:
        """What one chat's menu lists: group, private, or an admin's own chat."""
        shown = {Scope.ALL_CHATS}
        if private:
            shown.add(Scope.PRIVATE_CHATS)
        if private and admin:
            shown.add(Scope.ADMINS)
        return [c for c in self.commands if c.scope in shown]


def help_lines(commands: Sequence[Command[Any]]) -> str:
    return "\n".join(f"• /{c.name} — {c.help}" for c in commands)


def _problem(command: Command[Any]) -> str | None:
    if not NAME.match(command.name):
        return "a name is 1-32 lowercase letters, digits or _"
    if not 1 <= len(command.help) <= MAX_HELP or "\n" in command.help:
        return f"help is one line of 1-{MAX_HELP} characters"
    if command.admin_only != (command.scope is Scope.ADMINS):
        return "admin-only commands, and only they, belong in the admins' menu"
    if command.private_only and command.scope is Scope.ALL_CHATS:
        return "a private-only command must not be offered in groups"
    return None
