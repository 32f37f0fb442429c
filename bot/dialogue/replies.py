"""Channel-neutral replies: each adapter renders these its own way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    """Callback data, at most 64 bytes (Telegram's limit)."""


@dataclass(frozen=True)
class TriageInfo:
    question: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    text: str
    """Plain text; adapters escape it for their markup."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    """Rows of buttons."""
    triage: TriageInfo | None = None
    outcome: str | None = None
    """A check outcome or safety level: emergency, crisis, urgent_now, urgent, gp, selfcare."""
    emergency: bool = False
    """A safety reply that interrupts (emergency or crisis): shown first, kept in groups."""

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [{"label": b.label, "data": b.data} for row in self.buttons for b in row],
            "triage": (
                {"question": self.triage.question, "flags": list(self.triage.flags)}
                if self.triage
                else None
            ),
            "outcome": self.outcome,
            "emergency": self.emergency,
        }

    def to_record(self) -> dict[str, Any]:
        """Lossless form for the outbox (keeps button rows)."""
        rec = self.to_json()
        rec["buttons"] = [
            [{"label": b.label, "data": b.data} for b in row] for row in self.buttons
        ]
        return rec

    @staticmethod
    def from_record(raw: dict[str, Any]) -> Reply:
        tri = raw.get("triage")
        return Reply(
            text=raw["text"],
            buttons=tuple(
                tuple(Button(b["label"], b["data"]) for b in row) for row in raw.get("buttons", [])
            ),
            triage=TriageInfo(tri["question"], tuple(tri["flags"])) if tri else None,
            outcome=raw.get("outcome"),
            emergency=bool(raw.get("emergency")),
        )
