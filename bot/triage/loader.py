"""Load and validate knowledge/triage.yaml, reporting every problem with file and line at once.

The check is safety-relevant data that a clinician edits, so the loader refuses anything it
cannot prove sound: unknown or unscreened red-flag codes, questions out of severity order,
questions that are never asked, loops, and outcomes with missing text or unknown placeholders.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, fields
from datetime import date
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.clinical.catalogue import CATALOGUE, DESTINATIONS
from bot.clinical.levels import Level, when_unsure
from bot.data.yaml_lines import LineMap, load_with_lines
from bot.knowledge.model import DataError, Problem
from bot.triage.model import PLACEHOLDERS, Choice, OutcomeSpec, Question, Triage

_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
"""Short ids: a button carries the id and a step within Telegram's 64-byte callback data."""
_END = "end"
_TOP_KEYS = frozenset(
    {"version", "date", "reviewed_by", "unsure_note", "questions", "destinations", "outcomes"}
)
_QUESTION_KEYS = frozenset(
    {
        "id",
        "text",
        "flags",
        "next",
        "about",
        "choices",
        "for",
        "after",
        "unsure",
        "unsure_destination",
        "text_for",
    }
)
_CHOICE_KEYS = frozenset({"id", "label", "flags", "words", "floor", "why"})
_OUTCOME_KEYS = frozenset({"text", "action", "after"})
_TRIAGE_KEY = re.compile(r"^triage\s*:", re.MULTILINE)


def _key_line(m: LineMap, key: str) -> int:
    """Problems point at the key's own line, where a reviewer reads the field name."""
    return m.key_lines.get(key, m.line)


class _Problems:
    """Collects problems for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(Problem(self.file, line, message))


@dataclass(frozen=True)
class _RawQuestion(Question):
    """A question as written, with what routing and error messages need besides."""

    next: str | None = None
    next_line: int = 0
    item: LineMap | None = None
    level_known: bool = True
    """False when its flags mix levels (already reported): later checks skip its level."""

    def as_question(self) -> Question:
        return Question(**{f.name: getattr(self, f.name) for f in fields(Question)})


def find_triage_file(directory: Path) -> Path | None:
    """The *.yaml file in `directory` whose top-level key is `triage`, if any."""
    found = find_triage_files(directory)
    return found[0] if found else None


def find_triage_files(directory: Path) -> list[Path]:
    """Every *.yaml file in `directory` with a top-level `triage:` key.

    Found by a line starting with `triage:` rather than by parsing every file (reloads stay
    fast), so a file that does not parse still counts and load_triage reports its errors
    instead of the check silently disappearing.
    """
    found: list[Path] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if _TRIAGE_KEY.search(text):
            found.append(path)
    return found


def load_triage(path: Path) -> Triage:
    """Read and validate the check; raise DataError listing every problem found."""
    file = str(path)
    problems = _Problems(file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(file, 0, f"cannot read the file: {exc.strerror}")]) from None
    body = _parse(raw, problems)
    triage = _build(body, problems, file, hashlib.sha256(raw).hexdigest()[:12])
    if problems.items or triage is None:
        raise DataError(problems.items)
    return triage


def _parse(raw: bytes, problems: _Problems) -> LineMap | None:
    """The mapping under the top-level `triage` key, or None after reporting why not."""
    try:
        doc = load_with_lines(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problems.add(1, "the file is not UTF-8 text")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        problems.add(mark.line + 1 if mark is not None else 1, f"bad YAML: {detail}")
        return None
    if not isinstance(doc, LineMap) or "triage" not in doc:
        problems.add(1, "the file must have a top-level key `triage:`")
        return None
    _check_keys(doc, frozenset({"triage"}), problems, "top level")
    body = doc["triage"]
    if not isinstance(body, LineMap):
        problems.add(_key_line(doc, "triage"), "`triage:` must be a mapping")
        return None
    return body


def _check_keys(m: LineMap, allowed: frozenset[str], problems: _Problems, where: str) -> None:
    for key, _first, line in m.duplicates:
        problems.add(line, f"{where}: key `{key}` appears twice")
    for key in m:
        if key not in allowed:
            problems.add(
                _key_line(m, str(key)),
                f"{where}: unknown key `{key}` (expected one of {', '.join(sorted(allowed))})",
            )


def _text(m: LineMap, key: str, problems: _Problems, where: str) -> str | None:
    """A required non-empty string field, stripped."""
    if key not in m:
        problems.add(m.line, f"{where}: missing `{key}`")
        return None
    value = m[key]
    if isinstance(value, date) and key == "date":
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "version":
        return str(value)
    if not isinstance(value, str) or not value.strip():
        problems.add(_key_line(m, key), f"{where}: `{key}` must be non-empty text")
        return None
    return value.strip()


def _placeholders(text: str, line: int, problems: _Problems, where: str) -> None:
    """Report braces that are not one of the known {placeholders}."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        problems.add(line, f"{where}: unbalanced braces ({exc})")
        return
    for field in fields:
        if field not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            problems.add(line, f"{where}: unknown placeholder {{{field}}} (known: {known})")


def _build(body: LineMap | None, problems: _Problems, file: str, version: str) -> Triage | None:
    if body is None:
        return None
    _check_keys(body, _TOP_KEYS, problems, "triage")
    human_version = _text(body, "version", problems, "triage")
    human_date = _text(body, "date", problems, "triage")
    unsure_note = _text(body, "unsure_note", problems, "triage")
    if unsure_note is not None:
        _placeholders(unsure_note, _key_line(body, "unsure_note"), problems, "unsure_note")
    raw_questions = _questions(body, problems)
    order = _route(raw_questions, problems)
    _check_who(order, problems)
    _check_order(order, problems)
    _check_coverage(order, _key_line(body, "questions"), problems)
    outcomes = _outcomes(body, problems)
    destinations = _destinations(body, order, problems)
    if problems.items or not order or outcomes is None or unsure_note is None:
        return None
    questions = {q.id: q.as_question() for q in order if q.level_known}
    return Triage(
        questions=MappingProxyType(questions),
        order=tuple(q.id for q in order),
        outcomes=MappingProxyType(outcomes),
        version=version,
        file=file,
        unsure_note=unsure_note,
        revision=f"{human_version} ({human_date})",
        destinations=MappingProxyType(destinations),
        combinations=CATALOGUE.combinations,
    )


def _questions(body: LineMap, problems: _Problems) -> list[_RawQuestion]:
    items = body.get("questions")
    if not isinstance(items, list) or not items:
        problems.add(_key_line(body, "questions"), "triage: `questions` must be a non-empty list")
        return []
    found: list[_RawQuestion] = []
    seen_ids: dict[str, int] = {}
    screened: dict[str, str] = {}
    for item in items:
        if not isinstance(item, LineMap):
            problems.add(_key_line(body, "questions"), "questions: each item must be a mapping")
            continue
        q = _question(item, problems)
        if q is None:
            continue
        if q.id in seen_ids:
            problems.add(
                q.line, f"question `{q.id}`: duplicate id (first at line {seen_ids[q.id]})"
            )
            continue
        seen_ids[q.id] = q.line
        for code in q.flags:
            if code in screened:
                problems.add(
                    _key_line(item, "flags"),
                    f"question `{q.id}`: flag `{code}` is already screened by `{screened[code]}`",
                )
            screened.setdefault(code, q.id)
        found.append(q)
    return found


def _question(item: LineMap, problems: _Problems) -> _RawQuestion | None:
    qid = item.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        problems.add(
            _key_line(item, "id"),
            "question: `id` must be lower-case letters, digits or _ (at most 32 characters)",
        )
        return None
    where = f"question `{qid}`"
    _check_keys(item, _QUESTION_KEYS, problems, where)
    text = _text(item, "text", problems, where)
    if text is not None and ("{" in text or "}" in text):
        problems.add(_key_line(item, "text"), f"{where}: placeholders are only filled in outcomes")
    choices = _choices(item, problems, where)
    if choices:
        flags = tuple(code for c in choices for code in c.flags)
        level: Level | None = Level.SELFCARE
        if "flags" in item:
            problems.add(_key_line(item, "flags"), f"{where}: put flags on its choices")
    else:
        flags, level = _flags(item, problems, where)
    nxt = item.get("next")
    if nxt is not None and not isinstance(nxt, str):
        problems.add(_key_line(item, "next"), f"{where}: `next` must be a question id or `end`")
        nxt = None
    about = item.get("about", "")
    if not isinstance(about, str):
        problems.add(_key_line(item, "about"), f"{where}: `about` must be text")
        about = ""
    return _RawQuestion(
        id=qid,
        text=text or "",
        flags=flags,
        level=level or Level.SELFCARE,
        level_known=level is not None,
        next=nxt,
        line=item.line,
        next_line=_key_line(item, "next"),
        item=item,
        about=" ".join(about.split()),
        choices=choices,
        who=_who_list(item, problems, where),
        after=_optional_id(item, "after", problems, where),
        unsure=_unsure(item, problems, where),
        unsure_destination=_destination(item, problems, where),
        texts=MappingProxyType(_texts_for(item, problems, where)),
    )


def _choices(item: LineMap, problems: _Problems, where: str) -> tuple[Choice, ...]:
    raw = item.get("choices")
    if raw is None:
        return ()
    line = _key_line(item, "choices")
    if not isinstance(raw, list) or len(raw) < 2:
        problems.add(line, f"{where}: `choices` must list at least two choices")
        return ()
    found: list[Choice] = []
    for choice in raw:
        if not isinstance(choice, LineMap):
            problems.add(line, f"{where}: each choice needs `id` and `label`")
            continue
        _check_keys(choice, _CHOICE_KEYS, problems, f"{where} choice")
        cid, label = choice.get("id"), choice.get("label")
        if not isinstance(cid, str) or not _ID.match(cid) or cid in ("y", "n", "u"):
            problems.add(choice.line, f"{where}: choice `id` must be a short lower-case name")
            continue
        if not isinstance(label, str) or not label.strip():
            problems.add(choice.line, f"{where}: choice `{cid}` needs a `label`")
            continue
        codes = _code_list(choice, "flags", problems, where)
        words = choice.get("words", [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.add(choice.line, f"{where}: choice `{cid}`: `words` must list words")
            words = []
        floor, why = choice.get("floor"), choice.get("why", "")
        if floor is not None and (floor not in set(Level) or not isinstance(why, str) or not why):
            problems.add(choice.line, f"{where}: choice `{cid}`: `floor` needs a level and `why`")
            floor = None
        found.append(
            Choice(
                cid,
                label.strip(),
                codes,
                tuple(w.lower() for w in words),
                Level(floor) if floor is not None else None,
                " ".join(str(why).split()),
            )
        )
    if len({c.id for c in found}) != len(found):
        problems.add(line, f"{where}: two choices have the same id")
    return tuple(found)


def _code_list(item: LineMap, key: str, problems: _Problems, where: str) -> tuple[str, ...]:
    raw = item.get(key, [])
    line = _key_line(item, key)
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        problems.add(line, f"{where}: `{key}` must be a list of red-flag codes")
        return ()
    for code in raw:
        if code not in CATALOGUE.flags:
            problems.add(
                line, f"{where}: unknown flag code `{code}` (see bot/clinical/flags.yaml)"
            )
    return tuple(raw)


def _who_list(item: LineMap, problems: _Problems, where: str) -> frozenset[str] | None:
    raw = item.get("for")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) for w in raw):
        problems.add(_key_line(item, "for"), f"{where}: `for` must list choices of `who`")
        return None
    return frozenset(raw)


def _optional_id(item: LineMap, key: str, problems: _Problems, where: str) -> str | None:
    raw = item.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or not _ID.match(raw):
        problems.add(_key_line(item, key), f"{where}: `{key}` must be a question id")
        return None
    return raw


def _unsure(item: LineMap, problems: _Problems, where: str) -> Level | None:
    raw = item.get("unsure")
    if raw is None:
        return None
    try:
        return Level(raw)
    except ValueError:
        known = ", ".join(Level)
        problems.add(_key_line(item, "unsure"), f"{where}: `unsure` must be one of {known}")
        return None


def _destination(item: LineMap, problems: _Problems, where: str) -> str | None:
    raw = item.get("unsure_destination")
    if raw is None:
        return None
    if raw not in DESTINATIONS:
        known = ", ".join(sorted(DESTINATIONS))
        line = _key_line(item, "unsure_destination")
        problems.add(line, f"{where}: unknown destination `{raw}` (known: {known})")
        return None
    return str(raw)


def _texts_for(item: LineMap, problems: _Problems, where: str) -> dict[str, str]:
    raw = item.get("text_for")
    if raw is None:
        return {}
    if not isinstance(raw, LineMap):
        problems.add(_key_line(item, "text_for"), f"{where}: `text_for` maps choices to text")
        return {}
    found: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip() or "{" in value:
            problems.add(raw.line_of(key), f"{where}: `text_for.{key}` must be plain text")
            continue
        found[str(key)] = value.strip()
    return found


def _flags(item: LineMap, problems: _Problems, where: str) -> tuple[tuple[str, ...], Level | None]:
    """The question's flag codes and the one level they share (None if there is not one)."""
    raw = item.get("flags")
    line = _key_line(item, "flags")
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        problems.add(line, f"{where}: `flags` must be a non-empty list of red-flag codes")
        return (), None
    codes = _code_list(item, "flags", problems, where)
    unknown = [c for c in codes if c not in CATALOGUE.flags]
    if len(set(codes)) != len(codes):
        problems.add(line, f"{where}: a flag code is listed twice")
    levels = {CATALOGUE.level(c) for c in codes if c in CATALOGUE.flags}
    if len(levels) > 1:
        mixed = ", ".join(f"{c} ({CATALOGUE.level(c)})" for c in codes if c in CATALOGUE.flags)
        problems.add(line, f"{where}: flags mix levels: {mixed}; split the question")
        return codes, None
    if unknown or not levels:
        return codes, None
    return codes, levels.pop()


def _route(questions: list[_RawQuestion], problems: _Problems) -> list[_RawQuestion]:
    """Follow `next` (default: the following question) from the first question.

    Returns the questions in the order they are asked; reports loops, dangling targets and
    questions that are never asked.
    """
    if not questions:
        return []
    by_id = {q.id: q for q in questions}
    following = {a.id: b.id for a, b in pairwise(questions)}
    order: list[_RawQuestion] = []
    visited: set[str] = set()
    current: _RawQuestion | None = questions[0]
    while current is not None:
        order.append(current)
        visited.add(current.id)
        target = current.next if current.next is not None else following.get(current.id, _END)
        if target == _END:
            break
        if target not in by_id:
            problems.add(
                current.next_line,
                f"question `{current.id}`: `next` names unknown question `{target}`, "
                "so the check would end without an outcome",
            )
            break
        if target in visited:
            path = " → ".join([*(q.id for q in order), target])
            problems.add(current.next_line, f"question `{current.id}`: loop ({path})")
            break
        current = by_id[target]
    for q in questions:
        if q.id not in visited:
            problems.add(q.line, f"question `{q.id}` is never asked (no path reaches it)")
    return order


def _check_who(order: list[_RawQuestion], problems: _Problems) -> None:
    """Only the first question has choices; `for`, `text_for` and `after` name real things."""
    first = order[0] if order else None
    choices = {c.id for c in first.choices} if first is not None else set()
    seen: set[str] = set()
    for q in order:
        where = f"question `{q.id}`"
        if q.choices and q is not first:
            problems.add(q.line, f"{where}: only the first question may have choices")
        for who in sorted((q.who or frozenset()) | set(q.texts)):
            if who not in choices:
                problems.add(q.line, f"{where}: `{who}` is not a choice of the first question")
        if q.after is not None and (q.after not in seen or q.after == (first and first.id)):
            problems.add(
                _key_line(q.item, "after") if q.item is not None else q.line,
                f"{where}: `after` must name an earlier yes/no question, not `{q.after}`",
            )
        seen.add(q.id)


def _check_order(order: list[_RawQuestion], problems: _Problems) -> None:
    """Emergency questions first, then crisis, urgent, gp: the level never rises along the way.

    The "who" question and follow-ups (`after`) are left out: they belong where they stand.
    """
    lowest: _RawQuestion | None = None
    for q in order:
        if not q.level_known or q.choices or q.after is not None:
            continue
        if lowest is not None and q.level.rank > lowest.level.rank:
            problems.add(
                q.line,
                f"question `{q.id}` ({q.level}) is asked after `{lowest.id}` ({lowest.level}); "
                "ask more severe questions first",
            )
            continue
        lowest = q


def _check_coverage(order: list[_RawQuestion], line: int, problems: _Problems) -> None:
    """Every catalogue code is screened by some question.

    Which question is named in the catalogue too; the tests hold the shipped file to that, but
    an admin may still rename a question live.
    """
    asked = {code for q in order for code in q.flags}
    for code, flag in CATALOGUE.flags.items():
        if code not in asked:
            problems.add(line, f"red flag `{code}` ({flag.level}) is not screened by any question")


def _needed_destinations(order: list[_RawQuestion]) -> set[tuple[str, Level]]:
    """Every (destination, level) an outcome can reach, so each has its own action text."""
    needed: set[tuple[str, Level]] = set()
    for flag in CATALOGUE.flags.values():
        if flag.destination is not None:
            needed.add((flag.destination, flag.level))
            needed.add((flag.destination, when_unsure(flag.level)))
    for combo in CATALOGUE.combinations:
        if combo.destination is not None:
            needed.add((combo.destination, combo.level))
            needed.add((combo.destination, when_unsure(combo.level)))
    for q in order:
        if q.unsure_destination is not None and q.level_known:
            needed.add((q.unsure_destination, q.unsure or when_unsure(q.level)))
    return needed


def _destinations(
    body: LineMap, order: list[_RawQuestion], problems: _Problems
) -> dict[tuple[str, Level], str]:
    raw = body.get("destinations")
    line = _key_line(body, "destinations")
    if not isinstance(raw, LineMap):
        problems.add(line, "triage: `destinations` must map each destination to its actions")
        return {}
    found: dict[tuple[str, Level], str] = {}
    for dest, per_level in raw.items():
        if dest not in DESTINATIONS:
            problems.add(raw.key_lines.get(dest, line), f"destinations: unknown `{dest}`")
            continue
        if not isinstance(per_level, LineMap):
            problems.add(raw.key_lines.get(dest, line), f"destinations: `{dest}` maps levels")
            continue
        for key, text in per_level.items():
            where = f"destinations: `{dest}.{key}`"
            key_line = per_level.key_lines.get(key, per_level.line)
            if key not in set(Level) or not isinstance(text, str) or not text.strip():
                problems.add(key_line, f"{where}: needs a level and non-empty text")
                continue
            _placeholders(text, key_line, problems, where)
            found[(str(dest), Level(key))] = " ".join(text.split())
    for dest, level in sorted(_needed_destinations(order) - set(found)):
        problems.add(line, f"destinations: `{dest}` needs an action for `{level}`")
    return found


def _outcomes(body: LineMap, problems: _Problems) -> dict[Level, OutcomeSpec] | None:
    raw = body.get("outcomes")
    if not isinstance(raw, LineMap):
        problems.add(_key_line(body, "outcomes"), "triage: `outcomes` must be a mapping")
        return None
    _check_keys(raw, frozenset(lv.value for lv in Level), problems, "outcomes")
    found: dict[Level, OutcomeSpec] = {}
    for level in Level:
        spec = raw.get(level.value)
        where = f"outcome `{level}`"
        if not isinstance(spec, LineMap):
            line = raw.key_lines.get(level.value, _key_line(body, "outcomes"))
            problems.add(line, f"{where}: missing (needs `text` and `action`)")
            continue
        _check_keys(spec, _OUTCOME_KEYS, problems, where)
        text = _text(spec, "text", problems, where)
        action = _text(spec, "action", problems, where)
        after = _text(spec, "after", problems, where) if "after" in spec else ""
        for key, value in (("text", text), ("action", action), ("after", after)):
            if value:
                _placeholders(value, _key_line(spec, key), problems, f"{where} {key}")
        if text is not None and action is not None:
            found[level] = OutcomeSpec(level, text, action, after or "")
    return found if len(found) == len(Level) else None
