"""Changing KNOWLEDGE_DIR on an admin's behalf: upload, rollback, and any edit the bot makes.

Each change is tried on a copy of the folder first; only a change that loads cleanly is
written (after a timestamped backup of what it replaces) and applied. A refused change
writes nothing and lists the problems with file and line.

Downloads are streamed and stop at a byte cap, whatever size the server announced: a file
with no (or a false) size never gets further into memory than the cap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.admin import files
from bot.admin.files import Changes, Refused
from bot.admin.reload import Reloader, ReloadResult, format_problems
from bot.admin.yaml_edit import EditError
from bot.knowledge.model import Problem

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30.0


async def read_capped(url: str, cap: int) -> bytes:
    """The body at `url`, or ValueError once it passes `cap` bytes (the connection is closed
    there). Errors never echo the URL: a Bot API file URL holds the token."""
    data = bytearray()
    try:
        async with (
            httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise ValueError(f"the download failed (HTTP {response.status_code})")
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > cap:
                    raise ValueError(f"the file is over {cap:,} bytes")
    except httpx.HTTPError as exc:
        raise ValueError(f"the download failed ({type(exc).__name__})") from None
    return bytes(data)


@dataclass(frozen=True)
class ChangeResult:
    ok: bool
    text: str
    """What to tell the admin."""
    problems: tuple[Problem, ...] = ()


class KnowledgeEditor:
    def __init__(self, reloader: Reloader) -> None:
        self.reloader = reloader

    @property
    def directory(self) -> Path:
        return self.reloader.directory

    async def upload(
        self, file_name: str | None, data: bytes, *, admin: int | None = None
    ) -> ChangeResult:
        """Validate an uploaded file against the rest of the folder, then save and apply it."""
        try:
            name = files.target_name(file_name)
            files.check_content(data)
        except Refused as exc:
            return ChangeResult(False, f"Upload refused: {exc} Nothing was changed.")
        current = self.directory / name
        if await asyncio.to_thread(_same_content, current, data):
            return ChangeResult(True, f"{name} is identical to the file in use; nothing to do.")
        result = await self.change(
            {name: data}, what=f"upload of {name}", admin=admin, backup=True
        )
        if not result.ok:
            return result
        renamed = f" (saved as {name})" if file_name != name else ""
        return ChangeResult(
            True,
            f"✅ {name} saved{renamed} and live. {result.text} The file it replaced is backed "
            "up; /rollback undoes this.",
        )

    async def rollback(self, name: str | None = None, *, admin: int | None = None) -> ChangeResult:
        """Restore the newest backup (of `name`, or of whichever file changed last)."""
        if name is not None:
            try:
                name = files.target_name(name)
            except Refused as exc:
                return ChangeResult(False, f"Rollback refused: {exc}")
        async with self.reloader.lock:
            found = await asyncio.to_thread(files.backups, self.directory, name)
            if not found:
                which = f" of {name}" if name else ""
                return ChangeResult(False, f"There is no backup{which} to roll back to.")
            backup = found[0]
            content = await asyncio.to_thread(files.restored_content, backup)
            outcome = await self._change_locked(
                {backup.name: content},
                what=f"rollback of {backup.name}",
                backup=False,
                before=lambda: _retire(self.directory, backup),
            )
        result, reloaded = outcome
        if reloaded is not None:
            await self.reloader.announce(reloaded, skip_admin=admin)
        if not result.ok:
            return result
        if content is None:
            done = f"↩️ {backup.name} removed: it did not exist before {backup.when}."
        else:
            done = f"↩️ {backup.name} restored to the version saved {backup.when}."
        return ChangeResult(True, f"{done} {result.text}")

    async def change(
        self, changes: Changes, *, what: str, admin: int | None = None, backup: bool = True
    ) -> ChangeResult:
        """Dry-run, back up, write and reload `changes` under the reloader's lock."""
        async with self.reloader.lock:
            result, reloaded = await self._change_locked(changes, what=what, backup=backup)
        if reloaded is not None:
            await self.reloader.announce(reloaded, skip_admin=admin)
        return result

    async def edit(
        self, name: str, transform: Callable[[str], str], *, what: str, admin: int | None = None
    ) -> ChangeResult:
        """Rewrite one file's text (read and written under the lock, so no edit is lost)."""
        async with self.reloader.lock:
            path = self.directory / name
            try:
                source = await asyncio.to_thread(path.read_text, encoding="utf-8")
                updated = await asyncio.to_thread(transform, source)
            except (OSError, UnicodeDecodeError, EditError) as exc:
                return ChangeResult(False, f"Could not edit {name}: {exc}")
            changes: Changes = {name: updated.encode("utf-8")}
            result, reloaded = await self._change_locked(changes, what=what, backup=True)
        if reloaded is not None:
            await self.reloader.announce(reloaded, skip_admin=admin)
        return result

    async def _change_locked(
        self,
        changes: Changes,
        *,
        what: str,
        backup: bool,
        before: Callable[[], None] | None = None,
    ) -> tuple[ChangeResult, ReloadResult | None]:
        directory = self.directory
        problems = await asyncio.to_thread(files.dry_run, directory, changes)
        if problems:
            for problem in problems:
                log.warning("%s refused: %s", what, problem)
            text = format_problems(
                problems, f"❌ {what.capitalize()} refused; nothing was changed. Problems:"
            )
            return ChangeResult(False, text, tuple(problems)), None
        await asyncio.to_thread(_write, directory, changes, backup, before)
        log.info("%s written", what)
        reloaded = await self.reloader.reload_locked(what)
        if not reloaded.ok:  # the folder changed under us between the dry run and the write
            text = format_problems(
                reloaded.problems,
                f"⚠️ {what.capitalize()} was written but "
                "the folder no longer loads; people keep the previous "
                "knowledge. Problems:",
            )
            return ChangeResult(False, text, reloaded.problems), reloaded
        entries = len(self.reloader.holder.current.kb.entries)
        return ChangeResult(True, f"Knowledge reloaded: {entries} entries."), reloaded


def _same_content(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def _write(
    directory: Path, changes: Changes, backup: bool, before: Callable[[], None] | None
) -> None:
    if before is not None:
        before()
    if backup:
        for name in changes:
            files.back_up(directory, name)
    files.apply(directory, changes)


def _retire(directory: Path, backup: files.Backup) -> None:
    """Before a rollback: keep what it replaces (as `undone`), and use up the backup restored,
    so a second /rollback goes one step further back."""
    files.back_up(directory, backup.name, undone=True)
    backup.path.unlink(missing_ok=True)
