"""`python -m bot run`: the Telegram bot, or the terminal chat when no token is set.

Start-up problems a person can fix (a malformed setting, a refused token, broken knowledge
files, a broken safety rule file, a database from a newer version) print clear lines and exit
with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings
from bot.safety.rulebook import RulesError

NO_TOKEN_HINT = "No TELEGRAM_BOT_TOKEN set: starting the terminal chat instead (see README)"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    parser.add_argument(
        "--env-file", type=Path, default=Path(".env"), help="settings file (default: .env)"
    )
    parser.set_defaults(func=run_command)


def load_settings(env_file: Path | None) -> Settings:
    from bot.storage import check_database_url

    settings = Settings.from_env(os.environ, env_file)
    try:
        check_database_url(settings.database_url)
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL: {exc}") from None
    if not settings.knowledge_dir.is_dir():
        raise ConfigError(f"KNOWLEDGE_DIR {str(settings.knowledge_dir)!r} is not a directory")
    return settings


def run_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(getattr(args, "env_file", Path(".env")))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if settings.token is None:
            print(NO_TOKEN_HINT, file=sys.stderr)
            terminal = importlib.import_module("bot.terminal")
            return int(terminal.run_chat(settings))
        return run_bot(settings)
    except RulesError as exc:  # the emergency detector will not start on a broken rule file
        print(
            f"error: the safety rule files have {len(exc.problems)} problem(s):", file=sys.stderr
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2


def run_bot(settings: Settings) -> int:
    from telegram.error import InvalidToken

    from bot.knowledge.model import DataError
    from bot.storage.base import StoreTooNew, StoreUnavailable
    from bot.telegram.app import run_telegram
    from bot.telegram.logging_setup import setup_logging

    token = settings.token.get() if settings.token else ""
    setup_logging(settings.log_level, [token, settings.webhook_secret or ""])
    try:
        asyncio.run(run_telegram(settings))
    except KeyboardInterrupt:
        return 130
    except InvalidToken:
        print(
            "error: Telegram refused TELEGRAM_BOT_TOKEN (check it with @BotFather)",
            file=sys.stderr,
        )
        return 2
    except DataError as exc:
        print(f"error: the knowledge files have {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (StoreTooNew, StoreUnavailable) as exc:
        print(f"error: database {settings.database_url!r}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the webhook port is taken
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
