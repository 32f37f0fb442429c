"""Reply -> Telegram messages: escaped HTML, split under the length limit, keyboard last.

The engine writes plain text; escaping happens here and only here, so no dynamic text can
break Telegram's HTML parser. Splitting works on the plain text and counts the escaped
length, so a cut can never fall inside an entity such as `&amp;`.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.replies import Button, Reply

logger = logging.getLogger(__name__)

MAX_MESSAGE = 4096
"""Telegram's limit for one message's text (counted here in UTF-16 units, the stricter way)."""
MAX_CALLBACK_DATA = 64
"""Telegram's limit for callback_data, in bytes."""
EMPTY_TEXT = "…"


@dataclass(frozen=True)
class Chunk:
    html: str
    markup: InlineKeyboardMarkup | None = None


def render(reply: Reply, limit: int = MAX_MESSAGE) -> list[Chunk]:
    """One reply as one or more messages; the keyboard rides on the last one."""
    text = reply.text.strip()
    if not text:
        logger.warning("empty reply text rendered as %r", EMPTY_TEXT)
        text = EMPTY_TEXT
    pieces = [escape(p) for p in split_plain(text, limit)]
    markup = keyboard(reply.buttons)
    return [Chunk(p, markup if i == len(pieces) - 1 else None) for i, p in enumerate(pieces)]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Buttons Telegram would refuse (data over 64 bytes, empty label) are dropped and logged."""
    out: list[list[InlineKeyboardButton]] = []
    for row in rows:
        kept = [InlineKeyboardButton(b.label, callback_data=b.data) for b in row if _valid(b)]
        if kept:
            out.append(kept)
    return InlineKeyboardMarkup(out) if out else None


def _valid(button: Button) -> bool:
    size = len(button.data.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA:
        logger.error("dropped button %r: callback data is %d bytes", button.label[:30], size)
        return False
    if not button.label.strip():
        logger.error("dropped a button with an empty label")
        return False
    return True


def cost(char: str) -> int:
    """Length a character adds once escaped, in UTF-16 code units."""
    if char in "&<>":
        return len(escape(char))
    return 2 if ord(char) > 0xFFFF else 1


def split_plain(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut at a paragraph break, else a line break, else a space, else anywhere."""
    out: list[str] = []
    rest = text
    while rest:
        end = _fit(rest, limit)
        if end == len(rest):
            out.append(rest)
            break
        cut = _best_cut(rest, end)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            out.append(head)
    return out


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` once escaped."""
    used = 0
    for i, char in enumerate(text):
        used += cost(char)
        if used > limit:
            return i
    return len(text)


def _best_cut(text: str, end: int) -> int:
    window = text[:end]
    for sep in ("\n\n", "\n", " "):
        at = window.rfind(sep)
        if at > end // 4:
            return at + len(sep)
    return end
