"""Every button the engine makes, as typed data (see `buttondata`).

The encodings are the ones already on people's messages (`a:<id>`, `p:<page>`, `t:<q>:<step>:
<y|n|u>`, ...), so a button sent before an upgrade still works after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.dialogue.buttondata import ButtonData

Vote = Literal["u", "d"]
Letter = Literal["y", "n", "u"]


@dataclass(frozen=True)
class ShowTopic(ButtonData, prefix="a"):
    entry_id: str


@dataclass(frozen=True)
class TopicsPage(ButtonData, prefix="p"):
    page: int


@dataclass(frozen=True)
class Feedback(ButtonData, prefix="f"):
    entry_id: str
    vote: Vote


@dataclass(frozen=True)
class CheckStart(ButtonData, prefix="ts"):
    pass


@dataclass(frozen=True)
class CheckRestart(ButtonData, prefix="tr"):
    pass


@dataclass(frozen=True)
class CheckCancel(ButtonData, prefix="tc"):
    pass


@dataclass(frozen=True)
class CheckBack(ButtonData, prefix="tb"):
    step: int
    """How many answers the question being left had: an older Back is stale."""


@dataclass(frozen=True)
class CheckAnswer(ButtonData, prefix="t"):
    question: str
    step: int
    answer: str
    """A `Letter` for yes / no / not sure, or a choice id ("who is it for")."""


@dataclass(frozen=True)
class ForgetYes(ButtonData, prefix="fg"):
    token: str
    """The token the /forget question stored: only the latest question's Yes deletes."""


@dataclass(frozen=True)
class ForgetNo(ButtonData, prefix="fn"):
    pass


CHECK_BUTTONS: tuple[type[ButtonData], ...] = (
    CheckStart,
    CheckRestart,
    CheckCancel,
    CheckBack,
    CheckAnswer,
)
ENGINE_BUTTONS: tuple[type[ButtonData], ...] = (
    ShowTopic,
    TopicsPage,
    Feedback,
    *CHECK_BUTTONS,
    ForgetYes,
    ForgetNo,
)
