"""Code-switching glosses (`bot/safety/glosses.tsv`, round 14, issue 10): a person who texts in
English but says the key word in the language they grew up with is read as the English the
detectors learned, that language's harmless idioms stay harmless, and no English word is ever
rewritten. Every message here is the gloss writer's own, not from any set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from wordfreq import zipf_frequency

from bot.safety.emergency import EmergencyDetector
from bot.safety.spelling import GLOSSES_PATH, SPELLING_PATH, merged, standard, word_map
from bot.text import fold

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector().loaded()


def glossed(text: str) -> str:
    return standard(fold(text))


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("honestly quero morrer", "honestly i want to die"),
        ("Me quiero morir, ya no aguanto", "i want to die, i cant take it anymore"),
        ("baddi moot", "i want to die"),
        ("thelo na pethano", "i want to die"),
        ("mujhe marna hai", "i want to die"),
        ("gusto ko nang mamatay", "i want to die"),
        ("Tôi muốn chết", "i want to die"),
        ("wo xiang si", "i want to die"),
        ("ou te fia oti", "i want to die"),
        ("no siento las piernas", "i cant feel my legs"),
        ("mish 2ader atnaffas", "i cant breathe"),
        ("dor no peito", "chest pain"),
    ],
)
def test_a_crisis_word_in_another_language_reads_as_the_english(typed: str, plain: str) -> None:
    assert glossed(typed) == plain


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        # the idiom is longer than the crisis phrase inside it, so it is read first
        ("me muero de hambre", "im starving"),
        ("me quiero morir de verguenza", "im so embarrassed"),
        ("mệt muốn chết", "so tired"),
        ("morrendo de rir", "laughing so hard"),
        ("mera sar kha gaya", "annoyed me"),
        ("nakakamatay sa sarap", "so delicious"),
        ("pethaino tis peinas", "im starving"),
        ("bukhar nahi", "no fever"),
    ],
)
def test_harmless_idioms_read_as_harmless_english(typed: str, plain: str) -> None:
    assert glossed(typed) == plain


# Written for these tests: English carries the message, the alarming words are in the other
# language, so without the glosses several of these read as small talk.
CRISES = [
    ("self_harm", "honestly i can't keep going, quero morrer, nobody would even notice"),
    ("self_harm", "back is wrecked from the flu and tbh baddi moot, i'm done with everything"),
    ("self_harm", "wo xiang si. sorry for dumping this on a back pain bot"),
    ("self_harm", "thelo na pethano, den antexo allo"),
    ("self_harm", "mainu marna chaunda, seriously, tonight"),
    ("self_harm", "ou te fia oti, so tired of all of it"),
    ("self_harm", "me quiero matar, ya no aguanto mas"),
    ("self_harm", "mujhe marna hai yaar, sach mein"),
    ("self_harm", "gusto ko nang mamatay, pabigat lang ako sa pamilya ko"),
    ("self_harm", "toi muon chet, khong muon song nua"),
    ("leg_numbness_both", "nao sinto as pernas since this morning and the flu has been bad"),
    ("breathing", "mish 2ader atnaffas properly for an hour now, covid day 4"),
    ("bladder_bowel", "no puedo orinar since yesterday and my back is wrecked from the flu"),
    ("infant_fever", "mi bebe de 2 meses tiene fiebre de 38.5"),
]


@pytest.mark.parametrize(("code", "message"), CRISES)
def test_a_code_switched_crisis_alarms(
    detector: EmergencyDetector, code: str, message: str
) -> None:
    assert detector.detect(message), f"{code} not caught: {glossed(message)!r}"


CALM = [
    "me muero de hambre, what should I eat with the flu?",
    "morrendo de rir at your article lol, my back still aches though",
    "bhook se mar raha hoon but my back is too sore to cook",
    "mera sar kha gaya my brother, anyway is heat or ice better for back pain?",
    "met muon chet after three days of flu, back aches, normal?",
    "nakakamatay sa sarap yung sinigang ni mama, helped my flu",
    "pethaino tis peinas, can I eat with a fever?",
    "dahri by2tolni with this flu, is that the cytokines?",
    "bukhar nahi hai, bas kamar dard, should I rest?",
    "walang lagnat, just a sore back, okay lang ba mag gym?",
    "sem febre, só dor nas costas, is walking ok?",
    "la espalda me está matando with this flu jaja",
]


@pytest.mark.parametrize("message", CALM)
def test_a_code_switched_idiom_stays_calm(detector: EmergencyDetector, message: str) -> None:
    assert detector.detect(message) == frozenset(), glossed(message)


@pytest.mark.parametrize(
    "message",
    [
        # English words that are also spellings of words in the glossed languages
        "me too, let em be, hai from sydney",
        "my mate said no way, dont mar the paint",
        "he had one convulsion as a kid, sir",
        "te amo is on her mug, chan and dil are in the cafe",
    ],
)
def test_english_is_never_rewritten(message: str) -> None:
    assert standard(fold(message)) == standard(fold(message), (SPELLING_PATH,))


REVIEWED = frozenset(
    # Single-word variants that wordfreq's English list sees now and then (zipf >= 1.5), read
    # one by one: each is a name, a loan seen in mixed text, or a word of the glossed language
    # only, not an English word.
    [
        "costas",
        "xiu",
        "sangre",
        "kamar",
        "munna",
        "dard",
        "perna",
        "pepi",
        "sunn",
        "muerta",
        "muerto",
        "nikka",
        "ulti",
        "remedios",
        "bebek",
        "mamu",
        "bunda",
        "binti",
        "latt",
        "morto",
        "morir",
        "amout",
        "duele",
        "seena",
        "dolore",
        "khong",
        "walang",
        "tiga",
        "vae",
        "tomei",
        "semana",
        "meses",
        "mesi",
    ]
)


def test_no_single_word_gloss_is_an_english_word() -> None:
    for variant in word_map(GLOSSES_PATH):
        if " " in variant:
            continue
        frequency = zipf_frequency(variant, "en")
        assert frequency < 3.0, variant
        assert frequency < 1.5 or variant in REVIEWED, (variant, frequency)


def test_every_gloss_phrase_holds_a_word_that_is_not_common_english() -> None:
    for variant in word_map(GLOSSES_PATH):
        words = variant.split()
        if len(words) > 1:
            assert min(zipf_frequency(w, "en") for w in words) < 4.0, variant


def _calm_and_questions() -> list[str]:
    out: list[str] = []
    for path in [*sorted(DATA.glob("*.tsv")), DATA / "calm_messages.txt"]:
        if path.name.startswith(("cs_", "set29_")):
            continue  # the code-switching sets themselves (set 29's writer code-switches too)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) == 2 and not row[0]:
                    out.append(row[1])
                elif "question" in path.name and row and row[0] != "question":
                    out.append(row[0])
    return out


def test_the_glosses_change_no_english_calm_message_or_question() -> None:
    messages = _calm_and_questions()
    assert len(messages) > 3000
    changed = [m for m in messages if standard(fold(m)) != standard(fold(m), (SPELLING_PATH,))]
    # the one calm message in tests/data that itself code-switches (a round 7 question)
    assert [m[:22] for m in changed] == ["Tengo dolor de espalda"]


def test_a_variant_in_both_map_files_is_refused(tmp_path: Path) -> None:
    one, two = tmp_path / "one.tsv", tmp_path / "two.tsv"
    one.write_text("quero morrer\ti want to die\n", encoding="utf-8")
    two.write_text("quero morrer\ti wish\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"one\.tsv and two\.tsv"):
        merged((one, two))


def test_the_longest_listed_phrase_wins_and_others_are_read_word_by_word(tmp_path: Path) -> None:
    words = tmp_path / "words.tsv"
    words.write_text("aa bb\tx\naa bb cc\ty\naa\tz\n", encoding="utf-8")
    paths = (words,)
    assert standard("aa bb cc dd", paths) == "y dd"
    assert standard("aa bb, cc", paths) == "x, cc"
    assert standard("aa  bb", paths) == "z  bb"  # a phrase is single-spaced, as listed


def _labelled(name: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for suffix in ("emergency", "calm"):
        for line in (DATA / f"{name}_{suffix}.tsv").read_text(encoding="utf-8").splitlines():
            code, _, message = line.partition("\t")
            rows.append((code, message))
    return rows


# The two code-switching sets written for round 14 (tests/data/README.md): emergencies caught,
# suicide, self-harm and overdose caught, calm alarms, by the whole detector.
CODE_SWITCHING_FLOORS = {
    # Dev data, read while writing the glosses: in-sample. 61/72, 24/27, 0/72 before round 14.
    "cs_dev": (72, 27, 0),
    # First look, never read (summary tables only): 64/72, 25/27, 3/72 before round 14.
    # Round 14 merged and retrained (every change of the round): 69/72, 27/27, 3/72. Dev data
    # from round 15 on (the trainers read it too). Round 15 (in-sample): two stories whose
    # scary part is over no longer alarm (a resolution marker scopes back), 3 -> 1.
    "cs_check": (72, 27, 1),
}


@pytest.mark.parametrize("name", sorted(CODE_SWITCHING_FLOORS))
def test_the_code_switching_sets_keep_their_figures(
    detector: EmergencyDetector, name: str
) -> None:
    caught_floor, crisis_floor, alarm_ceiling = CODE_SWITCHING_FLOORS[name]
    rows = _labelled(name)
    emergencies = [m for c, m in rows if c]
    crises = [m for c, m in rows if c in ("self_harm", "overdose_or_injury")]
    calm = [m for c, m in rows if not c]
    assert (len(emergencies), len(crises), len(calm)) == (72, 27, 72)
    # counts only: a failing test must not print the first-look set's messages
    caught = sum(bool(detector.detect(m)) for m in emergencies)
    crisis_caught = sum(bool(detector.detect(m)) for m in crises)
    alarms = sum(bool(detector.detect(m)) for m in calm)
    assert caught >= caught_floor, f"{name}: {caught}/72 caught"
    assert crisis_caught >= crisis_floor, f"{name}: {crisis_caught}/27 crises caught"
    assert alarms <= alarm_ceiling, f"{name}: {alarms}/72 calm alarms"
