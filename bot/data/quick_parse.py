"""The regex engine's parse of a pattern, built from whole tokens instead of one character at a
time, for the common syntax the rule files use.

A cold start (no kept programs: a new install, another Python) parses the detectors' ~300 000
characters of patterns, mostly long alternations of plain words. `re._parser` reads them one
character at a time in Python (a third of that start). `parse` cuts the pattern into tokens
with one C-level scan (a run of plain characters is one token) and builds the very tree
`re._parser.parse` builds: the same nodes, the same common-prefix factoring and character-set
folding of alternations, the same unpacking of non-capturing groups, so `re._compiler` turns it
into the same program (tests/test_quick_parse.py compares the programs of every shipped
pattern). Anything outside that syntax (inline flags, back-references, numeric escapes,
conditionals, a malformed pattern, a construct the engine warns about) is handed whole to
`re._parser.parse`, so errors and warnings are exactly the engine's. On a Python whose parser
this was not checked against, every pattern goes to `re._parser`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

try:  # the engine's internals; without them (another implementation) nothing here is used
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python implementation
    C = _parser = None

CHECKED = frozenset({(3, 11), (3, 12), (3, 13)})
"""Python versions whose `re._parser` this mirrors (the tests compare programs on each)."""
ENABLED = _parser is not None and sys.version_info[:2] in CHECKED

_TOKEN = re.compile(
    r"""
    [^.\\\[{()*+?^$|]+                        # plain characters
    | \\.                                     # an escape
    | \[\^?\]?(?:\\.|[^\]\\])*\]              # a character class
    | \(\?P<[A-Za-z_][A-Za-z0-9_]*>           # a named group
    | \(\?<?[=!] | \(\?: | \((?!\?) | \(\?   # look-arounds, groups, other extensions
    | (?:[?*+]|\{\d*(?:,\d*)?\})[?+]?         # a quantifier
    | .                                       # anything else: one character
    """,
    re.VERBOSE | re.DOTALL,
)
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NUMERIC = frozenset("0123456789xuUN")
_UNITS = re.compile(r"\\.|.", re.DOTALL)
_SPECIAL = frozenset(".\\[{()*+?^$|")


class _Tree(_parser.SubPattern if _parser is not None else object):  # type: ignore[misc]
    """`re._parser.SubPattern`, iterated as its list (the compiler walks every node with
    `for op, av in tree`: without this, one `__getitem__` call per node)."""

    plain = False
    """Only characters (a word of an alternation), so its width is its length."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.data)

    def getwidth(self) -> Any:
        if self.plain and getattr(self, "width", None) is None:  # the engine's loop's count
            self.width = (len(self.data), len(self.data))
        return super().getwidth()


class _Unsupported(Exception):
    """Outside the syntax mirrored here: `re._parser` parses the pattern instead."""


def parse(pattern: str) -> Any:
    """`re._parser.parse(pattern, 0)`: the same tree, faster for plain alternations."""
    tree = quick(pattern) if ENABLED else None
    return _parser.parse(pattern, 0) if tree is None else tree


def quick(pattern: str) -> Any | None:
    """The tree built from tokens, or None when the pattern is not in the syntax mirrored
    here (or is malformed: then `re._parser` says how)."""
    try:
        return _Builder(pattern).tree()
    except (_Unsupported, re.error, RecursionError):
        return None


class _Builder:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.tokens = [*_TOKEN.findall(pattern), ""]  # "": the end
        self.at = 0
        self.state = _parser.State()
        self.state.flags = 0
        self.state.str = pattern

    def tree(self) -> Any:
        parsed = self._alternation()
        if self.tokens[self.at]:  # an unbalanced ")"
            raise _Unsupported
        self.state.flags = _parser.fix_flags(self.pattern, self.state.flags)
        return parsed

    def _alternation(self) -> Any:
        """`_parser._parse_sub`: branches, their common prefix moved out, single characters
        folded into one set."""
        items = [self._sequence()]
        tokens, state, char = self.tokens, self.state, _CHAR
        while tokens[self.at] == "|":
            self.at += 1
            token = tokens[self.at]
            if token and token[0] not in _SPECIAL and tokens[self.at + 1][:1] in "|)":  # a word
                self.at += 1
                word = _Tree(state, [char[c] for c in token])
                word.plain = True
                items.append(word)
            else:
                items.append(self._sequence())
        if len(items) == 1:
            return items[0]
        out = _Tree(self.state)
        branches = [item.data for item in items]
        while True:
            prefix = None
            for data in branches:
                if not data:
                    break
                if prefix is None:
                    prefix = data[0]
                elif data[0] != prefix:
                    break
            else:
                for data in branches:
                    del data[0]
                out.data.append(prefix)
                continue
            break
        chars: list[tuple[Any, Any]] = []
        literal, charset, negate = C.LITERAL, C.IN, C.NEGATE
        for data in branches:
            if len(data) != 1:
                break
            op, av = data[0]
            if op is literal:
                chars.append((op, av))
            elif op is charset and av[0][0] is not negate:
                chars.extend(av)
            else:
                break
        else:
            out.data.append((charset, list(dict.fromkeys(chars))))
            return out
        out.data.append((C.BRANCH, (None, items)))
        return out

    def _sequence(self) -> Any:
        """`_parser._parse`: items up to the next "|" or ")"."""
        data: list[tuple[Any, Any]] = []
        tokens, at = self.tokens, self.at
        char = _CHAR
        grouped = False
        while True:
            token = tokens[at]
            first = token[:1]
            if first in "|)":  # "" (the end) too
                break
            at += 1
            if first not in _SPECIAL:
                data += [char[c] for c in token]
            elif first == "(":
                self.at = at
                data.append(self._group(token))
                at = self.at
                grouped = True
            elif first == "\\":
                data.append(_escape(token))
            elif first in "?*+{":
                self._repeat(token, data)
            elif first == "[" and len(token) > 1:
                data.append(_charset(token))
            elif first == ".":
                data.append((C.ANY, None))
            elif first == "^":
                data.append((C.AT, C.AT_BEGINNING))
            elif first == "$":
                data.append((C.AT, C.AT_END))
            else:
                raise _Unsupported
        self.at = at
        if grouped:
            subpattern = C.SUBPATTERN
            for i in range(len(data))[::-1]:  # unpack non-capturing groups
                op, av = data[i]
                if op is subpattern and av[0] is None and not av[1] and not av[2]:
                    data[i : i + 1] = av[3].data
        return _Tree(self.state, data)

    def _close(self) -> None:
        if self.tokens[self.at] != ")":
            raise _Unsupported
        self.at += 1

    def _group(self, token: str) -> tuple[Any, Any]:
        state = self.state
        if token in ("(?=", "(?!", "(?<=", "(?<!"):
            behind = token.startswith("(?<")
            outer = state.lookbehindgroups
            if behind and outer is None:
                state.lookbehindgroups = state.groups
            body = self._alternation()
            if behind and outer is None:
                state.lookbehindgroups = None
            self._close()
            if token[-1] == "!" and not body.data:
                raise _Unsupported  # "(?!)": Python 3.13 makes it another node
            op = C.ASSERT if token[-1] == "=" else C.ASSERT_NOT
            return op, (-1 if behind else 1, body)
        if token == "(?:":
            group = None
        elif token == "(":
            group = state.opengroup()
        elif token.startswith("(?P<"):
            group = state.opengroup(token[4:-1])
        else:
            raise _Unsupported
        body = self._alternation()
        self._close()
        if group is not None:
            state.closegroup(group, body)
        return C.SUBPATTERN, (group, 0, 0, body)

    def _repeat(self, token: str, data: list[tuple[Any, Any]]) -> None:
        kind = token[-1] if len(token) > 1 and token[-1] in "?+" else ""
        body = token[: len(token) - len(kind)]
        if body == "?":
            low, high = 0, 1
        elif body == "*":
            low, high = 0, C.MAXREPEAT
        elif body == "+":
            low, high = 1, C.MAXREPEAT
        else:
            if body == "{}" or body[-1] != "}":
                raise _Unsupported  # a literal "{" to the engine
            lo, comma, hi = body[1:-1].partition(",")
            hi = hi if comma else lo
            low = int(lo) if lo else 0
            high = int(hi) if hi else C.MAXREPEAT
            if low >= C.MAXREPEAT or high >= C.MAXREPEAT or high < low:
                raise _Unsupported
        if not data or data[-1][0] is C.AT or data[-1][0] in _parser._REPEATCODES:
            raise _Unsupported  # nothing to repeat, or a repeat repeated
        item: Any = _Tree(self.state, data[-1:])
        op, av = data[-1]
        if op is C.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            item = av[3]
        code = {"?": C.MIN_REPEAT, "+": C.POSSESSIVE_REPEAT}.get(kind, C.MAX_REPEAT)
        data[-1] = (code, (low, high, item))


class _Chars(dict[str, tuple[Any, int]]):
    """A character's LITERAL node, made once (nodes are immutable tuples)."""

    def __missing__(self, char: str) -> tuple[Any, int]:
        node = self[char] = (C.LITERAL, ord(char))
        return node


_CHAR = _Chars()


def _escape(token: str) -> tuple[Any, Any]:
    """`_parser._escape` for a category, a control character or an escaped symbol."""
    code = _parser.CATEGORIES.get(token) or _parser.ESCAPES.get(token)
    if code:
        return code
    if len(token) < 2:
        raise _Unsupported  # a "\\" ending the pattern
    char = token[1]
    if char in _NUMERIC or char in _LETTERS:
        raise _Unsupported  # a number, a back-reference, or a bad escape
    return C.LITERAL, ord(char)


def _class_escape(token: str) -> tuple[Any, Any]:
    code = _parser.ESCAPES.get(token)
    if code:
        return code
    code = _parser.CATEGORIES.get(token)
    if code and code[0] is C.IN:
        return code
    char = token[1]
    if char in _NUMERIC or char in _LETTERS:
        raise _Unsupported
    return C.LITERAL, ord(char)


def _charset(token: str) -> tuple[Any, Any]:
    """`_parser._parse` on "[...]": ranges, escapes, a negation, one character alone."""
    body = token[1:-1]
    negate = body.startswith("^")
    if negate:
        body = body[1:]
    if not body or body.startswith("["):
        raise _Unsupported  # unterminated, or the engine warns of a possible nested set
    units = _UNITS.findall(body)
    items: list[tuple[Any, Any]] = []
    i = 0
    while i < len(units):
        this = units[i]
        i += 1
        if this[0] == "\\":
            code = _class_escape(this)
        else:
            if items and this in "-&~|" and i < len(units) and units[i] == this:
                raise _Unsupported  # the engine warns of a possible set operation
            code = (C.LITERAL, ord(this))
        if i < len(units) and units[i] == "-":
            if i + 1 >= len(units):  # "a-]": a and "-"
                i += 1
                items.append(code[1][0] if code[0] is C.IN else code)
                items.append((C.LITERAL, ord("-")))
                break
            that = units[i + 1]
            i += 2
            if that == "-":
                raise _Unsupported
            other = _class_escape(that) if that[0] == "\\" else (C.LITERAL, ord(that))
            if code[0] is not C.LITERAL or other[0] is not C.LITERAL or other[1] < code[1]:
                raise _Unsupported  # a bad range
            items.append((C.RANGE, (code[1], other[1])))
        else:
            items.append(code[1][0] if code[0] is C.IN else code)
    items = list(dict.fromkeys(items))
    if len(items) == 1 and items[0][0] is C.LITERAL:
        return (C.NOT_LITERAL, items[0][1]) if negate else items[0]
    if negate:
        items.insert(0, (C.NEGATE, None))
    return C.IN, items
