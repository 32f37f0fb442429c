"""Picks up edits to KNOWLEDGE_DIR without a restart, by polling (no extra dependency).

Every `interval` seconds the files' fingerprint (names and bytes of the top-level *.yaml,
the same digest the knowledge carries) is computed in a thread. When it differs from what the
reloader last tried, the watcher waits `debounce` seconds, so an editor's save (truncate, then
write) is read whole, and reloads. The same broken content is tried, and reported, only once.
"""

from __future__ import annotations

import asyncio
import logging

from bot.admin.reload import Reloader
from bot.bundle import fingerprint

log = logging.getLogger(__name__)

INTERVAL = 0.5
DEBOUNCE = 0.3


class Watcher:
    def __init__(
        self, reloader: Reloader, *, interval: float = INTERVAL, debounce: float = DEBOUNCE
    ) -> None:
        self.reloader = reloader
        self.interval = interval
        self.debounce = debounce
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="knowledge-watcher")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception:  # a vanished folder or a permission error must not end watching
                log.exception("knowledge watcher: could not check %s", self.reloader.directory)

    async def check(self) -> bool:
        """Reload if the files changed since the last attempt; True when a reload ran."""
        now = await asyncio.to_thread(fingerprint, self.reloader.directory)
        if now == self.reloader.attempted:
            return False
        await asyncio.sleep(self.debounce)
        log.info("knowledge files changed; reloading")
        await self.reloader.reload("file change")
        return True
