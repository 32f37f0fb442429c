"""Persistence: pick a Store backend from DATABASE_URL.

    store = open_store("sqlite:///data/bot.sqlite3")   # relative to the working directory
    async with store:                                  # or: await store.open() ... close()
        ...

Supported: `sqlite:///relative/path`, `sqlite:////absolute/path`, `sqlite://` or
`sqlite:///:memory:` (in memory, tests only); `?mode=ro` opens an existing file read-only.
`postgresql://user:password@host:5432/dbname` (or `postgres://`) uses PostgreSQL, which
several bot instances can share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from bot.storage.base import (
    Commit,
    DeadLetter,
    InboxItem,
    OutboxItem,
    Store,
    StoredState,
    StoreTooNew,
    StoreUnavailable,
    UnansweredQuestion,
)
from bot.storage.common import redact_url as _redact
from bot.storage.postgres import POSTGRES_SCHEMES, PostgresStore
from bot.storage.sqlite import MEMORY, SqliteStore

__all__ = [
    "Commit",
    "DeadLetter",
    "InboxItem",
    "OutboxItem",
    "PostgresStore",
    "SqliteStore",
    "Store",
    "StoreTooNew",
    "StoreUnavailable",
    "StoredState",
    "UnansweredQuestion",
    "check_database_url",
    "open_store",
    "sqlite_path",
]

_SQLITE_SCHEMES = ("sqlite://", "sqlite+aiosqlite://")
_EXAMPLES = (
    "sqlite:///data/bot.sqlite3 (relative), sqlite:////var/lib/bot/bot.sqlite3 (absolute) "
    "or postgresql://user:password@host:5432/dbname"
)


def open_store(
    database_url: str,
    *,
    retention_days: int = 30,
    busy_timeout_ms: int = 5000,
    clock: Callable[[], datetime] | None = None,
) -> SqliteStore | PostgresStore:
    """Build the store named by the URL (not yet opened: `await store.open()` or `async with`).

    Raises ValueError for a URL this bot cannot use, saying what would work.
    """
    if _is_postgres(database_url):
        return PostgresStore(database_url.strip(), retention_days=retention_days, clock=clock)
    path, read_only = sqlite_path(database_url)
    return SqliteStore(
        path,
        retention_days=retention_days,
        busy_timeout_ms=busy_timeout_ms,
        read_only=read_only,
        clock=clock,
    )


def check_database_url(database_url: str) -> None:
    """Raise ValueError (saying what would work) for a URL no backend can use."""
    if _is_postgres(database_url):
        return
    sqlite_path(database_url)


def _is_postgres(database_url: str) -> bool:
    return database_url.strip().lower().startswith(POSTGRES_SCHEMES)


def sqlite_path(database_url: str) -> tuple[str | Path, bool]:
    """(file path or ":memory:", read_only) from a sqlite URL."""
    url = database_url.strip()
    scheme = next((s for s in _SQLITE_SCHEMES if url.lower().startswith(s)), None)
    if scheme is None:
        name = url.split(":", 1)[0] if ":" in url else url
        raise ValueError(
            f"unsupported DATABASE_URL {_redact(url)!r}: only SQLite and PostgreSQL are "
            f"supported (got {name!r}); use e.g. {_EXAMPLES}"
        )
    rest, _, query = url[len(scheme) :].partition("?")
    read_only = _read_only(query, url)
    if rest in ("", MEMORY, "/" + MEMORY):
        if read_only:
            raise ValueError("an in-memory database cannot be opened read-only")
        return MEMORY, False
    if not rest.startswith("/"):
        raise ValueError(
            f"DATABASE_URL {url!r} names a host ({rest.split('/', 1)[0]!r}); SQLite URLs have "
            f"three slashes before a relative path and four before an absolute one: {_EXAMPLES}"
        )
    path = unquote(rest[1:])
    if not path or path.endswith("/"):
        raise ValueError(f"DATABASE_URL {url!r} has no file name; use e.g. {_EXAMPLES}")
    return Path(path), read_only


def _read_only(query: str, url: str) -> bool:
    options = dict(parse_qsl(query, keep_blank_values=True))
    mode = options.pop("mode", "rwc")
    if options or mode not in ("ro", "rw", "rwc"):
        raise ValueError(f"DATABASE_URL {url!r}: the only supported option is mode=ro (read-only)")
    return mode == "ro"
