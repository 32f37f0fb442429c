"""Helpers every backend shares: how times and JSON are stored, and the retention rules."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.storage.base import Commit


class Row(Protocol):
    """A database row read by position (sqlite3.Row, asyncpg.Record, a tuple)."""

    def __getitem__(self, index: int, /) -> Any: ...


HISTORY_KEPT = 20
"""Topic ids kept per person; older ones are dropped on the next commit."""
PROCESSED_DAYS_MAX = 7
"""Processed update ids are kept min(retention, this) days: Telegram never redelivers later."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_ts(at: datetime) -> int:
    """Epoch seconds; naive datetimes are taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return int(at.timestamp())


def from_ts(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def dumps(value: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_feedback(commit: Commit) -> None:
    """Refuse a commit whose feedback is not a vote, before anything is written."""
    for topic, value in commit.feedback:
        if value not in (-1, 1):
            raise ValueError(f"feedback for {topic!r} must be +1 or -1, got {value!r}")


def redact_url(url: str) -> str:
    """Hide a password in scheme://user:password@host URLs before echoing them."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, creds = head.partition("://")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}"


def purge_cutoffs(now: datetime, retention: timedelta) -> tuple[int, int]:
    """(history and unanswered cutoff, processed update ids cutoff) as epoch seconds."""
    processed = min(retention, timedelta(days=PROCESSED_DAYS_MAX))
    return to_ts(now - retention), to_ts(now - processed)


def user_data_record(
    user_id: int,
    user: Row | None,
    state: Row | None,
    history: Iterable[Row],
    counts: Row,
) -> dict[str, Any]:
    """/mydata as JSON-ready data from the rows any backend read: user (region, first_seen),
    state (json, version, updated_at), history (topic_id, at), counts (pending, done, outbox)."""
    return {
        "user_id": user_id,
        "region": user[0] if user else None,
        "first_seen": from_ts(user[1]).isoformat() if user else None,
        "state": json.loads(state[0]) if state else {},
        "state_version": int(state[1]) if state else 0,
        "state_updated_at": from_ts(state[2]).isoformat() if state else None,
        "history": [{"topic_id": h[0], "at": from_ts(h[1]).isoformat()} for h in history],
        "pending_updates": int(counts[0]),
        "processed_updates": int(counts[1]),
        "undelivered_replies": int(counts[2]),
    }


def stats_record(
    people: int,
    totals: Row,
    outcomes: Iterable[Row],
    feedback: Iterable[Row],
    open_questions: int,
    quarantined: int,
) -> dict[str, Any]:
    """/stats from counts: totals (asked, answered), outcomes (level, n), feedback (topic,
    up, down), quarantined (dead letters)."""
    asked, answered = int(totals[0]), int(totals[1])
    return {
        "people": int(people),
        "questions_asked": asked,
        "questions_answered": answered,
        "answered_share": (answered / asked) if asked else None,
        "outcomes": {str(r[0]): int(r[1]) for r in outcomes},
        "feedback": {str(r[0]): {"up": int(r[1]), "down": int(r[2])} for r in feedback},
        "unanswered": int(open_questions),
        "quarantined": int(quarantined),
    }


def asker_hash(key: bytes, user_id: int) -> str:
    """Keyed hash of a person's id: finds their unanswered questions for /forget, but cannot
    be turned back into an id without the key (kept in the same database)."""
    return hashlib.blake2b(str(user_id).encode(), key=key, digest_size=16).hexdigest()
