"""A process killed with SIGKILL mid-commit loses nothing it reported and leaves no half-commit."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import Commit, SqliteStore

WORKER = Path(__file__).with_name("crash_worker.py")
USER = 31337  # crash_worker.USER


def run_and_kill(db: Path, after: int) -> int:
    """Start the worker, SIGKILL it once it reported `after` commits; the last step it printed."""
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    printed: list[int] = []
    try:
        while len(printed) < after:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"worker exited early: {proc.stderr.read()}")
            printed.append(int(line))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # Lines written before the kill are still in the pipe; a torn last line does not count.
    printed += [
        int(line) for line in proc.stdout.read().splitlines(keepends=True) if line[-1:] == "\n"
    ]
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return printed[-1]


async def reopen_and_check(db: Path, last_printed: int) -> int:
    async with SqliteStore(db) as store:
        loaded = await store.load(USER)
        # Killed between commit and print: one more than printed; never fewer.
        assert loaded.version in (last_printed, last_printed + 1)
        assert loaded.state == {"step": loaded.version}
        # Every applied commit wrote all of its rows: one outbox row and one question each.
        assert len(await store.undelivered()) == loaded.version
        assert (await store.stats())["questions_asked"] == loaded.version
        history = (await store.user_data(USER))["history"]
        assert history[-1]["topic_id"] == f"topic-{loaded.version}"
        # Replaying the last reported update is recognised as done.
        replay = Commit(
            update_id=last_printed,
            user_id=USER,
            chat_id=USER,
            expected_version=loaded.version,
            state={"step": -1},
            replies=[],
        )
        assert not await store.commit(replay)
        assert (await store.load(USER)).state == {"step": loaded.version}
        return loaded.version


@pytest.mark.slow
def test_sigkill_mid_run_loses_no_reported_commit(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    rng = random.Random()
    for _ in range(3):  # kill, recover, continue on the same file
        last = run_and_kill(db, after=rng.randint(30, 300))
        version = asyncio.run(reopen_and_check(db, last))
        assert version >= last
        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        raw.close()
