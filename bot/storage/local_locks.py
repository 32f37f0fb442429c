"""Person locks and leader leases for a store that lives in one process (SQLite).

Person locks are asyncio locks shared by every store object on the same database in this
process (a SQLite deployment is one process). The leader lease is an OS file lock next to the
database file, so even a second process on the same file cannot poll at the same time, and a
killed holder's lease goes with it at once.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

_PERSON_LOCKS: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}
"""(database, user id) -> (lock, how many tasks hold or wait for it); dropped at zero."""


class LocalLocks:
    def __init__(self, database: str | Path) -> None:
        self.database = str(database)
        self._lease_files: dict[str, tuple[int, str]] = {}
        self._memory_leases: dict[str, str] = {}

    @asynccontextmanager
    async def person_lock(self, user_id: int) -> AsyncIterator[None]:
        key = (self.database, user_id)
        lock, users = _PERSON_LOCKS.get(key, (asyncio.Lock(), 0))
        _PERSON_LOCKS[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = _PERSON_LOCKS[key]
            if users == 1:
                del _PERSON_LOCKS[key]
            else:
                _PERSON_LOCKS[key] = (lock, users - 1)

    async def try_lead(self, name: str, holder: str, ttl: float) -> bool:
        """`ttl` is moot here: the OS releases the file lock when the holder dies."""
        if self.database == ":memory:":
            return self._memory_leases.setdefault(name, holder) == holder
        if name in self._lease_files:
            return self._lease_files[name][1] == holder
        fd = await asyncio.to_thread(self._take, f"{self.database}.{name}.lease")
        if fd is None:
            return False
        self._lease_files[name] = (fd, holder)
        return True

    async def resign(self, name: str, holder: str) -> None:
        if self._memory_leases.get(name) == holder:
            del self._memory_leases[name]
        held = self._lease_files.get(name)
        if held is not None and held[1] == holder:
            del self._lease_files[name]
            os.close(held[0])  # closing drops the flock

    def release_all(self) -> None:
        for fd, _ in self._lease_files.values():
            os.close(fd)
        self._lease_files.clear()
        self._memory_leases.clear()

    @staticmethod
    def _take(path: str) -> int | None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd
