"""SQLite specifics: URLs, first run, pragmas, migrations, and every "cannot use it now" case."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sqlite3
from pathlib import Path

import pytest

from bot.storage import (
    Commit,
    InboxItem,
    SqliteStore,
    StoreTooNew,
    StoreUnavailable,
    open_store,
    sqlite_path,
)
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION

USER = 4242


def commit(update_id: int, version: int, state: dict[str, object] | None = None) -> Commit:
    return Commit(
        update_id=update_id,
        user_id=USER,
        chat_id=USER,
        expected_version=version,
        state=state if state is not None else {"step": update_id},
        replies=[{"text": "ok"}],
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wipe_after_header_page(path: Path) -> None:
    """Overwrite every page but the first (tables and indexes) with junk."""
    data = path.read_bytes()
    page = 4096
    path.write_bytes(data[:page] + b"\xa5" * (len(data) - page))


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


async def make_db(path: Path, **options: object) -> None:
    """A database at the current schema holding one committed update."""
    async with SqliteStore(path, **options) as store:  # type: ignore[arg-type]
        assert await store.commit(commit(1, 0))


# ----------------------------------------------------------------------------- URLs


def test_relative_and_absolute_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_path("sqlite:///data/bot.sqlite3") == (Path("data/bot.sqlite3"), False)
    assert sqlite_path("sqlite:////var/lib/bot.db") == (Path("/var/lib/bot.db"), False)
    assert sqlite_path("sqlite:///my%20bot.db") == (Path("my bot.db"), False)
    assert sqlite_path("sqlite:////srv/bot.db?mode=ro") == (Path("/srv/bot.db"), True)
    for memory in ("sqlite://", "sqlite:///:memory:", "sqlite://:memory:"):
        assert sqlite_path(memory) == (":memory:", False)


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("mysql://bot:s3cret@db/bot", "only SQLite and PostgreSQL"),
        ("bot.sqlite3", "only SQLite and PostgreSQL"),
        ("sqlite://localhost/bot.db", "three slashes"),
        ("sqlite:///", "no file name"),
        ("sqlite:///data/", "no file name"),
        ("sqlite:///bot.db?cache=shared", "mode=ro"),
        ("sqlite://?mode=ro", "in-memory"),
    ],
)
def test_unusable_urls_are_refused_with_a_hint(url: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint) as error:
        open_store(url)
    assert "s3cret" not in str(error.value)


async def test_relative_url_creates_folder_and_file_on_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with open_store("sqlite:///state/nested/bot.sqlite3") as store:
        assert await store.commit(commit(1, 0))
    assert (tmp_path / "state" / "nested" / "bot.sqlite3").is_file()


async def test_in_memory_store_works_for_tests() -> None:
    async with open_store("sqlite://") as store:
        assert await store.commit(commit(1, 0))
        assert (await store.load(USER)).version == 1


# ----------------------------------------------------------------------------- schema


async def test_pragmas_in_force(db_file: Path) -> None:
    async with SqliteStore(db_file, busy_timeout_ms=1234) as store:
        settings = await store.diagnostics()
    assert settings["journal_mode"] == "wal"
    assert settings["busy_timeout"] == 1234
    assert settings["foreign_keys"] == 1
    assert settings["synchronous"] == 1  # NORMAL
    assert settings["user_version"] == SCHEMA_VERSION
    with sqlite3.connect(db_file) as raw:  # persisted in the file, seen by anyone
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    raw.close()


async def test_synchronous_full_on_request(db_file: Path) -> None:
    async with SqliteStore(db_file, synchronous="full") as store:
        assert (await store.diagnostics())["synchronous"] == 2


async def test_upgrade_applies_only_the_missing_migration(db_file: Path) -> None:
    await make_db(db_file)
    newer = (*MIGRATIONS, ("CREATE TABLE extra (x)", "INSERT INTO extra VALUES (1)"))
    for _ in range(2):  # the second open has nothing left to apply
        async with SqliteStore(db_file, migrations=newer) as store:
            assert (await store.load(USER)).version == 1  # data kept
            assert (await store.diagnostics())["user_version"] == SCHEMA_VERSION + 1
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("SELECT count(*) FROM extra").fetchone() == (1,)
    raw.close()


async def test_failed_migration_leaves_the_previous_version(
    db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await make_db(db_file)
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        await SqliteStore(db_file, migrations=broken).open()
    assert any(f"v{SCHEMA_VERSION + 1} failed" in m for m in errors(caplog))
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchall() == []
    raw.close()
    async with SqliteStore(db_file) as store:  # the current bot still works on it
        assert (await store.load(USER)).version == 1


async def test_newer_schema_is_refused_and_left_untouched(db_file: Path) -> None:
    await make_db(db_file)
    with sqlite3.connect(db_file) as raw:
        raw.execute("PRAGMA user_version = 7")
    raw.close()
    before = digest(db_file)
    with pytest.raises(StoreTooNew) as error:
        await open_store(f"sqlite:///{db_file}").open()
    message = str(error.value)
    assert f"schema v7 is newer than this bot (v{SCHEMA_VERSION})" in message
    assert "DATABASE_URL" in message
    assert digest(db_file) == before


async def test_use_before_open_is_a_clear_error(db_file: Path) -> None:
    with pytest.raises(RuntimeError, match="not open"):
        await SqliteStore(db_file).load(USER)


# ----------------------------------------------------------------------------- unavailability


async def test_locked_database_is_unavailable_then_recovers(
    db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await make_db(db_file)
    async with SqliteStore(db_file, busy_timeout_ms=50) as store:
        other = sqlite3.connect(db_file, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreUnavailable, match="locked"):
                await store.commit(commit(2, 1))
            with pytest.raises(StoreUnavailable, match="locked"):
                await store.enqueue(InboxItem(3, USER, {}))
            assert (await store.load(USER)).version == 1  # WAL readers are not blocked
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert len(errors(caplog)) == 1  # one line per incident, not one per call
        assert await store.commit(commit(2, 1))
        assert (await store.load(USER)).version == 2


async def test_read_only_database_refuses_writes_but_reads(db_file: Path) -> None:
    await make_db(db_file)
    # mode=ro is honoured even for root, for whom chmod would not stop writes.
    async with open_store(f"sqlite:///{db_file}?mode=ro") as store:
        assert (await store.load(USER)).version == 1
        with pytest.raises(StoreUnavailable, match="read-only"):
            await store.commit(commit(2, 1))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file modes")
async def test_read_only_file_refuses_writes(db_file: Path) -> None:
    await make_db(db_file)
    os.chmod(db_file, 0o444)
    try:
        async with SqliteStore(db_file) as store:
            assert (await store.load(USER)).version == 1
            with pytest.raises(StoreUnavailable, match="read-only"):
                await store.commit(commit(2, 1))
    finally:
        os.chmod(db_file, 0o644)


async def test_full_database_is_unavailable_and_stays_usable(db_file: Path) -> None:
    await make_db(db_file)
    with sqlite3.connect(db_file) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    async with SqliteStore(db_file, max_page_count=pages + 8) as store:
        with pytest.raises(StoreUnavailable, match="full"):
            await store.commit(commit(2, 1, state={"big": "x" * 200_000}))
        assert (await store.load(USER)).state == {"step": 1}  # nothing half-written
        assert await store.commit(commit(3, 1))


async def test_garbage_file_is_refused_with_its_path_and_not_overwritten(
    db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await asyncio.to_thread(db_file.write_bytes, b"not a database, just some notes\n" * 200)
    before = digest(db_file)
    with pytest.raises(StoreUnavailable, match="not a SQLite database") as error:
        await open_store(f"sqlite:///{db_file}").open()
    assert str(db_file) in str(error.value)
    assert digest(db_file) == before
    assert len(errors(caplog)) == 1


async def test_corrupt_pages_are_reported_not_crashed_on(db_file: Path) -> None:
    await make_db(db_file)
    wipe_after_header_page(db_file)
    store = SqliteStore(db_file)
    with pytest.raises(StoreUnavailable, match="corrupt"):
        await store.open()  # the schema may already live on a wiped page...
        try:
            await store.load(USER)  # ...if not, the first read hits one
        finally:
            await store.close()


async def test_cancelled_commit_leaves_the_store_consistent(db_file: Path) -> None:
    async with SqliteStore(db_file) as store:
        for ticks in range(12):  # cancel at different points of the transaction
            version = (await store.load(USER)).version
            task = asyncio.create_task(store.commit(commit(100 + ticks, version)))
            for _ in range(ticks):
                await asyncio.sleep(0)
            if task.cancel():
                with pytest.raises(asyncio.CancelledError):
                    await task
            else:
                assert await task
            loaded = await store.load(USER)
            # all or nothing: the outbox holds one row per applied commit
            assert loaded.version in (version, version + 1)
            assert len(await store.undelivered()) == loaded.version
        assert await store.commit(commit(999, (await store.load(USER)).version))
