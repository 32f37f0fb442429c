"""Outcome levels of the clinical reference (shared/red-flags.md), most severe first."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Level(StrEnum):
    EMERGENCY = "emergency"
    """Call the emergency number now, or go to the nearest emergency department."""
    CRISIS = "crisis"
    """Thoughts of suicide or self-harm: the crisis line first, not "a medical emergency"."""
    URGENT_NOW = "urgent_now"
    """Call the nurse line now, or go to the emergency department today ("not sure" answers)."""
    URGENT = "urgent"
    """See a doctor today."""
    GP = "gp"
    """Book a GP appointment in the next few days."""
    SELFCARE = "selfcare"
    """No red flag: the article's self-care advice."""

    @property
    def rank(self) -> int:
        """Higher is more severe, so max() picks the level to act on."""
        return _RANK[self]


_RANK = {level: rank for rank, level in enumerate(reversed(Level))}


def most_severe(levels: Iterable[Level]) -> Level:
    return max(levels, key=lambda lv: lv.rank, default=Level.SELFCARE)


_WHEN_UNSURE = {
    Level.EMERGENCY: Level.URGENT_NOW,
    Level.CRISIS: Level.CRISIS,
    Level.URGENT_NOW: Level.URGENT_NOW,
    Level.URGENT: Level.URGENT,
    Level.GP: Level.GP,
    Level.SELFCARE: Level.SELFCARE,
}


def when_unsure(level: Level) -> Level:
    """The reference's "not sure" rule: emergency -> urgent_now; otherwise the level itself
    (an urgent sign one is unsure of still means today, never "in the next few days")."""
    return _WHEN_UNSURE[level]
