"""Crises and calm messages told about someone else, made from the first-person training rows.

`python -m bot.safety.reported` writes `training/reported_r15f.tsv` (`--check` only says whether it
is up to date). Not read by the trainers (yet, `train_learned.NOT_READ`): leaving one writer out
(45 folds) it won no self-harm message and raised 6 more calm alarms (bench/RESULTS.md, round 15).

Why: the training rows are mostly first person ("i want to die"), and round 14's largest cause
of a held-out writer's crisis the learned side missed was one told about a child, friend,
relative or colleague ("my brother said he's going to sort it permanently"; bench/RESULTS.md,
round 14, r14b). The reply is the same (crisis line, emergency number), so such a message must
not read as calm. Each generated row is a first-person training row (`bot/safety/training/`
self_harm* and calm* files the trainer reads, never tests/data, so no held-out writer leaks into
a fold) put in the third person ("i" -> she / he / they with the verb agreeing, "my" -> her /
his / their, "me" -> her / him / them) inside a reporting frame of the kind the "worried about
someone" pages of Lifeline, Samaritans and 988 describe (someone tells you, texts you, keeps
saying, writes or posts it), or quoted as sent. Calm rows get the same frames, so that "someone
else" is not a crisis word in itself. Deterministic: seeded by `SEED`; the same training files
give the same file (tests/test_reported.py).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from bot.safety.learned import CALM, CRISIS_CODES

TRAINING = Path(__file__).with_name("training")
OUT = TRAINING / "reported_r15f.tsv"
SEED = "reported r15f"
CRISES = 240
"""Generated crisis rows: about one in nine of the written training crises."""
CALMS = 240
"""Generated calm rows, as many as the crises so the frame carries no label."""
MAX_WORDS = 40

# Who is being told about: (noun phrase, pronoun set), "any" picking she, he or they.
RELATIONS: tuple[tuple[str, str], ...] = (
    ("my son", "he"),
    ("my daughter", "she"),
    ("my teenage son", "he"),
    ("my 16 year old daughter", "she"),
    ("my brother", "he"),
    ("my sister", "she"),
    ("my little brother", "he"),
    ("my mum", "she"),
    ("my dad", "he"),
    ("my husband", "he"),
    ("my wife", "she"),
    ("my partner", "any"),
    ("my boyfriend", "he"),
    ("my girlfriend", "she"),
    ("my best friend", "any"),
    ("a friend of mine", "any"),
    ("a friend", "any"),
    ("my mate", "he"),
    ("my flatmate", "any"),
    ("my housemate", "any"),
    ("my roommate", "any"),
    ("one of my students", "any"),
    ("my student", "any"),
    ("a colleague", "any"),
    ("my coworker", "any"),
    ("a guy at work", "he"),
    ("my nan", "she"),
    ("my grandad", "he"),
    ("my uncle", "he"),
    ("my aunt", "she"),
    ("my cousin", "any"),
    ("my neighbour", "any"),
    ("our guest", "any"),
    ("my client", "any"),
    ("my stepdad", "he"),
    ("my niece", "she"),
    ("my nephew", "he"),
)

# Reporting frames (reported speech: the row in the third person), after the ways the
# "worried about someone" guidance says a person lets it show: tells you, texts or messages,
# keeps saying, writes or posts it, says it on the phone.
REPORTED: tuple[str, ...] = (
    "{rel} told me {row}",
    "{rel} texted me saying {row}",
    "{rel} keeps saying {row}",
    "{rel} said on the phone tonight that {row}",
    "{rel} messaged me that {row}",
    "{rel} wrote that {row}",
    "{rel} posted that {row}",
    "im worried about {rel}, {subj} said {row}",
    "worried about {rel}. {Subj} told me {row}",
    "{rel} admitted to me that {row}",
    "{rel} has been saying {row}",
    "{rel} mentioned {row}",
    "{rel} said {row}",
    "{rel} rang me and said {row}",
    "{rel} wrote in a message to the group chat that {row}",
    "{rel} told one of our friends {row}",
    "{rel} told me: {row}",
    "{rel} keeps texting me stuff like: {row}",
)
COLON: tuple[str, ...] = tuple(f for f in REPORTED if f.endswith(": {row}"))
# Quoted as sent: the row unchanged, in the first person of the one who sent it.
QUOTED: tuple[str, ...] = (
    "{rel} just texted me '{row}'",
    "{rel} sent me this: {row}",
    'got a message from {rel} saying "{row}"',
    "{rel} said to me today, '{row}'",
    "{rel} wrote this in {poss} notebook: {row}",
)
# What the one who is told asks, for either label (so it carries no label either).
TAILS: tuple[str, ...] = (
    "what do i do",
    "what should i say to {obj}",
    "not sure what to make of it",
    "how do i help {obj}",
    "any advice?",
    "should i be doing something",
    "is that something to worry about",
)
SHARE_QUOTED = 0.2
SHARE_LED = 0.25
"""Rows whose leading "i" becomes the relation itself ("my brother keeps wishing ...")."""
SHARE_TAIL = 0.3

PRONOUNS: dict[str, dict[str, str]] = {
    "she": {"subj": "she", "obj": "her", "poss": "her", "mine": "hers", "self": "herself"},
    "he": {"subj": "he", "obj": "him", "poss": "his", "mine": "his", "self": "himself"},
    "they": {
        "subj": "they",
        "obj": "them",
        "poss": "their",
        "mine": "theirs",
        "self": "themselves",
    },
}
FIRST = frozenset({"i", "i'm", "im", "i've", "ive", "i'll", "i'd", "me", "my", "myself", "mine"})
THIRD = frozenset(
    {"he", "she", "him", "his", "her", "hers", "they", "them", "their", "he's", "she's", "hes"}
    | {"shes", "they're", "theyre", "herself", "himself", "themselves", "you"}
)
"""A row with any of these already speaks of (or to) someone else: left as it is."""

# "i" + word -> (she/he form, they form); a word not listed takes an -s after she / he unless
# it cannot (a modal, a past tense).
AGREE: dict[str, tuple[str, str]] = {
    "am": ("is", "are"),
    "was": ("was", "were"),
    "wasnt": ("wasnt", "werent"),
    "wasn't": ("wasn't", "weren't"),
    "have": ("has", "have"),
    "havent": ("hasnt", "havent"),
    "haven't": ("hasn't", "haven't"),
    "do": ("does", "do"),
    "dont": ("doesnt", "dont"),
    "don't": ("doesn't", "don't"),
    "do'nt": ("doesn't", "don't"),
}
CONTRACTED: dict[str, tuple[str, str]] = {
    "i'm": ("{s}'s", "{s}'re"),
    "im": ("{s}s", "{s}re"),
    "i've": ("{s}'s", "{s}'ve"),
    "ive": ("{s}s", "{s}ve"),
    "i'll": ("{s}'ll", "{s}'ll"),
    "i'd": ("{s}'d", "{s}'d"),
}
# The same, when the relation itself leads ("i'm" -> "my brother is").
LED: dict[str, tuple[str, str]] = {
    "i'm": ("is", "is"),
    "im": ("is", "is"),
    "i've": ("has", "has"),
    "ive": ("has", "has"),
    "i'll": ("will", "will"),
    "i'd": ("would", "would"),
}
UNINFLECTED = frozenset(
    {
        "can",
        "cant",
        "can't",
        "cannot",
        "could",
        "couldnt",
        "couldn't",
        "will",
        "wont",
        "won't",
        "would",
        "wouldnt",
        "wouldn't",
        "should",
        "shouldnt",
        "shouldn't",
        "might",
        "must",
        "may",
        "had",
        "did",
        "didnt",
        "didn't",
        "went",
        "took",
        "got",
        "said",
        "told",
        "made",
        "gave",
        "wrote",
        "left",
        "felt",
        "thought",
        "kept",
        "bought",
        "found",
        "saw",
        "came",
        "sent",
        "put",
        "cut",
        "ate",
        "drank",
        "slept",
        "knew",
        "lost",
        "spent",
        "sold",
        "hit",
        "let",
        "set",
        "began",
        "stood",
        "swallowed",
        "used",
        "nearly",
        "almost",
        "too",
        "and",
        "or",
        "but",
        "to",
    }
)
ADVERBS = frozenset(
    {
        "just",
        "really",
        "honestly",
        "still",
        "never",
        "always",
        "even",
        "actually",
        "genuinely",
        "literally",
        "already",
        "also",
        "seriously",
        "kinda",
        "sometimes",
        "often",
        "basically",
        "truly",
        "only",
        "finally",
        "secretly",
        "barely",
        "lowkey",
        "legit",
        "defo",
        "properly",
        "constantly",
        "probably",
        "totally",
        "sort",
        "kind",
        "of",
    }
)
_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z']+")


def _s(word: str) -> str:
    """A verb's she / he form (want -> wants, wish -> wishes, cry -> cries, have -> has)."""
    if word in ("have", "be"):
        return {"have": "has", "be": "is"}[word]
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _verb(word: str, they: bool) -> str:
    """The form of the word after a third-person subject, `word` being the one after "i"."""
    low = word.lower()
    if low in AGREE:
        return AGREE[low][1 if they else 0]
    if they or low in UNINFLECTED or low.endswith("ed") or not low.isalpha():
        return word
    return _s(low)


def third_person(message: str, pronoun: str, lead: str | None = None) -> str:
    """`message` with its speaker in the third person (`pronoun`: she, he or they). With `lead`
    (a noun phrase, she or he agreement), the first "i" becomes that phrase."""
    forms = PRONOUNS[pronoun]
    they = pronoun == "they"
    tokens = _TOKEN.findall(message)
    out: list[str] = []
    agree_next = False
    for token in tokens:
        low = token.lower()
        if not low[0].isalpha():
            out.append(token)
            continue
        if agree_next and low in ADVERBS:
            out.append(token)
            continue
        if agree_next:
            out.append(_verb(token, they))
            agree_next = False
            continue
        use_lead = lead is not None and not any(o.strip() for o in out)
        if low == "i":
            out.append(lead if use_lead and lead else forms["subj"])
            agree_next = True
        elif low in CONTRACTED:
            if use_lead and lead:
                out.append(f"{lead} {LED[low][0]}")
            else:
                out.append(CONTRACTED[low][1 if they else 0].format(s=forms["subj"]))
        elif low == "me":
            out.append(forms["obj"])
        elif low == "my":
            out.append(forms["poss"])
        elif low == "mine":
            out.append(forms["mine"])
        elif low == "myself":
            out.append(forms["self"])
        else:
            out.append(token)
    return "".join(out)


def first_person(message: str) -> bool:
    """Whether the row speaks of its writer alone: a first-person word and no other person."""
    words = {w.lower() for w in re.findall(r"[A-Za-z']+", message)}
    return bool(words & FIRST) and not words & THIRD and len(message.split()) <= MAX_WORDS


def training_rows() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(crisis rows, calm rows) of the first person in the training files the detector reads."""
    from bot.safety.train_learned import NOT_READ, _rows

    crises: list[tuple[str, str]] = []
    calm: list[tuple[str, str]] = []
    for path in sorted(TRAINING.glob("*.tsv")):
        if path.name in NOT_READ or path == OUT:
            continue
        for code, message in _rows(path):
            if not first_person(message):
                continue
            if path.name.startswith("self_harm") and code in CRISIS_CODES:
                crises.append((code, message))
            elif path.name.startswith("calm") and code == CALM:
                calm.append((code, message))
    return sorted(set(crises)), sorted(set(calm))


def report(code: str, message: str, pick: random.Random) -> str:
    """One row told by someone else, in a frame drawn by `pick`."""
    rel, gender = pick.choice(RELATIONS)
    pronoun = pick.choice(("she", "he", "they")) if gender == "any" else gender
    forms = PRONOUNS[pronoun]
    row = message.strip().rstrip(".")
    spoken = re.match(r"(?i)(i|i'm|im|i've|ive|i'll|i'd|my|me)\b", row) is not None
    roll = pick.random()
    if roll < SHARE_QUOTED:
        text = pick.choice(QUOTED).format(rel=rel, row=row, poss=forms["poss"])
    elif roll < SHARE_QUOTED + SHARE_LED and re.match(r"(?i)i\b|i'm\b|im\b|i've\b", row):
        led = pronoun if pronoun != "they" else pick.choice(("she", "he"))
        told = third_person(row, led, lead=rel)
        text = told[:1].lower() + told[1:]
    else:
        # A row with no subject of its own ("took the lot") reads only after a colon.
        frame = pick.choice(REPORTED if spoken else COLON)
        told = third_person(row, pronoun)
        if not told.startswith(("I ", "I'")):
            told = told[:1].lower() + told[1:]
        text = frame.format(
            rel=rel,
            row=told,
            subj=forms["subj"],
            Subj=forms["subj"].capitalize(),
        )
    if pick.random() < SHARE_TAIL:
        text += ". " + pick.choice(TAILS).format(obj=forms["obj"])
    return text[0].upper() + text[1:] if message[:1].isupper() else text


def generated() -> list[tuple[str, str]]:
    """The generated rows: `CRISES` crises and `CALMS` calm rows, drawn and framed by `SEED`."""
    crises, calm = training_rows()
    pick = random.Random(SEED)
    chosen = pick.sample(crises, min(CRISES, len(crises))) + pick.sample(
        calm, min(CALMS, len(calm))
    )
    return [(code, report(code, message, pick)) for code, message in chosen]


def render(rows: list[tuple[str, str]]) -> str:
    header = (
        "# Generated by `python -m bot.safety.reported` (round 15, branch r15f): first-person\n"
        "# training rows (bot/safety/training self_harm* and calm*, never tests/data) told about\n"
        "# someone else in the frames of the Lifeline / Samaritans / 988 'worried about someone'\n"
        "# pages. Do not edit by hand: rerun the script. code<TAB>message; # lines are comments.\n"
    )
    return header + "".join(f"{code}\t{message}\n" for code, message in rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.reported")
    parser.add_argument("--check", action="store_true", help="only say whether OUT is current")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = render(generated())
    if args.check:
        current = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if current else 'stale'}")
        return 0 if current else 1
    args.out.write_text(text, encoding="utf-8")
    crises, calm = training_rows()
    print(f"{args.out}: from {len(crises)} crisis and {len(calm)} calm first-person rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
