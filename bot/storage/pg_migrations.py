"""Versioned PostgreSQL schema, recorded in the table schema_migrations.

Migration N (1-based position in MIGRATIONS) takes the database from version N-1 to N, in one
transaction with its row in schema_migrations, under an advisory lock so instances starting at
the same time migrate once. Never edit a released migration: append a new one.
"""

from __future__ import annotations

from bot.storage.migrations import Migration

_V1: Migration = (
    # People who wrote at least once: no name, no text, just when they arrived and a region.
    """CREATE TABLE users (
        id BIGINT PRIMARY KEY,
        region TEXT,
        first_seen BIGINT NOT NULL
    )""",
    # The engine's ConversationState as JSON; version guards against lost updates.
    """CREATE TABLE state (
        user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        state JSONB NOT NULL,
        version BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    )""",
    # Accepted updates: 'pending' rows are replayed; 'done' rows are the processed ids.
    """CREATE TABLE inbox (
        update_id BIGINT PRIMARY KEY,
        user_id BIGINT,
        payload JSONB,
        received_at BIGINT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done'))
    )""",
    "CREATE INDEX inbox_pending ON inbox (user_id, update_id) WHERE status = 'pending'",
    "CREATE INDEX inbox_user ON inbox (user_id)",
    "CREATE INDEX inbox_received ON inbox (received_at) WHERE status = 'done'",
    # Replies of committed updates until the channel confirms delivery.
    """CREATE TABLE outbox (
        update_id BIGINT PRIMARY KEY,
        user_id BIGINT NOT NULL,
        chat_id BIGINT NOT NULL,
        replies JSONB NOT NULL,
        meta JSONB NOT NULL,
        created_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until TIMESTAMPTZ
    )""",
    "CREATE INDEX outbox_user ON outbox (user_id, update_id)",
    # Topic ids answered per person (for "more on that"), last 20 kept, purged by retention.
    """CREATE TABLE history (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        topic_id TEXT NOT NULL,
        at BIGINT NOT NULL
    )""",
    "CREATE INDEX history_user ON history (user_id, id)",
    "CREATE INDEX history_at ON history (at)",
    # Aggregates for the admin: deliberately no user id in any of these.
    """CREATE TABLE unanswered (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text TEXT NOT NULL,
        best_score DOUBLE PRECISION NOT NULL,
        at BIGINT NOT NULL,
        asker TEXT
    )""",
    "CREATE INDEX unanswered_at ON unanswered (at)",
    "CREATE INDEX unanswered_text ON unanswered (text)",
    # A keyed hash of who asked: /forget deletes their questions, the review never learns who.
    "CREATE INDEX unanswered_asker ON unanswered (asker)",
    "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
    # Updates that could not be read or stored, kept raw for an admin; purged by retention.
    """CREATE TABLE dead_letter (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        update_id BIGINT,
        user_id BIGINT,
        raw TEXT NOT NULL,
        reason TEXT NOT NULL,
        at BIGINT NOT NULL
    )""",
    "CREATE INDEX dead_letter_user ON dead_letter (user_id)",
    "CREATE INDEX dead_letter_at ON dead_letter (at)",
    """CREATE TABLE feedback (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic_id TEXT NOT NULL,
        value SMALLINT NOT NULL CHECK (value IN (-1, 1)),
        at BIGINT NOT NULL
    )""",
    """CREATE TABLE outcomes (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        level TEXT NOT NULL,
        at BIGINT NOT NULL
    )""",
    """CREATE TABLE counters (
        day TEXT PRIMARY KEY,
        asked BIGINT NOT NULL DEFAULT 0,
        answered BIGINT NOT NULL DEFAULT 0
    )""",
    # Singleton jobs (long polling): who holds each, until when (the database's clock).
    """CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (_V1,)
"""Position i (0-based) holds the migration to schema version i + 1."""

SCHEMA_VERSION = len(MIGRATIONS)
