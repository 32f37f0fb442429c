"""The contract between the core and a channel (Telegram, the terminal, a web chat...).

A channel is one package with two sides:

- receiving: a `Receiver` turns its source's updates into `Incoming` (saying itself whether
  the chat is private) plus an `origin` (the channel's own notes for later, e.g. Telegram's
  callback query id; the core stores them and hands them back untouched), and gives each to
  the core's `Intake`. It acknowledges an update to its source only once `submit` returned
  (then the update is stored) and quarantines what it cannot read;
- sending: a `Sender` delivers one committed `OutboxItem` (the replies, the origin it gave,
  and the core's typed `DeliveryHints`), or raises `DeliveryDeferred` when a later try may
  pass; anything else it raises drops that delivery.

What only one messenger knows (Telegram's 64-byte button data, chat types, file fetching,
HTML and flood limits) stays in that channel's package.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from bot.dialogue.incoming import Incoming
from bot.storage.base import OutboxItem

HINT_KEYS = ("private", "notice", "stale")
"""Where the hints sit in an outbox item's stored `meta`, beside the channel's origin."""
SCRUB_AFTER = "scrub_after"
"""The processor's own note in `meta`: scrub the database again once the item is delivered."""


@dataclass(frozen=True)
class DeliveryHints:
    """What the core tells a channel about one delivery, beside the replies."""

    private: bool = True
    """The chat is one person's (as the channel said on the way in); False for a group, where
    a channel must never show a check's questions (the engine does not send them either)."""
    notice: str | None = None
    """A short line about the input itself (Telegram shows it on the pressed button); a
    channel without such a place may print it or leave it out."""
    stale: bool = False
    """The input pointed at something out of date (an old button): leave that as it was."""

    def to_meta(self) -> dict[str, Any]:
        return {"private": self.private, "notice": self.notice, "stale": self.stale}

    @staticmethod
    def of(item: OutboxItem) -> DeliveryHints:
        """The hints stored with an item (an item from before they were stored: defaults)."""
        meta = item.meta
        notice = meta.get("notice")
        return DeliveryHints(
            private=meta.get("private", True) is not False,
            notice=notice if isinstance(notice, str) and notice else None,
            stale=meta.get("stale") is True,
        )


def origin_of(item: OutboxItem) -> dict[str, Any]:
    """The channel's own notes for this item, as its receiver gave them."""
    return {k: v for k, v in item.meta.items() if k not in (*HINT_KEYS, SCRUB_AFTER)}


class DeliveryDeferred(Exception):
    """A channel could not deliver yet (network, 5xx, 409, 401, flood control): the outbox
    keeps the reply and its sender tries again later."""

    def __init__(
        self, reason: str, retry_after: float | None = None, *, maybe_sent: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        """Seconds the service asked to wait (flood control); None: back off as usual."""
        self.maybe_sent = maybe_sent
        """The request reached the service but no answer came back (a read timeout, a dropped
        connection): it may have been delivered, and trying again may show it twice."""


class Intake(Protocol):
    """The core's receiving end (the Processor)."""

    async def submit(self, update_id: int, incoming: Incoming, origin: Mapping[str, Any]) -> bool:
        """Store the update, then handle it; False for an id seen before. Raises
        StoreUnavailable only when it could not even tell the person to try again."""
        ...

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        """Keep an update that cannot be read as a dead letter."""
        ...


class WaitingIntake(Intake, Protocol):
    """For a channel that answers in line (the terminal, a web request): it can wait until
    everything it submitted has been handled and delivered."""

    async def join(self) -> None: ...


class Receiver(Protocol):
    """A channel's receiving side, given an Intake when made (the poller, the webhook
    server, the terminal): takes updates in and submits each one until `stop` is set or
    its source ends."""

    async def run(self, stop: asyncio.Event) -> None: ...


class Sender(Protocol):
    """A channel's sending side: what the processor delivers to."""

    async def deliver(self, item: OutboxItem) -> None: ...


@runtime_checkable
class FileSource(Protocol):
    """A sender that can also fetch a document's bytes by the handle its receiver put in
    `Incoming.file_id` (Telegram can, for admins' uploads; the terminal cannot)."""

    async def fetch_file(self, file_id: str) -> bytes: ...
