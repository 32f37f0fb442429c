"""Long polling by exactly one instance: the holder of a lease in the database.

Telegram lets only one getUpdates run per bot (409 otherwise). Every instance runs this loop;
the one that takes the lease polls and renews it every `renew` seconds; the others retry as
often. If the leader dies its lease runs out after `ttl` seconds and a standby takes over, so
takeover is within ttl + renew. A leader that cannot renew (database gone, lease taken) stops
polling at once: it could not store what it fetched anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from bot.storage.base import Leadership

logger = logging.getLogger(__name__)

LEASE = "telegram-polling"
Poll = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


def holder_name() -> str:
    """Unique per process and readable in the leases table."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaderPolling:
    def __init__(
        self,
        leases: Leadership,
        poll: Poll,
        *,
        holder: str | None = None,
        ttl: float = 6.0,
        renew: float = 2.0,
    ) -> None:
        if renew >= ttl:
            raise ValueError("the lease must be renewed well before it runs out")
        self.leases = leases
        self.poll = poll
        self.holder = holder or holder_name()
        self.ttl = ttl
        self.renew = renew
        self.leading = False

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: wait for the lease, poll while holding it, resign when stopped."""
        try:
            while not stop.is_set():
                if await self._take():
                    await self._lead(stop)
                else:
                    await _wait(stop, self.renew)
        finally:
            if self.leading:
                self.leading = False
                with contextlib.suppress(Exception):
                    await self.leases.resign(LEASE, self.holder)

    async def _lead(self, stop: asyncio.Event) -> None:
        logger.info("took the polling lease as %s", self.holder)
        self.leading = True
        stop_polling = asyncio.Event()
        polling = asyncio.create_task(self.poll(stop_polling), name="leader-poll")
        try:
            while not stop.is_set() and not polling.done():
                await _wait(stop, self.renew, polling)
                if stop.is_set() or polling.done():
                    break
                if not await self._take():
                    logger.warning("lost the polling lease; another instance polls now")
                    self.leading = False
                    break
        finally:
            stop_polling.set()
            await asyncio.gather(polling, return_exceptions=True)
        failure = None if polling.cancelled() else polling.exception()
        if failure is not None:
            raise failure  # e.g. InvalidToken: fatal for every instance alike

    async def _take(self) -> bool:
        try:
            return await self.leases.try_lead(LEASE, self.holder, self.ttl)
        except Exception as exc:
            logger.warning("polling lease: %r", exc)
            return False


async def _wait(stop: asyncio.Event, seconds: float, *also: asyncio.Task[None]) -> None:
    """Sleep up to `seconds`, waking early on stop or when a given task ends."""
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopper, *also}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        await asyncio.gather(stopper, return_exceptions=True)
