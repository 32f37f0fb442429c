"""The review loop: questions the bot could not answer, grouped when alike, most asked first.

A group is "every stored question alike to its leader" (the most frequent wording), so the
short key a button carries (a hash of the leader's normalised text) finds the same group
again when pressed, without putting question text into Telegram's 64-byte callback data.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from bot.admin.yaml_edit import clean_phrasing
from bot.bundle import Knowledge
from bot.dialogue.buttondata import ButtonData, button
from bot.dialogue.replies import Button, Reply
from bot.knowledge.model import Entry
from bot.storage.base import UnansweredQuestion
from bot.text import normalise

ALIKE = 80.0
"""rapidfuzz token_set_ratio for two questions to count as the same question."""
ORDER_FLOOR = 50.0
"""token_sort_ratio floor, so a one-word question does not swallow every question holding it."""
SHOWN = 10
KEY_CHARS = 10


@dataclass(frozen=True)
class AddPhrasing(ButtonData, prefix="ad:a"):
    """➕: add the group's wording as a phrasing of the suggested entry."""

    key: str
    entry_id: str


@dataclass(frozen=True)
class Dismiss(ButtonData, prefix="ad:d"):
    """✖: forget the group's questions."""

    key: str


@dataclass(frozen=True)
class OffTopic(ButtonData, prefix="ad:o"):
    """🚫: mark the group's question as off-topic, so questions alike to it are declined."""

    key: str


REVIEW_BUTTONS: tuple[type[ButtonData], ...] = (AddPhrasing, Dismiss, OffTopic)
ReviewButton = AddPhrasing | Dismiss | OffTopic


@dataclass(frozen=True)
class ReviewGroup:
    key: str
    question: str
    """The most frequent wording: what would be added as a phrasing."""
    texts: tuple[str, ...]
    """Every stored wording in the group (dismissed together)."""
    count: int
    last_at: datetime
    suggestion: str | None = None
    """Entry id the matcher thinks is closest."""


def review_key(text: str) -> str:
    return hashlib.sha1(normalise(text).encode()).hexdigest()[:KEY_CHARS]


def alike(a: str, b: str) -> bool:
    """Two normalised questions asking the same thing in other words."""
    return fuzz.token_set_ratio(a, b) >= ALIKE and fuzz.token_sort_ratio(a, b) >= ORDER_FLOOR


@dataclass
class _Wording:
    norm: str
    count: int
    raw: Counter[str]
    last_at: datetime


def _wordings(rows: Sequence[UnansweredQuestion]) -> list[_Wording]:
    """Rows merged by normalised text, most frequent (then most recent) first."""
    merged: dict[str, _Wording] = {}
    for row in rows:
        norm = normalise(row.text)
        if not norm:
            continue
        item = merged.get(norm)
        if item is None:
            merged[norm] = _Wording(norm, 1, Counter([row.text]), row.at)
        else:
            item.count += 1
            item.raw[row.text] += 1
            item.last_at = max(item.last_at, row.at)
    return sorted(merged.values(), key=lambda w: (-w.count, -w.last_at.timestamp(), w.norm))


def group_questions(rows: Sequence[UnansweredQuestion]) -> list[ReviewGroup]:
    """Greedy grouping around the most frequent wordings; biggest groups first."""
    leaders: list[tuple[_Wording, list[_Wording]]] = []
    for wording in _wordings(rows):
        for leader, members in leaders:
            if alike(wording.norm, leader.norm):
                members.append(wording)
                break
        else:
            leaders.append((wording, [wording]))
    groups = [_group(leader, members) for leader, members in leaders]
    return sorted(groups, key=lambda g: (-g.count, -g.last_at.timestamp(), g.key))


def _group(leader: _Wording, members: list[_Wording]) -> ReviewGroup:
    question = leader.raw.most_common(1)[0][0]
    return ReviewGroup(
        key=review_key(question),
        question=clean_phrasing(question),
        texts=tuple(sorted({t for m in members for t in m.raw})),
        count=sum(m.count for m in members),
        last_at=max(m.last_at for m in members),
    )


def find_group(rows: Sequence[UnansweredQuestion], key: str) -> ReviewGroup | None:
    """The group a button's key points at: the rows alike to the wording with that key."""
    wordings = _wordings(rows)
    leader = next((w for w in wordings if any(review_key(t) == key for t in w.raw)), None)
    if leader is None:
        return None
    members = [w for w in wordings if w is leader or alike(w.norm, leader.norm)]
    group = _group(leader, members)
    return ReviewGroup(key, group.question, group.texts, group.count, group.last_at)


def suggest(knowledge: Knowledge, question: str) -> str | None:
    result = knowledge.matcher.match(question)
    best = result.match or (result.suggestions[0] if result.suggestions else None)
    return best.id if best is not None and best.id in knowledge.kb.entries else None


def with_suggestions(groups: Sequence[ReviewGroup], knowledge: Knowledge) -> list[ReviewGroup]:
    return [
        ReviewGroup(g.key, g.question, g.texts, g.count, g.last_at, suggest(knowledge, g.question))
        for g in groups
    ]


def render_review(groups: Sequence[ReviewGroup], knowledge: Knowledge, total: int) -> Reply:
    if not groups:
        return Reply("No unanswered questions right now. 🎉")
    lines = [
        f"Questions I could not answer lately ({total} in all), most asked first. "
        "➕ adds the wording as a phrasing of the suggested entry; 🚫 marks it off-topic "
        "(questions alike to it are declined from now on); ✖ dismisses it.",
        "",
    ]
    rows: list[tuple[Button, ...]] = []
    for number, group in enumerate(groups, start=1):
        entry = knowledge.kb.get(group.suggestion) if group.suggestion else None
        times = f" ×{group.count}" if group.count > 1 else ""
        others = len(group.texts) - 1
        alike_note = f" (+{others} alike)" if others > 0 else ""
        target = f"→ {entry.title}" if entry else "→ no close entry"
        lines.append(f"{number}. “{_short(group.question, 120)}”{times}{alike_note} {target}")
        row: list[Button] = []
        if entry is not None:
            add = button(
                f"➕ {number}: {_short(entry.title, 28)}", AddPhrasing(group.key, entry.id)
            )
            if add is not None:
                row.append(add)
        if knowledge.kb.scope.file:
            row.append(Button(f"🚫 {number}", OffTopic(group.key).encode()))
        row.append(Button(f"✖ {number}", Dismiss(group.key).encode()))
        rows.append(tuple(row))
    return Reply("\n".join(lines), tuple(rows))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def phrasing_owner(knowledge: Knowledge, phrasing: str) -> Entry | None:
    """The entry that already has `phrasing` (compared normalised, as the loader does)."""
    norm = normalise(phrasing)
    for entry in knowledge.kb.entries.values():
        if any(normalise(q) == norm for q in entry.questions):
            return entry
    return None
