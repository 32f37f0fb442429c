"""One command registry: every command is routed, listed in /help (or /admin) and in exactly
the menus its scope names, as Telegram's apps would show them (through the emulator)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botapi_emulator import TOKEN, BotApiEmulator
from chat_driver import Conversation, real_knowledge

from bot.admin.commands import ADMIN_HELP
from bot.bundle import Knowledge
from bot.config import Settings
from bot.dialogue import texts
from bot.dialogue.commands import Command, CommandRegistry, Scope, parse_command
from bot.runtime import COMMANDS
from bot.telegram.app import connect, make_bot, register_commands

ADMIN, PERSON, GROUP = 4242, 1001, -100777

USER_COMMANDS = [c for c in COMMANDS.commands if not c.admin_only]
ADMIN_ONLY = [c for c in COMMANDS.commands if c.admin_only]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return real_knowledge()


def listed(menu: list[dict[str, str]]) -> dict[str, str]:
    return {c["command"]: c["description"] for c in menu}


def test_the_registry_has_both_kinds_of_command() -> None:
    assert {"start", "help", "check", "forget"} <= {c.name for c in USER_COMMANDS}
    assert {"reload", "stats", "admin"} <= {c.name for c in ADMIN_ONLY}


@pytest.mark.parametrize("command", USER_COMMANDS, ids=lambda c: c.name)
def test_each_command_is_routed_and_in_help(knowledge: Knowledge, command: Command[Any]) -> None:
    chat = Conversation(knowledge)
    chat.say("/help")
    assert f"/{command.name} — {command.help}" in chat.text
    chat.say(f"/{command.name}")
    assert texts.UNKNOWN_COMMAND not in chat.text
    group = Conversation(knowledge, private=False)
    group.say(f"/{command.name}@SoreBackTestBot")
    refused = command.in_groups or texts.GROUP_PRIVATE
    assert (refused in group.text) == command.private_only


@pytest.mark.parametrize("command", ADMIN_ONLY, ids=lambda c: c.name)
def test_admin_commands_are_unknown_to_people_and_absent_from_help(
    knowledge: Knowledge, command: Command[Any]
) -> None:
    chat = Conversation(knowledge)
    chat.say("/help")
    assert f"/{command.name}" not in chat.text
    chat.say(f"/{command.name}")
    assert texts.UNKNOWN_COMMAND in chat.text
    assert f"/{command.name} — {command.help}" in ADMIN_HELP


async def test_menus_follow_the_registry(api: BotApiEmulator) -> None:
    settings = Settings(token=TOKEN, base_url=api.base_url, admin_ids=frozenset({ADMIN}))
    bot = make_bot(settings)
    try:
        assert await connect(bot, asyncio.Event())
        await register_commands(bot, settings.admin_ids)
    finally:
        await bot.shutdown()
    person, group, admin = (listed(api.menu_for(chat)) for chat in (PERSON, GROUP, ADMIN))
    for command in COMMANDS.commands:
        assert admin[command.name] == command.help
        assert (command.name in person) == (not command.admin_only)
        assert (command.name in group) == (command.scope is Scope.ALL_CHATS)
        if command.name in person:
            assert person[command.name] == command.help
    assert list(admin) == [c.name for c in COMMANDS.commands]  # registry order


def test_parse_command() -> None:
    call = parse_command("  /Region@SoreBackTestBot   uk ")
    assert call is not None and (call.name, call.arg) == ("region", "uk")
    call = parse_command("/help")
    assert call is not None and (call.name, call.arg) == ("help", "")
    assert parse_command("help me") is None
    assert parse_command(None) is None


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (Command("Bad-Name", "x", Scope.ALL_CHATS, False, False, None), "name"),
        (Command("x", "", Scope.ALL_CHATS, False, False, None), "help"),
        (Command("x", "x", Scope.ALL_CHATS, False, True, None), "admin"),
        (Command("x", "x", Scope.ADMINS, True, False, None), "admin"),
        (Command("x", "x", Scope.ALL_CHATS, True, False, None), "groups"),
    ],
)
def test_an_inconsistent_command_is_refused_at_start(command: Command[Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        CommandRegistry([command])


def test_a_command_registered_twice_is_refused() -> None:
    command = Command("x", "x", Scope.ALL_CHATS, False, False, None)
    with pytest.raises(ValueError, match="twice"):
        CommandRegistry([command, command])
