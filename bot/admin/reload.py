"""Reloading KNOWLEDGE_DIR one change at a time: swap only when valid, tell admins what is wrong.

Every change to the files (the watcher, /reload, an upload, a rollback, a phrasing added from
the review list) goes through one `Reloader`, whose lock keeps a half-written change from
being read by another. A refused change leaves people on the previous knowledge; each admin is
told once per broken content (the log says the same, problem by problem).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.bundle import KnowledgeHolder, fingerprint
from bot.knowledge.model import Problem

log = logging.getLogger(__name__)

Notify = Callable[[int, str], Awaitable[None]]
"""Send one plain-text message to an admin's private chat (chat id == user id)."""

MAX_LISTED = 20
"""Problems listed in one admin message; the rest are counted (the log has them all)."""


@dataclass(frozen=True)
class ReloadResult:
    problems: tuple[Problem, ...]
    changed: bool
    """Whether the knowledge people get is now different."""
    version: str
    """Fingerprint of the files that were tried."""

    @property
    def ok(self) -> bool:
        return not self.problems


def problem_line(problem: Problem) -> str:
    """`article.yaml:12: message`: the file name is enough inside KNOWLEDGE_DIR."""
    name = Path(problem.file).name or problem.file
    where = f"{name}:{problem.line}" if problem.line > 0 else name
    return f"{where}: {problem.message}"


def format_problems(problems: Iterable[Problem], headline: str) -> str:
    items = list(problems)
    lines = [headline, ""]
    lines.extend(f"• {problem_line(p)}" for p in items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        lines.append(f"… and {len(items) - MAX_LISTED} more (see the bot's log).")
    return "\n".join(lines)


REFUSED = (
    "⚠️ A change to the knowledge files was refused: people keep getting the previous "
    "version. Fix these and save again (or send /rollback):"
)


class Reloader:
    def __init__(
        self,
        holder: KnowledgeHolder,
        admins: Iterable[int] = (),
        notify: Notify | None = None,
    ) -> None:
        self.holder = holder
        self.admins = tuple(sorted(set(admins)))
        self.notify = notify
        self.lock = asyncio.Lock()
        """Held while the files are read or written; take it with `reload_locked`."""
        self.attempted = holder.current.version
        """Fingerprint of the files last tried (applied or refused): the watcher's baseline."""
        self._announced: str | None = None

    @property
    def directory(self) -> Path:
        return self.holder.directory

    async def reload(self, trigger: str, *, skip_admin: int | None = None) -> ReloadResult:
        """Rebuild from the files now; announce a refusal to the admins (but `skip_admin`)."""
        async with self.lock:
            result = await self.reload_locked(trigger)
        await self.announce(result, skip_admin=skip_admin)
        return result

    async def reload_locked(self, trigger: str) -> ReloadResult:
        """The same, for a caller already holding `lock`; it must call `announce` after."""
        before = self.holder.current.version
        tried = await asyncio.to_thread(fingerprint, self.directory)
        problems = await asyncio.to_thread(self._reload_holder)
        self.attempted = tried
        if problems:
            log.error("knowledge change refused (%s): %d problem(s)", trigger, len(problems))
            return ReloadResult(tuple(problems), changed=False, version=tried)
        changed = self.holder.current.version != before
        if changed:
            entries = len(self.holder.current.kb.entries)
            log.info("knowledge reloaded (%s): %d entries, version %s", trigger, entries, tried)
        return ReloadResult((), changed=changed, version=tried)

    def _reload_holder(self) -> list[Problem]:
        """The holder's reload (which logs each problem); a loader crash counts as a problem
        too, so a bad file can never take the watcher down or leave half a swap."""
        try:
            return self.holder.reload()
        except Exception as exc:
            log.exception("knowledge reload crashed")
            return [Problem(str(self.directory), 0, f"the files could not be loaded: {exc!r}")]

    async def announce(self, result: ReloadResult, *, skip_admin: int | None = None) -> None:
        """Tell every admin about a refused change, once per broken content."""
        if result.ok:
            self._announced = None
            return
        if result.version == self._announced:
            return
        self._announced = result.version
        await self.broadcast(format_problems(result.problems, REFUSED), skip_admin=skip_admin)

    async def broadcast(self, text: str, *, skip_admin: int | None = None) -> None:
        if self.notify is None:
            return
        for admin in self.admins:
            if admin == skip_admin:
                continue
            try:
                await self.notify(admin, text)
            except Exception:  # one unreachable admin must not stop the others
                log.exception("could not notify admin %s", admin)
