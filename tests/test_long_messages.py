"""Long, story-first messages: the ask is found, a second ask offered, unsure ones hedged."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_driver import Conversation, real_knowledge

from bot.bundle import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.matching.fuzzy import FuzzyMatcher, build_matcher
from bot.matching.parts import readings

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
TWO_ASKS = (
    "I've had the flu for four days and my back is aching badly. Why does being sick make "
    "my back hurt like this? And does a hot water bottle actually help with it?"
)


@pytest.fixture(scope="module")
def matcher() -> FuzzyMatcher:
    return build_matcher(load_knowledge(KNOWLEDGE))


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return real_knowledge()


def test_a_short_message_is_read_whole() -> None:
    assert [p.text for p in readings("why does my back hurt? when I'm sick")] == [
        "why does my back hurt? when I'm sick"
    ]


def test_the_ask_is_found_after_the_story() -> None:
    message = (
        "I'm 61, type of person who never gets sick, but this flu has flattened me, four "
        "days in bed. My husband is no better. So why do vaccines make you feel achy like that"
    )
    asks = [p.text for p in readings(message) if p.ask is not None]
    assert "why do vaccines make you feel achy like that" in asks


def test_a_clause_that_tells_is_not_taken_for_the_ask() -> None:
    message = (
        "I'm 58 and my back has been bad all week with this cold, which has never happened to "
        "me before, and it kept me up. When should I stop waiting and see a doctor?"
    )
    asks = [p.asked for p in readings(message) if p.ask is not None]
    assert not any(a.lower().startswith("which has") for a in asks)
    assert "When should I stop waiting and see a doctor?" in asks


def test_an_ask_pointing_back_counts_less_alone_than_with_the_sentence_before() -> None:
    message = (
        "My partner read me bits of that article about back pain when you're ill and it "
        "mentioned something called the neuroimmune synapse. What is that?"
    )
    asks = {p.text: p.weight for p in readings(message) if p.ask is not None}
    assert asks[message] == 1.0
    assert asks["What is that?"] < 1.0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "I'm 44 and on day three of a cold, with a sore lower back and a blocked nose, and "
            "I keep reading bits of that article on my phone. Why is it always the lower back "
            "that hurts?",
            "why-lower-back",
        ),
        (
            "My wife and I both have covid, day five, we're in our forties and both of us have "
            "sore backs and we are miserable. What are cytokines and what do they do?",
            "cytokines",
        ),
    ],
)
def test_story_first_messages_get_the_asked_entry(
    matcher: FuzzyMatcher, message: str, expected: str
) -> None:
    result = matcher.match(message)
    assert result.band == "answer"
    assert result.match is not None and result.match.id == expected


def test_two_asks_answer_the_first_and_offer_the_second(matcher: FuzzyMatcher) -> None:
    result = matcher.match(TWO_ASKS)
    assert result.match is not None and result.match.id == "back-pain-when-sick"
    assert result.also is not None and result.also.id == "heat-treatment"
    assert result.suggestions[0].id == "heat-treatment"


def test_the_chat_offers_the_second_ask_as_a_button(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say(TWO_ASKS)
    assert knowledge.kb.entries["back-pain-when-sick"].answer in chat.text
    heat = knowledge.kb.entries["heat-treatment"]
    chat.press(f"You also asked: {heat.title}")
    assert heat.answer in chat.text


def test_an_unsure_match_asks_did_you_mean_with_topics(matcher: FuzzyMatcher) -> None:
    result = matcher.match("can a wheat bag help my sore knee")
    assert result.band == "confirm" and result.match is None
    assert 1 <= len(result.suggestions) <= 3
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_nothing_close_is_band_none(matcher: FuzzyMatcher) -> None:
    result = matcher.match("what is the capital of peru")
    assert result.band == "none" and not result.suggestions


def test_an_ask_inside_a_story_that_ends_in_a_question_mark_is_read_alone() -> None:
    message = (
        "I'm 52, I've had a cold since the weekend and my lower back has been grumbling for "
        "three days now, so at what point should I stop waiting and ring my doctor?"
    )
    asks = {p.asked for p in readings(message) if p.ask is not None}
    assert asks == {"what point should I stop waiting and ring my doctor?"}


def test_a_relative_which_before_a_pronoun_tells_rather_than_asks() -> None:
    message = (
        "My son is 9 and has the flu and keeps rubbing his lower back, which he says aches all "
        "the time. Should I give him a warm wheat bag for it?"
    )
    asks = [p.asked for p in readings(message) if p.ask is not None]
    assert not any(a.lower().startswith("which he says") for a in asks)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "My brother is a physio and has been going on about cytokines all week while I'm "
            "stuck at home with covid. I'm 29 and honestly have no clue. What actually are they?",
            "cytokines",
        ),
        (
            "Two weeks into the flu and I'm 47, a plumber, and the gym can wait. My back is "
            "stiff and sore, so is a hot water bottle on it a good idea or not?",
            "heat-treatment",
        ),
    ],
)
def test_story_words_and_off_topic_words_in_the_story_do_not_veto_the_ask(
    matcher: FuzzyMatcher, message: str, expected: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == expected, result


@pytest.mark.parametrize(
    "message",
    [
        "41F, day four of a horrible cold and my back is the worst part. didnt lift anything, "
        "didnt sleep awkwardly. why does a cold make my back hurt?",
        "I'm 40, three days into the flu and my back is wrecked. Did plenty of sleep and fluids "
        "already. why would the flu make my back ache?",
        "I'm 29 and sick with a virus, back aching. Can't sleep properly, can't drink much. So "
        "why does being ill give me back pain?",
    ],
)
def test_a_sentence_without_a_question_mark_tells_when_the_message_asks_with_one(
    matcher: FuzzyMatcher, message: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == "back-pain-when-sick", result
    assert result.also is None


def test_a_clause_setting_the_scene_is_not_taken_for_the_first_ask() -> None:
    message = (
        "My daughter asked me about it for her school project on nerves. When you catch a "
        "virus, what happens in the nerves that turns the pain up?"
    )
    tells = {p.asked: p.tells for p in readings(message) if p.ask is not None}
    assert tells["When you catch a virus"] is True
    assert tells["what happens in the nerves that turns the pain up?"] is False


@pytest.mark.parametrize(
    ("message", "ask"),
    [
        (
            "My mother is 66 and has a viral fever with back pain. On the phone she tells me she "
            "is barely sleeping. I wanted to know if proper sleep and enough water really help.",
            "I wanted to know if proper sleep and enough water really help.",
        ),
        (
            "My father is 82, has a cold and his lower back is aching badly. We have a heating "
            "pad at home. Respected sir, kindly advise whether applying heat to his back helps.",
            "kindly advise whether applying heat to his back helps.",
        ),
        (
            "Been crook all week with the flu and my lower back is wrecked, the kids are sick "
            "too. Could you tell me how long this kind of ache usually hangs around for.",
            "Could you tell me how long this kind of ache usually hangs around for.",
        ),
        (
            "I have had covid since Monday and my back is sore from top to bottom, no injury. My "
            "question is whether the virus itself is what makes the back hurt.",
            "My question is whether the virus itself is what makes the back hurt.",
        ),
    ],
)
def test_an_ask_worded_as_a_statement_or_request_is_found(message: str, ask: str) -> None:
    assert ask in {p.asked for p in readings(message) if p.ask is not None}


def test_a_bare_request_is_not_read_as_an_ask_when_another_says_what_is_asked() -> None:
    message = (
        "My daughter says her back aches whenever she has a fever and she thinks it is random. "
        "I wanted to know whether there is a real reason for this link between being sick and "
        "backache. Kindly explain in simple terms."
    )
    asks = {p.asked for p in readings(message) if p.ask is not None}
    assert "Kindly explain in simple terms." not in asks
    assert any(a.startswith("I wanted to know whether") for a in asks)


def test_curious_about_sets_the_scene_rather_than_asks() -> None:
    message = (
        "I'm 33 and stuck at home with covid, and I'm curious about the science. The article "
        "says molecular changes in the brain change how we feel. Can you explain that part?"
    )
    asks = {p.asked for p in readings(message) if p.ask is not None}
    assert not any("curious" in a for a in asks)


def test_an_ask_typed_without_punctuation_is_found() -> None:
    message = (
        "ok so my daughter is eleven and she's had a temperature since saturday and she keeps "
        "saying her back hurts and we gave her fluids and she's resting but I just don't get "
        "it can you explain why a virus makes her back hurt"
    )
    asks = {p.asked for p in readings(message) if p.ask is not None}
    assert "can you explain why a virus makes her back hurt" in asks


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "My son, 19, had his vaccinations before leaving for university and spent the next "
            "day in bed with body pains and chills. He asked me if the injection went wrong. "
            "Kindly advise what that sick feeling after a jab actually means.",
            "vaccination",
        ),
        (
            "I am 41, a bus driver, and I have had a cold for four days with a dull ache in my "
            "lower back. It is bearable but annoying. I wanted to know whether this kind of ache "
            "normally goes away by itself when the infection clears.",
            "how-long-it-lasts",
        ),
    ],
)
def test_an_indirect_ask_after_a_story_is_answered(
    matcher: FuzzyMatcher, message: str, expected: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == expected, result


def test_the_whole_message_is_read_without_the_clauses_that_tell_the_story() -> None:
    message = (
        "I'm 34, been in bed three days with a rotten head cold, nose streaming, and the "
        "weirdest part is my back is aching. Why would a cold do that?"
    )
    whole = next(p.text for p in readings(message) if p.ask is None)
    assert "I'm 34" not in whole and "three days" not in whole
    assert "my back is aching" in whole and whole.endswith("Why would a cold do that?")


ALTERNATIVES = (
    "I'm 52 and three days into the flu with a lower back that won't quit. Will the ache fade "
    "once the flu is gone or could it hang around for weeks?"
)


def test_an_alternative_after_or_is_the_same_ask_not_a_second_one() -> None:
    asks = {p.asked: p.ask for p in readings(ALTERNATIVES) if p.ask is not None}
    assert asks["Will the ache fade once the flu is gone"] == 0
    assert asks["could it hang around for weeks?"] == 0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (ALTERNATIVES, "how-long-it-lasts"),
        (
            "I'm 44 and my partner and I both have the flu, her back is fine but mine is "
            "wrecked. Is this just the usual sick backache, or should I be getting it looked at "
            "by a doctor?",
            "when-to-see-doctor",
        ),
    ],
)
def test_a_question_with_two_alternatives_gets_one_answer_and_no_second_ask_button(
    matcher: FuzzyMatcher, message: str, expected: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == expected, result
    assert result.also is None, result


@pytest.mark.parametrize(
    "ask",
    [
        "Is there a reason women seem to get more aches when they're sick?",
        "Is it normal to get a sore back with the flu?",
        "Is it true that the immune system talks to the brain?",
    ],
)
def test_existential_there_and_anticipatory_it_do_not_point_back(ask: str) -> None:
    message = f"I'm 39 and have had a cold since Sunday, and my back is sore as anything. {ask}"
    weights = {p.text: p.weight for p in readings(message) if p.ask is not None}
    assert weights[ask] == 1.0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Whenever I'm sick I just want to lie in bed, skip the gym and not talk to anyone, "
            "and my partner says I'm being lazy. Is that urge to hide away actually doing me "
            "any good?",
            "sickness-behaviour",
        ),
        (
            "I'm 58 with type 2 diabetes and I've had the flu for four days. My lower back "
            "aches constantly. Is it normal to get back pain with the flu?",
            "back-pain-when-sick",
        ),
    ],
)
def test_a_subject_off_the_article_in_the_story_does_not_cost_the_ask(
    matcher: FuzzyMatcher, message: str, expected: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == expected, result


def _top_score(matcher: FuzzyMatcher, message: str) -> float:
    return matcher.rank(message)[0].score


def test_who_the_person_is_counts_when_the_ask_is_whether_something_is_safe(
    matcher: FuzzyMatcher,
) -> None:
    story = "I'm 30 weeks pregnant and have had a cold for a few days. My lower back aches a lot."
    plain = "I'm 30 and have had a cold for a few days. My lower back aches a lot."
    safe = " Is paracetamol safe to take for it?"
    helps = " Does paracetamol help with it?"
    assert _top_score(matcher, story + safe) < _top_score(matcher, plain + safe)
    assert _top_score(matcher, story + helps) == _top_score(matcher, plain + helps)


def test_an_ask_is_found_in_voice_to_text_without_any_question_word_first() -> None:
    message = (
        "my husband has had covid since tuesday and his back is killing him and he says its "
        "the virus and I say its the bed who is right is the back pain from being sick"
    )
    asks = {p.asked for p in readings(message) if p.ask is not None}
    assert "is the back pain from being sick" in asks


@pytest.mark.parametrize(
    "message",
    [
        "I'm 50 and had the flu for ten days, the back pain keeps getting worse and now I've "
        "got chills at night. When should I get it looked at?",
        "My daughter is 30 and her back pain with this virus is getting worse every day, she "
        "can hardly walk. Should we be getting her seen today or wait another day?",
        "my back has been getting worse all week with this flu, should i get checked or is it "
        "normal",
    ],
)
def test_everyday_words_for_seeing_a_doctor_answer_when_to_see_one(
    matcher: FuzzyMatcher, message: str
) -> None:
    result = matcher.match(message)
    assert result.match is not None and result.match.id == "when-to-see-doctor", result


@pytest.mark.xfail(
    strict=True,
    reason="Round 11 (r11f): word matching no longer reads the negated 'no MSK injury' "
    "(bot/matching/negation.py): its best reading now puts back-pain-when-sick first (58.6 "
    "against allodynia-hyperalgesia's 57.6, was 49.3 against 57.3). The topic signal still "
    "lifts allodynia past it (the whole message's vector, 'Nurse here:' included, leans "
    "there even with the negated words removed and the models retrained), so the ask's "
    "weight against the story around it in the topic signal's input is what is left. Round "
    "12 (r12e) tried the topic signal reading the last ask first and the story only as what "
    "the message adds to it (input [ask, message - ask], retrained): allodynia 0.32 against "
    "back-pain-when-sick 0.27 (was 0.44 against 0.18), still first, and leaving each writer "
    "out it lost top-1 (bench/BANDS.md, round 12): not shipped.",
)
def test_clinical_shorthand_reads_as_the_lay_words(matcher: FuzzyMatcher) -> None:
    message = (
        "Nurse here: how would you explain to a patient why a viral infection gives them back "
        "pain with no MSK injury at all?"
    )
    result = matcher.match(message)
    shown = [result.match] if result.match else list(result.suggestions[:1])
    assert [s.id for s in shown] == ["back-pain-when-sick"], result
