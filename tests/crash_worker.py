"""Commit updates for one person in a loop, printing each committed step, until killed.

Used by test_store_crash.py: `python tests/crash_worker.py DB_PATH`. It resumes from whatever
version the database holds, so it can be killed and restarted on the same file.
"""

from __future__ import annotations

import asyncio
import sys

from bot.storage import Commit, SqliteStore

USER = 31337


async def main(path: str) -> None:
    async with SqliteStore(path) as store:
        step = (await store.load(USER)).version
        while True:
            step += 1
            applied = await store.commit(
                Commit(
                    update_id=step,
                    user_id=USER,
                    chat_id=USER,
                    expected_version=step - 1,
                    state={"step": step},
                    replies=[{"text": f"step {step}"}],
                    history=[f"topic-{step}"],
                    questions_asked=1,
                )
            )
            if not applied:
                raise SystemExit(f"commit {step} was refused")
            print(step, flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
