"""The "/" menus in Telegram's apps, one per scope, built from the command registry.

Telegram shows a chat the most specific menu it has: an admin's own chat (BotCommandScopeChat)
over private chats over the default. So everyone sees everyone's commands, private chats add
the private-only ones, and each admin's chat adds the admin commands: no one else sees them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import NetworkError

from bot.dialogue.commands import CommandRegistry

logger = logging.getLogger(__name__)

Menu = tuple[BotCommandScope, list[BotCommand]]


def menus(registry: CommandRegistry, admin_ids: Iterable[int]) -> list[Menu]:
    def listed(private: bool, admin: bool) -> list[BotCommand]:
        return [BotCommand(c.name, c.help) for c in registry.menu(private=private, admin=admin)]

    out: list[Menu] = [
        (BotCommandScopeDefault(), listed(False, False)),
        (BotCommandScopeAllPrivateChats(), listed(True, False)),
    ]
    out += [(BotCommandScopeChat(admin), listed(True, True)) for admin in sorted(admin_ids)]
    return out


async def register_menus(bot: Bot, registry: CommandRegistry, admin_ids: Iterable[int]) -> None:
    """A failure here is not worth failing start-up for: the menus are a convenience."""
    for scope, commands in menus(registry, admin_ids):
        try:
            await bot.set_my_commands(commands, scope=scope)
        except NetworkError as exc:
            logger.warning("could not register the %s command menu: %s", scope.type, exc.message)
