"""One message or button press, as every channel hands it to the engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Kind = Literal[
    "text",  # a typed message (commands included)
    "button",  # an inline-keyboard press; `button` holds its callback data
    "sticker",
    "photo",
    "voice",
    "video",
    "document",
    "location",
    "contact",
    "edited",  # an edited message: answered with a note, not re-run
    "other",
]


@dataclass(frozen=True)
class Incoming:
    user_id: int
    chat_id: int
    kind: Kind = "text"
    text: str | None = None
    button: str | None = None
    private: bool = True
    """Set by the channel from the chat type it knows (the core never guesses it from ids).
    False in groups: the adapter passes only commands and mentions, and checks are refused."""
    file_name: str | None = None
    """For documents: an admin's YAML upload is handled by the admin layer, not the engine."""
    file_id: str | None = None
    """The channel's handle to fetch a document's bytes (Telegram's file_id)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Incoming:
        return Incoming(**raw)
