"""Severity levels and the red-flag catalogue from shared/red-flags.md (the clinical reference)."""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class Level(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    GP = "gp"
    SELFCARE = "selfcare"

    @property
    def rank(self) -> int:
        """Higher is more severe, so max() picks the level to act on."""
        return _RANK[self]


_RANK = {Level.SELFCARE: 0, Level.GP: 1, Level.URGENT: 2, Level.EMERGENCY: 3}


def most_severe(levels: list[Level] | tuple[Level, ...] | set[Level]) -> Level:
    return max(levels, key=lambda lv: lv.rank, default=Level.SELFCARE)


FLAG_LEVELS: MappingProxyType[str, Level] = MappingProxyType(
    {
        "saddle_numbness": Level.EMERGENCY,
        "bladder_bowel": Level.EMERGENCY,
        "leg_weakness": Level.EMERGENCY,
        "breathing": Level.EMERGENCY,
        "chest_pain": Level.EMERGENCY,
        "confusion": Level.EMERGENCY,
        "rash_no_fade": Level.EMERGENCY,
        "stiff_neck": Level.EMERGENCY,
        "sepsis_signs": Level.EMERGENCY,
        "major_trauma": Level.EMERGENCY,
        "self_harm": Level.EMERGENCY,
        "high_fever": Level.URGENT,
        "urinary_symptoms": Level.URGENT,
        "infection_risk": Level.URGENT,
        "leg_numbness": Level.URGENT,
        "pregnant": Level.URGENT,
        "severe_pain": Level.URGENT,
        "cancer_history": Level.GP,
        "weight_loss": Level.GP,
        "persistent": Level.GP,
        "osteoporosis": Level.GP,
    }
)

EMERGENCY_FLAGS = frozenset(c for c, lv in FLAG_LEVELS.items() if lv is Level.EMERGENCY)
