"""Notice distress in a message the bot cannot answer, so it never gets only "I don't know".

Not an alarm: the emergency detector has already looked. This picks the careful fallback:
despair ("I can't cope", "what's the point") gets the crisis line as well as the check; severe
pain or a body symptom gets the offer of the red-flag check and the nurse line.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.safety.rulebook import normalise
from bot.safety.severity import mentions_severe_pain


class Distress(StrEnum):
    DESPAIR = "despair"
    PAIN = "pain"
    SYMPTOM = "symptom"


_DESPAIR = re.compile(
    r"(?<= )(?:hopeless|helpless|worthless|desperate|despair|depressed|depression|miserable|"
    r"cant cope|cannot cope|not coping|cant take (?:it|this|much more)|cant do this|"
    r"give up|giving up|given up|end of my tether|at my limit|breaking point|"
    r"so alone|all alone|lonely|nobody cares|no one cares|crying all|cry all|"
    r"whats the point|no point|pointless|numb inside|empty inside|falling apart|"
    r"nothing helps|nothing works|cant go on|over it all|had enough of (?:everything|life)|"
    r"trapped|a burden|no future|no hope|nothing to live for|nothing left|tired of existing|"
    r"sick of existing|cant face (?:it|anything|another day|tomorrow)|"
    r"(?:want|need) (?:it|everything) (?:all )?to stop|hate my life|hate myself)(?= )"
)
_SYMPTOM = re.compile(
    r"(?<= )(?:pain|painful|ache|aches|aching|achy|hurts?|hurting|sore|agony|fever|"
    r"temperature|temp|numb|numbness|tingl[a-z]*|pins and needles|weak|weakness|dizzy|"
    r"faint|fainted|vomit[a-z]*|throwing up|headache|migraine|rash|cough[a-z]*|breath[a-z]*|"
    r"chest|bleeding|blood|swollen|swelling|shiver[a-z]*|chills|sweats|nausea|nauseous|"
    r"spasms?|cramps?|stiff|burning|pee|peeing|wee|poo|bladder|bowel|legs?|neck|spine|back)(?= )"
)


def distress(text: str) -> Distress | None:
    """Despair first (it needs the crisis line), then severe pain, then any body symptom."""
    norm = normalise(text)
    if _DESPAIR.search(norm):
        return Distress.DESPAIR
    if mentions_severe_pain(text):
        return Distress.PAIN
    if _SYMPTOM.search(norm):
        return Distress.SYMPTOM
    return None
