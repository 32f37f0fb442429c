"""Admin commands, review buttons and YAML uploads, taken before the dialogue engine sees them.

Only ids in BOT_ADMIN_IDS, in a private chat, get here: for anyone else the interceptor
returns None, so the engine answers exactly as it does any unknown command, button or file,
and the attempt is logged (user id and command only, never message text).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bot.admin import review
from bot.admin.reload import Reloader, format_problems
from bot.admin.stats import format_stats
from bot.admin.upload import KnowledgeEditor
from bot.admin.yaml_edit import add_off_topic, add_phrasing, clean_phrasing
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.storage.base import Store

log = logging.getLogger(__name__)

FetchFile = Callable[[str], Awaitable[bytes]]
"""The channel's download of an uploaded document by its file id (size-capped)."""

COMMANDS = ("reload", "rollback", "unanswered", "stats", "admin")
REVIEW_ROWS = 200
"""Stored unanswered questions read for one review list (newest first)."""

ADMIN_HELP = (
    "Admin commands:\n"
    "• /reload — re-read the knowledge files now (edits are also picked up by themselves)\n"
    "• send a .yaml file — check it, back up the file it replaces, and apply it\n"
    "• /rollback [file.yaml] — undo the last change made through the bot\n"
    "• /unanswered — questions I could not answer, with buttons to fix them\n"
    "• /stats — usage counts"
)


@dataclass(frozen=True)
class _Request:
    kind: str
    """"command", "button" or "upload"."""
    name: str
    arg: str = ""


class AdminCommands:
    """The processor interceptor: `await commands(incoming, meta, state) -> Turn | None`."""

    def __init__(
        self,
        admins: frozenset[int],
        reloader: Reloader,
        store: Store,
        *,
        fetch_file: FetchFile | None = None,
        retention_days: int = 30,
    ) -> None:
        self.admins = admins
        self.reloader = reloader
        self.editor = KnowledgeEditor(reloader)
        self.store = store
        self.fetch_file = fetch_file
        self.retention_days = retention_days

    async def __call__(
        self, incoming: Incoming, meta: dict[str, Any], state: ConversationState
    ) -> Turn | None:
        request = _parse(incoming)
        if request is None:
            return None
        if incoming.user_id not in self.admins or not incoming.private:
            log.warning(
                "admin %s %r refused for user %s%s",
                request.kind,
                request.name,
                incoming.user_id,
                "" if incoming.private else " (not a private chat)",
            )
            return None
        log.info("admin %s: %s %s", incoming.user_id, request.kind, request.name)
        replies, notice = await self._run(request, incoming)
        return Turn(replies, state, notice=notice)

    async def _run(self, request: _Request, incoming: Incoming) -> tuple[list[Reply], str | None]:
        admin = incoming.user_id
        if request.kind == "upload":
            return [await self._upload(incoming)], None
        if request.kind == "button":
            return await self._button(request.name, request.arg, admin)
        if request.name == "reload":
            return [await self._reload(admin)], None
        if request.name == "rollback":
            result = await self.editor.rollback(request.arg or None, admin=admin)
            return [Reply(result.text)], None
        if request.name == "unanswered":
            return [await self._unanswered()], None
        if request.name == "stats":
            stats = await self.store.stats()
            text = format_stats(stats, self.reloader.holder.current, self.retention_days)
            return [Reply(text)], None
        return [Reply(ADMIN_HELP)], None

    async def _reload(self, admin: int) -> Reply:
        result = await self.reloader.reload(f"/reload by {admin}", skip_admin=admin)
        if not result.ok:
            return Reply(
                format_problems(
                    result.problems,
                    "❌ Reload refused: people keep the previous knowledge. Problems:",
                )
            )
        entries = len(self.reloader.holder.current.kb.entries)
        change = "updated" if result.changed else "unchanged"
        return Reply(f"✅ Knowledge reloaded ({change}): {entries} entries.")

    async def _upload(self, incoming: Incoming) -> Reply:
        if self.fetch_file is None or not incoming.file_id:
            return Reply("I can't receive files on this channel.")
        try:
            data = await self.fetch_file(incoming.file_id)
        except Exception as exc:
            log.warning("upload from admin %s could not be fetched: %s", incoming.user_id, exc)
            return Reply(f"I couldn't download that file: {exc}")
        result = await self.editor.upload(incoming.file_name, data, admin=incoming.user_id)
        return Reply(result.text)

    # -- the review list -----------------------------------------------------------------
    async def _unanswered(self) -> Reply:
        rows = await self.store.unanswered(REVIEW_ROWS)
        groups = review.group_questions(rows)
        knowledge = self.reloader.holder.current
        shown = review.with_suggestions(groups[: review.SHOWN], knowledge)
        return review.render_review(shown, knowledge, len(rows))

    async def _button(self, action: str, arg: str, admin: int) -> tuple[list[Reply], str | None]:
        """➕ / ✖ on the review list; answered with the outcome and the list as it is now."""
        key, _, entry_id = arg.partition(":")
        rows = await self.store.unanswered(REVIEW_ROWS)
        group = review.find_group(rows, key)
        if group is None or action not in ("a", "d", "o"):
            return [await self._unanswered()], "Already handled."
        if action == "d":
            await self.store.dismiss_unanswered(list(group.texts))
            return [await self._unanswered()], f"Dismissed: {group.question[:150]}"
        if action == "o":
            reply = await self._off_topic(group, admin)
        else:
            reply = await self._add(group, entry_id, admin)
        return [reply, await self._unanswered()], None

    async def _off_topic(self, group: review.ReviewGroup, admin: int) -> Reply:
        scope_file = self.reloader.holder.current.kb.scope.file
        if not scope_file:
            return Reply("Not marked: the knowledge folder has no file with 'scope:'.")
        name = Path(scope_file).name
        question = clean_phrasing(group.question)
        result = await self.editor.edit(
            name,
            partial(add_off_topic, question=question),
            what="off-topic question",
            admin=admin,
        )
        if not result.ok:
            return Reply(result.text)
        await self.store.dismiss_unanswered(list(group.texts))
        return Reply(
            f"🚫 Marked off-topic: “{question}” ({name}). Questions alike to it are now "
            f"declined. {result.text} /rollback undoes it."
        )

    async def _add(self, group: review.ReviewGroup, entry_id: str, admin: int) -> Reply:
        knowledge = self.reloader.holder.current
        entry = knowledge.kb.get(entry_id)
        if entry is None:
            return Reply(f"Not added: there is no entry '{entry_id}' any more.")
        phrasing = clean_phrasing(group.question)
        owner = review.phrasing_owner(knowledge, phrasing)
        if owner is not None and owner.id == entry.id:
            await self.store.dismiss_unanswered(list(group.texts))
            return Reply(f"“{phrasing}” is already a phrasing of “{entry.title}”; dismissed.")
        if owner is not None:
            return Reply(
                f"Not added: “{phrasing}” is already a phrasing of “{owner.title}” "
                f"({owner.id}, in {Path(owner.file).name}), and a question can belong to one "
                "entry only."
            )
        name = Path(entry.file).name
        result = await self.editor.edit(
            name,
            partial(add_phrasing, entry_id=entry.id, phrasing=phrasing),
            what=f"new phrasing for {entry.id}",
            admin=admin,
        )
        if not result.ok:
            return Reply(result.text)
        await self.store.dismiss_unanswered(list(group.texts))
        return Reply(
            f"✅ Added “{phrasing}” to “{entry.title}” ({name}). {result.text} "
            "/rollback undoes it."
        )


def _parse(incoming: Incoming) -> _Request | None:
    """What admin request this update would be, whoever sent it; None if it is none."""
    if incoming.kind == "document":
        return _Request("upload", incoming.file_name or "")
    if incoming.kind == "button":
        data = incoming.button or ""
        prefix, _, rest = data.partition(":")
        if prefix != review.PREFIX:
            return None
        action, _, arg = rest.partition(":")
        return _Request("button", action, arg)
    if incoming.kind != "text" or not incoming.text:
        return None
    text = incoming.text.strip()
    if not text.startswith("/"):
        return None
    head, _, arg = text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    if name not in COMMANDS:
        return None
    return _Request("command", name, arg.strip())
