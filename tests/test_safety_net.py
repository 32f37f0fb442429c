"""The safety net beyond the Python phrases: rule files, the learned detector, the CLI and the
careful fallback. What a person (or the admin who edits a rule file) would notice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chat_driver import Conversation, real_knowledge
from hypothesis import given
from hypothesis import strategies as st

from bot.bundle import Knowledge
from bot.cli import main as cli_main
from bot.dialogue import texts
from bot.safety import rulebook
from bot.safety.emergency import CATALOGUE_LEVELS, EmergencyDetector, _within_words, describe
from bot.safety.learned import (
    EVIDENCE_MIN,
    MODEL_PATH,
    SPAN_WORDS,
    LearnedDetector,
    normalise,
    read_model,
    replies_only,
    sentences,
    spans,
)
from bot.safety.scoring import read_rows

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[tuple[str, str]]:
    return read_rows(DATA / name)


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    """As the running bot is after its first seconds: the floors must not depend on timing."""
    return EmergencyDetector().loaded()


# --- rule files ------------------------------------------------------------------------------


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rulebook.RULES_DIR, target)
    return target


def test_shipped_rule_files_load_and_their_examples_pass() -> None:
    book = rulebook.load(levels=CATALOGUE_LEVELS)
    assert {"self_harm", "overdose_or_injury", "seizure", "aortic", "infant_fever"} <= set(
        book.flags
    )
    assert book.flags["self_harm"].level == "crisis"


def test_a_bad_pattern_is_reported_with_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "self_harm.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "name: suicide words" in line)
    pattern = next(i for i in range(at, len(lines)) if lines[i].startswith("      pattern:"))
    lines[pattern] = "      pattern: (unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(rules_copy)
    assert f"self_harm.yaml:{at + 1}: bad pattern" in str(err.value)  # the rule's first line


def test_a_failing_example_is_reported_with_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "new_flags.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    - what is an aortic aneurysm", "    - sudden ripping pain in my back"),
        encoding="utf-8",
    )
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(rules_copy)
    assert "new_flags.yaml:" in str(err.value)
    assert "must_not_match example matched as aortic" in str(err.value)


def test_broken_yaml_is_reported_with_its_line(rules_copy: Path) -> None:
    (rules_copy / "overdose.yaml").write_text("a: [unclosed\nb: 1\n", encoding="utf-8")
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(rules_copy)
    assert "overdose.yaml:" in str(err.value) and "not valid YAML" in str(err.value)


def test_a_flag_missing_from_the_catalogue_is_refused() -> None:
    with pytest.raises(rulebook.RulesError) as err:
        rulebook.load(levels={"self_harm": "crisis"})
    assert "'seizure' is not in the flag catalogue" in str(err.value)


# --- self-harm: every one of the independent set's crisis messages, nothing on calm ones --------


SET1 = _rows("set1_emergency.tsv")
SET1_CALM = [m for _, m in _rows("set1_calm.tsv")]


@pytest.mark.parametrize(
    "message", [m for c, m in SET1 if c in ("self_harm", "overdose_or_injury")]
)
def test_set1_self_harm_is_caught_by_the_rules(detector: EmergencyDetector, message: str) -> None:
    assert detector.detect_rules(message)


def test_set1_emergencies_are_all_caught(detector: EmergencyDetector) -> None:
    missed = [m for _, m in SET1 if not detector.detect(m)]
    assert missed == []


def test_set1_calm_messages_raise_at_most_two_alarms(detector: EmergencyDetector) -> None:
    alarms = [m for m in SET1_CALM if detector.detect(m)]
    assert len(alarms) <= 2, alarms


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("i took like 20 panadol about 2 hours ago. i feel fine tho", "overdose_or_injury"),
        ("honestly i'm a burden, everyone would be better off without me", "self_harm"),
        ("thinking of unaliving myself tbh", "self_harm"),
    ],
)
def test_crisis_codes_are_named(detector: EmergencyDetector, message: str, code: str) -> None:
    assert code in detector.detect(message)
    assert describe(detector.detect(message))


@pytest.mark.parametrize(
    "message",
    [
        "this flu is killing me, my back is sore",
        "I'm not going to hurt myself, I'm just fed up with being sick",
        "suicide rates in winter, is that linked to flu? for an essay",
        "took two panadol for my back, is that ok",
        "said goodbye to my friends at the airport and my back aches from the bags",
    ],
)
def test_context_cancels_crisis_words(detector: EmergencyDetector, message: str) -> None:
    assert not detector.detect(message)


# --- the learned detector --------------------------------------------------------------------


def test_the_shipped_model_is_what_its_trainer_writes_and_reads_as_its_json_form(
    tmp_path: Path,
) -> None:
    """The model file is reproducible (the trainer writing the same model gives the same bytes)
    and loses nothing: the exported JSON form of the same model judges every message alike."""
    from bot.safety.train_learned import _sparse, write

    model = _sparse(read_model(MODEL_PATH))
    write(model, tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == MODEL_PATH.read_bytes()
    write(_sparse(read_model(MODEL_PATH)), tmp_path / "model.json.gz")
    shipped, exported = LearnedDetector(), LearnedDetector(tmp_path / "model.json.gz")
    for _, message in _rows("set5_emergency.tsv") + _rows("set5_calm.tsv"):
        assert shipped.judge(message) == exported.judge(message)
        assert shipped.flag(message) == exported.flag(message)


def test_learned_detector_alone_separates_crisis_from_calm() -> None:
    learned = LearnedDetector()
    assert learned.detect("i dont want to be alive anymore, nobody would miss me")
    assert not learned.detect("how long does back pain last with the flu?")
    assert not learned.detect("tablets")  # a one-word question is left to the rules


@pytest.mark.parametrize(
    "reply", ["i guess not", "I don't know", "it's for me", "no not really", "i think so"]
)
def test_a_reply_made_of_chat_words_is_never_a_learned_crisis(reply: str) -> None:
    """Without a word beyond "i", "not", "for", "know"... the model's crisis score is not
    evidence (it once read "i guess not" as a crisis from "i" and "not" alone)."""
    learned = LearnedDetector()
    assert not learned.detect(reply)
    assert learned.evidence(normalise(reply)) < EVIDENCE_MIN


@pytest.mark.parametrize(
    "reply", ["no i dont think so", "yes i think so", "i dont know", "not sure"]
)
def test_a_reply_made_of_chat_words_names_no_symptom(reply: str) -> None:
    """A medical verdict needs a word beyond a bare reply's too (the check's answers)."""
    assert replies_only(normalise(reply))
    assert not replies_only(normalise("no i cant feel my legs"))


@pytest.mark.parametrize(
    "message",
    [
        "I'm running a fever and my back really hurts",
        "fever of 38 and an aching back since Monday",
        "my wife has a high temperature and a bad back",
    ],
)
def test_a_fever_with_a_sore_back_is_not_an_emergency(
    detector: EmergencyDetector, message: str
) -> None:
    """The article's own case: the learned detector once read "I have a fever and a bad back"
    as a medical emergency, from words that mostly appear in emergencies."""
    assert not detector.detect(message)


def test_oblique_crisis_words_are_evidence() -> None:
    learned = LearnedDetector()
    for message in ("i know where i'll do it and when", "not gonna be around much longer"):
        assert learned.evidence(normalise(message)) >= EVIDENCE_MIN
        assert learned.detect(message)


_LONG = (
    "Day three of this cold and my lower back is stiff every single morning. The kids are off "
    "school so the house is total chaos and nobody is getting any sleep. {} Work keeps emailing "
    "me about the quarterly report as if I could just log in. Does a hot shower help the back "
    "or is that a myth?"
)


@pytest.mark.parametrize(
    ("sentence", "alarms"),
    [
        ("I have been sorting out who gets my things after I am gone.", True),
        ("honestly i keep thinking everyone would be better off without me around.", True),
        ("My mum came round with soup which was lovely of her.", False),
        ("I am dying for a proper night's sleep, this cough is killing me.", False),
    ],
)
def test_a_crisis_said_once_in_a_long_message_is_caught(sentence: str, alarms: bool) -> None:
    """One sentence among 60 words of other worries: in a 48-word window its words are
    diluted, sentence by sentence they are not (and a calm sentence stays calm)."""
    learned = LearnedDetector()
    text = _LONG.format(sentence)
    assert len(sentences(text, normalise(text))) == 5
    assert bool(learned.detect(text)) is alarms
    assert sentences(sentence, normalise(sentence)) == []  # a short message: windows only


@pytest.mark.parametrize(
    ("message", "alarms"),
    [
        (
            "gave my dog to my neighbour today and said a proper goodbye, she will look after"
            " him. quick one, does ibuprofen help with flu aches or just paracetamol",
            True,
        ),
        (
            "gave my old bike to my neighbour today, he will fix it up for his son. quick one,"
            " does ibuprofen help with flu aches or just paracetamol",
            False,
        ),
    ],
)
def test_a_crisis_diluted_in_a_short_message_is_caught_in_its_span(
    message: str, alarms: bool
) -> None:
    """A goodbye followed by an ordinary question, under 40 words: the whole message reads
    calm (the question outweighs it), its first 16 words do not; the same shape with an
    ordinary errand stays calm."""
    learned = LearnedDetector()
    words = normalise(message)
    assert SPAN_WORDS < len(words) <= 40 and sentences(message, words) == []
    assert len(spans(words)) >= 2
    assert bool(learned.detect(message)) is alarms


def test_learned_medical_alarm_names_a_catalogue_flag() -> None:
    """Non-native words no rule was written for still reach the emergency reply, with a real
    flag code (so the reply can say what to do), while a negated symptom stays calm."""
    learned = LearnedDetector()
    found = learned.detect(
        "sorry my english not good, my husband cannot do pee since morning,"
        " he try many time nothing come, back pain and fever"
    )
    assert found and found <= CATALOGUE_LEVELS.keys()
    assert not learned.detect("my chest doesn't hurt, only my lower back")


def test_a_medical_verdict_is_held_to_its_own_familys_threshold(tmp_path: Path) -> None:
    """A family calm messages rarely come near can alarm lower than the others: the same model
    with one family's threshold lowered alarms on that family's emergency and names its flag,
    while another family's emergency at the same probability waits for the common threshold."""
    from bot.safety.train_learned import _sparse, write

    rash = "purple dots on my toddler that stay there under a glass, hes burning up"
    chest = "heavy squeezing in the middle of my chest going into my left arm, sweaty"
    shipped = LearnedDetector(medical=True)
    probability = min(shipped.verdict(rash).emergency, shipped.verdict(chest).emergency)
    assert probability > 0.5
    model = _sparse(read_model(MODEL_PATH))
    model["emergency_threshold"] = 1.0
    model["family_thresholds"] = {"infection": 0.5}
    write(model, tmp_path / "model.npz")
    learned = LearnedDetector(tmp_path / "model.npz", medical=True)
    assert learned.detect(rash) == {"rash_no_fade"}
    assert learned.medical_threshold("chest_pain") == 1.0
    assert not learned.detect(chest)


def test_the_shipped_family_thresholds_lie_between_the_floor_and_the_common_one() -> None:
    """Every medical family has a threshold, none above the common one: a family's own threshold
    only ever lowers the bar for the families calm messages stay away from."""
    from bot.safety.learned import MEDICAL_FAMILIES
    from bot.safety.train_learned import FAMILY_FLOOR

    learned = LearnedDetector()
    assert set(learned.family_thresholds) == set(MEDICAL_FAMILIES)
    assert all(
        FAMILY_FLOOR <= t <= learned.emergency_threshold
        for t in learned.family_thresholds.values()
    )


@pytest.mark.parametrize(
    ("message", "alarms"),
    [
        ("had a seizure when i was little with a fever, none since", False),
        ("my son had a febrile fit at 18 months, he is 7 now and fine", False),
        ("numbness in both legs from a slipped disc, all sorted after surgery", False),
        ("my son just had a fit, hes fine now but very sleepy", True),
        ("i write a letter to my late wife every anniversary, back is sore", False),
        ("wrote letters to my boys and put them in the drawer with my will", True),
    ],
)
def test_settled_past_and_grief_cancel_but_current_intent_does_not(
    detector: EmergencyDetector, message: str, alarms: bool
) -> None:
    assert bool(detector.detect(message)) is alarms


def test_disagreements_are_kept_for_review(detector: EmergencyDetector) -> None:
    before = len(detector.disagreements)
    for _, message in SET1 + [("", m) for m in SET1_CALM]:
        detector.detect(message)
    kept = list(detector.disagreements)[before:]
    assert all(bool(d.rules) != bool(d.learned) for d in kept)


# --- linear time -----------------------------------------------------------------------------


@given(
    st.text(alphabet=" ab", max_size=60),
    st.lists(st.integers(0, 59), max_size=6),
    st.lists(st.integers(0, 59), max_size=6),
    st.integers(0, 5),
)
def test_word_distance_check_agrees_with_pairwise_counting(
    text: str, firsts: list[int], seconds: list[int], words: int
) -> None:
    firsts = [p for p in firsts if p <= len(text)]
    seconds = [p for p in seconds if p <= len(text)]
    pairwise = any(text.count(" ", min(a, b), max(a, b)) <= words for a in firsts for b in seconds)
    assert _within_words(text, firsts, seconds, words) == pairwise


def test_twenty_thousand_characters_of_necks_and_fevers_are_handled(
    detector: EmergencyDetector,
) -> None:
    chunk = "my neck is a bit stiff from sleeping funny. last week i had a fever and a headache. "
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    assert len(text) == 20_000
    detector.detect(text)  # completes: every path is linear in the length
    assert "self_harm" in detector.detect("x " * 9_000 + "i want to kill myself")


# --- the command line ------------------------------------------------------------------------


def test_explain_names_the_rule_line_and_the_cue_that_cancelled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_main(["safety", "explain", "I'm not going to kill myself, just fed up"]) == 0
    out = capsys.readouterr().out
    assert "self_harm.yaml:" in out and "cancelled by negation cue context.yaml:" in out
    assert "answer: calm" in out
    assert cli_main(["safety", "explain", "i want to kill myself"]) == 0
    assert "-> FIRES" in capsys.readouterr().out


def test_score_prints_a_family_table(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(DATA / "set1_emergency.tsv"), str(DATA / "set1_calm.tsv")]
    assert cli_main(["safety", "score", *files]) == 0
    out = capsys.readouterr().out
    assert "| family | rules | learned | both | learned, all flags |" in out
    assert "| self-harm |" in out and "false alarms on calm" in out


def test_check_command_passes_on_the_shipped_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["safety", "check"]) == 0
    assert "all examples pass" in capsys.readouterr().out


# --- no bare "I don't know" to distress ------------------------------------------------------


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return real_knowledge()


def test_despair_gets_the_crisis_line_not_only_dont_know(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say("/region AU")
    chat.say("im so miserable and lonely lately")
    assert texts.DONT_KNOW in chat.text  # the matcher's answer, then the careful fallback
    assert "13 11 14" in chat.text
    assert any(b.data == "ts" for b in chat.buttons())


def test_a_burden_and_no_future_get_the_crisis_line(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say("/region AU")
    chat.say("feel trapped, no future for me really")
    assert "13 11 14" in chat.text


def test_a_body_symptom_gets_the_check_and_nurse_line(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say("/region AU")
    chat.say("my elbow has gone swollen and purple")
    assert texts.DONT_KNOW in chat.text
    assert "1800 022 222" in chat.text
    assert any(b.data == "ts" for b in chat.buttons())


def test_small_talk_outside_the_article_gets_no_health_fallback(knowledge: Knowledge) -> None:
    chat = Conversation(knowledge)
    chat.say("who won the football last night")
    assert texts.DONT_KNOW in chat.text
    assert not any(b.data == "ts" for b in chat.buttons())
