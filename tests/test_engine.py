"""The conversation engine, driven as a person uses it (no Telegram, no storage)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chat_driver import Conversation, real_knowledge

from bot.bundle import Knowledge, load_bundle
from bot.dialogue import texts
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.knowledge.model import DataError


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return real_knowledge()


@pytest.fixture
def chat(knowledge: Knowledge) -> Conversation:
    return Conversation(knowledge)


def answer_text(knowledge: Knowledge, entry_id: str) -> str:
    entry = knowledge.kb.get(entry_id)
    assert entry is not None
    return entry.answer


def test_first_reply_says_not_medical_advice_once(chat: Conversation) -> None:
    chat.say("hello")
    assert texts.DISCLAIMER in chat.text
    chat.say("hi")
    assert texts.DISCLAIMER not in chat.text


def test_question_gets_the_fact_with_related_and_feedback_buttons(
    chat: Conversation, knowledge: Knowledge
) -> None:
    chat.say("why does my back ache so much when I've got the flu?")
    assert answer_text(knowledge, "back-pain-when-sick") in chat.text
    labels = [b.label for b in chat.buttons()]
    assert "👍 Helpful" in labels and "👎 Not helpful" in labels
    assert chat.last is not None and chat.last.history == ["back-pain-when-sick"]


def test_off_topic_question_is_refused_and_recorded(
    chat: Conversation, knowledge: Knowledge
) -> None:
    chat.say("who won the football last night")
    assert texts.DONT_KNOW in chat.text
    assert all(e.answer not in chat.text for e in knowledge.kb.entries.values())
    assert chat.last is not None and chat.last.unanswered
    assert chat.last.unanswered[0][0] == "who won the football last night"


def test_did_you_mean_button_answers_that_topic(chat: Conversation, knowledge: Knowledge) -> None:
    chat.say("chicken")
    if texts.DONT_KNOW in chat.text and chat.buttons():
        first = chat.buttons()[0]
        chat.data(first.data)
        topic = first.data.removeprefix("a:")
        assert answer_text(knowledge, topic) in chat.text


def test_when_to_see_doctor_offers_the_check(chat: Conversation) -> None:
    chat.say("when should I see a doctor about my back pain?")
    chat.press("Start the red-flag check")
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "who"


def test_whole_check_with_no_flags_reaches_selfcare_within_8(chat: Conversation) -> None:
    chat.say("/check")
    chat.press("Me")
    asked = 1
    while chat.replies[-1].outcome is None and asked < 20:
        assert chat.replies[-1].triage is not None, chat.text
        chat.press("No")
        asked += 1
    assert chat.replies[-1].outcome == "selfcare"
    assert asked <= 8
    assert chat.state.check is None
    assert chat.last is not None and chat.last.outcomes == ["selfcare"]
    assert texts.DISCLAIMER.split(":")[0][:20] in chat.text or "not medical advice" in chat.text


def test_yes_to_an_emergency_question_ends_in_call_emergency(chat: Conversation) -> None:
    chat.say("/check")
    chat.press("Me")
    chat.press("Yes")
    assert chat.replies[-1].outcome == "emergency"
    assert chat.replies[-1].emergency
    assert "000" in chat.text


def test_free_text_answers_the_open_question(chat: Conversation) -> None:
    chat.say("/check")
    chat.say("it's for me")
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "cauda_equina"
    chat.say("nah")
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "sudden"
    chat.say("dunno")
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "very_unwell"


def test_a_question_during_the_check_is_answered_then_the_check_resumes(
    chat: Conversation, knowledge: Knowledge
) -> None:
    chat.say("/check")
    chat.say("what are cytokines?")
    assert answer_text(knowledge, "cytokines") in chat.text
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "who"
    assert texts.CHECK_STILL_OPEN in chat.replies[-1].text


def test_emergency_message_interrupts_a_check(chat: Conversation) -> None:
    chat.say("/check")
    chat.press("Me")
    chat.say("I suddenly can't feel my bum and inner thighs")
    assert chat.replies[0].emergency
    assert chat.replies[0].text.startswith("Go to the emergency department now. Call 000")
    assert chat.state.check is None


def test_the_emergency_reply_names_what_was_said_not_the_whole_list(chat: Conversation) -> None:
    chat.say("I can't breathe properly")
    action, why = chat.replies[0].text.split("\n\n")
    assert action.startswith("Call 000 now, or go to the nearest emergency department")
    assert why.startswith("You mentioned struggling to breathe.")
    for other in ("chest", "rash", "seizure", "numb"):
        assert other not in why


def test_a_first_message_in_an_emergency_gets_no_disclaimer_first(chat: Conversation) -> None:
    chat.say("my chest is tight and it's spreading to my arm")
    assert chat.replies[0].emergency and len(chat.replies) == 1
    assert texts.DISCLAIMER not in chat.text


@pytest.mark.parametrize(
    ("said", "question"),
    [("my baby", "infant_fever"), ("she's 7, my daughter", "cauda_equina"), ("3", "cauda_equina")],
)
def test_who_it_is_for_can_be_typed(chat: Conversation, said: str, question: str) -> None:
    chat.say("/check")
    chat.say(said)
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == question


def test_not_sure_outcomes_are_reported_as_urgent_now(chat: Conversation) -> None:
    chat.say("/check")
    chat.press("Me")
    chat.press("Not sure")
    while chat.replies[-1].outcome is None:
        chat.press("No")
    assert chat.replies[-1].outcome == "urgent_now"
    assert chat.replies[-1].to_json()["outcome"] == "urgent_now"
    assert chat.replies[-1].text.startswith("Go to the emergency department today")


@pytest.mark.parametrize(
    "calm", ["no numbness at all", "this pain is killing me", "I'm dying to know why"]
)
def test_calm_messages_do_not_raise_an_alarm(chat: Conversation, calm: str) -> None:
    chat.say(calm)
    assert not any(r.emergency for r in chat.replies)


def test_self_harm_gets_the_crisis_line_for_the_region(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge, engine=Engine(default_region="UK"))
    chat.say("I want to kill myself")
    assert chat.replies[0].outcome == "crisis" and chat.replies[0].emergency
    assert "medical emergency" not in chat.text
    kind, line, danger = chat.replies[0].text.split("\n\n")
    assert "116 123" in line and "SHOUT to 85258" in line
    assert "999" in danger and "999" not in kind + line
    assert texts.DISCLAIMER not in chat.text


def test_region_command_changes_the_numbers(chat: Conversation) -> None:
    chat.say("/region NZ")
    chat.say("I can't breathe properly")
    assert "111" in chat.replies[0].text


def test_old_check_button_is_recognised_and_changes_nothing(chat: Conversation) -> None:
    first = chat.say("/check")
    chat.press("Me")
    before = chat.state
    chat.press("A child (under 16)", turn=first)  # a press on the first question's message
    assert chat.last is not None and chat.last.notice == texts.STALE_CHECK_BUTTON
    assert chat.last.stale
    assert chat.state.evolve(turns=before.turns) == before
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "cauda_equina"


@pytest.mark.parametrize("data", ["zzz", "t:nerves:x:y", "a:no-such-topic", "", "t:::", "f:x"])
def test_forged_buttons_get_a_friendly_line_and_change_nothing(
    chat: Conversation, data: str
) -> None:
    chat.say("/check")
    before = chat.state
    chat.data(data)
    assert chat.last is not None and chat.last.notice and chat.last.stale
    assert chat.state.check == before.check


def test_back_and_cancel(chat: Conversation) -> None:
    chat.say("/check")
    chat.press("Me")
    chat.press("⬅ Back")
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "who"
    chat.say("/cancel")
    assert chat.state.check is None
    assert texts.CHECK_CANCELLED in chat.text


def test_severe_pain_offers_the_check(chat: Conversation) -> None:
    chat.say("my back pain is unbearable")
    assert any(b.data == "ts" for b in chat.buttons())


def test_check_refused_in_groups(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge, private=False)
    chat.say("/check")
    assert texts.GROUP_CHECK in chat.text
    assert chat.state.check is None


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "location", "document"])
def test_non_text_messages_get_a_deliberate_answer(chat: Conversation, kind: str) -> None:
    chat.send(Incoming(7, 7, kind=kind))  # type: ignore[arg-type]
    assert texts.NOT_TEXT in chat.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(chat: Conversation, text: str) -> None:
    chat.say(text)
    assert texts.EMPTY in chat.text


def test_very_long_text_is_answered(chat: Conversation) -> None:
    chat.say("why does my back hurt when I'm sick " * 300)
    assert texts.LONG in chat.text


def test_forget_needs_confirmation(chat: Conversation) -> None:
    chat.say("/forget")
    assert chat.last is not None and not chat.last.actions
    chat.press("Yes, delete everything")
    assert chat.last.actions == ["forget"]


def test_forget_confirmation_from_an_old_message_is_stale(chat: Conversation) -> None:
    ask = chat.say("/forget")
    chat.press("No")
    chat.press("Yes, delete everything", turn=ask)
    assert chat.last is not None and chat.last.actions == []


def test_more_on_that_follows_the_last_topic(chat: Conversation) -> None:
    chat.say("what are cytokines")
    chat.say("tell me more")
    assert "cytokines" in chat.text.lower() or "More on" in chat.text


def test_small_talk(chat: Conversation) -> None:
    chat.say("thanks!")
    assert texts.THANKS in chat.text
    chat.say("who are you?")
    assert texts.WHO in chat.text


def test_unknown_command(chat: Conversation) -> None:
    chat.say("/reload")
    assert texts.UNKNOWN_COMMAND in chat.text


def test_check_file_changed_mid_check_restarts_it(tmp_path: Path, knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say("/check")
    chat.press("Me")
    source = Path(__file__).resolve().parent.parent / "knowledge"
    changed = tmp_path / "kb"
    shutil.copytree(source, changed)
    triage = changed / "triage.yaml"
    text = triage.read_text()
    not_for_me = "for: [pregnant, child, older]\n      flags: [saddle"
    triage.write_text(
        text.replace("for: [me, pregnant, child, older]\n      flags: [saddle", not_for_me)
    )
    chat.knowledge = load_bundle(changed)
    chat.say("yes")
    assert texts.CHECK_UPDATED in chat.text
    assert chat.replies[-1].triage is not None
    assert chat.replies[-1].triage.question == "who"


@pytest.mark.parametrize("command", ["/mydata", "/forget"])
def test_personal_commands_are_refused_in_groups(knowledge: Knowledge, command: str) -> None:
    chat = Conversation(knowledge, private=False)
    chat.say(command)
    assert texts.GROUP_PRIVATE in chat.text
    assert chat.last is not None and chat.last.actions == []


def test_a_second_triage_file_is_refused(tmp_path: Path) -> None:
    changed = tmp_path / "kb"
    shutil.copytree(Path(__file__).resolve().parent.parent / "knowledge", changed)
    shutil.copy(changed / "triage.yaml", changed / "triage2.yaml")
    with pytest.raises(DataError) as caught:
        load_bundle(changed)
    assert any("second triage file" in p.message for p in caught.value.problems)


def test_severe_pain_with_an_answer_that_offers_the_check_offers_it_once(
    chat: Conversation,
) -> None:
    chat.say("when should I see a doctor, my back pain is unbearable")
    assert [b.data for b in chat.buttons()].count("ts") == 1


def test_sources_lists_each_reference_once(chat: Conversation) -> None:
    chat.say("/sources")
    lines = [line for line in chat.text.splitlines() if line.strip().startswith("–")]
    assert lines and len(lines) == len(set(lines))
    assert all(";" not in line for line in lines)


def test_an_answer_the_current_question_does_not_offer_is_stale(chat: Conversation) -> None:
    """Button data decodes any answer text (choices are ids); the check refuses unknown ones."""
    chat.say("/check")
    chat.press("Me")
    question = chat.replies[-1].triage
    assert question is not None
    before = chat.state
    chat.data(f"t:{question.question}:1:maybe")
    assert chat.last is not None and chat.last.notice and chat.last.stale
    assert chat.state.check == before.check


def _short_replies(knowledge: Knowledge) -> list[str]:
    """Every short reply the bot itself understands, plus the check's choice labels and words."""
    from bot.dialogue import phrases

    said = {*phrases._YES, *phrases._NO, *phrases._UNSURE, *phrases._CHECK_WORDS}
    for group in phrases._SMALL_TALK.values():
        said |= set(group)
    for question in knowledge.triage.questions.values():
        for choice in question.choices:
            said.add(choice.label)
            said.update(choice.words)
    return sorted(said)


def test_short_replies_and_check_answers_never_raise_an_alarm(knowledge: Knowledge) -> None:
    """ "I don't know" or "it's for me" typed as an answer is not a crisis (the learned detector
    once read both as one)."""
    typed = [
        *_short_replies(knowledge),
        "I don't know",
        "It's for me",
        "its for me, im 70",
        "for my son",
        "I guess not",
        "Thanks for everything!",
    ]
    chat = Conversation(knowledge)
    alarmed = []
    for text in typed:
        chat.say(text)
        if any(reply.emergency for reply in chat.replies):
            alarmed.append(text)
    assert alarmed == []


def test_a_crisis_typed_after_a_short_answer_still_interrupts(chat: Conversation) -> None:
    chat.say("/check")
    chat.say("i dont know, i just want to end my life")
    assert chat.replies[-1].outcome == "crisis"
