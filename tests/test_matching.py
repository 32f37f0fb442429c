"""The fuzzy matcher against the real knowledge base: paraphrases, typos and off-topic questions.

The paraphrases below were written for this test and are checked not to appear in the YAML,
so they measure how the matcher copes with wording it has not seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from toy_knowledge import toy_kb

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Entry, KnowledgeBase, Source
from bot.matching.fuzzy import FuzzyMatcher, build_matcher
from bot.text import Speller, Synonyms, normalise

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"

PARAPHRASES: dict[str, tuple[str, ...]] = {
    "article-source": (
        "the article you are based on, who wrote it",
        "where was the article first published",
        "what's the original source of all this",
    ),
    "back-pain-when-sick": (
        "how come my back aches whenever i catch a cold",
        "my back has been aching since i came down with influenza, why",
        "is back ache a normal part of having a virus",
        "my spine aches every time i get sick",
        "y is my back so sore w a virus",
    ),
    "neuroimmune-synapse": (
        "what exactly is a neuroimmune synapse",
        "tell me about the neuroimmune synapse thing",
        "meaning of neuroimmune synapse",
    ),
    "why-lower-back": (
        "why is the lower back hit hardest",
        "why does the pain go to my lower back of all places",
        "what is special about the lower back during illness",
    ),
    "cytokines": (
        "what is a cytokine",
        "explain cytokines to me",
        "what role do cytokines play",
        "what chemicals does the immune system release",
    ),
    "sickness-behaviour": (
        "why do i lose my appetite and want to hide in bed when sick",
        "why am i so cranky and exhausted with a virus",
        "what does the term sickness behaviour refer to",
        "why do i just want to be left alone when im crook",
    ),
    "allodynia-hyperalgesia": (
        "allodynia vs hyperalgesia, what is the difference",
        "why does even a light touch hurt when i am ill",
        "why am i extra sensitive to pain when sick",
    ),
    "molecular-changes": (
        "what changes at a molecular level in the brain when we are sick",
        "how do tiny changes in the spinal cord affect pain",
        "nanoscale changes in the brain during sickness",
    ),
    "which-illnesses": (
        "which illnesses cause this kind of back pain",
        "can bacterial infections do this too or only viruses",
        "does covid cause this as well as the flu",
    ),
    "vaccination": (
        "my back aches the day after my booster, is that normal",
        "why do vaccines make you feel rotten",
        "is feeling sore after immunisation a good sign",
        "sore arms after my covid jab, is that normal",
    ),
    "long-covid": (
        "explain long covid please",
        "why do i still feel sick weeks after the virus is gone",
        "can the aches last longer than the infection itself",
    ),
    "women-and-pain": (
        "are women more prone to pain when sick",
        "do females have stronger immune systems than men",
        "why do women get more autoimmune disease",
    ),
    "when-to-see-doctor": (
        "when should i go see a gp about my back",
        "how do i know if my back pain needs a doctor",
        "when is back pain with a cold something to worry about",
    ),
    "how-long-it-lasts": (
        "will the back ache go away once i recover",
        "how many days does the soreness usually last",
        "does the pain clear up when the infection is gone",
    ),
    "microbiome": (
        "how does my gut microbiome help",
        "is the microbiome linked to the aches",
        "should i look after my gut bacteria when sick",
    ),
    "sleep-hydration-inflammation": (
        "does drinking plenty of water help the aches",
        "can good sleep reduce the pain",
        "how do i reduce inflammation when i am sick",
    ),
    "chicken-soup": (
        "is chicken broth actually good for the aches",
        "does grandma's soup really help when sick",
        "any science on chicken soup",
    ),
    "mind-body-practices": (
        "can meditation help with sickness pain",
        "do ice baths help when you are sick",
        "does controlled breathing reduce pain",
    ),
    "heat-treatment": (
        "should i put a heat pack on my back",
        "does a hot water bottle help back ache",
        "is warmth good for a sore back when ill",
    ),
    "pain-medication": (
        "can i take painkillers for the back ache",
        "is it ok to take panadol for this",
        "will over the counter medicine help my back",
    ),
    "mind-over-matter": (
        "is the pain just in my head",
        "is this whole thing psychological",
        "could this all be mind over matter",
    ),
    "self-care-overview": (
        "what can i do to feel better",
        "how can i ease my sore back while ill",
        "tips for easing back pain when you have the flu",
        "what can i do at home for my sore back when sick",
    ),
    "immune-double-edged": (
        "why is the immune system called a double edged sword",
        "is the immune system good or bad for pain",
        "how can my immune system both help and hurt me",
    ),
}

TYPOS: dict[str, str] = {
    "what are cytokins": "cytokines",
    "why does my back hurt wiht hte flu": "back-pain-when-sick",
    "sore after vaccinaton": "vaccination",
    "does chiken soup help": "chicken-soup",
    "wat is the neuroimune synapse": "neuroimmune-synapse",
    "shoud i see a docter": "when-to-see-doctor",
    "wat r cytokines": "cytokines",
    "is chikin soup legit for a cold": "chicken-soup",
    "can i take nurofen for my bak": "pain-medication",
    "shud i use a heat pack": "heat-treatment",
    "do woman feel more pain when sick": "women-and-pain",
}

OUT_OF_SCOPE = (
    "why does my knee hurt when i am sick",
    "my neck is sore, what should i do",
    "why do i get head pain with a hangover",
    "what is the weather going to be like tomorrow",
    "who won the football last night",
    "how do i make chicken soup",
    "how do i treat diabetes",
    "what causes asthma attacks",
    "can you recommend a good laptop",
    "what is the capital of france",
    # on topic, but asking what the article does not say
    "how many mg of ibuprofen can i take",
    "what dose of panadol should i take",
    "how long should i sit in a cold shower",
    "how do i know if its covid or just a cold",
    "what percentage of people get back pain with flu",
    "what exercises help a sore back",
    "is it safe to give my kids panadol",
    "what's in the flu vaccine",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    if not KNOWLEDGE.is_dir():
        pytest.skip("knowledge/ is not present")
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> FuzzyMatcher:
    return build_matcher(kb)


def test_paraphrases_are_not_copied_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    written = {normalise(q) for entry in kb.entries.values() for q in entry.questions}
    copied = [q for qs in PARAPHRASES.values() for q in qs if normalise(q) in written]
    assert copied == []


def test_every_required_topic_has_test_paraphrases(kb: KnowledgeBase) -> None:
    assert set(PARAPHRASES) <= set(kb.entries)


@pytest.mark.parametrize(
    ("expected", "question"),
    [(entry_id, q) for entry_id, qs in PARAPHRASES.items() for q in qs],
)
def test_unseen_paraphrase_gets_its_entry(
    matcher: FuzzyMatcher, expected: str, question: str
) -> None:
    result = matcher.match(question)
    assert result.match is not None, f"declined; suggestions {result.suggestions}"
    assert result.match.id == expected


@pytest.mark.parametrize(("question", "expected"), TYPOS.items())
def test_typos_still_match(matcher: FuzzyMatcher, question: str, expected: str) -> None:
    result = matcher.match(question)
    assert result.match is not None and result.match.id == expected


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_get_no_fact(matcher: FuzzyMatcher, question: str) -> None:
    assert matcher.match(question).match is None


def test_exact_phrasing_scores_at_the_top_of_the_scale(kb: KnowledgeBase) -> None:
    matcher = build_matcher(kb)
    entry = kb.entries["cytokines"]
    result = matcher.match(entry.questions[0])
    assert result.match is not None and result.match.id == "cytokines"
    assert 0 <= result.match.score <= 100


def test_suggestions_are_other_entries_below_the_match(matcher: FuzzyMatcher) -> None:
    result = matcher.match("does a heat pack or meditation help my back when sick")
    assert result.match is not None
    ids = [s.id for s in result.suggestions]
    assert result.match.id not in ids
    assert len(ids) <= 3
    assert all(s.score <= result.match.score for s in result.suggestions)


def test_below_threshold_offers_closest_topics(kb: KnowledgeBase) -> None:
    strict = FuzzyMatcher(kb, threshold=101)
    result = strict.match("what do cytokines do")
    assert result.match is None
    assert result.suggestions and result.suggestions[0].id == "cytokines"


def test_empty_and_stop_word_questions_are_declined(matcher: FuzzyMatcher) -> None:
    for question in ("", "   ", "?!", "what is it", "why"):
        result = matcher.match(question)
        assert result.match is None and result.suggestions == ()


def _tiny_kb() -> KnowledgeBase:
    return toy_kb(
        {
            "tea": ("is green tea healthy", "does tea have caffeine"),
            "sleep": ("how many hours should I sleep", "why do we dream"),
        },
        synonyms={"brew": "tea", "cuppa": "tea"},
    )


def test_synonyms_map_user_words_onto_the_knowledge_words() -> None:
    result = FuzzyMatcher(_tiny_kb()).match("does a cuppa have caffeine")
    assert result.match is not None and result.match.id == "tea"


def test_matching_works_on_any_knowledge_base() -> None:
    matcher = FuzzyMatcher(_tiny_kb())
    result = matcher.match("how many hours of sleeep do I need")
    assert result.match is not None and result.match.id == "sleep"
    assert matcher.match("what is the best football team").match is None


def test_which_tied_entries_are_scored_does_not_depend_on_their_order_in_the_files() -> None:
    """More entries share the asked word than are scored: the same ones are kept however
    the files list them, so facts added elsewhere never change which of them answers."""
    source = Source("https://example.org")
    names = ["apple", "birch", "cedar", "daisy", "elm", "fern", "gorse", "hazel"]
    entries = [
        Entry(n, n, (f"why does fever come with {n}",), f"About {n}.", source) for n in names
    ]

    def ranked(order: list[Entry]) -> list[str]:
        kb = KnowledgeBase(entries={e.id: e for e in order})
        return [s.id for s in FuzzyMatcher(kb).rank("why does fever happen")]

    assert len(ranked(entries)) < len(entries)  # some are left out: the cut matters
    assert ranked(entries) == ranked(entries[::-1])


def test_an_answer_does_not_depend_on_what_was_asked_before() -> None:
    """An entry's phrasings are made ready the first time it is a candidate: asking the
    same questions in the opposite order gives the same answers and scores."""
    kb = load_knowledge(KNOWLEDGE)
    asked = [
        "why does my back hurt when i have the flu",
        "what are cytokines",
        "should i rest or keep moving",
        "how long will the aches last",
        "is it bad to take painkillers",
        "can i go to the gym with a fever",
    ]

    def answers(order: list[str]) -> dict[str, tuple[str | None, float | None]]:
        matcher = FuzzyMatcher(kb)
        results = {q: matcher.match(q) for q in order}
        return {
            q: (r.match.id, r.match.score) if r.match else (None, None) for q, r in results.items()
        }

    assert answers(asked) == answers(asked[::-1])


def test_normalise_strips_accents_punctuation_and_apostrophes() -> None:
    assert normalise("  Café—COVID-19?! I’m  SICK ") == "cafe covid 19 im sick"


def test_synonyms_replace_whole_phrases_longest_first() -> None:
    synonyms = Synonyms({"jab": "vaccine", "flu jab": "vaccine", "ill": "sick"})
    assert synonyms.canonical("Got my flu jab, feeling ill") == "got my vaccine feeling sick"
    assert synonyms.canonical("a jabber and a pillow") == "a jabber and a pillow"


def test_speller_fixes_typos_but_not_other_real_words() -> None:
    speller = Speller({"cytokines": 3, "the": 5, "rest": 1, "vaccination": 2, "jab": 1})
    assert speller.correct("cytokins") == "cytokines"
    assert speller.correct("hte") == "the"
    assert speller.correct("vacinaton") == "vaccination"
    assert speller.correct("jabb") == "jab"
    assert speller.correct("test") is None
    assert speller.correct("zebra") is None


def test_speller_leaves_everyday_words_and_corrects_towards_them() -> None:
    speller = Speller({"rest": 1, "spring": 1, "after": 2}, common=["test", "awful"])
    assert speller.correct("test") == "test"
    assert speller.correct("awfull") == "awful"
    assert speller.correct("aftr") == "after"
    assert speller.correct("snoring") is None


def test_speller_prefers_words_spelt_by_ear() -> None:
    speller = Speller({"had": 9, "head": 1, "soup": 1, "sap": 5, "wrote": 1, "rate": 3})
    assert speller.correct("hed") == "head"
    assert speller.correct("soop") == "soup"
    assert speller.correct("rote") == "wrote"
    assert speller.correct("sleeeeep") is None


def test_text_speak_from_the_scope_file_is_spelt_out(kb: KnowledgeBase) -> None:
    speak = kb.scope.expand_text_speak
    assert speak("y r u sick w flu pls") == "why are you sick with flu please"
    assert speak("my back hurts") == "my back hurts"


def test_does_typed_as_dose_is_read_as_does(matcher: FuzzyMatcher) -> None:
    result = matcher.match("dose a flu jab make you sore")
    assert result.match is not None and result.match.id == "vaccination"
    assert matcher.match("what dose of nurofen is right for me").match is None


def test_a_treatment_the_article_skips_is_declined_with_what_it_covers(
    matcher: FuzzyMatcher,
) -> None:
    result = matcher.match("would a massage help my back while i have the flu")
    assert result.match is None
    assert result.suggestions
    assert all(s.score < matcher.threshold for s in result.suggestions)


def test_speller_reads_a_plural_of_a_known_word_as_that_word() -> None:
    speller = Speller({"familiar": 3}, common=["family", "kind"])
    assert speller.correct("families") == "family"
    assert speller.correct("kindly") == "kind"


def test_asking_what_the_article_says_about_a_topic_gets_that_topic(
    matcher: FuzzyMatcher,
) -> None:
    result = matcher.match("what does the piece say about feeling sick for months after covid")
    assert result.match is not None and result.match.id == "long-covid"
    alone = matcher.match("what does the article say")
    assert alone.match is not None and alone.match.id == "article-summary"


def test_long_polite_questions_are_not_declined_for_their_politeness(
    matcher: FuzzyMatcher,
) -> None:
    question = (
        "Good morning. I would be very grateful if you could tell me, in plain terms, "
        "whether these cytokines are what signal my brain when an infection sets in?"
    )
    result = matcher.match(question)
    assert result.match is not None and result.match.id == "cytokines"


@pytest.mark.parametrize(
    "question",
    [
        "even my hands hurt to touch when i've got the flu, what's going on",
        "my whole body is tender and even my feet ache when i have a fever",
    ],
)
def test_a_body_part_where_heightened_pain_is_felt_still_gets_the_answer(
    matcher: FuzzyMatcher, question: str
) -> None:
    result = matcher.match(question)
    assert result.match is not None and result.match.id == "allodynia-hyperalgesia"


@pytest.mark.parametrize(
    "question",
    [
        "will breathing exercises help me lose weight",
        "can meditation help me build muscle faster",
        "does back pain run in the family",
        "can you suggest a good app for cold showers",
        "can i get a sick note for my back pain",
        "is it ok to fly with the flu",
        "should i get the covid booster this winter",
        "my dog is off his food and sleeping all day",
    ],
)
def test_a_goal_the_article_does_not_answer_is_declined(
    matcher: FuzzyMatcher, question: str
) -> None:
    assert matcher.match(question).match is None


@pytest.mark.parametrize(
    "question",
    [
        "is the covid booster good protection from the flu",
        "are there long covid clinics that can help with the aches",
        "is there a long covid rehab program near me",
        "why does my back ache before my period",
    ],
)
def test_vaccine_facts_long_covid_care_and_period_pain_are_declined(
    matcher: FuzzyMatcher, question: str
) -> None:
    # scope.yaml's "vaccine facts", "long covid care" and "menstrual" asks: the article says
    # why a jab can make you feel sick and that long COVID exists, nothing more
    assert matcher.match(question).match is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a vaccine protecting against something is a vaccine fact; the immune system
        # protecting you is the article's double-edged sword
        ("does my immune system protect me from getting sick", "immune-double-edged"),
        # "periods of" pain are spells of it, not menstruation
        ("i get periods of back pain whenever im sick, why", "back-pain-when-sick"),
    ],
)
def test_words_near_an_unanswerable_ask_do_not_decline_an_answerable_one(
    matcher: FuzzyMatcher, question: str, expected: str
) -> None:
    result = matcher.match(question)
    assert result.match is not None and result.match.id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the whole list of what helps, asked in everyday words (synonyms.yaml `remedies`)
        ("list everything that could help my aching back when im crook", "self-care-overview"),
        ("tell me everything that might help with the aches when im crook", "self-care-overview"),
        # the pain ending with the illness (synonyms.yaml `subside`)
        ("does sick back pain finish when the cold finishes", "how-long-it-lasts"),
    ],
)
def test_everyday_wording_of_a_topic_gets_it(
    matcher: FuzzyMatcher, question: str, expected: str
) -> None:
    result = matcher.match(question)
    assert result.match is not None and result.match.id == expected
