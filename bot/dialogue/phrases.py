"""Short free-text replies people type: yes/no answers, small talk, "more on that"."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import Literal

from bot.text import normalise

Answer = Literal["yes", "no", "unsure"]
SmallTalk = Literal["hello", "thanks", "bye", "who", "more", "help"]

_YES = frozenset({
    "yes", "y", "yep", "yeah", "yea", "ya", "yup", "yes i do", "i do", "i have", "yes i have",
    "sure", "correct", "true", "definitely", "affirmative", "yess", "yes please", "absolutely",
    "i am", "yes i am", "it is", "it does", "uh huh", "aye", "ok yes",
})  # fmt: skip
_NO = frozenset({
    "no", "n", "nah", "nope", "not really", "none", "no i dont", "i dont", "no i havent",
    "i havent", "never", "no none", "no not at all", "not at all", "negative", "nay", "no way",
    "no im not", "im not", "it isnt", "it doesnt", "none of those", "none of them", "nothing",
    "na", "nop", "noo", "nah mate", "no thanks", "i guess not", "i dont think so", "i think not",
    "probably not",
})  # fmt: skip
_UNSURE = frozenset({
    "not sure", "dunno", "dont know", "i dont know", "idk", "maybe", "unsure", "perhaps",
    "possibly", "kind of", "sort of", "kinda", "sorta", "im not sure", "no idea", "not certain",
    "hard to say", "a bit", "a little", "i think so", "might be", "could be", "ish",
    "i guess so", "i suppose so", "probably",
})  # fmt: skip

_SMALL_TALK: Mapping[SmallTalk, AbstractSet[str]] = MappingProxyType({
    "hello": {
        "hi", "hello", "hey", "heya", "hiya", "g day", "gday", "good morning", "good afternoon",
        "good evening", "howdy", "yo", "hi there", "hello there", "hey there", "morning",
        "hi bot", "hello bot", "sup", "whats up",
    },
    "thanks": {
        "thanks", "thank you", "thx", "ta", "cheers", "thanks a lot", "thank you so much",
        "many thanks", "thanks heaps", "ty", "much appreciated", "great thanks", "ok thanks",
        "okay thanks", "awesome thanks", "cool thanks", "perfect thanks", "thanks mate",
    },
    "bye": {
        "bye", "goodbye", "see ya", "see you", "cya", "later", "good night", "goodnight",
        "catch you later", "bye bye", "ciao", "ok bye", "thats all", "thats it",
    },
    "who": {
        "who are you", "what are you", "are you a bot", "are you human", "are you a doctor",
        "are you real", "what can you do", "what do you do", "who made you", "what is this",
        "what is this bot", "who am i talking to", "are you a robot", "are you ai",
    },
    "more": {
        "more", "tell me more", "more on that", "more please", "go on", "and", "more info",
        "more information", "anything else", "what else", "more about that", "keep going",
        "tell me more about that", "say more", "elaborate", "more detail", "more details",
    },
    "help": {"help", "help me", "what can i ask", "what can i ask you", "options", "menu"},
})  # fmt: skip


def simplify(text: str) -> str:
    """The words of a short reply, folded as everywhere else ("Don’t know" -> "dont know")."""
    return normalise(text)


def parse_answer(text: str) -> Answer | None:
    """Read "yep", "nah", "dunno" and friends as a check answer; None if it isn't one."""
    s = simplify(text)
    if s in _UNSURE:
        return "unsure"
    if s in _YES:
        return "yes"
    if s in _NO:
        return "no"
    return None


def parse_small_talk(text: str) -> SmallTalk | None:
    s = simplify(text)
    for kind, phrases in _SMALL_TALK.items():
        if s in phrases:
            return kind
    return None


CheckCommand = Literal["back", "cancel", "restart"]
_CHECK_WORDS: Mapping[str, CheckCommand] = MappingProxyType(
    {
        "back": "back",
        "go back": "back",
        "previous": "back",
        "undo": "back",
        "cancel": "cancel",
        "stop": "cancel",
        "quit": "cancel",
        "exit": "cancel",
        "stop the check": "cancel",
        "cancel the check": "cancel",
        "restart": "restart",
        "start again": "restart",
        "start over": "restart",
        "begin again": "restart",
    }
)


def parse_check_command(text: str) -> CheckCommand | None:
    return _CHECK_WORDS.get(simplify(text))
