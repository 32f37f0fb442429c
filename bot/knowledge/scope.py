"""What the article does not answer, and how people type: `scope:` in a knowledge file.

Kept as data so an admin can teach the bot a new off-topic word ("period cramps") or a chat
abbreviation without a release; it is validated with file:line like the entries and reloaded
with them. Without a scope file the matcher has no lexicon: it declines only what shares no
word with the knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from bot.data.yaml_lines import LineMap, LineSeq
from bot.knowledge.model import Problem, Scope
from bot.text import normalise

WORD_LISTS = (
    "other_body_parts",
    "other_subjects",
    "treatments_not_covered",
    "young_people",
    "children_medicines",
    "meta_words",
)
KEYS = (*WORD_LISTS, "fillers", "text_speak", "groups", "unanswerable", "off_topic_questions")
_GROUP_REF = re.compile(r"\{([a-z_]+)\}")


class _Reader:
    """Collects problems with file:line while turning one `scope:` mapping into a Scope."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def texts(self, value: Any, line: int, what: str) -> list[tuple[str, int]]:
        """A list of non-empty texts, each with its line."""
        if not isinstance(value, list):
            self.add(line, f"'{what}' must be a list like [word, other word]")
            return []
        lines = value.item_lines if isinstance(value, LineSeq) else [line] * len(value)
        found = []
        for item, at in zip(value, lines, strict=False):
            if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
                self.add(at, f"items of '{what}' must be non-empty text")
            else:
                found.append((str(item), at))
        return found

    def words(self, value: Any, line: int, what: str) -> frozenset[str]:
        return frozenset(normalise(w) for w, _ in self.texts(value, line, what) if normalise(w))

    def pattern(self, text: str, line: int, what: str) -> re.Pattern[str] | None:
        try:
            return re.compile(text)
        except re.error as error:
            self.add(line, f"'{what}' has a broken regular expression: {error}")
            return None

    def groups(self, value: Any, line: int) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, LineMap):
            self.add(line, "'groups' must map a name to a list of alternatives")
            return {}
        found = {}
        for name in value:
            items = self.texts(value[name], value.line_of(name), f"groups: {name}")
            found[str(name)] = "(?:" + "|".join(text for text, _ in items) + ")"
        return found

    def unanswerable(
        self, value: Any, line: int, groups: Mapping[str, str]
    ) -> tuple[tuple[str, re.Pattern[str]], ...]:
        if value is None:
            return ()
        if not isinstance(value, LineMap):
            self.add(line, "'unanswerable' must map a name to a list of regular expressions")
            return ()
        found = []
        for name in value:
            what = f"unanswerable: {name}"
            items = self.texts(value[name], value.line_of(name), what)
            alternatives = []
            for text, at in items:
                expanded = self.expand(text, at, what, groups)
                if expanded is not None and self.pattern(expanded, at, what) is not None:
                    alternatives.append(expanded)
            if alternatives and len(alternatives) == len(items):
                found.append((str(name), re.compile("|".join(alternatives))))
        return tuple(found)

    def expand(self, text: str, line: int, what: str, groups: Mapping[str, str]) -> str | None:
        missing = [m for m in _GROUP_REF.findall(text) if m not in groups]
        if missing:
            self.add(line, f"'{what}' uses {{{missing[0]}}}, which is not under 'groups'")
            return None
        return _GROUP_REF.sub(lambda m: groups[m.group(1)], text)

    def fillers(self, value: Any, line: int) -> re.Pattern[str] | None:
        items = self.texts(value, line, "fillers") if value is not None else []
        good = [t for t, at in items if self.pattern(t, at, "fillers") is not None]
        if not good or len(good) != len(items):
            return None
        return re.compile(r"\b(?:" + "|".join(good) + r")\b ?")

    def text_speak(self, value: Any, line: int) -> Mapping[str, str]:
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, LineMap):
            self.add(line, "'text_speak' must map what people type to the word meant")
            return MappingProxyType({})
        found = {}
        for typed in value:
            meant = value[typed]
            if not isinstance(meant, str) or not normalise(meant):
                self.add(value.line_of(typed), f"text_speak '{typed}' must map to a word")
            elif len(normalise(str(typed)).split()) != 1:
                self.add(value.key_lines[typed], f"text_speak '{typed}' must be a single word")
            else:
                found[normalise(str(typed))] = normalise(meant)
        return MappingProxyType(found)


def read_scope(data: Any, line: int, shown: str) -> tuple[Scope | None, list[Problem]]:
    """Validate the value of a top-level `scope:` key; every problem with its line."""
    reader = _Reader(shown)
    if not isinstance(data, LineMap):
        reader.add(line, "'scope' must be a mapping of lists (see knowledge/README.md)")
        return None, reader.problems
    for key in data:
        if key not in KEYS:
            reader.add(data.key_lines[key], f"unknown key '{key}' under 'scope'")
    lists = {k: reader.words(data.get(k, []), data.line_of(k), k) for k in WORD_LISTS}
    groups = reader.groups(data.get("groups"), data.line_of("groups"))
    scope = Scope(
        **lists,
        fillers=reader.fillers(data.get("fillers"), data.line_of("fillers")),
        text_speak=reader.text_speak(data.get("text_speak"), data.line_of("text_speak")),
        unanswerable=reader.unanswerable(
            data.get("unanswerable"), data.line_of("unanswerable"), groups
        ),
        off_topic_questions=tuple(
            t
            for t, _ in reader.texts(
                data.get("off_topic_questions") or [],
                data.line_of("off_topic_questions"),
                "off_topic_questions",
            )
        ),
        file=shown,
    )
    return (None if reader.problems else scope), reader.problems
