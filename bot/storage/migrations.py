"""Versioned SQLite schema, keyed by PRAGMA user_version.

Migration N (1-based position in MIGRATIONS) takes a database from user_version N-1 to N. Each
runs in its own transaction together with the user_version bump, so a failed migration leaves
the database exactly at the previous version. Never edit a released migration: append a new one.
"""

from __future__ import annotations

Migration = tuple[str, ...]
"""The statements of one migration, run in order inside one transaction."""

_V1: Migration = (
    # People who wrote at least once: no name, no text, just when they arrived and a region.
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        region TEXT,
        first_seen INTEGER NOT NULL
    )""",
    # The engine's ConversationState as JSON; version guards against lost updates.
    """CREATE TABLE state (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    )""",
    # Accepted updates. status 'pending' rows are replayed after a crash; 'done' rows are the
    # set of processed update ids (payload dropped) kept until purge, user_id kept for /forget.
    """CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        user_id INTEGER,
        payload TEXT,
        received_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done'))
    )""",
    "CREATE INDEX inbox_pending ON inbox(update_id) WHERE status = 'pending'",
    "CREATE INDEX inbox_user ON inbox(user_id)",
    "CREATE INDEX inbox_received ON inbox(received_at) WHERE status = 'done'",
    # Replies of committed updates until the channel confirms delivery.
    """CREATE TABLE outbox (
        update_id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        replies TEXT NOT NULL,
        meta TEXT NOT NULL,
        created_at INTEGER NOT NULL
    )""",
    "CREATE INDEX outbox_user ON outbox(user_id)",
    # Topic ids answered per person (for "more on that"), last 20 kept, purged by retention.
    """CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        topic_id TEXT NOT NULL,
        at INTEGER NOT NULL
    )""",
    "CREATE INDEX history_user ON history(user_id, id)",
    "CREATE INDEX history_at ON history(at)",
    # Aggregates for the admin: deliberately no user id in any of these.
    """CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        best_score REAL NOT NULL,
        at INTEGER NOT NULL
    )""",
    "CREATE INDEX unanswered_at ON unanswered(at)",
    "CREATE INDEX unanswered_text ON unanswered(text)",
    """CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        topic_id TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        at INTEGER NOT NULL
    )""",
    """CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY,
        level TEXT NOT NULL,
        at INTEGER NOT NULL
    )""",
    """CREATE TABLE counters (
        day TEXT PRIMARY KEY,
        asked INTEGER NOT NULL DEFAULT 0,
        answered INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
)

_V2: Migration = (
    # Delivery leases: a reply is sent by exactly one sender at a time (the lease holder).
    "ALTER TABLE outbox ADD COLUMN lease_owner TEXT",
    "ALTER TABLE outbox ADD COLUMN lease_until REAL",
    "CREATE INDEX outbox_user_order ON outbox(user_id, update_id)",
    # Updates that could not be read or stored, kept (raw JSON) for an admin to look at.
    # user_id where it could be read, so /forget finds them; purged by retention.
    """CREATE TABLE dead_letter (
        id INTEGER PRIMARY KEY,
        update_id INTEGER,
        user_id INTEGER,
        raw TEXT NOT NULL,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL
    )""",
    "CREATE INDEX dead_letter_user ON dead_letter(user_id)",
    "CREATE INDEX dead_letter_at ON dead_letter(at)",
    # A keyed hash of who asked an unanswered question: /forget deletes them, the review
    # list never learns who asked.
    "ALTER TABLE unanswered ADD COLUMN asker TEXT",
    "CREATE INDEX unanswered_asker ON unanswered(asker)",
    "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    "INSERT INTO secrets (name, value) VALUES ('asker_key', randomblob(16))",
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2)
"""Position i (0-based) holds the migration to schema version i + 1."""

SCHEMA_VERSION = len(MIGRATIONS)
