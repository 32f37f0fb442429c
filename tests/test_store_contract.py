"""The Store contract, run against every backend (SQLite and PostgreSQL).

Each backend provides a factory (same directory -> same database, so reopening is testable) and a
scanner listing every table.column whose value holds a given id, used to prove /forget.
PostgreSQL runs on TEST_DATABASE_URL or a throwaway cluster (tests/pg_harness.py).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pg_harness import PgServer, database_name, fresh_database

from bot.storage import Commit, InboxItem, PostgresStore, SqliteStore, open_store

ContractStore = SqliteStore | PostgresStore

ALICE = 777_000_111  # distinct from every update id below, so the scan cannot match by chance
BOB = 888_000_222


@dataclass(frozen=True)
class Backend:
    name: str
    make: Callable[[Path], Awaitable[ContractStore]]
    """A store (not opened) on the database of this folder; the same folder, the same data."""
    rows_holding: Callable[[Path, int], Awaitable[list[str]]]


def _sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bot.sqlite3'}"  # absolute path -> four slashes


async def _sqlite_rows_holding(folder: Path, value: int) -> list[str]:
    """Every table.column with a value equal to `value` or containing it as text (JSON)."""
    hits: list[str] = []
    async with aiosqlite.connect(folder / "bot.sqlite3") as db:
        tables = [
            r[0]
            for r in await db.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        ]
        for table in tables:
            columns = [r[1] for r in await db.execute_fetchall(f'PRAGMA table_info("{table}")')]
            for column in columns:
                found = await db.execute_fetchall(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?'
                    f' OR CAST("{column}" AS TEXT) LIKE ?',
                    (value, f"%{value}%"),
                )
                if next(iter(found))[0]:
                    hits.append(f"{table}.{column}")
    return hits


async def _make_sqlite(folder: Path) -> ContractStore:
    return open_store(_sqlite_url(folder))


RUN = uuid.uuid4().hex
"""Salt for database names: a reused temp path never finds an old run's database."""


def _postgres(server: PgServer) -> Backend:
    async def make(folder: Path) -> ContractStore:
        return open_store(await fresh_database(server, f"{folder}{RUN}", keep=True))

    async def rows_holding(folder: Path, value: int) -> list[str]:
        hits: list[str] = []
        db = await asyncpg.connect(server.url_for(database_name(f"{folder}{RUN}")))
        try:
            columns = await db.fetch(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
            for table, column in columns:
                found = await db.fetchval(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE $1',
                    f"%{value}%",
                )
                if found:
                    hits.append(f"{table}.{column}")
        finally:
            await db.close()
        return hits

    return Backend("postgres", make, rows_holding)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", _make_sqlite, _sqlite_rows_holding)
    return _postgres(request.getfixturevalue("pg_server"))


@pytest.fixture
async def store(backend: Backend, tmp_path: Path) -> AsyncIterator[ContractStore]:
    s = await backend.make(tmp_path)
    await s.open()
    yield s
    await s.close()


def commit(user: int, update_id: int, version: int, **changes: Any) -> Commit:
    fields: dict[str, Any] = {
        "update_id": update_id,
        "user_id": user,
        "chat_id": user,
        "expected_version": version,
        "state": {"step": update_id},
        "replies": [{"text": f"reply to {update_id}", "buttons": []}],
    }
    fields.update(changes)
    return Commit(**fields)


async def test_someone_new_has_empty_state_and_is_not_counted(store: ContractStore) -> None:
    loaded = await store.load(ALICE)
    assert (loaded.state, loaded.version) == ({}, 0)
    assert (await store.stats())["people"] == 0


async def test_commits_bump_the_version_and_persist_state(store: ContractStore) -> None:
    assert await store.commit(commit(ALICE, 1, 0, state={"topic": "fever"}))
    assert await store.commit(commit(ALICE, 2, 1, state={"topic": "sleep"}))
    loaded = await store.load(ALICE)
    assert (loaded.state, loaded.version) == ({"topic": "sleep"}, 2)


async def test_stale_version_is_refused_and_changes_nothing(store: ContractStore) -> None:
    assert await store.commit(commit(ALICE, 1, 0, state={"a": 1}))
    before = (await store.stats(), await store.undelivered())
    stale = commit(ALICE, 2, 0, state={"a": 2}, questions_asked=1, outcomes=["gp"])
    assert not await store.commit(stale)
    assert (await store.load(ALICE)).state == {"a": 1}
    assert (await store.stats(), await store.undelivered()) == before
    assert not await store.was_committed(2)  # a conflict, not a duplicate: rerun it


async def test_duplicate_update_is_refused_and_changes_nothing(store: ContractStore) -> None:
    first = commit(ALICE, 5, 0, questions_asked=1, questions_answered=1, outcomes=["gp"])
    assert await store.commit(first)
    before = (await store.stats(), await store.undelivered(), await store.user_data(ALICE))
    again = commit(ALICE, 5, 1, questions_asked=1, questions_answered=1, outcomes=["gp"])
    assert not await store.commit(again)
    assert await store.was_committed(5)
    after = (await store.stats(), await store.undelivered(), await store.user_data(ALICE))
    assert after == before


async def test_enqueue_dedupes_and_pending_is_oldest_first(store: ContractStore) -> None:
    for update_id in (30, 10, 20):
        assert await store.enqueue(InboxItem(update_id, ALICE, {"text": f"m{update_id}"}))
    assert not await store.enqueue(InboxItem(10, ALICE, {"text": "redelivered"}))
    pending = await store.pending()
    assert [p.update_id for p in pending] == [10, 20, 30]
    assert pending[0].payload == {"text": "m10"}


async def test_pending_for_one_person_whoever_accepted_it(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    """Updates accepted by two instances: either one sees the person's whole queue in order."""
    async with await backend.make(tmp_path) as other:
        await store.enqueue(InboxItem(21, ALICE, {"text": "first"}))
        await other.enqueue(InboxItem(22, BOB, {"text": "bob"}))
        await other.enqueue(InboxItem(23, ALICE, {"text": "second"}))
        assert [p.update_id for p in await store.pending_for(ALICE)] == [21, 23]
        assert await other.commit(commit(ALICE, 21, 0))
        assert [p.payload for p in await store.pending_for(ALICE)] == [{"text": "second"}]
        assert await store.pending_for(123) == []


async def test_committed_update_leaves_pending_and_cannot_be_enqueued_again(
    store: ContractStore,
) -> None:
    await store.enqueue(InboxItem(1, ALICE, {"text": "hi"}))
    await store.enqueue(InboxItem(2, ALICE, {"text": "and"}))
    assert await store.commit(commit(ALICE, 1, 0))
    assert [p.update_id for p in await store.pending()] == [2]
    assert not await store.enqueue(InboxItem(1, ALICE, {"text": "hi"}))


async def test_commit_without_enqueue_still_counts_as_processed(store: ContractStore) -> None:
    assert await store.commit(commit(ALICE, 9, 0))
    assert not await store.enqueue(InboxItem(9, ALICE, {"text": "late copy"}))
    assert await store.pending() == []


async def test_discarded_update_is_not_replayed(store: ContractStore) -> None:
    await store.enqueue(InboxItem(4, ALICE, {"text": "boom"}))
    await store.discard(4)
    assert await store.pending() == []
    assert not await store.enqueue(InboxItem(4, ALICE, {"text": "boom"}))


async def test_replies_wait_in_outbox_until_delivered(store: ContractStore) -> None:
    await store.commit(commit(BOB, 12, 0, meta={"callback_query_id": "abc"}))
    await store.commit(commit(ALICE, 11, 0))
    waiting = await store.undelivered()
    assert [(o.update_id, o.user_id) for o in waiting] == [(11, ALICE), (12, BOB)]
    assert waiting[1].meta == {"callback_query_id": "abc"}
    assert waiting[0].replies == [{"text": "reply to 11", "buttons": []}]
    await store.mark_delivered(11)
    await store.mark_delivered(999)  # unknown id: nothing to do, no error
    assert [o.update_id for o in await store.undelivered()] == [12]


async def test_commit_with_nothing_to_send_queues_nothing(store: ContractStore) -> None:
    assert await store.commit(commit(ALICE, 1, 0, replies=[]))
    assert await store.undelivered() == []


async def test_region_is_kept_when_a_later_commit_omits_it(store: ContractStore) -> None:
    await store.commit(commit(ALICE, 1, 0, region="NSW"))
    await store.commit(commit(ALICE, 2, 1))
    assert (await store.user_data(ALICE))["region"] == "NSW"
    await store.commit(commit(ALICE, 3, 2, region="VIC"))
    assert (await store.user_data(ALICE))["region"] == "VIC"


async def test_history_keeps_the_last_twenty_topics(store: ContractStore) -> None:
    topics = [f"topic-{i}" for i in range(25)]
    for i, topic in enumerate(topics):
        assert await store.commit(commit(ALICE, i + 1, i, history=[topic]))
    history = (await store.user_data(ALICE))["history"]
    assert [h["topic_id"] for h in history] == topics[-20:]


async def test_purge_drops_old_rows_only(store: ContractStore) -> None:
    await store.enqueue(InboxItem(50, BOB, {"text": "still pending"}))
    await store.commit(commit(ALICE, 1, 0, history=["a", "b"], unanswered=[("x?", 0.2)]))
    await store.commit(commit(ALICE, 2, 1, unanswered=[("y?", 0.1)]))
    now = datetime.now(UTC)
    assert await store.purge(now) == 0

    # After a week the processed ids go (Telegram never redelivers that late)...
    assert await store.purge(now + timedelta(days=8)) == 2
    assert await store.enqueue(InboxItem(1, ALICE, {"text": "very late copy"}))
    assert len((await store.user_data(ALICE))["history"]) == 2
    # ...after the 30-day retention, topic history and unanswered questions go too.
    assert await store.purge(now + timedelta(days=31)) == 2 + 2
    assert (await store.user_data(ALICE))["history"] == []
    assert await store.unanswered() == []
    # Pending updates are never purged: they still need an answer; nor is the state.
    assert {p.update_id for p in await store.pending()} == {1, 50}
    assert (await store.load(ALICE)).version == 2


async def test_unanswered_newest_first_and_dismissed_by_text(store: ContractStore) -> None:
    asked = [("is it covid?", 0.31), ("can i run?", 0.12), ("is it covid?", 0.29)]
    for i, question in enumerate(asked):
        await store.commit(commit(ALICE, i + 1, i, unanswered=[question]))
    listed = await store.unanswered()
    assert [(q.text, q.best_score) for q in listed] == list(reversed(asked))
    assert [q.text for q in await store.unanswered(limit=1)] == [asked[-1][0]]
    assert await store.dismiss_unanswered(["is it covid?", "never asked"]) == 2
    assert [q.text for q in await store.unanswered()] == ["can i run?"]


async def test_stats_count_people_questions_outcomes_and_feedback(store: ContractStore) -> None:
    await store.commit(
        commit(ALICE, 1, 0, questions_asked=2, questions_answered=1, outcomes=["gp"])
    )
    await store.commit(
        commit(BOB, 2, 0, questions_asked=2, questions_answered=2, feedback=[("fever", 1)])
    )
    await store.commit(
        commit(BOB, 3, 1, outcomes=["gp", "emergency"], feedback=[("fever", -1), ("sleep", 1)])
    )
    stats = await store.stats()
    assert stats["people"] == 2
    assert (stats["questions_asked"], stats["questions_answered"]) == (4, 3)
    assert stats["answered_share"] == pytest.approx(0.75)
    assert stats["outcomes"] == {"gp": 2, "emergency": 1}
    assert stats["feedback"] == {"fever": {"up": 1, "down": 1}, "sleep": {"up": 1, "down": 0}}


async def test_feedback_must_be_a_vote(store: ContractStore) -> None:
    with pytest.raises(ValueError, match="fever"):
        await store.commit(commit(ALICE, 1, 0, feedback=[("fever", 5)]))
    assert (await store.load(ALICE)).version == 0


async def _fill_alice_everywhere(store: ContractStore) -> None:
    await store.commit(
        commit(
            ALICE,
            1,
            0,
            region="QLD",
            history=["fever"],
            unanswered=[("what about my knees?", 0.2)],
            feedback=[("fever", 1)],
            outcomes=["selfcare"],
            questions_asked=1,
        )
    )
    await store.commit(commit(ALICE, 2, 1, state={"user": ALICE}))
    await store.enqueue(InboxItem(3, ALICE, {"from": {"id": ALICE}, "text": "still there?"}))
    await store.commit(commit(BOB, 4, 0, history=["sleep"]))


async def test_forget_leaves_no_row_holding_the_id(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    await _fill_alice_everywhere(store)
    assert await backend.rows_holding(tmp_path, ALICE)  # the scan does find her before
    await store.forget(ALICE)
    assert await backend.rows_holding(tmp_path, ALICE) == []
    assert (await store.load(ALICE)).version == 0
    # Bob and the anonymous counters are untouched; Alice's own question went with her.
    assert (await store.load(BOB)).version == 1
    assert [h["topic_id"] for h in (await store.user_data(BOB))["history"]] == ["sleep"]
    stats = await store.stats()
    assert (stats["people"], stats["questions_asked"], stats["unanswered"]) == (1, 1, 0)


async def test_forget_and_reply_keeps_only_the_confirmation(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    await _fill_alice_everywhere(store)
    confirm = commit(ALICE, 5, 2, replies=[{"text": "Deleted."}])
    assert await store.forget_and_reply(confirm)
    assert not await store.forget_and_reply(confirm)  # replayed /forget: done already
    assert [o.replies for o in await store.undelivered() if o.user_id == ALICE] == [
        [{"text": "Deleted."}]
    ]
    await store.mark_delivered(5)
    assert await backend.rows_holding(tmp_path, ALICE) == []
    assert not await store.enqueue(InboxItem(5, ALICE, {"text": "/forget"}))


async def test_user_data_is_json_and_shows_what_is_kept(store: ContractStore) -> None:
    await _fill_alice_everywhere(store)
    data = json.loads(json.dumps(await store.user_data(ALICE)))
    assert data["region"] == "QLD"
    assert data["state"] == {"user": ALICE}
    assert data["state_version"] == 2
    assert [h["topic_id"] for h in data["history"]] == ["fever"]
    assert datetime.fromisoformat(data["first_seen"]) <= datetime.now(UTC)
    assert (data["pending_updates"], data["undelivered_replies"]) == (1, 2)
    nobody = await store.user_data(123)
    assert (nobody["state"], nobody["history"], nobody["first_seen"]) == ({}, [], None)


async def test_everything_survives_reopening(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    await store.enqueue(InboxItem(2, ALICE, {"text": "next"}))
    await store.commit(commit(ALICE, 1, 0, state={"kept": True}))
    await store.close()
    async with await backend.make(tmp_path) as reopened:
        assert (await reopened.load(ALICE)).state == {"kept": True}
        assert [p.update_id for p in await reopened.pending()] == [2]
        assert [o.update_id for o in await reopened.undelivered()] == [1]


async def test_racing_commits_on_one_version_let_exactly_one_win(store: ContractStore) -> None:
    results = await asyncio.gather(
        *(store.commit(commit(ALICE, 100 + i, 0, state={"by": i})) for i in range(5))
    )
    assert sorted(results) == [False] * 4 + [True]
    winner = results.index(True)
    loaded = await store.load(ALICE)
    assert (loaded.state, loaded.version) == ({"by": winner}, 1)
    assert [o.update_id for o in await store.undelivered()] == [100 + winner]


async def test_concurrent_commits_for_different_people_all_apply(store: ContractStore) -> None:
    people = range(1, 41)
    results = await asyncio.gather(
        *(store.commit(commit(p, 1000 + p, 0, history=["t"], questions_asked=1)) for p in people)
    )
    assert all(results)
    stats = await store.stats()
    assert (stats["people"], stats["questions_asked"]) == (40, 40)
    assert len(await store.undelivered()) == 40


OPS = st.lists(
    st.tuples(
        st.sampled_from([ALICE, BOB]),
        st.integers(min_value=1, max_value=12),  # update ids repeat: duplicates happen
        st.integers(min_value=-1, max_value=1),  # expected version off by one, or right
    ),
    max_size=25,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=OPS)
async def test_commits_follow_the_model(backend: Backend, tmp_path: Path, ops: Any) -> None:
    """Applied iff the update is new and the version is the current one; nothing else moves."""
    folder = tmp_path / uuid.uuid4().hex
    versions = {ALICE: 0, BOB: 0}
    done: set[int] = set()
    async with await backend.make(folder) as store:
        for user, update_id, skew in ops:
            expected = versions[user] + skew
            applies = update_id not in done and skew == 0
            assert await store.commit(commit(user, update_id, expected)) is applies
            if applies:
                versions[user] += 1
                done.add(update_id)
        for user, version in versions.items():
            assert (await store.load(user)).version == version
        assert sorted(o.update_id for o in await store.undelivered()) == sorted(done)


async def test_person_lock_excludes_the_same_person_on_another_connection(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    """Two store objects on one database stand for two instances: while one handles Alice,
    the other waits for her but not for Bob."""
    async with await backend.make(tmp_path) as other:
        entered = asyncio.Event()

        async def second_worker() -> None:
            async with other.person_lock(ALICE):
                entered.set()

        async with store.person_lock(ALICE):
            waiting = asyncio.create_task(second_worker())
            async with other.person_lock(BOB):
                pass  # someone else is not held up
            await asyncio.sleep(0.2)
            assert not entered.is_set()
        await asyncio.wait_for(waiting, 10)
        assert entered.is_set()


async def test_person_lock_is_released_when_the_holder_fails(store: ContractStore) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with store.person_lock(ALICE):
            raise RuntimeError("boom")
    async with asyncio.timeout(10), store.person_lock(ALICE):
        pass


async def test_one_leader_at_a_time_and_handover_on_resign(
    store: ContractStore, backend: Backend, tmp_path: Path
) -> None:
    async with await backend.make(tmp_path) as other:
        assert await store.try_lead("poll", "a", 30)
        assert not await other.try_lead("poll", "b", 30)
        assert await store.try_lead("poll", "a", 30)  # renewing keeps it
        assert await store.try_lead("other-job", "a", 30)  # leases are per name
        await store.resign("poll", "a")
        assert await other.try_lead("poll", "b", 30)
        assert not await store.try_lead("poll", "a", 30)


async def test_outbox_depth_counts_undelivered_commits(store: ContractStore) -> None:
    assert await store.outbox_depth() == 0
    await store.commit(commit(ALICE, 1, 0))
    await store.commit(commit(BOB, 2, 0))
    await store.commit(commit(BOB, 3, 1, replies=[]))
    assert await store.outbox_depth() == 2
    await store.mark_delivered(1)
    assert await store.outbox_depth() == 1


async def test_a_reply_is_leased_to_one_sender_and_handed_out_in_order(
    store: ContractStore,
) -> None:
    assert await store.commit(commit(ALICE, 1, 0))
    assert await store.commit(commit(ALICE, 2, 1))
    first = await store.claim_reply(ALICE, "sender-a", 60)
    assert first is not None and first.update_id == 1  # the oldest first
    assert await store.claim_reply(ALICE, "sender-b", 60) is None  # leased to sender-a
    again = await store.claim_reply(ALICE, "sender-a", 60)  # the holder renews its lease
    assert again is not None and again.update_id == 1
    await store.mark_delivered(1)
    second = await store.claim_reply(ALICE, "sender-b", 60)
    assert second is not None and second.update_id == 2  # the next only once it is gone
    assert await store.claim_reply(BOB, "sender-a", 60) is None  # nothing for Bob


async def test_an_expired_lease_can_be_taken_over(store: ContractStore) -> None:
    assert await store.commit(commit(ALICE, 1, 0))
    assert await store.claim_reply(ALICE, "crashed", 0.01) is not None
    await asyncio.sleep(0.05)
    taken = await store.claim_reply(ALICE, "sender-b", 60)
    assert taken is not None and taken.update_id == 1


async def test_a_quarantined_update_is_kept_counted_and_done(store: ContractStore) -> None:
    raw = json.dumps({"update_id": 9, "message": [1, 2]})
    await store.quarantine(9, ALICE, raw, "TypeError at parse")
    await store.quarantine(None, None, "[]", "TypeError at parse")
    letters = await store.dead_letters()
    assert [(d.update_id, d.raw) for d in letters] == [(None, "[]"), (9, raw)]
    assert (await store.stats())["quarantined"] == 2
    assert await store.was_committed(9)  # a redelivery of it is a duplicate
    assert not await store.enqueue(InboxItem(9, ALICE, {}))
    await store.forget(ALICE)
    assert [d.update_id for d in await store.dead_letters()] == [None]
