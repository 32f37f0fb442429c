"""Storage benchmark: memory with 100,000 people stored, per-update latency, file size.

The measuring runs in a fresh subprocess so its RSS is the store's alone (not the bench
runner's). Latency: one update's load + commit through SqliteStore, side by side with raw
aiosqlite running just the two statements at the heart of it (SELECT state; UPSERT state).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage import Commit, SqliteStore

PEOPLE = 100_000
ROUNDS = 20
PER_ROUND = 100
"""ROUNDS x PER_ROUND updates per path, alternating store and raw blocks so drift hits both."""
NEW_PEOPLE = 2_000
RSS_GOAL_MB = 150
STATE = {"topic": "fever-aches", "step": 3, "pending_check": None, "last": ["fever", "sleep"]}


def run() -> str:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db)],
            check=True,
            capture_output=True,
            text=True,
        )
    return _report(json.loads(out.stdout))


# ----------------------------------------------------------------------------- child process


def _rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) in MB from /proc; falls back to ru_maxrss for both."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        )
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak


def _seed_rows(now: int) -> Iterator[tuple[Iterator[tuple[Any, ...]], str]]:
    """Rows as if each person had sent a few messages: user, state, processed id, history."""
    state = json.dumps(STATE, separators=(",", ":"))
    people = range(1, PEOPLE + 1)
    yield ((p, "NSW", now) for p in people), "INSERT INTO users VALUES (?, ?, ?)"
    yield ((p, state, 3, now) for p in people), "INSERT INTO state VALUES (?, ?, ?, ?)"
    yield (
        ((p, p, None, now, "done") for p in people),
        "INSERT INTO inbox VALUES (?, ?, ?, ?, ?)",
    )
    yield (
        ((p, t, now) for p in people for t in ("fever", "sleep")),
        "INSERT INTO history (user_id, topic_id, at) VALUES (?, ?, ?)",
    )


def _seed(db: Path) -> float:
    """Bulk-load PEOPLE people with executemany (the store's commit path would take a minute)."""
    start = time.perf_counter()
    with sqlite3.connect(db, isolation_level=None) as raw:
        raw.execute("BEGIN")
        for rows, sql in _seed_rows(int(time.time())):
            raw.executemany(sql, rows)
        raw.execute("COMMIT")
    raw.close()
    return time.perf_counter() - start


def _update(user: int, update_id: int, version: int) -> Commit:
    return Commit(
        update_id=update_id,
        user_id=user,
        chat_id=user,
        expected_version=version,
        state={**STATE, "step": update_id},
        replies=[{"text": "Being sick switches on your immune system...", "buttons": []}],
        history=["immune-response"],
        questions_asked=1,
        questions_answered=1,
    )


async def _store_block(store: SqliteStore, users: list[int], first_id: int) -> list[float]:
    times = []
    for i, user in enumerate(users):
        start = time.perf_counter()
        loaded = await store.load(user)
        applied = await store.commit(_update(user, first_id + i, loaded.version))
        times.append(time.perf_counter() - start)
        assert applied
    return times


async def _raw_block(raw: aiosqlite.Connection, users: list[int], first_id: int) -> list[float]:
    times = []
    for i, user in enumerate(users):
        start = time.perf_counter()
        rows = list(
            await raw.execute_fetchall(
                "SELECT state, version FROM state WHERE user_id = ?", (user,)
            )
        )
        version = int(rows[0][1]) if rows else 0
        state = json.dumps({**STATE, "step": first_id + i}, separators=(",", ":"))
        await raw.execute(
            "INSERT INTO state (user_id, state, version, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET state = excluded.state,"
            " version = excluded.version, updated_at = excluded.updated_at",
            (user, state, version + 1, int(time.time())),
        )
        times.append(time.perf_counter() - start)
    return times


async def _measure(db: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"rss_start_mb": _rss_mb()[0]}
    async with SqliteStore(db) as store:
        await store.load(1)  # open + migrate before seeding, so the schema is the store's
        result["seed_s"] = await asyncio.to_thread(_seed, db)
        start = time.perf_counter()
        for i in range(NEW_PEOPLE):  # brand-new people through the normal path
            await store.commit(_update(PEOPLE + 1 + i, 10_000_000 + i, 0))
        result["new_person_us"] = (time.perf_counter() - start) / NEW_PEOPLE * 1e6
        rng = random.Random(7)
        store_times: list[float] = []
        raw_times: list[float] = []
        async with aiosqlite.connect(db, isolation_level=None) as raw:
            await raw.execute("PRAGMA synchronous = NORMAL")
            for r in range(ROUNDS):
                base = 20_000_000 + r * PER_ROUND
                store_times += await _store_block(
                    store, rng.sample(range(1, PEOPLE + 1), PER_ROUND), base
                )
                raw_times += await _raw_block(
                    raw, rng.sample(range(1, PEOPLE + 1), PER_ROUND), base
                )
        stats = await store.stats()
        result["people"] = stats["people"]
        result["rss_mb"], result["peak_rss_mb"] = _rss_mb()
    result["store_us"] = _quantiles(store_times)
    result["raw_us"] = _quantiles(raw_times)
    result["file_mb"] = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20
    return result


def _quantiles(seconds: list[float]) -> dict[str, float]:
    us = [s * 1e6 for s in seconds]
    cuts = statistics.quantiles(us, n=10)
    return {"median": statistics.median(us), "p90": cuts[-1], "n": len(us)}


# ----------------------------------------------------------------------------- report


def _report(r: dict[str, Any]) -> str:
    store, raw = r["store_us"], r["raw_us"]
    verdict = "met" if r["peak_rss_mb"] < RSS_GOAL_MB else "MISSED"
    return "\n".join(
        [
            "## Storage (SQLite, WAL, synchronous=NORMAL)",
            "",
            f"Fresh process holding an open SqliteStore with {r['people']:,} stored people.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| RSS at start (interpreter + imports) | {r['rss_start_mb']:.1f} MB |",
            f"| RSS after seeding and {store['n'] + raw['n']:,} updates | {r['rss_mb']:.1f} MB |",
            f"| peak RSS (goal < {RSS_GOAL_MB} MB: {verdict}) | {r['peak_rss_mb']:.1f} MB |",
            f"| database file incl. WAL | {r['file_mb']:.1f} MB |",
            f"| bulk seed of {PEOPLE:,} people (executemany) | {r['seed_s']:.2f} s |",
            f"| first update of a new person via store | {r['new_person_us']:.0f} µs |",
            "",
            f"One update for an existing person, {store['n']:,} each, alternating blocks:",
            "",
            "| path | median µs | p90 µs | ratio (median) |",
            "|---|---:|---:|---:|",
            f"| store: load + commit (1 transaction: dedupe, version check, user, state,"
            f" inbox, outbox, history + trim, counters) | {store['median']:.0f} |"
            f" {store['p90']:.0f} | {store['median'] / raw['median']:.2f}x |",
            f"| raw aiosqlite: SELECT state + UPSERT state (autocommit) | {raw['median']:.0f} |"
            f" {raw['p90']:.0f} | 1.00x |",
            "",
        ]
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(_measure(Path(sys.argv[2])))))
    else:
        print(run())
