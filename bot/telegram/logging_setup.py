"""Logging that never shows the bot token, nor what people wrote.

The token sits in every Bot API URL, and httpx logs request URLs at INFO: httpx and httpcore
are held at WARNING, and so are python-telegram-bot (its debug lines hold whole updates) and
aiosqlite (its debug lines hold every SQL parameter, message text included). The bot's own
lines name updates by id, never by their text. As a second guard a filter on the handlers
replaces the token, wherever it appears in a record (message, arguments, traceback), with a
placeholder.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

REDACTED = "<token>"
_NOISY = ("httpx", "httpcore", "telegram", "tornado.access", "aiosqlite")
"""telegram.Bot's debug lines hold whole updates and replies; aiosqlite's every SQL
parameter; httpx's every URL (with the token)."""


class RedactToken(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]
        self._formatter = logging.Formatter()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(level: str, secrets: list[str], stream: TextIO | None = None) -> None:
    """Root logging for `python -m bot run`: one line per record, token-free."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet(level)


def quiet(level: str) -> None:
    """Libraries that log URLs (the token) or SQL parameters (people's text) stay at
    WARNING even when we debug."""
    floor = max(logging.WARNING, logging.getLevelName(level))
    for name in _NOISY:
        logging.getLogger(name).setLevel(floor)
