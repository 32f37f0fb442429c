"""The Store on PostgreSQL through asyncpg, for several bot instances on one database.

Same guarantees as the SQLite store: an update is in the inbox before it is acknowledged, its
state, replies and id are committed in one transaction, replies wait in the outbox until
delivered. Concurrency comes from the database, not from this process: a commit claims its
inbox row and moves the person's state only from the version it read (a row-level check that
holds across processes); a session advisory lock per person serialises a person's turns across
instances; a lease row names the one instance that long-polls. Availability errors become
StoreUnavailable (logged once per incident); anything else is a bug and propagates unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

import asyncpg

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
    asker_hash,
    check_feedback,
    dumps,
    from_ts,
    now_utc,
    purge_cutoffs,
    redact_url,
    stats_record,
    to_ts,
    user_data_record,
)
from bot.storage.migrations import Migration
from bot.storage.pg_migrations import MIGRATIONS

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Conn = PoolConnectionProxy[asyncpg.Record]

log = logging.getLogger(__name__)

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = (0x5B07, 1)
"""Two-int advisory key for migrations; person locks use the (separate) one-bigint key space."""

UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.ReadOnlySQLTransactionError,
    asyncpg.exceptions.InvalidAuthorizationSpecificationError,
    asyncpg.exceptions.InvalidCatalogNameError,
)
"""Errors that mean "the database cannot be used right now" rather than a bug here."""


class _Rejected(Exception):
    """Raised inside a transaction to roll it back and report False."""


def _count(status: str) -> int:
    """Rows touched, from a command tag such as 'DELETE 3'."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class PostgresStore:
    """Store backed by a PostgreSQL database, shared by any number of bot processes."""

    def __init__(
        self,
        dsn: str,
        *,
        retention_days: int = 30,
        pool_size: int = 20,
        lock_pool_size: int = 20,
        connect_timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        """`lock_pool_size` bounds how many people this process handles at once: each held
        person lock keeps one connection of its own."""
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        self.dsn = dsn
        self.retention = timedelta(days=retention_days)
        self.pool_size = pool_size
        self.lock_pool_size = lock_pool_size
        self.connect_timeout = connect_timeout
        self._clock = clock or now_utc
        self._migrations = tuple(migrations)
        self._pool: asyncpg.Pool | None = None
        self._locks: asyncpg.Pool | None = None
        self._incident: str | None = None
        self._asker_key = b""

    @property
    def schema_version(self) -> int:
        return len(self._migrations)

    @property
    def where(self) -> str:
        return redact_url(self.dsn)

    # ----------------------------------------------------------------- lifecycle

    async def open(self) -> None:
        """Connect, then apply pending migrations (once, whichever instance gets there first)."""
        if self._pool is not None:
            return
        try:
            pool = await asyncpg.create_pool(
                self.dsn, min_size=1, max_size=self.pool_size, timeout=self.connect_timeout
            )
            locks = await asyncpg.create_pool(
                self.dsn, min_size=0, max_size=self.lock_pool_size, timeout=self.connect_timeout
            )
        except UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc
        try:
            await self._migrate(pool)
            self._asker_key = await self._load_asker_key(pool)
        except BaseException as exc:
            await asyncio.gather(pool.close(), locks.close(), return_exceptions=True)
            if isinstance(exc, UNAVAILABLE):
                raise self._unavailable(exc) from exc
            raise
        self._pool, self._locks = pool, locks

    async def close(self) -> None:
        pools = [p for p in (self._pool, self._locks) if p is not None]
        self._pool = self._locks = None
        for pool in pools:
            try:
                await asyncio.wait_for(pool.close(), 10.0)
            except UNAVAILABLE:
                pool.terminate()

    async def __aenter__(self) -> PostgresStore:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _migrate(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as conn:
            for version in range(1, self.schema_version + 1):
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", *MIGRATION_LOCK)
                    await conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " version INTEGER PRIMARY KEY,"
                        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                    )
                    found = int(
                        await conn.fetchval(
                            "SELECT coalesce(max(version), 0) FROM schema_migrations"
                        )
                    )
                    if found > self.schema_version:
                        raise StoreTooNew(
                            f"database schema v{found} is newer than this bot "
                            f"(v{self.schema_version}); upgrade the bot or use another "
                            f"DATABASE_URL (database: {self.where})"
                        )
                    if found >= version:
                        continue
                    for statement in self._migrations[version - 1]:
                        await conn.execute(statement)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)", version
                    )
                log.info("database %s migrated to schema v%d", self.where, version)

    @staticmethod
    async def _load_asker_key(pool: asyncpg.Pool) -> bytes:
        """The key for asker hashes: made once (whichever instance comes first), then shared."""
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO secrets (name, value) VALUES ('asker_key', $1)"
                " ON CONFLICT (name) DO NOTHING",
                secrets.token_bytes(16),
            )
            return bytes(await conn.fetchval("SELECT value FROM secrets WHERE name = 'asker_key'"))

    # ----------------------------------------------------------------- plumbing

    @asynccontextmanager
    async def _conn(self) -> AsyncIterator[Conn]:
        """A pooled connection for one call; availability errors become StoreUnavailable."""
        pool = self._pool
        if pool is None:
            raise RuntimeError("store is not open; call `await store.open()` first")
        try:
            # No acquire timeout: a busy pool queues calls; a dead server fails on connect.
            async with pool.acquire() as conn:
                yield conn
        except UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc
        if self._incident is not None:
            log.info("database %s is usable again", self.where)
            self._incident = None

    @asynccontextmanager
    async def _transaction(self, **options: Any) -> AsyncIterator[Conn]:
        async with self._conn() as conn, conn.transaction(**options):
            yield conn

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        kind = type(exc).__name__
        message = f"cannot use database {self.where}: {kind}: {exc}"
        if self._incident != kind:
            log.error("storage unavailable: %s", message)
            self._incident = kind
        return StoreUnavailable(message)

    # ----------------------------------------------------------------- inbox

    async def enqueue(self, item: InboxItem) -> bool:
        async with self._conn() as conn:
            added = await conn.fetchval(
                "INSERT INTO inbox (update_id, user_id, payload, received_at, status)"
                " VALUES ($1, $2, $3::jsonb, $4, 'pending')"
                " ON CONFLICT (update_id) DO NOTHING RETURNING 1",
                item.update_id,
                item.user_id,
                dumps(item.payload),
                to_ts(self._clock()),
            )
        return added is not None

    async def pending(self) -> list[InboxItem]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT update_id, user_id, payload FROM inbox"
                " WHERE status = 'pending' ORDER BY update_id"
            )
        return [InboxItem(r[0], r[1], json.loads(r[2])) for r in rows]

    async def pending_for(self, user_id: int) -> list[InboxItem]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT update_id, user_id, payload FROM inbox"
                " WHERE status = 'pending' AND user_id = $1 ORDER BY update_id",
                user_id,
            )
        return [InboxItem(r[0], r[1], json.loads(r[2])) for r in rows]

    async def was_committed(self, update_id: int) -> bool:
        async with self._conn() as conn:
            status = await conn.fetchval(
                "SELECT status FROM inbox WHERE update_id = $1", update_id
            )
        return bool(status == "done")

    async def discard(self, update_id: int) -> None:
        async with self._conn() as conn:
            await conn.execute(
                "UPDATE inbox SET status = 'done', payload = NULL WHERE update_id = $1",
                update_id,
            )

    # ----------------------------------------------------------------- state

    async def load(self, user_id: int) -> StoredState:
        async with self._conn() as conn:
            row = await conn.fetchrow(
                "SELECT state, version FROM state WHERE user_id = $1", user_id
            )
        if row is None:
            return StoredState(user_id, {}, 0)
        return StoredState(user_id, json.loads(row[0]), int(row[1]))

    async def commit(self, commit: Commit) -> bool:
        check_feedback(commit)
        now = self._clock()
        ts = to_ts(now)
        try:
            async with self._transaction() as conn:
                await self._claim(conn, commit.update_id, commit.user_id, ts)
                await conn.execute(
                    "INSERT INTO users (id, region, first_seen) VALUES ($1, $2, $3)"
                    " ON CONFLICT (id) DO UPDATE"
                    " SET region = coalesce(excluded.region, users.region)",
                    commit.user_id,
                    commit.region,
                    ts,
                )
                await self._move_state(conn, commit, ts)
                await self._write_outbox(conn, commit, ts)
                await self._write_history(conn, commit, ts)
                await self._write_aggregates(conn, commit, now)
        except (_Rejected, asyncpg.exceptions.TransactionRollbackError):
            return False  # a deadlock or serialisation failure is a conflict: rerun it
        return True

    @staticmethod
    async def _claim(conn: Conn, update_id: int, user_id: int | None, ts: int) -> None:
        """Mark the update processed, or reject the commit if it already was. The row lock
        taken here makes a concurrent duplicate wait for this transaction, then fail."""
        claimed = await conn.fetchval(
            "INSERT INTO inbox (update_id, user_id, payload, received_at, status)"
            " VALUES ($1, $2, NULL, $3, 'done')"
            " ON CONFLICT (update_id) DO UPDATE"
            " SET status = 'done', payload = NULL, user_id = excluded.user_id"
            " WHERE inbox.status <> 'done' RETURNING 1",
            update_id,
            user_id,
            ts,
        )
        if claimed is None:
            raise _Rejected

    @staticmethod
    async def _move_state(conn: Conn, commit: Commit, ts: int) -> None:
        """Write the new state only over the version the handler read (or over nothing)."""
        state, version = dumps(commit.state), commit.expected_version + 1
        if commit.expected_version == 0:
            moved = await conn.fetchval(
                "INSERT INTO state (user_id, state, version, updated_at)"
                " VALUES ($1, $2::jsonb, $3, $4) ON CONFLICT (user_id) DO NOTHING RETURNING 1",
                commit.user_id,
                state,
                version,
                ts,
            )
        else:
            moved = await conn.fetchval(
                "UPDATE state SET state = $2::jsonb, version = $3, updated_at = $4"
                " WHERE user_id = $1 AND version = $5 RETURNING 1",
                commit.user_id,
                state,
                version,
                ts,
                commit.expected_version,
            )
        if moved is None:
            raise _Rejected

    @staticmethod
    async def _write_outbox(conn: Conn, commit: Commit, ts: int) -> None:
        if not commit.replies and not commit.meta:
            return  # nothing to deliver
        await conn.execute(
            "INSERT INTO outbox (update_id, user_id, chat_id, replies, meta, created_at)"
            " VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)",
            commit.update_id,
            commit.user_id,
            commit.chat_id,
            dumps(commit.replies),
            dumps(commit.meta),
            ts,
        )

    @staticmethod
    async def _write_history(conn: Conn, commit: Commit, ts: int) -> None:
        if not commit.history:
            return
        await conn.executemany(
            "INSERT INTO history (user_id, topic_id, at) VALUES ($1, $2, $3)",
            [(commit.user_id, topic, ts) for topic in commit.history],
        )
        await conn.execute(
            "DELETE FROM history WHERE user_id = $1 AND id NOT IN"
            " (SELECT id FROM history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)",
            commit.user_id,
            HISTORY_KEPT,
        )

    async def _write_aggregates(self, conn: Conn, commit: Commit, now: datetime) -> None:
        """Rows for /stats and the admin review; none of them holds a user id (unanswered
        questions carry only a keyed hash of the asker, for /forget)."""
        ts = to_ts(now)
        if commit.unanswered:
            asker = asker_hash(self._asker_key, commit.user_id)
            await conn.executemany(
                "INSERT INTO unanswered (text, best_score, at, asker) VALUES ($1, $2, $3, $4)",
                [(text, float(score), ts, asker) for text, score in commit.unanswered],
            )
        if commit.feedback:
            await conn.executemany(
                "INSERT INTO feedback (topic_id, value, at) VALUES ($1, $2, $3)",
                [(topic, value, ts) for topic, value in commit.feedback],
            )
        if commit.outcomes:
            await conn.executemany(
                "INSERT INTO outcomes (level, at) VALUES ($1, $2)",
                [(level, ts) for level in commit.outcomes],
            )
        if commit.questions_asked or commit.questions_answered:
            await conn.execute(
                "INSERT INTO counters (day, asked, answered) VALUES ($1, $2, $3)"
                " ON CONFLICT (day) DO UPDATE SET asked = counters.asked + excluded.asked,"
                " answered = counters.answered + excluded.answered",
                now.astimezone(UTC).date().isoformat(),
                commit.questions_asked,
                commit.questions_answered,
            )

    # ----------------------------------------------------------------- outbox

    async def undelivered(self) -> list[OutboxItem]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT update_id, user_id, chat_id, replies, meta FROM outbox ORDER BY update_id"
            )
        return [OutboxItem(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4])) for r in rows]

    async def mark_delivered(self, update_id: int) -> None:
        async with self._conn() as conn:
            await conn.execute("DELETE FROM outbox WHERE update_id = $1", update_id)

    async def outbox_depth(self) -> int:
        async with self._conn() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM outbox"))

    async def claim_reply(
        self, user_id: int, owner: str, lease_seconds: float
    ) -> OutboxItem | None:
        """The person's oldest reply, leased to `owner` unless another owner's lease on it is
        still running. The row lock makes two instances' claims take turns; lease times come
        from the database's clock."""
        async with self._transaction() as conn:
            row = await conn.fetchrow(
                "SELECT update_id, user_id, chat_id, replies, meta,"
                " lease_owner IS NULL OR lease_owner = $2 OR lease_until < clock_timestamp()"
                " FROM outbox WHERE user_id = $1 ORDER BY update_id LIMIT 1 FOR UPDATE",
                user_id,
                owner,
            )
            if row is None or not row[5]:
                return None
            await conn.execute(
                "UPDATE outbox SET lease_owner = $2,"
                " lease_until = clock_timestamp() + make_interval(secs => $3)"
                " WHERE update_id = $1",
                row[0],
                owner,
                float(lease_seconds),
            )
        return OutboxItem(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]))

    # ----------------------------------------------------------------- dead letters

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        ts = to_ts(self._clock())
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO dead_letter (update_id, user_id, raw, reason, at)"
                " VALUES ($1, $2, $3, $4, $5)",
                update_id,
                user_id,
                raw,
                reason,
                ts,
            )
            if update_id is not None:
                await conn.execute(
                    "INSERT INTO inbox (update_id, user_id, payload, received_at, status)"
                    " VALUES ($1, $2, NULL, $3, 'done')"
                    " ON CONFLICT (update_id) DO UPDATE SET status = 'done', payload = NULL",
                    update_id,
                    user_id,
                    ts,
                )

    async def dead_letters(self, limit: int = 20) -> list[DeadLetter]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT update_id, user_id, raw, reason, at FROM dead_letter"
                " ORDER BY id DESC LIMIT $1",
                limit,
            )
        return [DeadLetter(r[0], r[1], r[2], r[3], from_ts(r[4])) for r in rows]

    # ----------------------------------------------------------------- privacy

    async def user_data(self, user_id: int) -> dict[str, Any]:
        """JSON-ready: the user row, state, topic history with times, queue counts."""
        async with self._transaction(isolation="repeatable_read", readonly=True) as conn:
            user = await conn.fetchrow(
                "SELECT region, first_seen FROM users WHERE id = $1", user_id
            )
            state = await conn.fetchrow(
                "SELECT state, version, updated_at FROM state WHERE user_id = $1", user_id
            )
            history = await conn.fetch(
                "SELECT topic_id, at FROM history WHERE user_id = $1 ORDER BY id", user_id
            )
            counts = await conn.fetchrow(
                "SELECT (SELECT count(*) FROM inbox WHERE user_id = $1 AND status = 'pending'),"
                " (SELECT count(*) FROM inbox WHERE user_id = $1 AND status = 'done'),"
                " (SELECT count(*) FROM outbox WHERE user_id = $1)",
                user_id,
            )
            assert counts is not None
        return user_data_record(user_id, user, state, history, counts)

    async def forget(self, user_id: int) -> None:
        async with self._transaction() as conn:
            await self._delete_person(conn, user_id)
        await self.scrub()

    async def forget_and_reply(self, commit: Commit) -> bool:
        """/forget as one update: delete everything about the person, keep the update id as
        processed (without the user id) and queue the confirmation."""
        ts = to_ts(self._clock())
        try:
            async with self._transaction() as conn:
                await self._claim(conn, commit.update_id, None, ts)
                await self._delete_person(conn, commit.user_id)
                await self._write_outbox(conn, commit, ts)
        except (_Rejected, asyncpg.exceptions.TransactionRollbackError):
            return False
        await self.scrub()
        return True

    async def _delete_person(self, conn: Conn, user_id: int) -> None:
        for sql in (
            "DELETE FROM history WHERE user_id = $1",
            "DELETE FROM state WHERE user_id = $1",
            "DELETE FROM users WHERE id = $1",
            "DELETE FROM inbox WHERE user_id = $1",
            "DELETE FROM outbox WHERE user_id = $1",
            "DELETE FROM dead_letter WHERE user_id = $1",
        ):
            await conn.execute(sql, user_id)
        await conn.execute(
            "DELETE FROM unanswered WHERE asker = $1", asker_hash(self._asker_key, user_id)
        )

    async def scrub(self) -> None:
        """VACUUM the tables that held the person's rows, so their dead tuples are removed
        from the table pages at once rather than at the next autovacuum. (The server's
        write-ahead log and backups are the operator's to age out.)"""
        async with self._conn() as conn:
            await conn.execute(
                "VACUUM (SKIP_LOCKED) history, state, users, inbox, outbox, dead_letter,"
                " unanswered"
            )

    async def purge(self, now: datetime | None = None) -> int:
        now = now or self._clock()
        cutoff, processed_cutoff = purge_cutoffs(now, self.retention)
        removed = 0
        async with self._transaction() as conn:
            for sql, bound in (
                ("DELETE FROM history WHERE at < $1", cutoff),
                ("DELETE FROM unanswered WHERE at < $1", cutoff),
                ("DELETE FROM dead_letter WHERE at < $1", cutoff),
                ("DELETE FROM inbox WHERE status = 'done' AND received_at < $1", processed_cutoff),
            ):
                removed += _count(await conn.execute(sql, bound))
        return removed

    # ----------------------------------------------------------------- admin

    async def unanswered(self, limit: int = 200) -> list[UnansweredQuestion]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT text, best_score, at FROM unanswered ORDER BY at DESC, id DESC LIMIT $1",
                limit,
            )
        return [UnansweredQuestion(r[0], float(r[1]), from_ts(r[2])) for r in rows]

    async def dismiss_unanswered(self, texts: list[str]) -> int:
        if not texts:
            return 0
        async with self._conn() as conn:
            status = await conn.execute(
                "DELETE FROM unanswered WHERE text = ANY($1::text[])", list(texts)
            )
        return _count(status)

    async def stats(self) -> dict[str, Any]:
        async with self._transaction(isolation="repeatable_read", readonly=True) as conn:
            people = await conn.fetchval("SELECT count(*) FROM users")
            totals = await conn.fetchrow(
                "SELECT coalesce(sum(asked), 0), coalesce(sum(answered), 0) FROM counters"
            )
            assert totals is not None
            outcomes = await conn.fetch(
                "SELECT level, count(*) FROM outcomes GROUP BY level ORDER BY level"
            )
            feedback = await conn.fetch(
                "SELECT topic_id, count(*) FILTER (WHERE value > 0),"
                " count(*) FILTER (WHERE value < 0) FROM feedback"
                " GROUP BY topic_id ORDER BY topic_id"
            )
            open_questions = await conn.fetchval("SELECT count(*) FROM unanswered")
            quarantined = await conn.fetchval("SELECT count(*) FROM dead_letter")
        return stats_record(people, totals, outcomes, feedback, open_questions, quarantined)

    # ----------------------------------------------------------------- coordination

    @asynccontextmanager
    async def person_lock(self, user_id: int) -> AsyncIterator[None]:
        """A session advisory lock keyed by the person's id, on a connection of its own: held
        until released, or until this process dies and the server drops the session."""
        pool = self._locks
        if pool is None:
            raise RuntimeError("store is not open; call `await store.open()` first")
        try:
            # No timeout: past lock_pool_size people at once, the rest wait their turn.
            async with pool.acquire() as conn:
                await conn.execute("SELECT pg_advisory_lock($1)", user_id)
                try:
                    yield
                finally:
                    # Shielded so a cancelled holder still unlocks; if the connection is gone
                    # the server has released the lock with the session.
                    await asyncio.shield(self._unlock(conn, user_id))
        except UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc

    @staticmethod
    async def _unlock(conn: Conn, user_id: int) -> None:
        try:
            await conn.execute("SELECT pg_advisory_unlock($1)", user_id)
        except UNAVAILABLE as exc:
            log.warning("person lock: unlock failed (%r); the session end releases it", exc)

    async def try_lead(self, name: str, holder: str, ttl: float) -> bool:
        """Take the lease if it is free or expired, renew it if `holder` has it. Times come
        from the database's clock, so instances with skewed clocks agree."""
        async with self._conn() as conn:
            got = await conn.fetchval(
                "INSERT INTO leases (name, holder, expires_at)"
                " VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))"
                " ON CONFLICT (name) DO UPDATE"
                " SET holder = excluded.holder, expires_at = excluded.expires_at"
                " WHERE leases.holder = excluded.holder OR leases.expires_at < clock_timestamp()"
                " RETURNING holder",
                name,
                holder,
                float(ttl),
            )
        return got == holder

    async def resign(self, name: str, holder: str) -> None:
        async with self._conn() as conn:
            await conn.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder)

    async def diagnostics(self) -> dict[str, Any]:
        """Server and schema versions, for health checks and tests."""
        async with self._conn() as conn:
            server = await conn.fetchval("SHOW server_version")
            version = await conn.fetchval("SELECT max(version) FROM schema_migrations")
        return {"server_version": server, "schema_version": int(version)}


if TYPE_CHECKING:  # mypy proves the class satisfies the shared protocol
    _conforms: Store = PostgresStore("postgresql://")
