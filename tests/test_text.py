"""Every normaliser is a view of one folding (`bot.text.fold`): the matcher, the rule files,
the detector, the learned model and the check's answers see a character the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.dialogue.phrases import parse_answer, parse_small_talk, simplify
from bot.knowledge.loader import load_knowledge
from bot.matching.fuzzy import build_matcher
from bot.safety import learned, phrases, rulebook
from bot.safety.emergency import KEYWORD_TYPOS, EmergencyDetector, TextPreparer
from bot.text import CHAT_TYPOS, Speller, fold, normalise

_PREPARER = TextPreparer()
KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


def _rulebook_words(text: str) -> str:
    return " ".join(w for w in rulebook.normalise(text).split() if w not in ".,")


def _detector_words(text: str) -> str:
    return _PREPARER.prepare(text, idioms=False).text.replace(" | ", " ")


VIEWS: dict[str, Callable[[str], str]] = {
    "matcher": normalise,
    "rule files": _rulebook_words,
    "detector": _detector_words,
    "learned model": lambda text: " ".join(learned.normalise(text)),
    "check answers": simplify,
}

# (typed, the plain ASCII a person means): each view must read both alike.
SAME = [
    ("Café résumé", "cafe resume"),  # accents
    ("I can’t sleep", "I cant sleep"),  # curly apostrophe, joined
    ("I can‘t sleep", "I can't sleep"),
    ("I can´t sleep", "I can't sleep"),  # an acute accent typed as an apostrophe
    ("I can`t sleep", "I cant sleep"),
    ("ＭＹ ＢＡＣＫ ＡＣＨＥＳ", "my back aches"),  # full-width letters
    ("STRAẞE", "strasse"),  # case folding, not just lower-casing
    ("he said “fine”then left", 'he said "fine" then left'),  # curly quotes
    ("sore😭back", "sore back"),  # a symbol glued between words separates them
    ("ﬁne", "fine"),  # a ligature
]


@pytest.mark.parametrize(("typed", "plain"), SAME)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_folds_a_character_the_same_way(view: str, typed: str, plain: str) -> None:
    see = VIEWS[view]
    assert see(typed) == see(plain)


@pytest.mark.parametrize(("typed", "plain"), SAME)
def test_the_views_agree_on_the_words(typed: str, plain: str) -> None:
    """Outside punctuation and their own extras, the views give the same words."""
    seen = {name: see(typed) for name, see in VIEWS.items()}
    assert len(set(seen.values())) == 1, seen
    assert seen["matcher"] == normalise(fold(plain))


def test_check_answers_read_contractions_typed_either_way() -> None:
    assert parse_answer("I don’t know") == parse_answer("i dont know") == "unsure"
    assert parse_answer("No, I'm not") == parse_answer("no im not") == "no"
    assert parse_answer("ｙｅｓ") == "yes"
    assert parse_small_talk("that’s all") == parse_small_talk("thats all") == "bye"


def test_a_long_dash_breaks_a_clause_like_a_comma() -> None:
    """ "sore—I can't feel my legs": the dash starts a new clause for the detector."""
    for text in ("my back is sore—I cant feel my legs", "my back is sore -- I cant feel my legs"):
        assert _PREPARER.prepare(text, idioms=False).text == (
            "my back is sore | i cant feel my legs"
        )


def test_the_detector_sees_a_flag_with_a_symbol_glued_between_words() -> None:
    detector = EmergencyDetector(learned=False)
    assert "self_harm" in detector.detect("i want to kill😭myself")
    assert detector.detect("i want to kill😭myself") == detector.detect("i want to kill myself")


def test_matcher_and_detector_spell_with_one_speller_each_with_its_own_policy() -> None:
    """One correction algorithm (`bot.text.Speller`); the policy is what differs, and it
    matters: under the matcher's looser reach the detector's keywords would turn "chemist"
    into "chest"."""
    matcher = build_matcher(load_knowledge(KNOWLEDGE))
    for_matcher, for_detector = matcher._speller, TextPreparer()._speller
    assert (type(for_matcher), type(for_detector)) == (Speller, Speller)
    assert (for_matcher.policy, for_detector.policy) == (CHAT_TYPOS, KEYWORD_TYPOS)
    assert matcher.analyse("wat r cytokins").terms == matcher.analyse("what are cytokines").terms
    fixed = [for_detector.fix(w) for w in ("numbess", "brth", "chemist", "cytokins")]
    assert fixed == ["numbness", "breath", "chemist", "cytokins"]
    book = phrases.book()
    keywords = {k: 0 for k in book.typo_keywords if len(k) >= 5}
    loose = Speller(keywords, protected=book.typo_protected, policy=CHAT_TYPOS)
    assert loose.correct("chemist") == "chest"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Why does my BACK hurt?!", "why does my back hurt"),
        ("  covid-19...flu\t\tback_pain  ", "covid 19 flu back pain"),
        ("I’m sick — again… 😭hurt", "im sick again hurt"),
        ("Ｆｕｌｌ－ｗｉｄｔｈ café, ÉTÉ", "full width cafe ete"),
        ("don't / can`t", "dont cant"),
        ("?!.,", ""),
    ],
)
def test_normalise_keeps_only_words_separated_by_single_spaces(typed: str, words: str) -> None:
    assert normalise(typed) == words


def _searched_everywhere(speller: Speller, typed: str) -> str | None:
    """The speller's choice found the slow way: every known word filed under one of the typed
    word's letters, at every length in reach, ranked by the policy."""
    policy = speller.policy
    reach = policy.reach(len(typed))
    letters = set(policy.starts(typed))
    ranked = []
    for known, frequency in speller._freq.items():
        if abs(len(known) - len(typed)) > reach.lengths or letters.isdisjoint(
            policy.starts(known)
        ):
            continue
        distance = reach.distance(typed, known)
        rank = policy.rank(typed, known, distance, frequency) if distance <= reach.limit else None
        if rank is not None:
            ranked.append((rank, known))
    return min(ranked)[1] if ranked else None


def test_the_speller_finds_what_searching_every_length_finds() -> None:
    """The speller searches the typed word's own length first and stops before lengths
    farther than a candidate already found; the winner is the one a full search picks, for
    made-up typos (dropped, added, changed and swapped letters, one or two of them) of the
    matcher's own words."""
    speller = build_matcher(load_knowledge(KNOWLEDGE))._speller
    words = sorted(w for w in speller._freq if len(w) >= 4)[::7]
    typos = set()
    for n, word in enumerate(words):
        k = n % (len(word) - 1)
        typos.update(
            {
                word[:k] + word[k + 1 :],
                word[:k] + "e" + word[k:],
                word[:k] + "o" + word[k + 1 :],
                word[:k] + word[k + 1] + word[k] + word[k + 2 :],
                word[:k] + word[k + 1 :] + "s",
            }
        )
    unknown = sorted(t for t in typos if t not in speller and len(t) >= 3)
    assert len(unknown) > 500
    assert [speller._closest(t) for t in unknown] == [
        _searched_everywhere(speller, t) for t in unknown
    ]
