"""Notice "my pain is severe" in free text, so the bot can offer the red-flag check.

Severe pain alone is not an emergency: this only decides whether to OFFER the check. It shares
the emergency detector's normaliser and context rules, so "not severe", "if the pain gets
unbearable" and "is 10 out of 10 pain a red flag?" do not count. Idioms are kept here on
purpose: "this pain is killing me" is exactly what a person in severe pain says.
"""

from __future__ import annotations

from bot.safety import phrases, proven, rulebook
from bot.safety.emergency import ContextJudge, PhraseSpotter, TextPreparer, failing_examples
from bot.safety.programs import PROGRAMS


class SeverePainDetector:
    """Built once; `mentions(text)` is True when the person says their pain is severe now."""

    def __init__(self) -> None:
        self._preparer = TextPreparer()
        self._judge = ContextJudge()
        book = phrases.book()
        self._spotter = PhraseSpotter({"severe": book.severe_pain})
        found = {"severe_pain"}
        digest = proven.key("severe pain examples", rulebook.RULES_DIR)
        if not proven.passed(digest):
            problems = failing_examples(
                book.examples, lambda t: found if self.mentions(t) else set(), found
            )
            if problems:
                raise rulebook.RulesError(problems)
            proven.record(digest)
        PROGRAMS.save()

    def mentions(self, text: str) -> bool:
        if not text or not text.strip():
            return False
        prep = self._preparer.prepare(text, idioms=False)
        return bool(self._spotter.found(prep, self._judge))


# Immutable after construction (compiled regexes and read-only maps only).
_DETECTOR = SeverePainDetector()


def mentions_severe_pain(text: str) -> bool:
    """True when `text` says the pain is severe now ("agony", "10/10", "can't move")."""
    return _DETECTOR.mentions(text)
