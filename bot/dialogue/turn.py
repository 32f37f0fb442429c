"""The result of handling one update."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dialogue.replies import Reply
from bot.dialogue.state import ConversationState


@dataclass
class Turn:
    """The result of one update; the processor commits it atomically."""

    replies: list[Reply]
    state: ConversationState
    notice: str | None = None
    """Short line for the button press itself (Telegram's callback answer)."""
    stale: bool = False
    """The press was out of date or forged: the channel leaves that message as it was."""
    history: list[str] = field(default_factory=list)
    unanswered: list[tuple[str, float]] = field(default_factory=list)
    feedback: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    asked: int = 0
    answered: int = 0
    actions: list[str] = field(default_factory=list)
    """Work only the processor can do: "mydata" (append stored data), "forget" (delete all)."""
