"""What the bot remembers about one person between messages (stored as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class ConversationState:
    greeted: bool = False
    """Whether this person has had the first reply (with the not-medical-advice line)."""
    region: str | None = None
    """Chosen with /region; None means the bot's default region."""
    check: dict[str, Any] | None = None
    """The open red-flag check (triage CheckState.to_json()), or None."""
    last_topic: str | None = None
    """The last fact answered, for "more on that"."""
    forget_token: str | None = None
    """Set while a /forget confirmation button is live; the button must carry it."""
    turns: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "greeted": self.greeted,
            "region": self.region,
            "check": self.check,
            "last_topic": self.last_topic,
            "forget_token": self.forget_token,
            "turns": self.turns,
            "extra": self.extra,
        }

    @staticmethod
    def from_json(raw: dict[str, Any] | None) -> ConversationState:
        """Tolerates missing or junk fields: a damaged row must not lock a person out."""
        if not isinstance(raw, dict):
            return ConversationState()
        check = raw.get("check")
        region = raw.get("region")
        last = raw.get("last_topic")
        token = raw.get("forget_token")
        turns = raw.get("turns")
        extra = raw.get("extra")
        return ConversationState(
            greeted=bool(raw.get("greeted", False)),
            region=region if isinstance(region, str) else None,
            check=check if isinstance(check, dict) else None,
            last_topic=last if isinstance(last, str) else None,
            forget_token=token if isinstance(token, str) else None,
            turns=turns if isinstance(turns, int) else 0,
            extra=extra if isinstance(extra, dict) else {},
        )

    def evolve(self, **changes: Any) -> ConversationState:
        return replace(self, **changes)
