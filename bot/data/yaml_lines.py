"""Safe YAML loading that remembers where each value came from, for admin-facing errors.

Mappings load as `LineMap` and sequences as `LineSeq`: ordinary dict/list subclasses that also
carry the 1-based line of the node itself, of each key/value and of each item. Only
`SafeLoader` constructors are used, so no arbitrary objects can be built.

A big text (a knowledge base of 50,000 phrasings is 2.6 MB) is parsed once: the result, lines
and repeated keys included, is kept in bot/data/parse_cache.py under a digest of the text and
read back as JSON in a tenth of the time. A text with a syntax error is never cached, so its
error is always the parser's own.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.data import parse_cache
from bot.data.gc_pause import without_gc


class LineMap(dict[Any, Any]):
    """A mapping plus the line of the mapping, of each key and of each value."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]
    duplicates: list[tuple[Any, int, int]]
    """(key, first line, repeated line) for keys given twice in the same mapping."""

    def line_of(self, key: Any) -> int:
        """Line of the value under `key` (the mapping's own line when absent)."""
        return self.value_lines.get(key, self.line)


class LineSeq(list[Any]):
    """A sequence plus the line of the sequence and of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


_SAFE_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""LibYAML's safe loader when PyYAML ships it (about 10x faster on big knowledge files)."""


class LineLoader(_SAFE_BASE):  # type: ignore[valid-type,misc]
    """The safe parser whose composed nodes `load_with_lines` walks (scalars it cannot take
    as they are, such as numbers and dates, still go through its safe constructors)."""


_STR = "tag:yaml.org,2002:str"


CACHE_FORMAT = f"yaml_lines 1, PyYAML {yaml.__version__}, {_SAFE_BASE.__name__}"
"""Part of every cache key: change the number when what `parse_with_lines` returns changes."""


@without_gc  # a big file is a few hundred thousand objects, none in a cycle
def load_with_lines(text: str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (with a mark) on bad syntax.

    Mappings become LineMap and sequences LineSeq, with 1-based lines. A big text that
    parsed before is read back from the parse cache instead (see the module docstring).
    """
    if len(text) < parse_cache.MIN_CHARS or parse_cache.folder() is None:
        return parse_with_lines(text)
    digest = parse_cache.key(text, CACHE_FORMAT)
    cached = parse_cache.read(digest, _from_json)
    if isinstance(cached, LineMap | LineSeq):
        return cached
    data = parse_with_lines(text)
    plain = lines_to_json(data)
    if plain is not None:
        parse_cache.write(digest, plain)
    return data


def parse_with_lines(text: str) -> Any:
    """`load_with_lines` without the cache.

    Built straight from the parser's events (`_from_events`): no node tree is composed, and
    a plain string needs no call into the resolver (0.34 -> 0.22 s of CPU on a 50,000-phrasing
    file, and no tree held in memory). A document that needs more than that (an anchor or
    alias, a merge key, a key that is not a scalar, anything that raises) is built again from
    the composed nodes (`_build`), which give the result or the error the composer and
    constructor have always given; so a broken file is parsed twice, the second time for its
    error.
    """
    loader = LineLoader(text)
    try:
        return _from_events(loader)
    except Exception:  # every failure is redone the composer's way, below
        pass
    finally:
        loader.dispose()
    return parse_composed(text)


def parse_composed(text: str) -> Any:
    """The document built from the composer's node tree: the way every file was once read,
    and the reference the event reader is checked against."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node)
    finally:
        loader.dispose()


class _Compose(Exception):
    """The document needs the composer: an anchor or alias, a merge key, a complex key."""


_RESOLVED_ELSEWHERE = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})
"""Implicit tags that only the composer's mapping flattening handles."""


def _from_events(loader: LineLoader) -> Any:
    """What `_build` makes of the single document, read off the event stream."""
    if loader.yaml_path_resolvers or None in loader.yaml_implicit_resolvers:
        raise _Compose  # resolvers that look at more than a plain scalar's first letter
    get = loader.get_event
    get()  # the stream's start
    event = get()
    if type(event) is StreamEndEvent:
        return None
    data = _event_value(loader, get, get())  # after the document's start
    get()  # the document's end
    if type(get()) is not StreamEndEvent:
        raise _Compose  # a second document: the composer names the error
    return data


def _event_value(loader: LineLoader, get: Any, event: Any) -> Any:
    kind = type(event)
    if kind is ScalarEvent:
        return _scalar(loader, event)
    if event.anchor is not None or kind is AliasEvent:
        raise _Compose
    if kind is MappingStartEvent:
        data = LineMap()
        data.line = event.start_mark.line + 1
        key_lines: dict[Any, int] = {}
        value_lines: dict[Any, int] = {}
        data.key_lines, data.value_lines, data.duplicates = key_lines, value_lines, []
        while True:
            key_event: Any = get()
            key_kind = type(key_event)
            if key_kind is not ScalarEvent:
                if key_kind is MappingEndEvent:
                    return data
                raise _Compose  # a complex key: the composer builds it, then refuses it
            key = _scalar(loader, key_event)
            key_line = key_event.start_mark.line + 1
            if key in key_lines:
                data.duplicates.append((key, key_lines[key], key_line))
            value_event = get()
            data[key] = _event_value(loader, get, value_event)
            key_lines[key] = key_line
            value_lines[key] = value_event.start_mark.line + 1
    if kind is SequenceStartEvent:
        seq = LineSeq()
        seq.line = event.start_mark.line + 1
        seq.item_lines = item_lines = []
        while True:
            item = get()
            if type(item) is SequenceEndEvent:
                return seq
            seq.append(_event_value(loader, get, item))
            item_lines.append(item.start_mark.line + 1)
    raise _Compose


def _scalar(loader: LineLoader, event: Any) -> Any:
    """The scalar as `_build` makes it: a string as it is, any other tag constructed."""
    if event.anchor is not None:
        raise _Compose
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        implicit = event.implicit
        if not implicit[0] or (value and value[0] not in loader.yaml_implicit_resolvers):
            tag = _STR  # quoted, or plain and no implicit type starts with its first letter
        else:
            tag = loader.resolve(ScalarNode, value, implicit)
    if tag == _STR:
        return value
    if tag in _RESOLVED_ELSEWHERE:
        raise _Compose
    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return loader.construct_object(node, deep=True)


def _build(loader: LineLoader, node: Node) -> Any:
    if isinstance(node, MappingNode):
        data = LineMap()
        data.line = _line(node)
        data.key_lines, data.value_lines, data.duplicates = {}, {}, []
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _build(loader, key_node)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found an unhashable key",
                    key_node.start_mark,
                )
            if key in data.key_lines:
                data.duplicates.append((key, data.key_lines[key], _line(key_node)))
            data[key] = _build(loader, value_node)
            data.key_lines[key] = _line(key_node)
            data.value_lines[key] = _line(value_node)
        return data
    if isinstance(node, SequenceNode):
        seq = LineSeq()
        seq.line = _line(node)
        seq.item_lines = []
        for item in node.value:
            seq.append(_build(loader, item))
            seq.item_lines.append(_line(item))
        return seq
    if node.tag == _STR:
        return node.value
    return loader.construct_object(node, deep=True)  # numbers, booleans, null, dates


_PLAIN = (str, bool, int, type(None))


def lines_to_json(data: Any) -> Any:
    """`data` as JSON-ready plain values that keep every line, or None when it holds a value
    JSON cannot give back as it was (a date, binary, a set: then the text is not cached).

    A mapping is {"m": [line, keys, key lines, value lines, values, repeated keys]} (keys
    stay typed: `1:` is not `"1":`), a sequence {"s": [line, item lines, items]}.
    """
    try:
        return _to_json(data)
    except _NotPlain:
        return None


class _NotPlain(Exception):
    pass


def _to_json(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotPlain  # JSON has no inf or nan
        return value
    if isinstance(value, LineMap):
        keys = list(value)
        for k in keys:
            if not isinstance(k, _PLAIN) and not (isinstance(k, float) and math.isfinite(k)):
                raise _NotPlain
        return {
            "m": [
                value.line,
                keys,
                [value.key_lines[k] for k in keys],
                [value.value_lines[k] for k in keys],
                [_to_json(value[k]) for k in keys],
                [list(d) for d in value.duplicates],
            ]
        }
    if isinstance(value, LineSeq):
        return {"s": [value.line, list(value.item_lines), [_to_json(v) for v in value]]}
    raise _NotPlain


def _from_json(node: dict[str, Any]) -> Any:
    """The inverse of `lines_to_json`, as json's object hook (innermost objects first)."""
    if "m" in node:
        line, keys, key_lines, value_lines, values, duplicates = node["m"]
        data = LineMap(zip(keys, values, strict=True))
        data.line = line
        data.key_lines = dict(zip(keys, key_lines, strict=True))
        data.value_lines = dict(zip(keys, value_lines, strict=True))
        data.duplicates = [tuple(d) for d in duplicates]
        return data
    if "s" not in node:
        return node  # the cache's own record around the value
    line, item_lines, items = node["s"]
    seq = LineSeq(items)
    seq.line = line
    seq.item_lines = item_lines
    return seq


def error_line(error: yaml.YAMLError) -> int:
    """Best 1-based line for a YAML error (the problem mark, else the context mark)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def error_message(error: yaml.YAMLError) -> str:
    """A one-line description of a YAML syntax error, without the echoed snippet."""
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    parts = [str(p) for p in (context, problem) if p]
    return "YAML syntax error: " + (", ".join(parts) if parts else str(error).splitlines()[0])
