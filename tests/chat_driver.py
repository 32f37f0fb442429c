"""Drive the engine the way a person would: type, press buttons by label, keep state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.bundle import Knowledge, load_bundle
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Button, Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@dataclass
class Conversation:
    knowledge: Knowledge
    engine: Engine = field(default_factory=Engine)
    user_id: int = 7
    private: bool = True
    state: ConversationState = field(default_factory=ConversationState)
    last: Turn | None = None

    def say(self, text: str) -> Turn:
        return self.send(Incoming(self.user_id, self.user_id, text=text, private=self.private))

    def send(self, msg: Incoming) -> Turn:
        self.last = self.engine.handle(msg, self.state, self.knowledge)
        self.state = self.last.state
        return self.last

    def data(self, data: str) -> Turn:
        return self.send(
            Incoming(self.user_id, self.user_id, kind="button", button=data, private=self.private)
        )

    def buttons(self, turn: Turn | None = None) -> list[Button]:
        turn = turn or self.last
        assert turn is not None
        return [b for r in turn.replies for row in r.buttons for b in row]

    def press(self, label: str, turn: Turn | None = None) -> Turn:
        for button in self.buttons(turn):
            if button.label == label:
                return self.data(button.data)
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.buttons(turn)]}")

    @property
    def replies(self) -> list[Reply]:
        assert self.last is not None
        return self.last.replies

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)


def real_knowledge() -> Knowledge:
    return load_bundle(KNOWLEDGE_DIR)
