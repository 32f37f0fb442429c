"""`python -m bot kb unanswered [--csv]`: the review list for a spreadsheet or a quick look."""

from __future__ import annotations

import asyncio
import csv
import logging
import sys
from typing import TextIO

from bot.admin import review
from bot.admin.commands import REVIEW_ROWS
from bot.bundle import Knowledge, load_bundle
from bot.config import Settings
from bot.knowledge.model import DataError
from bot.storage import open_store

log = logging.getLogger(__name__)

COLUMNS = ("count", "question", "alike", "last_asked", "suggested_id", "suggested_title")


def export_unanswered(settings: Settings, as_csv: bool, out: TextIO) -> int:
    """Write the grouped unanswered questions to `out`; exit code 0, or 2 if the store fails."""
    return asyncio.run(_export(settings, as_csv, out))


async def _export(settings: Settings, as_csv: bool, out: TextIO) -> int:
    try:
        knowledge: Knowledge | None = await asyncio.to_thread(load_bundle, settings.knowledge_dir)
    except DataError as exc:
        log.warning("knowledge does not load, exporting without suggestions: %s", exc)
        knowledge = None
    store = open_store(settings.database_url, retention_days=settings.retention_days)
    try:
        await store.open()
        rows = await store.unanswered(REVIEW_ROWS)
    except Exception as exc:
        print(f"Cannot read the database: {exc}", file=sys.stderr)
        return 2
    finally:
        await store.close()
    groups = review.group_questions(rows)
    if knowledge is not None:
        groups = review.with_suggestions(groups, knowledge)
    records = [_record(g, knowledge) for g in groups]
    if as_csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(records)
    else:
        _table(records, out)
    return 0


def _record(group: review.ReviewGroup, knowledge: Knowledge | None) -> tuple[str, ...]:
    entry = knowledge.kb.get(group.suggestion) if knowledge and group.suggestion else None
    alike = " | ".join(t for t in group.texts if t != group.question)
    return (
        str(group.count),
        group.question,
        alike,
        group.last_at.strftime("%Y-%m-%d %H:%M"),
        entry.id if entry else "",
        entry.title if entry else "",
    )


def _table(records: list[tuple[str, ...]], out: TextIO) -> None:
    if not records:
        out.write("No unanswered questions.\n")
        return
    for number, (count, question, alike, last, entry_id, _title) in enumerate(records, 1):
        out.write(f"{number:>3}. ×{count}  {question}\n")
        out.write(f"      last asked {last}; suggested: {entry_id or '-'}\n")
        if alike:
            out.write(f"      alike: {alike}\n")
