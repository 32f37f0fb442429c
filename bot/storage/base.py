"""The store contract every backend (SQLite, PostgreSQL) must pass, split by role.

The dialogue engine never touches a store: the update processor reads a person's state,
runs the engine, and hands back one `Commit` that the store applies atomically.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class StoreUnavailable(Exception):
    """The database cannot be used right now (locked, read-only, disk full, corrupt)."""


class StoreTooNew(Exception):
    """The database was written by a newer version of the bot; refusing to touch it."""


@dataclass(frozen=True)
class InboxItem:
    """An update accepted from Telegram and persisted before it is acknowledged."""

    update_id: int
    user_id: int
    payload: dict[str, Any]


@dataclass(frozen=True)
class OutboxItem:
    """Replies produced by a committed update, kept until the channel confirms delivery."""

    update_id: int
    user_id: int
    chat_id: int
    replies: list[dict[str, Any]]
    """Reply.to_record() dicts, plus whatever the channel needs (e.g. the pressed message)."""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredState:
    user_id: int
    state: dict[str, Any]
    """The engine's ConversationState as JSON; empty for someone new."""
    version: int
    """Bumped on every commit; a commit naming an older version is refused."""


@dataclass(frozen=True)
class UnansweredQuestion:
    text: str
    best_score: float
    at: datetime


@dataclass(frozen=True)
class DeadLetter:
    """An update that could not be read or stored: kept raw for an admin, then purged."""

    update_id: int | None
    user_id: int | None
    raw: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Commit:
    """Everything one update changes, applied in one transaction or not at all."""

    update_id: int
    user_id: int
    chat_id: int
    expected_version: int
    state: dict[str, Any]
    replies: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)
    region: str | None = None
    history: list[str] = field(default_factory=list)
    """Topic ids answered for this person (for "more on that"); no free text."""
    unanswered: list[tuple[str, float]] = field(default_factory=list)
    """(question text, best score), stored without any user id."""
    feedback: list[tuple[str, int]] = field(default_factory=list)
    """(topic id, +1 or -1)."""
    outcomes: list[str] = field(default_factory=list)
    """Check outcome levels reached by this update (counted for /stats, no user id)."""
    questions_asked: int = 0
    questions_answered: int = 0


class UpdateJournal(Protocol):
    """Inbox, commit and outbox: the exactly-once path of an update."""

    async def enqueue(self, item: InboxItem) -> bool:
        """Persist an incoming update; False when this update id was seen before."""

    async def pending(self) -> list[InboxItem]:
        """Accepted but not yet committed updates, oldest first (replayed after a crash)."""

    async def pending_for(self, user_id: int) -> list[InboxItem]:
        """One person's accepted, uncommitted updates, oldest first, whichever instance
        accepted them: the holder of the person's lock handles them in this order."""

    async def commit(self, commit: Commit) -> bool:
        """Apply atomically; False (and change nothing) if the update was already committed
        or the state version moved on."""

    async def was_committed(self, update_id: int) -> bool:
        """Tells a duplicate from a version conflict after commit() returned False."""

    async def discard(self, update_id: int) -> None:
        """Mark an update that keeps failing as handled, so restarts do not replay it forever."""

    async def undelivered(self) -> list[OutboxItem]:
        """Committed replies not yet confirmed delivered, oldest first."""

    async def mark_delivered(self, update_id: int) -> None: ...

    async def outbox_depth(self) -> int:
        """How many committed updates still wait for delivery (for /metrics)."""

    async def claim_reply(
        self, user_id: int, owner: str, lease_seconds: float
    ) -> OutboxItem | None:
        """The oldest undelivered reply of one person, leased to `owner` for `lease_seconds`
        (renewed by claiming again). None when there is none, or when another owner's lease
        on it has not expired: one sender at a time, a person's replies strictly in order."""

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        """Keep an update that cannot be read or stored (dead letter) and, when it has an
        id, mark that id processed so a redelivery of it is a duplicate."""


class UserStates(Protocol):
    """The engine's per-person conversation state, versioned against lost updates."""

    async def load(self, user_id: int) -> StoredState: ...


class Privacy(Protocol):
    """What a person can see (/mydata) and erase (/forget)."""

    async def scrub(self) -> None:
        """Make deleted rows unrecoverable from the files (after /forget): with SQLite,
        checkpoint and truncate the write-ahead log."""

    async def user_data(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one person, for /mydata."""

    async def forget(self, user_id: int) -> None:
        """Delete every row that holds this person's id."""

    async def forget_and_reply(self, commit: Commit) -> bool:
        """/forget in one transaction: delete everything about commit.user_id and queue the
        confirmation (its outbox row goes on delivery). False if already committed."""


class Analytics(Protocol):
    """Aggregates without user ids, for admins, plus their retention."""

    async def purge(self, now: datetime | None = None) -> int:
        """Drop history, unanswered questions and processed update ids past retention."""

    async def unanswered(self, limit: int = 200) -> list[UnansweredQuestion]: ...

    async def dismiss_unanswered(self, texts: list[str]) -> int: ...

    async def stats(self) -> dict[str, Any]:
        """Counts only: people, questions, answered share, outcomes by level, feedback,
        quarantined updates."""

    async def dead_letters(self, limit: int = 20) -> list[DeadLetter]:
        """Quarantined updates, newest first (for admins)."""


class PersonLock(Protocol):
    """Mutual exclusion per person across every worker on the same database."""

    def person_lock(self, user_id: int) -> AbstractAsyncContextManager[None]:
        """Held while one person's updates are handled and their replies delivered, so two
        workers (in one process or several) never interleave the same person's turns."""


class Leadership(Protocol):
    """A lease naming the one instance that may do a singleton job (long polling)."""

    async def try_lead(self, name: str, holder: str, ttl: float) -> bool:
        """Take or renew lease `name` for `holder` for `ttl` seconds; False while another
        live holder has it."""

    async def resign(self, name: str, holder: str) -> None:
        """Give the lease up at once (orderly shutdown) so another instance takes over."""


class Store(UpdateJournal, UserStates, Privacy, Analytics, PersonLock, Leadership, Protocol):
    """Every role together: what the processor, admin layer and runtime are given."""

    async def open(self) -> None:
        """Create or migrate the database; raise StoreTooNew for a newer schema."""

    async def close(self) -> None: ...
