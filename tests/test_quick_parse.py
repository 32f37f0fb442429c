"""The token-built parse (`bot.data.quick_parse`) must give the regex engine's own program for
every pattern, so a detector built with it answers exactly as one built with `re.compile`;
and a malformed pattern must fail with the engine's own error (the `file:line` report a rule
author sees)."""

from __future__ import annotations

import random
import re
import warnings
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

import pytest

from bot.data import quick_parse
from bot.safety.emergency import EmergencyDetector
from bot.safety.programs import PROGRAMS
from bot.safety.severity import SeverePainDetector

pytestmark = pytest.mark.skipif(not quick_parse.ENABLED, reason="not checked on this Python")


def _program(tree: Any) -> tuple[object, ...]:
    state = tree.state
    return (_compiler._code(tree, 0), state.flags, state.groups, dict(state.groupdict))


def _engine(pattern: str) -> tuple[object, ...] | str:
    """The engine's program for `pattern`, or its error message."""
    try:
        return _program(_parser.parse(pattern, 0))
    except (re.error, OverflowError) as error:
        return f"error: {error}"


def _ours(pattern: str) -> tuple[object, ...] | str:
    try:
        return _program(quick_parse.parse(pattern))
    except (re.error, OverflowError) as error:
        return f"error: {error}"


def test_every_shipped_pattern_is_built_from_tokens_into_the_engines_program() -> None:
    EmergencyDetector(learned=False)
    SeverePainDetector()
    patterns = PROGRAMS.patterns()
    assert len(patterns) > 300
    for pattern in patterns:
        tree = quick_parse.quick(pattern)
        assert tree is not None, pattern[:200]  # the quick path itself is what is checked
        assert _program(tree) == _engine(pattern), pattern[:200]


CASES = [
    r"chest pain|chest tightness|chest pressure",  # a common prefix moved out
    r"a|b|[cd]|e",  # single characters folded into one set
    r"a|[^b]|c",  # a negated set is not folded
    r"abc|abd|ab",
    r"a||b",
    r"|a",
    r"a|",
    r"(?:)",
    r"()",
    r"(?:ab)+c",
    r"(?:ab)?|(?:cd)*?",
    r"(ab)+",
    r"(?P<personal>numb(?:ness)?)|(?P<nominal>tingl\w*)",
    r"(?<![a-z0-9])(?:saddle|groin)(?![a-z0-9])",
    r"(?<=\| )x",
    r"(?=ab)a",
    r"x{2}y{,3}z{2,}w{1,4}?v{3}+",
    r"x{,}",
    r"a{}",  # a literal "{" and "}" to the engine
    r"a{x}",
    r"a{2,1}",
    r"[]a]",
    r"[^]a]",
    r"[a-]",
    r"[-a]",
    r"[a-z0-9]+",
    r"[\w.]",
    r"[\]\\]",
    r"[a]",
    r"[^a]",
    r"[aa]",
    r"[z-a]",
    r"[\w-z]",
    r"[a--]",
    r"[[a]",
    r"[a&&b]",
    r"[",
    r"[]",
    r"\d\s\w\b\B\A\Z\n\t\.\|\-\ ",
    r"\q",
    r"\1",
    r"(a)\1",
    r"\x41",
    r"\0",
    "a\\",
    r"^a$|^$",
    r"a.b",
    r"(?i)a",
    r"(?i:a)b",
    r"(?>ab)",
    r"(?P=x)",
    r"(?P<x>a)(?P<x>b)",
    r"(?P<1x>a)",
    r"(?#note)a",
    r"(?!)",
    r"(?!a)",
    r"(a",
    r"a)",
    r"a**",
    r"a?+?",
    r"*a",
    r"^*",
    r"(?<=a|bc)x",
    r"a{99999999999}",
    "new\nline",
]


@pytest.mark.parametrize("pattern", CASES)
def test_each_construct_gives_the_engines_program_or_error(pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _ours(pattern) == _engine(pattern)


def test_random_patterns_give_the_engines_program_or_error() -> None:
    pieces = ["a", "b", "ab", " ", "|", "(", ")", "(?:", "(?!", "(?<=", "(?P<g>", "?", "*", "+"]
    pieces += ["{2}", "{1,3}", "{,2}", "[ab]", "[^a]", "[a-c]", "]", "[", "\\w", "\\|", "^", "$"]
    pieces += [".", "-", "{", "}", "\\"]
    chooser = random.Random(10)
    built = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(3000):
            pattern = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 12)))
            assert _ours(pattern) == _engine(pattern), pattern
            built += quick_parse.quick(pattern) is not None
    assert built > 300  # the quick path was taken, not only the engine's
