"""Which of the scope's named patterns (`unanswerable`) a message's texts match, searched only
where they can.

Each pattern needs one of a few literal strings in any match ("how many", "average",
"made of", ...), read off its parse tree (`bot.data.prefilter.required`, as the emergency
detector does). One Aho-Corasick scan of a text names the patterns whose literals occur; only
those are searched. The joined alternation this replaces cost about 45 µs a text and 250 µs
on a 40-word one, since Python's `re` tries every alternative at every word; most texts hold
the literals of one or two patterns. A pattern whose literals are unknown is always searched,
so the names found are exactly those of a search of every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.data.prefilter import Prefilter, literals_of


class NamedPatterns:
    """Named patterns, in order: which of them match any of some texts."""

    def __init__(self, named: Sequence[tuple[str, re.Pattern[str]]]) -> None:
        self._named = tuple(named)
        self._prefilter = Prefilter([literals_of(p) for _, p in self._named])

    def names(self, texts: Sequence[str]) -> list[str]:
        """The names (in their order) of the patterns that match somewhere in one of `texts`."""
        found: set[int] = set()
        named = self._named
        for text in texts:
            for i in self._prefilter.possible(text):
                if i not in found and named[i][1].search(text):
                    found.add(i)
        return [named[i][0] for i in sorted(found)]
