"""Admin commands, review buttons and YAML uploads, taken before the dialogue engine sees them.

Only ids in BOT_ADMIN_IDS, in a private chat, get here: for anyone else the interceptor
returns None, so the engine answers exactly as it does any unknown command, button or file,
and the attempt is logged (user id and command only, never message text).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.admin import review
from bot.admin.disagreements import format_disagreements
from bot.admin.reload import Reloader, format_problems
from bot.admin.stats import format_stats
from bot.admin.upload import KnowledgeEditor
from bot.admin.yaml_edit import add_off_topic, add_phrasing, clean_phrasing
from bot.dialogue.buttondata import decode
from bot.dialogue.commands import Command, CommandRegistry, Scope, help_lines, parse_command
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.safety.emergency import Disagreement
from bot.storage.base import Store

log = logging.getLogger(__name__)

FetchFile = Callable[[str], Awaitable[bytes]]
"""The channel's download of an uploaded document by its file id (size-capped)."""
Disagreements = Callable[[], Sequence[Disagreement]]
"""The emergency detector's recent rules-vs-learned disagreements, oldest first."""

REVIEW_ROWS = 200
"""Stored unanswered questions read for one review list (newest first)."""
UPLOAD_HELP = "• send a .yaml file — check it, back up the file it replaces, and apply it"


@dataclass(frozen=True)
class _Upload:
    file_name: str


_Request = tuple[Command["AdminHandler"], str] | review.ReviewButton | _Upload
"""An admin command with its argument, a review-list button, or a YAML upload."""


class AdminCommands:
    """The processor interceptor: `await commands(incoming, state) -> Turn | None`."""

    def __init__(
        self,
        admins: frozenset[int],
        reloader: Reloader,
        store: Store,
        *,
        fetch_file: FetchFile | None = None,
        retention_days: int = 30,
        disagreements: Disagreements | None = None,
    ) -> None:
        self.admins = admins
        self.disagreements = disagreements
        self.reloader = reloader
        self.editor = KnowledgeEditor(reloader)
        self.store = store
        self.fetch_file = fetch_file
        self.retention_days = retention_days

    async def __call__(self, incoming: Incoming, state: ConversationState) -> Turn | None:
        request = _parse(incoming)
        if request is None:
            return None
        what = _describe(request)
        if incoming.user_id not in self.admins or not incoming.private:
            log.warning(
                "admin %s refused for user %s%s",
                what,
                incoming.user_id,
                "" if incoming.private else " (not a private chat)",
            )
            return None
        log.info("admin %s: %s", incoming.user_id, what)
        replies, notice = await self._run(request, incoming)
        return Turn(replies, state, notice=notice)

    async def _run(self, request: _Request, incoming: Incoming) -> tuple[list[Reply], str | None]:
        if isinstance(request, _Upload):
            return [await self._upload(incoming)], None
        if isinstance(request, review.ReviewButton):
            return await self._button(request, incoming.user_id)
        command, arg = request
        handler: AdminHandler = command.handler
        return await handler(self, arg, incoming.user_id), None

    # -- the commands (each one is an entry in ADMIN_COMMANDS below) -----------------------
    async def _reload_command(self, arg: str, admin: int) -> list[Reply]:
        return [await self._reload(admin)]

    async def _rollback(self, arg: str, admin: int) -> list[Reply]:
        result = await self.editor.rollback(arg or None, admin=admin)
        return [Reply(result.text)]

    async def _unanswered_command(self, arg: str, admin: int) -> list[Reply]:
        return [await self._unanswered()]

    async def _stats(self, arg: str, admin: int) -> list[Reply]:
        stats = await self.store.stats()
        text = format_stats(stats, self.reloader.holder.current, self.retention_days)
        return [Reply(text)]

    async def _disagreements(self, arg: str, admin: int) -> list[Reply]:
        cases = self.disagreements() if self.disagreements is not None else ()
        return [Reply(format_disagreements(cases))]

    async def _admin_help(self, arg: str, admin: int) -> list[Reply]:
        return [Reply(ADMIN_HELP)]

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

    async def _button(
        self, data: review.ReviewButton, admin: int
    ) -> tuple[list[Reply], str | None]:
        """➕ / ✖ on the review list; answered with the outcome and the list as it is now."""
        rows = await self.store.unanswered(REVIEW_ROWS)
        group = review.find_group(rows, data.key)
        if group is None:
            return [await self._unanswered()], "Already handled."
        if isinstance(data, review.Dismiss):
            await self.store.dismiss_unanswered(list(group.texts))
            return [await self._unanswered()], f"Dismissed: {group.question[:150]}"
        if isinstance(data, review.OffTopic):
            reply = await self._off_topic(group, admin)
        else:
            reply = await self._add(group, data.entry_id, admin)
        return [reply, await self._unanswered()], None

    async def _off_topic(self, group: review.ReviewGroup, admin: int) -> Reply:
        scope_file = self.reloader.holder.current.kb.scope.file
        if not scope_file:
            return Reply("Not marked: the knowledge folder has no file with 'scope:'.")
        name = Path(scope_file).name
        question = clean_phrasing(group.question)
        return await self._edit_and_dismiss(
            group,
            name,
            partial(add_off_topic, question=question),
            "off-topic question",
            admin,
            f"🚫 Marked off-topic: “{question}” ({name}). Questions alike to it are now declined.",
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
        return await self._edit_and_dismiss(
            group,
            name,
            partial(add_phrasing, entry_id=entry.id, phrasing=phrasing),
            f"new phrasing for {entry.id}",
            admin,
            f"✅ Added “{phrasing}” to “{entry.title}” ({name}).",
        )

    async def _edit_and_dismiss(
        self,
        group: review.ReviewGroup,
        name: str,
        change: Callable[[str], str],
        what: str,
        admin: int,
        done: str,
    ) -> Reply:
        """Apply one review edit; only a saved edit clears the questions it answers."""
        result = await self.editor.edit(name, change, what=what, admin=admin)
        if not result.ok:
            return Reply(result.text)
        await self.store.dismiss_unanswered(list(group.texts))
        return Reply(f"{done} {result.text} /rollback undoes it.")


AdminHandler = Callable[[AdminCommands, str, int], Awaitable[list[Reply]]]
"""(commands, the text after the command, the admin's id) -> replies."""


def _admin(name: str, help: str, handler: AdminHandler) -> Command[AdminHandler]:
    return Command(name, help, Scope.ADMINS, True, True, handler)


ADMIN_COMMANDS: tuple[Command[AdminHandler], ...] = (
    _admin(
        "reload",
        "Re-read the knowledge files now (edits are also picked up by themselves)",
        AdminCommands._reload_command,
    ),
    _admin(
        "rollback",
        "Undo the last change made through the bot (/rollback [file.yaml])",
        AdminCommands._rollback,
    ),
    _admin(
        "unanswered",
        "Questions I could not answer, with buttons to fix them",
        AdminCommands._unanswered_command,
    ),
    _admin("stats", "Usage counts", AdminCommands._stats),
    _admin(
        "disagreements",
        "Recent messages the safety rules and the learned detector judged differently",
        AdminCommands._disagreements,
    ),
    _admin("admin", "What admins can do", AdminCommands._admin_help),
)
"""The admins' commands, in menu order; only admin ids, in a private chat, reach them."""
_BY_NAME = CommandRegistry(ADMIN_COMMANDS)
ADMIN_HELP = "\n".join(["Admin commands:", help_lines(ADMIN_COMMANDS), UPLOAD_HELP])


def _parse(incoming: Incoming) -> _Request | None:
    """What admin request this update would be, whoever sent it; None if it is none."""
    if incoming.kind == "document":
        return _Upload(incoming.file_name or "")
    if incoming.kind == "button":
        data = decode(incoming.button, review.REVIEW_BUTTONS)
        return data if isinstance(data, review.ReviewButton) else None
    call = parse_command(incoming.text) if incoming.kind == "text" else None
    command = _BY_NAME.get(call.name) if call is not None else None
    if call is None or command is None:
        return None
    return (command, call.arg)


def _describe(request: _Request) -> str:
    """For the log: never message text, only what kind of request it was."""
    if isinstance(request, _Upload):
        return "upload"
    if isinstance(request, review.ReviewButton):
        return f"button {request.prefix}"
    return f"command /{request[0].name}"
