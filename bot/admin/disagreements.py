"""/disagreements: the recent messages the rule files and the learned detector judged apart.

Each one is either a phrasing the rules miss (learned alone alarmed: a candidate rule or
`must_match` example) or a likely false alarm of one side (a `must_not_match` example). The
detector keeps them in memory only, capped, cut to a few hundred characters, with no user id.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.safety.emergency import Disagreement

SHOWN = 20
_CHARS = 200


def format_disagreements(cases: Iterable[Disagreement]) -> str:
    """Newest first: which side alarmed, on what, then the message."""
    recent = list(cases)[::-1]
    if not recent:
        return (
            "🔎 No disagreements between the rules and the learned detector since the bot started."
        )
    lines = [
        f"🔎 Rules and learned detector disagreed on {len(recent)} recent message(s), "
        f"newest first{f' (showing {SHOWN})' if len(recent) > SHOWN else ''}. Turn a real "
        "miss into a rule or must_match example in bot/safety/rules/, a false alarm into a "
        "must_not_match example (reviewed commit, not live):"
    ]
    for i, case in enumerate(recent[:SHOWN], 1):
        lines.append(f"{i}. {_side(case)}: “{_clip(case.text)}”")
    return "\n".join(lines)


def _side(case: Disagreement) -> str:
    if case.rules:
        return f"rules only ({', '.join(sorted(case.rules))})"
    return f"learned only ({', '.join(sorted(case.learned))})"


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _CHARS else flat[: _CHARS - 1] + "…"
