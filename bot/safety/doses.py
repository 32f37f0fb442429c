"""A dose reader: how much of which medicine a message says was taken, against the label.

People who overdose by accident rarely say so; they count ("8 g of paracetamol since
breakfast", "2 panadol every 2 hours plus the cold and flu tabs", "had 10 lemsips today",
"my 3 year old got into the ibuprofen, maybe 6 gone"). One pattern per phrasing never ends, so
this reads the parts instead: medicine names (`rules/doses/doses.yaml`, with what a unit holds
and the label's most in 24 hours), numbers in digits or words, units and strengths ("g",
"500mg", "2x500mg", "tabs", "sachets"), rates ("every 2 hours", "round the clock") and spans
of days, then alarms when a medicine's day total is over its label, when the paracetamol of
every product together is over 4 g, when a young child got into an adult medicine, when two
products that both hold paracetamol are stacked all day, or when the message says the limit
was passed. A limit read from a box ("8 a day max", "the box has 20") is not an amount taken.

`spans(norm)` runs on the rule files' normalised text and returns (start, end) evidence spans;
the rule file (`overdose.yaml`, `reader: doses`) then judges each by the context cues
(questions, suppositions, the long-ago past), as any pattern hit. A message with no medicine
word never reaches it: the rule's screen is the names' regex.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).with_name("rules") / "doses" / "doses.yaml"

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "couple": 2,
    "several": 4, "double": 2, "twice": 2,
}  # fmt: skip
_COUNT_UNITS = frozenset(
    [
        "tablets",
        "tablet",
        "tabs",
        "tab",
        "caplets",
        "caplet",
        "capsules",
        "capsule",
        "caps",
        "cap",
        "pills",
        "pill",
        "sachets",
        "sachet",
        "gelcaps",
        "doses",
        "lots",
    ]
)
_MASS = {"g": 1000.0, "gm": 1000.0, "gms": 1000.0, "gram": 1000.0, "grams": 1000.0,
         "mg": 1.0, "milligrams": 1.0}  # fmt: skip
_STRENGTH = re.compile(r"([0-9]+)x([0-9]+)(mg|g)$")  # "2x500mg" as one word
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?$")
_GLUED = re.compile(r"([0-9]+(?:\.[0-9]+)?)(g|mg|gms?|grams)$")  # "8g", "500mg"
# A number that states a limit or a pack size, not an amount taken.
_LIMIT_NEAR = frozenset(
    [
        "max",
        "maximum",
        "limit",
        "most",
        "allowed",
        "recommended",
        "label",
        "says",
        "box",
        "pack",
        "packet",
        "contains",
        "upto",
        "under",
    ]
)
_LIMIT_AFTER = re.compile(
    r"^(?:a day |per day |in 24 hours |a day is )?(?:max|maximum|limit|is the max|tops)\b"
)
# A whole or half container as an amount ("a whole box of paracetamol", "half a packet of
# her sleeping tablets"): a pack holds 16 tablets (the UK's largest over-the-counter pack).
_CONTAINER = re.compile(
    r"(?:(?:a|the|my|her|his|their) )?(?:(?:whole|full|entire) |half (?:(?:a|the|my|her|his)"
    r" )?(?:of (?:the|my|her|his) )?)(?:box|packet|pack|bottle|strip|blister pack|blister) of\b"
)
_CONTAINER_UNITS = 16.0
_TOOK = frozenset(
    [
        "took",
        "taken",
        "take",
        "swallowed",
        "had",
        "have",
        "downed",
        "ate",
        "eaten",
        "through",
        "finished",
        "necked",
        "popped",
    ]
)
_KEPT = re.compile(r"\b(?:stockpil\w*|saving|saved|hoarding|hoarded|collecting|squirrel\w*)\b")
_EVERY = re.compile(
    r"every (half an hour|hour|[0-9]+|one|two|three|four|five|six) ?(?:hours?|hrs?|h)?\b"
)
_ROUND_THE_CLOCK = re.compile(r"round the clock|around the clock|day and night|through the night")
_DAYS = re.compile(
    r"\b(?:over|for|in|across) (?:the )?(?:last |past )?(?:([0-9]+|two|three|four|five|six"
    r"|seven) days|(a|the) week|a fortnight)\b"
)
_CHILD = re.compile(
    r"\b(?:toddler|baby|bub|infant|little one|(?:[1-6]|one|two|three|four|five|six) ?"
    r"(?:year|yr|y) ?(?:old|o)\b|[1-6] ?yo\b|[1-6]y\b|[1-6] ?(?:month|mth)s? ?old"
    r"|(?:son|daughter|boy|girl|brother|sister|grandson|granddaughter|nephew|niece|grandkid|kid)"
    r" , [1-6] ,)"
)
_GOT_INTO = re.compile(r"\b(?:got into|getting into|gotten into|get into|been into|into my)\b")
_SWALLOWED = re.compile(r"\b(?:ate|eaten|swallowed|chewed|drank|drunk|sucked)\b")
_UNKNOWN = re.compile(
    r"\b(?:(?:dont|do not|didnt|not sure|no idea|cant tell|dunno)(?: [a-z]+){0,2} how many"
    r"|(?:[0-9]+|a few|some|several) (?:missing|gone)|(?:half |nearly |almost )?empty|open)\b"
)
_CHILD_FORMS = re.compile(r"\b(?:calpol|pamol|kids|childrens|infant|junior|baby)\b")
_EXCEEDED = re.compile(
    r"\b(?:had|taken|took|gone|been taking|been having|taking) (?:[a-z]+ ){0,3}(?:over|more than"
    r"|above|past|double|twice|triple|three times) (?:[a-z]+ ){0,2}(?:daily |recommended |safe )?"
    r"(?:max|maximum|limit|dose)\b"
)
_DOUBLED = re.compile(
    r"\b(?:double dosed|double dosing|doubled (?:up )?(?:on )?(?:my|the|his|her)"
    r"|(?:a|my) double dose of|took (?:it|them|my [a-z]+) twice)\b"
)
_BOTH_HOLD = re.compile(
    r"\b(?:both|all|they|theyve|those|these|them|ones|which|it) (?:both |all |also |too )?"
    r"(?:have|has|had|contain|contains|got|have got|also have|also contain) (?:[a-z]+ )?"
    r"(?:paracetamol|acetaminophen|tylenol)\b"
)
_ONGOING = re.compile(
    r"\b(?:every [0-9a-z]+ (?:hours?|hrs?)|all day|round the clock|since|for [0-9a-z]+ days"
    r"|lost track|without counting|on top|doubl(?:ed|ing) up|all week|been taking|been having)\b"
)


@dataclass(frozen=True)
class Drug:
    name: str
    paracetamol_mg: float
    most_a_day: float
    doubling_alarms: bool
    generic: bool  # "pills", "tablets": counts of any medicine, owned by a named one if any


@dataclass(frozen=True)
class Table:
    drugs: dict[str, Drug]  # a name as text shows it -> its group
    names: re.Pattern[str]
    paracetamol_mg_a_day: float
    generic_most: float
    examples: tuple[tuple[str, bool], ...]


@functools.cache
def table(path: Path = DATA_FILE) -> Table:
    """The data file, read once."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    drugs: dict[str, Drug] = {}
    for group, node in raw["drugs"].items():
        drug = Drug(
            group,
            float(node.get("paracetamol_mg", 0)),
            float(node["most_a_day"]),
            bool(node.get("doubling_alarms", False)),
            bool(node.get("generic", False)),
        )
        for name in node["names"]:
            drugs[str(name)] = drug
    alternation = "|".join(re.escape(n) for n in sorted(drugs, key=len, reverse=True))
    examples = tuple((str(t), True) for t in raw.get("must_match", [])) + tuple(
        (str(t), False) for t in raw.get("must_not_match", [])
    )
    return Table(
        drugs,
        re.compile(rf" (?:{alternation})(?= )"),
        float(raw["paracetamol_mg_a_day"]),
        float(raw["generic_most"]),
        examples,
    )


def names_pattern() -> str:
    """The rule files' pattern for any medicine name: the rule's screen."""
    return (
        "(?:" + "|".join(re.escape(n) for n in sorted(table().drugs, key=len, reverse=True)) + ")"
    )


@dataclass
class _Amount:
    start: int
    end: int
    units: float = 0.0
    mg: float = 0.0  # a stated mass or strength x count
    drug: Drug | None = None
    daily: bool = False  # a rate already made a day's count ("2 every 2 hours")


def _number(word: str) -> float | None:
    if _NUMBER.match(word):
        return float(word)
    return float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else None


def spans(norm: str) -> list[tuple[int, int]]:
    """Evidence spans of an overdose taken, read from amounts (see the module docstring)."""
    tab = table()
    mentions = [(m.start() + 1, m.end(), tab.drugs[m[0][1:]]) for m in tab.names.finditer(norm)]
    if not mentions:
        return []
    out: list[tuple[int, int]] = []
    child = _child(norm, mentions)
    if child is not None:
        out.append(child)
    words = [(m.start(), m.end(), m[0]) for m in re.finditer(r"[^ ]+", norm)]
    amounts = _amounts(norm, words, mentions)
    days = _days(norm)
    totals: dict[str, float] = {}
    paracetamol = 0.0
    first, last = len(norm), 0
    unnamed = 0.0  # "took 14 tablets" beside medicine names that do not own the count
    for a in amounts:
        first, last = min(first, a.start), max(last, a.end)
        spread = 1.0 if a.daily else days
        if a.drug is None:
            unnamed += a.units / spread
            continue
        units = a.units / spread
        mg = a.mg / spread
        totals[a.drug.name] = totals.get(a.drug.name, 0.0) + units
        paracetamol += mg if mg else units * a.drug.paracetamol_mg
    drugs = {d.name: d for _, _, d in mentions}
    over = any(totals[n] > drugs[n].most_a_day for n in totals if n in drugs)
    if over or paracetamol > tab.paracetamol_mg_a_day or unnamed > tab.generic_most:
        out.append((first, last))
    said = _EXCEEDED.search(norm)
    if said:
        out.append((said.start(), said.end()))
    doubled = _DOUBLED.search(norm)
    if doubled and any(d.doubling_alarms for d in drugs.values()):
        out.append((doubled.start(), doubled.end()))
    holders = {d.name for d in drugs.values() if d.paracetamol_mg}
    if len(holders) > 1:
        both = _BOTH_HOLD.search(norm)
        ongoing = _ONGOING.search(norm)
        if both is not None and ongoing is not None:
            out.append((both.start(), both.end()))
    return sorted(set(out))


def _child(norm: str, mentions: list[tuple[int, int, Drug]]) -> tuple[int, int] | None:
    """A young child who got into a medicine, how much unknown or any at all."""
    kid = _CHILD.search(norm)
    if kid is None:
        return None
    got = _GOT_INTO.search(norm, kid.end())
    unknown = _UNKNOWN.search(norm, kid.end())
    for start, end, _ in mentions:
        if got is not None and 0 <= start - got.end() <= 30:
            return got.start(), end
        own = _CHILD_FORMS.search(norm, max(0, start - 12), end + 1)
        ate = _SWALLOWED.search(norm, max(kid.end(), start - 25), start)
        if ate is not None and own is None:
            return ate.start(), end
        if unknown is not None and (got is not None or ate is not None or own is None):
            return min(start, unknown.start()), max(end, unknown.end())
    return None


def _days(norm: str) -> float:
    m = _DAYS.search(norm)
    if m is None:
        return 1.0
    if m[1]:
        n = _number(m[1])
        return n if n else 1.0
    return 14.0 if "fortnight" in m[0] else 7.0


def _amounts(
    norm: str, words: list[tuple[int, int, str]], mentions: list[tuple[int, int, Drug]]
) -> list[_Amount]:
    """Amounts taken: a number with a unit, a strength or a medicine name beside it."""
    out: list[_Amount] = []
    groups = {d.name: d for _, _, d in mentions}
    sole = next(iter(groups.values())) if len(groups) == 1 else None
    named = [d for d in groups.values() if not d.generic]
    sole = named[0] if len(named) == 1 else sole
    i = 0
    while i < len(words):
        start, _, word = words[i]
        strength = _STRENGTH.match(word)
        glued = _GLUED.match(word)
        value = _number(word)
        container = _CONTAINER.match(norm, start)
        took = {w for _, _, w in words[max(0, i - 3) : i]} & _TOOK
        if container is not None and took:
            units = _CONTAINER_UNITS * (0.5 if "half" in container[0] else 1.0)
            end = container.end()
            after = next((k for k, w in enumerate(words) if w[0] >= end), len(words))
            kind = _what_follows(norm, words, after, mentions)
            if kind is not None:
                drug = kind if isinstance(kind, Drug) else sole
                out.append(_Amount(start, end, units, 0.0, drug))
            i = after
            continue
        if word in ("a", "an") and i + 1 < len(words) and words[i + 1][2] in ("dozen", "couple"):
            i += 1
            value = _number(words[i][2])
        if strength is None and glued is None and value is None:
            i += 1
            continue
        if i + 2 < len(words) and words[i + 1][2] == "or" and _number(words[i + 2][2]):
            i += 2  # "14 or 15": the larger
            value = _number(words[i][2])
        amount = _Amount(start, words[i][1])
        follow = [w for _, _, w in words[i + 1 : i + 5]]
        if strength is not None:
            count, size = float(strength[1]), float(strength[2])
            amount.units, amount.mg = count, count * size * (1000 if strength[3] == "g" else 1)
        elif glued is not None:
            amount.mg = float(glued[1]) * _MASS[glued[2]]
        elif follow and follow[0] in _MASS:
            amount.mg = (value or 0) * _MASS[follow[0]]
            amount.end = words[i + 1][1]
        elif follow and follow[0] == "x" and len(follow) > 2 and _number(follow[1]):
            size = float(follow[1]) * _MASS.get(follow[2], 0)
            amount.units, amount.mg = value or 0, (value or 0) * size
        else:
            amount.units = value or 0
        if amount.mg and amount.mg < 2000 and not amount.units:
            i += 1  # a tablet's strength ("500mg tablets"), not an amount
            continue
        kind = _what_follows(norm, words, i + 1, mentions)
        if kind is None and not amount.mg:
            i += 1
            continue
        if amount.units and amount.units != int(amount.units):
            i += 1  # "38.6": a temperature, not a count
            continue
        amount.drug = kind if isinstance(kind, Drug) else _owner(norm, amount, mentions, sole)
        if not _a_limit(norm, words, i, amount):
            rate = _EVERY.search(norm, amount.end, amount.end + 60)
            if rate and amount.units and not amount.mg:
                amount.units *= _per_day(norm, rate)
                amount.daily = True
            out.append(amount)
        i += 1
    return out


_FILLERS = frozenset(
    [
        "of",
        "my",
        "the",
        "her",
        "his",
        "their",
        "extra",
        "more",
        "x",
        "or",
        "so",
        "regular",
        "strength",
        "whole",
        "big",
        "little",
        "tiny",
    ]
)


def _what_follows(
    norm: str, words: list[tuple[int, int, str]], j: int, mentions: list[tuple[int, int, Drug]]
) -> Drug | str | None:
    """What a number counts: the medicine named next ("20 paracetamol", "6 of the cold and
    flu"), "units" ("16 tabs", "2 every 2 hours" after a name), or None ("20 mins")."""
    for start, _, word in words[j : j + 4]:
        drug = next((d for s, _, d in mentions if s == start), None)
        if drug is not None:
            return "units" if drug.generic else drug
        if word in _FILLERS or _STRENGTH.match(word) or _GLUED.match(word) or word in _MASS:
            continue
        if word in _COUNT_UNITS:
            return "units"
        if word == "every" and any(0 <= start - e <= 40 for _, e, _ in mentions):
            return "units"
        return None
    return None


def _owner(
    norm: str, amount: _Amount, mentions: list[tuple[int, int, Drug]], sole: Drug | None
) -> Drug | None:
    """The medicine an amount is of: named just after it, else just before, else the only one."""
    named = [m for m in mentions if not m[2].generic]
    after = [d for s, _, d in named if 0 <= s - amount.end <= 25]
    if after:
        return after[0]
    before = [d for _, e, d in named if 0 <= amount.start - e <= 40]
    if before:
        return before[-1]
    if amount.mg and any(d.paracetamol_mg for _, _, d in mentions):
        return next(d for _, _, d in mentions if d.paracetamol_mg)
    return sole


def _a_limit(norm: str, words: list[tuple[int, int, str]], i: int, amount: _Amount) -> bool:
    """Whether the number states a limit or a pack size ("8 a day max", "a box of 20")."""
    before = {w for _, _, w in words[max(0, i - 3) : i]}
    if _KEPT.search(norm[max(0, amount.start - 80) : amount.start].rsplit(" . ", 1)[-1]):
        return True  # "stockpiling my endone, 40 tabs now": kept, not taken (another flag's)
    if i and words[i - 1][2] in ("has", "holds", "contains", "of"):
        return True
    if before & _LIMIT_NEAR or ("of" in before and before & {"box", "pack", "packet"}):
        return True
    return bool(_LIMIT_AFTER.match(norm[amount.end + 1 : amount.end + 30]))


def _per_day(norm: str, rate: re.Match[str]) -> float:
    """Doses a day at a rate: waking hours (16), or 24 when taken round the clock."""
    every = rate[1]
    hours = 0.5 if every == "half an hour" else 1.0 if every == "hour" else _number(every)
    if not hours:
        return 1.0
    awake = 24.0 if _ROUND_THE_CLOCK.search(norm) else 16.0
    return max(1.0, awake / hours)
