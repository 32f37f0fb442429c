"""Which rows of tests/data a negation decides, for the rules: the rules run twice, as shipped
and with their negation cues switched off (the phrase rules' `negation_cues` and the rule
files' `negation` cues). An emergency row caught only without the cues is one a negation
cancelled (scope too long, or a pseudo-negation taken for one); a calm row or question that
alarms only without them is one a negation saves, and must stay saved.

    python -m bench.negation_scope            # both lists and their counts
    python -m bench.negation_scope --counts   # the counts only
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from bench.rules_by_set import rows
from bot.safety.emergency import EmergencyDetector

Row = tuple[str, str, str, str]


def _without_negation(detector: EmergencyDetector) -> EmergencyDetector:
    """The same detector with no negation cue: the phrase judge never finds one and the rule
    files' negation cues are dropped."""
    detector._judge._negated = lambda window: False  # type: ignore[method-assign]
    book = detector.rulebook
    book.cues = [c for c in book.cues if c.category != "negation"]
    return detector


def decided(detector: EmergencyDetector, plain: EmergencyDetector) -> Iterator[Row]:
    """(what, file, code, text) for each row whose verdict a negation changes."""
    for name, kind, code, text in rows(frozenset(detector.codes)):
        shipped = detector.detect_rules(text)
        if kind == "emergency":
            if code not in shipped and code in plain.detect_rules(text):
                yield "emergency cancelled", name, code, text
        elif not shipped and plain.detect_rules(text):
            yield f"{kind} saved", name, ",".join(sorted(plain.detect_rules(text))), text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", action="store_true")
    args = parser.parse_args()
    shipped = EmergencyDetector(learned=False)
    found = list(decided(shipped, _without_negation(EmergencyDetector(learned=False))))
    counts: dict[str, int] = {}
    for what, name, code, text in found:
        counts[what] = counts.get(what, 0) + 1
        if not args.counts:
            print(f"{what}\t{name}\t{code}\t{text}")
    for what, n in sorted(counts.items()):
        print(f"# {what}: {n}")


if __name__ == "__main__":
    main()
