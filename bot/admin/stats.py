"""/stats: counts only (the store keeps no question text with a person's id)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.bundle import Knowledge
from bot.clinical.levels import Level

_LEVEL_NAMES = {
    Level.EMERGENCY: "emergency",
    Level.CRISIS: "crisis (crisis line)",
    Level.URGENT_NOW: "urgent now (not sure on a serious sign)",
    Level.URGENT: "urgent (same day)",
    Level.GP: "see a GP",
    Level.SELFCARE: "self-care",
}
TOP_FEEDBACK = 5


def format_stats(stats: Mapping[str, Any], knowledge: Knowledge, retention_days: int) -> str:
    asked = int(stats.get("questions_asked", 0))
    answered = int(stats.get("questions_answered", 0))
    share = f"{answered / asked:.0%}" if asked else "n/a"
    lines = [
        f"📊 Usage (data older than {retention_days} days is deleted)",
        f"People: {int(stats.get('people', 0))}",
        f"Questions: {asked}, answered {answered} ({share})",
        f"Unanswered waiting for review: {int(stats.get('unanswered', 0))} (/unanswered)",
        f"Updates quarantined as unreadable: {int(stats.get('quarantined', 0))}",
        "",
        "Red-flag check outcomes:",
    ]
    lines.extend(_outcomes(stats.get("outcomes") or {}))
    lines += ["", "Feedback:"]
    lines.extend(_feedback(stats.get("feedback") or {}, knowledge))
    return "\n".join(lines)


def _outcomes(outcomes: Mapping[str, int]) -> list[str]:
    known = [f"  {_LEVEL_NAMES[lv]}: {int(outcomes.get(str(lv), 0))}" for lv in Level]
    other = [f"  {k}: {int(v)}" for k, v in sorted(outcomes.items()) if k not in set(Level)]
    return known + other


def _feedback(feedback: Mapping[str, Mapping[str, int]], knowledge: Knowledge) -> list[str]:
    if not feedback:
        return ["  none yet"]
    up = sum(int(v.get("up", 0)) for v in feedback.values())
    down = sum(int(v.get("down", 0)) for v in feedback.values())
    lines = [f"  👍 {up}  👎 {down}"]
    worst = sorted(feedback.items(), key=lambda kv: (-int(kv[1].get("down", 0)), kv[0]))
    flagged = [(t, v) for t, v in worst if int(v.get("down", 0)) > 0][:TOP_FEEDBACK]
    if flagged:
        lines.append("  Most 👎:")
    for topic, votes in flagged:
        entry = knowledge.kb.get(topic)
        name = entry.title if entry else f"{topic} (no longer in the knowledge)"
        lines.append(f"  • {name}: 👍 {int(votes.get('up', 0))} 👎 {int(votes.get('down', 0))}")
    return lines
