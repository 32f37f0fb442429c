"""The Store on SQLite through aiosqlite: one connection, its own thread, WAL.

aiosqlite runs every statement on the connection's worker thread, so the event loop never waits
on disk. An asyncio.Lock makes each store call own the connection for its whole duration, so the
statements of two transactions never interleave. Errors that mean "the database cannot be used
right now" become StoreUnavailable (logged once per incident); anything else is a bug and
propagates unchanged.

Two guards for privacy and integrity: `secure_delete` is on (deleted rows are overwritten
with zeros, and /forget truncates the write-ahead log, see `scrub`), and every call first
checks that the database file is still the one opened: a file deleted or replaced under the
running bot is logged CRITICAL once and every later call raises StoreUnavailable, so nothing
is written into an unlinked file that a restart would never see.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import aiosqlite

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
from bot.storage.common import (
    HISTORY_KEPT,
    check_feedback,
    purge_cutoffs,
    stats_record,
    user_data_record,
)
from bot.storage.common import dumps as _dumps
from bot.storage.common import from_ts as _dt
from bot.storage.common import now_utc as _now
from bot.storage.common import to_ts as _ts
from bot.storage.local_locks import LocalLocks
from bot.storage.migrations import MIGRATIONS, Migration

log = logging.getLogger(__name__)

MEMORY = ":memory:"

# Primary SQLite result codes (low byte of the extended code) that mean "not usable now".
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_READONLY = {3, 8, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH
_FULL = {13}  # SQLITE_FULL
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_IO = {10, 14}  # SQLITE_IOERR, SQLITE_CANTOPEN


class _Rejected(Exception):
    """Raised inside a transaction to roll it back and report False."""


class SqliteStore:
    """Store backed by one SQLite file (or ":memory:" for tests)."""

    def __init__(
        self,
        path: str | Path,
        *,
        retention_days: int = 30,
        busy_timeout_ms: int = 5000,
        synchronous: str = "NORMAL",
        read_only: bool = False,
        max_page_count: int | None = None,
        clock: Callable[[], datetime] | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        """`synchronous`: NORMAL survives a killed process in WAL mode (only power loss can drop
        the last commits); FULL also survives power loss at the cost of an fsync per commit.
        `max_page_count` caps the file size: beyond it writes fail like a full disk."""
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        if synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"unknown synchronous mode {synchronous!r}")
        self.path = path if path == MEMORY else Path(path)
        self.retention = timedelta(days=retention_days)
        self.busy_timeout_ms = int(busy_timeout_ms)
        self.synchronous = synchronous.upper()
        self.read_only = read_only
        self.max_page_count = None if max_page_count is None else int(max_page_count)
        self._clock = clock or _now
        self._migrations = tuple(migrations)
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._incident: str | None = None
        self._local = LocalLocks(self.path)
        self._identity: tuple[int, int] | None = None
        """(device, inode) of the file opened; another (or none) means the file went away."""
        self._lost: str | None = None
        self._asker_key = b""

    @property
    def schema_version(self) -> int:
        """The schema version this code writes."""
        return len(self._migrations)

    # ----------------------------------------------------------------- lifecycle

    async def open(self) -> None:
        """Create the folder and file if needed, set pragmas, apply pending migrations."""
        if self._db is not None:
            return
        if isinstance(self.path, Path) and not self.read_only:
            await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
        try:
            database, uri = self._connect_args()
            # isolation_level=None: no implicit transactions, we issue BEGIN/COMMIT ourselves.
            db = await aiosqlite.connect(database, uri=uri, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc
        try:
            await self._prepare(db)
            self._asker_key = await self._load_asker_key(db)
            self._identity = await asyncio.to_thread(self._file_identity)
        except BaseException as exc:
            await db.close()
            if isinstance(exc, sqlite3.Error) and self._classify(exc):
                raise self._unavailable(exc) from exc
            raise
        self._db = db

    async def close(self) -> None:
        self._local.release_all()
        db, self._db = self._db, None
        if db is not None:
            async with self._lock:
                await db.close()

    async def __aenter__(self) -> SqliteStore:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _connect_args(self) -> tuple[str, bool]:
        if self.path == MEMORY:
            return MEMORY, False
        if self.read_only:
            return f"file:{quote(str(self.path))}?mode=ro", True
        return str(self.path), False

    async def _prepare(self, db: aiosqlite.Connection) -> None:
        await db.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA secure_delete = ON")
        found = await self._user_version(db)
        if found > self.schema_version:
            raise StoreTooNew(
                f"database schema v{found} is newer than this bot (v{self.schema_version}); "
                f"upgrade the bot or use another DATABASE_URL (database: {self.path})"
            )
        if self.path != MEMORY and not self.read_only:
            mode = await self._scalar(db, "PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                log.warning("SQLite journal_mode is %s, not WAL, for %s", mode, self.path)
        await db.execute(f"PRAGMA synchronous = {self.synchronous}")
        if self.max_page_count is not None:
            await db.execute(f"PRAGMA max_page_count = {self.max_page_count}")
        await self._migrate(db, found)

    async def _migrate(self, db: aiosqlite.Connection, found: int) -> None:
        for version in range(found + 1, self.schema_version + 1):
            try:
                await db.execute("BEGIN IMMEDIATE")
                # Another process may have migrated while we waited for the write lock.
                if await self._user_version(db) >= version:
                    await db.execute("ROLLBACK")
                    continue
                for statement in self._migrations[version - 1]:
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version}")
                await db.execute("COMMIT")
            except BaseException:
                await self._rollback(db)
                log.error("migration to schema v%d failed for %s", version, self.path)
                raise
            log.info("database %s migrated to schema v%d", self.path, version)

    async def _load_asker_key(self, db: aiosqlite.Connection) -> bytes:
        if self.schema_version < 2:  # an old schema under test: no asker hashes
            return b""
        return bytes(
            await self._scalar(db, "SELECT value FROM secrets WHERE name = 'asker_key'") or b""
        )

    def _file_identity(self) -> tuple[int, int] | None:
        if not isinstance(self.path, Path):
            return None
        info = os.stat(self.path)
        return info.st_dev, info.st_ino

    def _check_file(self) -> None:
        """Raise StoreUnavailable if the file opened was deleted or replaced (a stat: cheap)."""
        if self._lost is None and self._identity is not None:
            try:
                now = self._file_identity()
            except OSError:
                now = None
            if now != self._identity:
                self._lost = f"database file {self.path} was deleted or replaced while running"
                log.critical(
                    "%s; refusing to write into a file a restart would not find. "
                    "Restore the file (or restart on a new one) and restart the bot.",
                    self._lost,
                )
        if self._lost is not None:
            raise StoreUnavailable(self._lost)

    def _asker(self, user_id: int) -> str:
        """Keyed hash of a person's id: finds their unanswered questions for /forget, but
        cannot be turned back into an id without the key kept in the same database."""
        digest = hashlib.blake2b(str(user_id).encode(), key=self._asker_key, digest_size=16)
        return digest.hexdigest()

    @staticmethod
    async def _user_version(db: aiosqlite.Connection) -> int:
        return int(await SqliteStore._scalar(db, "PRAGMA user_version"))

    @staticmethod
    async def _scalar(db: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await SqliteStore._first(db, sql, params)
        return row[0] if row else None

    @staticmethod
    async def _first(
        db: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()
    ) -> sqlite3.Row | None:
        return next(iter(await db.execute_fetchall(sql, params)), None)

    # ----------------------------------------------------------------- plumbing

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[aiosqlite.Connection]:
        """Own the connection for one call; availability errors become StoreUnavailable."""
        db = self._db
        if db is None:
            raise RuntimeError("store is not open; call `await store.open()` first")
        async with self._lock:
            self._check_file()
            try:
                yield db
            except sqlite3.Error as exc:
                if not self._classify(exc):
                    raise
                raise self._unavailable(exc) from exc
            if self._incident is not None:
                log.info("database %s is usable again", self.path)
                self._incident = None

    @asynccontextmanager
    async def _transaction(
        self, begin: str = "BEGIN IMMEDIATE"
    ) -> AsyncIterator[aiosqlite.Connection]:
        """One transaction; rolled back on any exception (including cancellation)."""
        async with self._guard() as db:
            try:
                await db.execute(begin)
                yield db
                await db.execute("COMMIT")
            except BaseException:
                # Shielded: a second cancellation must not skip it. aiosqlite runs statements
                # in order, so this ROLLBACK follows whatever was already queued.
                await asyncio.shield(self._rollback(db))
                raise

    @staticmethod
    async def _rollback(db: aiosqlite.Connection) -> None:
        try:
            await db.execute("ROLLBACK")
        except sqlite3.Error as exc:  # no transaction was active (BEGIN or COMMIT failed)
            log.debug("rollback: %s", exc)

    @staticmethod
    def _classify(exc: sqlite3.Error) -> str | None:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return None
        primary = code & 0xFF
        for kind, codes in (
            ("locked", _BUSY),
            ("read-only", _READONLY),
            ("full", _FULL),
            ("corrupt", _CORRUPT),
            ("io", _IO),
        ):
            if primary in codes:
                return kind
        return None

    def _unavailable(self, exc: sqlite3.Error) -> StoreUnavailable:
        """Build the error and log it once per incident (not once per failing call)."""
        kind = self._classify(exc) or "io"
        where = self.path
        message = {
            "locked": f"database {where} is locked by another process "
            f"(waited {self.busy_timeout_ms} ms)",
            "read-only": f"database {where} is read-only",
            "full": f"database {where} is full (disk full or size limit reached)",
            "corrupt": f"database {where} is corrupt or not a SQLite database; "
            "leaving the file untouched",
            "io": f"cannot read or write database {where}",
        }[kind]
        message = f"{message}: {exc}"
        if self._incident != kind:
            log.error("storage unavailable: %s", message)
            self._incident = kind
        return StoreUnavailable(message)

    # ----------------------------------------------------------------- inbox

    async def enqueue(self, item: InboxItem) -> bool:
        async with self._guard() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO inbox (update_id, user_id, payload, received_at, status)"
                " VALUES (?, ?, ?, ?, 'pending')",
                (item.update_id, item.user_id, _dumps(item.payload), _ts(self._clock())),
            )
            return cursor.rowcount == 1

    async def pending(self) -> list[InboxItem]:
        async with self._guard() as db:
            rows = await db.execute_fetchall(
                "SELECT update_id, user_id, payload FROM inbox"
                " WHERE status = 'pending' ORDER BY update_id"
            )
        return [InboxItem(r[0], r[1], json.loads(r[2])) for r in rows]

    async def pending_for(self, user_id: int) -> list[InboxItem]:
        async with self._guard() as db:
            rows = await db.execute_fetchall(
                "SELECT update_id, user_id, payload FROM inbox"
                " WHERE status = 'pending' AND user_id = ? ORDER BY update_id",
                (user_id,),
            )
        return [InboxItem(r[0], r[1], json.loads(r[2])) for r in rows]

    async def was_committed(self, update_id: int) -> bool:
        """True when this update was committed (or discarded): tells a duplicate from a
        version conflict after commit() returned False."""
        async with self._guard() as db:
            status = await self._scalar(
                db, "SELECT status FROM inbox WHERE update_id = ?", (update_id,)
            )
        return bool(status == "done")

    async def discard(self, update_id: int) -> None:
        """Mark a pending update handled without effects (it keeps failing), so a restart does
        not replay it forever. Its id stays in the processed set until purge."""
        async with self._guard() as db:
            await db.execute(
                "UPDATE inbox SET status = 'done', payload = NULL WHERE update_id = ?",
                (update_id,),
            )

    # ----------------------------------------------------------------- state

    async def load(self, user_id: int) -> StoredState:
        async with self._guard() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT state, version FROM state WHERE user_id = ?", (user_id,)
                )
            )
        if not rows:
            return StoredState(user_id, {}, 0)
        return StoredState(user_id, json.loads(rows[0][0]), int(rows[0][1]))

    async def commit(self, commit: Commit) -> bool:
        check_feedback(commit)
        now = self._clock()
        ts = _ts(now)
        try:
            async with self._transaction() as db:
                await self._check_fresh(db, commit)
                await db.execute(
                    "INSERT INTO users (id, region, first_seen) VALUES (?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET region = coalesce(excluded.region, region)",
                    (commit.user_id, commit.region, ts),
                )
                await db.execute(
                    "INSERT INTO state (user_id, state, version, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET state = excluded.state,"
                    " version = excluded.version, updated_at = excluded.updated_at",
                    (commit.user_id, _dumps(commit.state), commit.expected_version + 1, ts),
                )
                await self._mark_done(db, commit.update_id, commit.user_id, ts)
                await self._write_outbox(db, commit, ts)
                await self._write_history(db, commit, ts)
                await self._write_aggregates(db, commit, now)
        except _Rejected:
            return False
        return True

    async def _check_fresh(self, db: aiosqlite.Connection, commit: Commit) -> None:
        rows = list(
            await db.execute_fetchall(
                "SELECT (SELECT status FROM inbox WHERE update_id = ?),"
                " (SELECT version FROM state WHERE user_id = ?)",
                (commit.update_id, commit.user_id),
            )
        )
        status, version = rows[0]
        if status == "done" or (version or 0) != commit.expected_version:
            raise _Rejected

    @staticmethod
    async def _mark_done(
        db: aiosqlite.Connection, update_id: int, user_id: int | None, ts: int
    ) -> None:
        await db.execute(
            "INSERT INTO inbox (update_id, user_id, payload, received_at, status)"
            " VALUES (?, ?, NULL, ?, 'done')"
            " ON CONFLICT (update_id) DO UPDATE SET status = 'done', payload = NULL,"
            " user_id = excluded.user_id",
            (update_id, user_id, ts),
        )

    @staticmethod
    async def _write_outbox(db: aiosqlite.Connection, commit: Commit, ts: int) -> None:
        if not commit.replies and not commit.meta:
            return  # nothing to deliver
        await db.execute(
            "INSERT INTO outbox (update_id, user_id, chat_id, replies, meta, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                commit.update_id,
                commit.user_id,
                commit.chat_id,
                _dumps(commit.replies),
                _dumps(commit.meta),
                ts,
            ),
        )

    @staticmethod
    async def _write_history(db: aiosqlite.Connection, commit: Commit, ts: int) -> None:
        if not commit.history:
            return
        await db.executemany(
            "INSERT INTO history (user_id, topic_id, at) VALUES (?, ?, ?)",
            [(commit.user_id, topic, ts) for topic in commit.history],
        )
        await db.execute(
            "DELETE FROM history WHERE user_id = ? AND id NOT IN"
            " (SELECT id FROM history WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
            (commit.user_id, commit.user_id, HISTORY_KEPT),
        )

    async def _write_aggregates(
        self, db: aiosqlite.Connection, commit: Commit, now: datetime
    ) -> None:
        """Rows for /stats and the admin review; none of them holds a user id (unanswered
        questions carry only a keyed hash of the asker, for /forget)."""
        ts = _ts(now)
        if commit.unanswered:
            asker = self._asker(commit.user_id)
            await db.executemany(
                "INSERT INTO unanswered (text, best_score, at, asker) VALUES (?, ?, ?, ?)",
                [(text, float(score), ts, asker) for text, score in commit.unanswered],
            )
        if commit.feedback:
            await db.executemany(
                "INSERT INTO feedback (topic_id, value, at) VALUES (?, ?, ?)",
                [(topic, value, ts) for topic, value in commit.feedback],
            )
        if commit.outcomes:
            await db.executemany(
                "INSERT INTO outcomes (level, at) VALUES (?, ?)",
                [(level, ts) for level in commit.outcomes],
            )
        if commit.questions_asked or commit.questions_answered:
            await db.execute(
                "INSERT INTO counters (day, asked, answered) VALUES (?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET asked = asked + excluded.asked,"
                " answered = answered + excluded.answered",
                (
                    now.astimezone(UTC).date().isoformat(),
                    commit.questions_asked,
                    commit.questions_answered,
                ),
            )

    # ----------------------------------------------------------------- outbox

    async def undelivered(self) -> list[OutboxItem]:
        async with self._guard() as db:
            rows = await db.execute_fetchall(
                "SELECT update_id, user_id, chat_id, replies, meta FROM outbox ORDER BY update_id"
            )
        return [OutboxItem(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4])) for r in rows]

    async def mark_delivered(self, update_id: int) -> None:
        async with self._guard() as db:
            await db.execute("DELETE FROM outbox WHERE update_id = ?", (update_id,))

    async def claim_reply(
        self, user_id: int, owner: str, lease_seconds: float
    ) -> OutboxItem | None:
        """One statement (atomic on its own): lease the person's oldest row unless another
        owner's lease on it still runs."""
        now = time.time()
        async with self._guard() as db:
            row = await self._first(
                db,
                "UPDATE outbox SET lease_owner = ?, lease_until = ?"
                " WHERE update_id = (SELECT min(update_id) FROM outbox WHERE user_id = ?)"
                " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)"
                " RETURNING update_id, user_id, chat_id, replies, meta",
                (owner, now + lease_seconds, user_id, owner, now),
            )
        if row is None:
            return None
        return OutboxItem(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]))

    # ----------------------------------------------------------------- dead letters

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        ts = _ts(self._clock())
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO dead_letter (update_id, user_id, raw, reason, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (update_id, user_id, raw, reason, ts),
            )
            if update_id is not None:
                await db.execute(
                    "INSERT INTO inbox (update_id, user_id, payload, received_at, status)"
                    " VALUES (?, ?, NULL, ?, 'done')"
                    " ON CONFLICT (update_id) DO UPDATE SET status = 'done', payload = NULL",
                    (update_id, user_id, ts),
                )

    async def dead_letters(self, limit: int = 20) -> list[DeadLetter]:
        async with self._guard() as db:
            rows = await db.execute_fetchall(
                "SELECT update_id, user_id, raw, reason, at FROM dead_letter"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        return [DeadLetter(r[0], r[1], r[2], r[3], _dt(r[4])) for r in rows]

    # ----------------------------------------------------------------- privacy

    async def user_data(self, user_id: int) -> dict[str, Any]:
        """JSON-ready: the user row, state, topic history with times, queue counts."""
        async with self._transaction("BEGIN") as db:  # one consistent snapshot
            user = list(
                await db.execute_fetchall(
                    "SELECT region, first_seen FROM users WHERE id = ?", (user_id,)
                )
            )
            state = list(
                await db.execute_fetchall(
                    "SELECT state, version, updated_at FROM state WHERE user_id = ?", (user_id,)
                )
            )
            history = await db.execute_fetchall(
                "SELECT topic_id, at FROM history WHERE user_id = ? ORDER BY id", (user_id,)
            )
            counts = await self._first(
                db,
                "SELECT (SELECT count(*) FROM inbox WHERE user_id = ? AND status = 'pending'),"
                " (SELECT count(*) FROM inbox WHERE user_id = ? AND status = 'done'),"
                " (SELECT count(*) FROM outbox WHERE user_id = ?)",
                (user_id, user_id, user_id),
            )
            assert counts is not None
        return user_data_record(
            user_id, user[0] if user else None, state[0] if state else None, history, counts
        )

    async def forget(self, user_id: int) -> None:
        async with self._transaction() as db:
            await self._delete_person(db, user_id)
        await self.scrub()

    async def forget_and_reply(self, commit: Commit) -> bool:
        """Handle /forget as one update: delete everything about commit.user_id, keep the update
        id as processed (without the user id) and queue commit.replies (the confirmation), whose
        outbox row goes on delivery. False if the update was already committed."""
        ts = _ts(self._clock())
        try:
            async with self._transaction() as db:
                done = await self._scalar(
                    db, "SELECT status FROM inbox WHERE update_id = ?", (commit.update_id,)
                )
                if done == "done":
                    raise _Rejected
                await self._delete_person(db, commit.user_id)
                await self._mark_done(db, commit.update_id, None, ts)
                await self._write_outbox(db, commit, ts)
        except _Rejected:
            return False
        await self.scrub()
        return True

    async def _delete_person(self, db: aiosqlite.Connection, user_id: int) -> None:
        for sql in (
            "DELETE FROM history WHERE user_id = ?",
            "DELETE FROM state WHERE user_id = ?",
            "DELETE FROM users WHERE id = ?",
            "DELETE FROM inbox WHERE user_id = ?",
            "DELETE FROM outbox WHERE user_id = ?",
            "DELETE FROM dead_letter WHERE user_id = ?",
        ):
            await db.execute(sql, (user_id,))
        if self._asker_key:
            await db.execute("DELETE FROM unanswered WHERE asker = ?", (self._asker(user_id),))

    async def scrub(self) -> None:
        """Copy the write-ahead log into the database (where secure_delete zeroed what was
        deleted) and truncate it to nothing, so deleted text is not left in the -wal file."""
        if self.path == MEMORY or self.read_only:
            return
        async with self._guard() as db:
            row = await self._first(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        if row is not None and row[0]:
            log.warning("write-ahead log not truncated (a reader holds it); retried next time")

    async def purge(self, now: datetime | None = None) -> int:
        now = now or self._clock()
        cutoff, processed_cutoff = purge_cutoffs(now, self.retention)
        removed = 0
        async with self._transaction() as db:
            for sql, bound in (
                ("DELETE FROM history WHERE at < ?", cutoff),
                ("DELETE FROM unanswered WHERE at < ?", cutoff),
                ("DELETE FROM dead_letter WHERE at < ?", cutoff),
                ("DELETE FROM inbox WHERE status = 'done' AND received_at < ?", processed_cutoff),
            ):
                cursor = await db.execute(sql, (bound,))
                removed += max(cursor.rowcount, 0)
        return removed

    # ----------------------------------------------------------------- admin

    async def unanswered(self, limit: int = 200) -> list[UnansweredQuestion]:
        async with self._guard() as db:
            rows = await db.execute_fetchall(
                "SELECT text, best_score, at FROM unanswered ORDER BY at DESC, id DESC LIMIT ?",
                (limit,),
            )
        return [UnansweredQuestion(r[0], float(r[1]), _dt(r[2])) for r in rows]

    async def dismiss_unanswered(self, texts: list[str]) -> int:
        if not texts:
            return 0
        async with self._transaction() as db:
            cursor = await db.executemany(
                "DELETE FROM unanswered WHERE text = ?", [(t,) for t in texts]
            )
            return max(cursor.rowcount, 0)

    async def stats(self) -> dict[str, Any]:
        async with self._transaction("BEGIN") as db:
            people = await self._scalar(db, "SELECT count(*) FROM users")
            totals = await self._first(
                db, "SELECT coalesce(sum(asked), 0), coalesce(sum(answered), 0) FROM counters"
            )
            assert totals is not None
            outcomes = await db.execute_fetchall(
                "SELECT level, count(*) FROM outcomes GROUP BY level ORDER BY level"
            )
            feedback = await db.execute_fetchall(
                "SELECT topic_id, sum(value > 0), sum(value < 0) FROM feedback"
                " GROUP BY topic_id ORDER BY topic_id"
            )
            open_questions = await self._scalar(db, "SELECT count(*) FROM unanswered")
            quarantined = await self._scalar(db, "SELECT count(*) FROM dead_letter")
        return stats_record(people, totals, outcomes, feedback, open_questions, quarantined)

    async def outbox_depth(self) -> int:
        async with self._guard() as db:
            return int(await self._scalar(db, "SELECT count(*) FROM outbox"))

    # ----------------------------------------------------------------- coordination

    def person_lock(self, user_id: int) -> AbstractAsyncContextManager[None]:
        """One process per SQLite file, so an in-process lock per person suffices."""
        return self._local.person_lock(user_id)

    async def try_lead(self, name: str, holder: str, ttl: float) -> bool:
        return await self._local.try_lead(name, holder, ttl)

    async def resign(self, name: str, holder: str) -> None:
        await self._local.resign(name, holder)

    async def diagnostics(self) -> dict[str, Any]:
        """Settings in force on the store's connection, for health checks and tests."""
        async with self._guard() as db:
            values = {
                name: await self._scalar(db, f"PRAGMA {name}")
                for name in (
                    "user_version",
                    "journal_mode",
                    "busy_timeout",
                    "foreign_keys",
                    "synchronous",
                    "page_count",
                    "page_size",
                )
            }
        return values


if TYPE_CHECKING:  # mypy proves the class satisfies the shared protocol
    _conforms: Store = SqliteStore(MEMORY)
