"""PostgreSQL-only behaviour: migrations shared by instances, leases that expire, errors."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from pg_harness import PgServer, fresh_database

from bot.storage import PostgresStore, StoreTooNew, StoreUnavailable, open_store
from bot.storage.migrations import Migration
from bot.storage.pg_migrations import MIGRATIONS


@pytest.fixture
async def db_url(pg_server: PgServer) -> str:
    return await fresh_database(pg_server, uuid.uuid4().hex)


def test_postgres_urls_pick_the_postgres_store() -> None:
    for url in ("postgresql://bot:pw@db:5432/bot", "postgres://db/bot", " POSTGRESQL://x/y "):
        assert isinstance(open_store(url), PostgresStore)


async def test_instances_starting_together_migrate_once(db_url: str) -> None:
    stores = [PostgresStore(db_url) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        versions = [(await s.diagnostics())["schema_version"] for s in stores]
        assert versions == [len(MIGRATIONS)] * 4
        db = await asyncpg.connect(db_url)
        try:
            applied = await db.fetch("SELECT version FROM schema_migrations ORDER BY version")
        finally:
            await db.close()
        assert [r[0] for r in applied] == list(range(1, len(MIGRATIONS) + 1))
    finally:
        await asyncio.gather(*(s.close() for s in stores))


async def test_a_newer_schema_is_refused_untouched(db_url: str) -> None:
    extra: Migration = ("CREATE TABLE from_the_future (id INTEGER)",)
    async with PostgresStore(db_url, migrations=(*MIGRATIONS, extra)):
        pass
    with pytest.raises(StoreTooNew, match=f"v{len(MIGRATIONS) + 1} is newer"):
        await PostgresStore(db_url).open()


async def test_a_failed_migration_leaves_the_previous_version(db_url: str) -> None:
    broken: Migration = ("CREATE TABLE half_done (id INTEGER)", "SELECT no_such_function()")
    with pytest.raises(asyncpg.exceptions.UndefinedFunctionError):
        await PostgresStore(db_url, migrations=(*MIGRATIONS, broken)).open()
    async with PostgresStore(db_url) as store:
        assert (await store.diagnostics())["schema_version"] == len(MIGRATIONS)
    db = await asyncpg.connect(db_url)
    try:
        assert await db.fetchval("SELECT to_regclass('half_done')") is None
    finally:
        await db.close()


async def test_an_expired_lease_passes_to_another_instance(db_url: str) -> None:
    """A leader that died renews nothing: once its lease runs out another instance leads."""
    async with PostgresStore(db_url) as first, PostgresStore(db_url) as second:
        assert await first.try_lead("poll", "first", 0.3)
        assert not await second.try_lead("poll", "second", 0.3)
        await asyncio.sleep(0.6)
        assert await second.try_lead("poll", "second", 30)
        assert not await first.try_lead("poll", "first", 30)


async def test_a_dead_instance_releases_its_person_locks(db_url: str) -> None:
    """The advisory lock lives in the holder's session: when its connection dies (the
    process was killed), the server frees the lock."""
    async with PostgresStore(db_url) as survivor:
        victim = PostgresStore(db_url)
        await victim.open()
        held = asyncio.Event()

        async def hold_forever() -> None:
            async with victim.person_lock(42):
                held.set()
                await asyncio.Event().wait()

        holder = asyncio.create_task(hold_forever())
        await held.wait()
        assert victim._locks is not None
        victim._locks.terminate()  # every connection dropped, like a SIGKILL would
        async with asyncio.timeout(10), survivor.person_lock(42):
            pass
        holder.cancel()
        await asyncio.gather(holder, return_exceptions=True)
        await victim.close()


async def test_an_unreachable_server_is_unavailable_without_the_password() -> None:
    store = PostgresStore("postgresql://bot:s3cret@127.0.0.1:1/bot", connect_timeout=2)
    with pytest.raises(StoreUnavailable) as error:
        await store.open()
    assert "s3cret" not in str(error.value)
    assert "127.0.0.1" in str(error.value)
