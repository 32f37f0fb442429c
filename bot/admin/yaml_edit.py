"""Adds a phrasing to an entry in a knowledge file, keeping the admin's comments and layout.

ruamel.yaml's round-trip parser finds the entry and where its `questions` list sits; the new
phrasing is then inserted as one line below the last one, in the same indentation, so the rest
of the file stays byte for byte as it was (a full round-trip dump would re-wrap flow lists).
The result is re-read and compared with the expected data; if the line insertion cannot be
proven right (a flow-style list, an unusual layout), ruamel's round-trip dump is used instead,
which also keeps comments and key order.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

MAX_PHRASING = 200
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,'?!.()/-]*$")


class EditError(Exception):
    """The file cannot take the phrasing; the message is for the admin."""


def clean_phrasing(text: str) -> str:
    """One line, single spaces, at most MAX_PHRASING characters."""
    return " ".join(text.split())[:MAX_PHRASING].strip()


def add_phrasing(source: str, entry_id: str, phrasing: str) -> str:
    """The file text with `phrasing` appended to the questions of entry `entry_id`."""
    phrasing = clean_phrasing(phrasing)
    if not phrasing:
        raise EditError("the phrasing is empty")
    document = _round_trip().load(source)
    questions = _questions(document, entry_id)
    expected = _expected(source, entry_id, phrasing)
    if not questions.fa.flow_style() and len(questions) > 0:
        inserted = _insert_line(source, questions, phrasing)
        if inserted is not None and yaml.safe_load(inserted) == expected:
            return inserted
    questions.append(phrasing)
    out = io.StringIO()
    _round_trip().dump(document, out)
    dumped = out.getvalue()
    if yaml.safe_load(dumped) != expected:  # pragma: no cover - ruamel bug guard
        raise EditError("could not write the file back faithfully")
    return dumped


def _round_trip() -> YAML:
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _questions(document: Any, entry_id: str) -> CommentedSeq:
    entries = document.get("entries") if isinstance(document, CommentedMap) else None
    if not isinstance(entries, CommentedSeq):
        raise EditError("this file has no 'entries:' list")
    for entry in entries:
        if isinstance(entry, CommentedMap) and entry.get("id") == entry_id:
            questions = entry.get("questions")
            if not isinstance(questions, CommentedSeq):
                raise EditError(f"entry '{entry_id}' has no 'questions:' list")
            return questions
    raise EditError(f"no entry '{entry_id}' in this file")


def _expected(source: str, entry_id: str, phrasing: str) -> Any:
    data = yaml.safe_load(source)
    for entry in data["entries"]:
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            entry["questions"].append(phrasing)
    return data


def _scalar(text: str) -> str:
    """Plain when YAML reads it back unchanged, else a double-quoted (JSON) string."""
    if _PLAIN.match(text) and yaml.safe_load(f"- {text}") == [text]:
        return text
    return json.dumps(text, ensure_ascii=False)


def _insert_line(source: str, questions: CommentedSeq, phrasing: str) -> str | None:
    lines = source.splitlines(keepends=True)
    last = len(questions) - 1
    row, col = questions.lc.item(last)
    if row >= len(lines):
        return None
    prefix = lines[row][:col]
    if prefix.strip() != "-":
        return None  # the item does not start its own "- " line
    dash = len(prefix) - len(prefix.lstrip())
    end = row + 1
    while end < len(lines):
        line = lines[end]
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent <= dash:
            break
        end += 1
    while end > row + 1 and not lines[end - 1].strip():
        end -= 1
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, f"{prefix}{_scalar(phrasing)}\n")
    return "".join(lines)


_OFF_TOPIC_KEY = re.compile(
    r"^(?P<indent>\s*)off_topic_questions:\s*(?P<empty>\[\s*\])?\s*(?:#.*)?$"
)
_SCOPE_KEY = re.compile(r"^scope:\s*(?:#.*)?$")


def add_off_topic(source: str, question: str) -> str:
    """The scope file text with `question` appended to `scope: off_topic_questions`.

    Inserted as one line so the rest of the file (its comments and flow lists) stays as it
    was; the result is re-read and must equal the old data plus the question.
    """
    question = clean_phrasing(question)
    if not question:
        raise EditError("the question is empty")
    data = yaml.safe_load(source)
    scope = data.get("scope") if isinstance(data, dict) else None
    if not isinstance(scope, dict):
        raise EditError("this file has no 'scope:' mapping")
    lines = source.splitlines(keepends=True)
    item = _scalar(question)
    at = next((n for n, line in enumerate(lines) if _OFF_TOPIC_KEY.match(line.rstrip("\n"))), None)
    if at is None:
        start = next((n for n, line in enumerate(lines) if _SCOPE_KEY.match(line)), None)
        if start is None:
            raise EditError("could not find 'scope:' at the start of a line")
        lines[start + 1 : start + 1] = ["  off_topic_questions:\n", f"    - {item}\n"]
    else:
        match = _OFF_TOPIC_KEY.match(lines[at].rstrip("\n"))
        assert match is not None
        indent = match.group("indent")
        if match.group("empty"):
            lines[at] = f"{indent}off_topic_questions:\n"
        end = at + 1
        while end < len(lines) and lines[end].startswith(f"{indent}  "):
            end += 1
        lines.insert(end, f"{indent}  - {item}\n")
    edited = "".join(lines)
    expected = dict(data)
    expected["scope"] = {
        **scope,
        "off_topic_questions": [*(scope.get("off_topic_questions") or []), question],
    }
    if yaml.safe_load(edited) != expected:
        raise EditError("could not add the question without changing the rest of the file")
    return edited
