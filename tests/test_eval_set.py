"""The independent eval sets through the real knowledge base.

All were written without looking at knowledge/: tests/data/questions.tsv (the matcher was
tuned on it), tests/data/holdout_questions.tsv (written later by someone else; the matcher was
then improved on its misses), tests/data/holdout2_questions.tsv and
tests/data/holdout3_questions.tsv (third and fourth writers, many voices; each was scored
untouched first, then the matcher was generalised on its misses) and
tests/data/dev_questions_round2.tsv (written before that round of changes, scored first).
tests/data/holdout4_questions.tsv came from a fifth writer and was scored only after all
tuning, untouched: 92.6% / 100% / 96%; tests/data/holdout6_questions.tsv, from a sixth writer, also
untouched: 98.7% / 100% / 100%. These are the fairest estimates of what new users will see.
Goals: in-scope top-1 >= 90%, typo rows >= 85%, out-of-scope refused >= 90%.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.authoring import evaluate
from bot.knowledge.loader import load_knowledge
from bot.matching.fuzzy import DEFAULT_THRESHOLD, build_matcher

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


EVAL_SETS = (
    "questions.tsv",
    "holdout_questions.tsv",
    "holdout2_questions.tsv",
    "holdout3_questions.tsv",
    "dev_questions_round2.tsv",
    "holdout4_questions.tsv",
    "holdout6_questions.tsv",
)


@pytest.fixture(scope="module", params=EVAL_SETS)
def outcomes(request: pytest.FixtureRequest) -> list[evaluate.Outcome]:
    questions: Path = DATA / request.param
    if not questions.is_file():
        pytest.skip(f"{questions.relative_to(ROOT)} is absent: no eval set to score against")
    kb = load_knowledge(ROOT / "knowledge")
    cases = evaluate.read_cases(questions)
    assert evaluate.unknown_ids(cases, kb.entries) == []
    return evaluate.run_cases(build_matcher(kb), cases)


@pytest.fixture(scope="module")
def scores(outcomes: list[evaluate.Outcome]) -> evaluate.Metrics:
    return evaluate.metrics(outcomes, DEFAULT_THRESHOLD)


def _misses(outcomes: list[evaluate.Outcome], kind: str, threshold: float) -> str:
    return "\n".join(
        evaluate.describe_miss(o, threshold)
        for o in evaluate.misses(outcomes, threshold)
        if o.case.kind == kind
    )


def test_in_scope_questions_get_the_right_entry(
    scores: evaluate.Metrics, outcomes: list[evaluate.Outcome]
) -> None:
    assert scores.in_scope.value >= 0.90, _misses(outcomes, "paraphrase", scores.threshold)


def test_misspelt_questions_still_get_the_right_entry(
    scores: evaluate.Metrics, outcomes: list[evaluate.Outcome]
) -> None:
    assert scores.typo.value >= 0.85, _misses(outcomes, "typo", scores.threshold)


def test_out_of_scope_questions_are_declined(
    scores: evaluate.Metrics, outcomes: list[evaluate.Outcome]
) -> None:
    assert scores.refusal.value >= 0.90, _misses(outcomes, "out_of_scope", scores.threshold)


# Long, story-first sets (issue 11), held to the figures a user sees. questions_set1.tsv came
# from a ninth writer; first look (main, untouched): top-1 65.5% (31.9% over 25 words), top-1
# or first suggestion 81.8%, wrong answers 4.7%, out-of-scope given no answer 95.0%. The matcher
# was then tuned on it, so these floors guard the tuning and no longer measure generalisation.
# Raised after the answer/confirm bands were calibrated leave-one-writer-out over every
# question set (bench/calibrate_bands.py, bench/BANDS.md): in-sample figures, so they guard it.
LONG_SETS = {
    # Round 12 (r12g, out-of-scope wording as data: vaccines in general, medicine amounts,
    # exercise programmes, products and rights): raised where an out-of-scope question is now
    # declined (set4, 9, 13, 14, 20).
    # Round 11 (r11g): wording as data, families found leaving each writer out
    # (bench/lowo_models.py --misses) and written from everyday English, not the messages:
    # synonyms.yaml: asking for the whole list of what helps ("everything that helps",
    # "practical things", "what do you recommend"; "rundown" alone is no longer tiredness);
    # when to get seen ("see someone", A&E, "at what point" dropped, "wait it out" or "stop
    # managing at home" as the other choice); who the writer is ("an expert", "a blogger",
    # "which university"); the article's jargon spelt as heard ("sitokines", "alodinia");
    # pain ending with the illness ("settle by itself", "finish"). scope.yaml: what a vaccine
    # protects against and when in the year to get it, long COVID's treatments and clinics,
    # period pain. Scope model retrained. In-sample, 16 messages move, none back: top-1 or
    # answered where offered first before (set5 lines 5, 68; set8 line 105; set9 line 106;
    # set10 line 60; set11 line 2; set12 line 107; set14 line 42; set17 line 106) and
    # out-of-scope now declined (set4 line 151, set6 line 150, set7 line 159, set9 lines 141,
    # 161, set14 line 170, set16 line 116). Floors raised to those figures. Leaving each writer
    # out (both models per fold), pooled top-1 94.2% -> 95.1%, >25 words 92.4% -> 93.3%, top-1
    # or first suggestion 97.4% -> 97.6%, wrong 1.7% -> 1.3%, declined 97.1% -> 98.0%.
    # Round 10 (r10d): synonym and scope data from everyday English (synonyms.yaml: asking
    # for the whole list of what helps, "things I can do", "anything that helps", "the full
    # list"; grumpy as "snapping at", "angry"; "what's going on" asks why; a carer's "take her
    # in" and a nurse's "escalate" mean the doctor; an infection named by where it sits;
    # scope.yaml: "is it just flu and covid that ..." asks which illnesses, not which one;
    # "how much pain I feel" asks how bad, not an amount; "eating properly", "a short walk";
    # "forever" as permanent).
    # Pooled over questions_set1-17 top-1 1766 -> 1793 of 1870, >25 words 810 -> 830 of 872,
    # wrong 31 -> 31, declined unchanged. Both models held out per writer
    # (bench/lowo_models.py, main's fold models): pooled top-1 92.4% -> 93.7%, >25 words
    # 90.3% -> 92.4%, wrong 1.6% both.
    # Floors raised to the new figures; set6's wrong answers rise by one (line 37, "can a
    # normal cold gve u back pain or is it just the flu and covid": no longer read as asking
    # which illness it is, back-pain-when-sick is answered where it was offered first; the
    # same change answers which-illnesses for five other writers, sets 8, 13, 14, 16, 17).
    # Round 10 (r10c): both models retrained with questions_set16/17; the bands refitted
    # ("agree" family: bars 70/70, topic lead 0.3, and an answer whatever the sum where the
    # topic signal puts the best entry first at 0.5 or more, the scope signal finds the
    # message at most 0.05 out of scope and the word score is 20 or more). Leaving each
    # writer out (bench/BANDS.md round 10) top-1 93.8% -> 94.3%, wrong 1.3% -> 1.3%, declined
    # 98.2% -> 97.9%. Floors raised to the in-sample figures, except four sets where one
    # out-of-scope message is now answered (wrong +1, declined -1, one question each): set4
    # "why does my period pain go into my back" and set7 "is panadol or nurofen better for a
    # sore back" (the agreement: topic 0.68 and 0.99, scope 0.04 and 0.05), set13 "What's the
    # max amount of paracetamol you can take in 24 hours?" and set14 "can you give me a list of
    # the best heat packs and wheat bags" (the topic lead's larger weight: over the bar of 70
    # by 0.2 and 1.3, the topic signal sure of the topic at 0.95 and 0.99).
    # Merged (int10: r10c's bands and models with r10d's data, the scope model retrained on
    # the merged code): floors at the merged figures. Against either branch alone the only
    # moves are the four out-of-scope answers named above and set6 line 37 (r10d's, above,
    # still answered); set6's wrong answers are 2 of 170, as on main.
    # Round 9 (r9e): off-topic words in a long message's story (outside the ask's sentence:
    # "he's 38, usually up at five for the gym", "I'm 61 with type 2 diabetes") no longer cost
    # its ask, unless the ask asks whether something is safe or fine for the person
    # (parts.asks_suitability); more question openers in messages typed without punctuation;
    # synonyms.yaml's everyday ways to say "have a doctor see it" ("get it looked at", "get
    # him seen", "get checked"); clinical shorthand as its lay words (MSK, myalgia -> muscles,
    # CNS -> nervous system). Pooled over questions_set1-15 top-1 +23, wrong and declined
    # unchanged; leaving each writer out every fold picks the same share (0 of 0, 0.1, 0.25,
    # 0.5) and keeps the doctor synonyms (the openers: 14 folds of 15; the shorthand only
    # pays on set15, its one writer using it, +2). Floors raised to
    # the new figures; set12 top-1 falls by one (line 25: a tooth infection on antibiotics in
    # the story, then two asks, "How the immune system send message to brain" and "which
    # molecules do this?"; without the story's penalty the first ask's neuroimmune-synapse
    # leads and the bot hedges, offering the labelled cytokines first).
    # Round 9 (r9d): both models retrained with questions_set14/15; the offers ordered by word
    # score with the topic deciding close ones (topic_signal.OFFER_SCORE_WEIGHT 5, OFFER_SURE
    # 0.5); the bands refitted at a wrong cost of 0.75 with the topic lead as a term
    # (bench/BANDS.md round 9: leaving each writer out, top-1 92.6% -> 93.0%, over 25 words
    # 86.3% -> 87.5%, wrong 1.2% -> 1.4%). Floors raised to the new in-sample figures, except
    # where one message moves (each figure by one question): the retrain alone moves
    # dev_scope_nearmiss line 22 (flu, lower back aching: answered back-pain-when-sick, wanted
    # why-lower-back) and set3 line 7 ("why does my back hurt ... and will a heat pack help?":
    # the second ask's heat-treatment answered); the offers put back-pain-when-sick before
    # which-illnesses on set6 line 37; the lower bar answers set10 line 36 (a 58-word story,
    # which-illnesses for allodynia), set7 line 24 (throat infection, pain in the back:
    # back-pain-when-sick for allodynia) and the near misses set11 line 168 (two years of
    # back pain, not sick) and set6 line 169 (a standing desk), and leaves set10 line 93 ("Hot
    # compress or not for backache during covid?") offered first instead of answered.
    # Merged round 9 (r9e + r9d, the allodynia phrasings, both models retrained on the merged
    # code): floors at the merged figures. Against either branch alone, each figure below moves
    # by one question: set4 line 28 (a dad's sickness-behaviour story, now offered first, not
    # answered) and line 128 (a medical certificate for work: pain-medication answered, a near
    # miss); set12 line 135 (medicine for a dog: pain-medication answered); set3 line 7 (two
    # asks, the heat pack answered; r9d above). Leaving each writer out, the lower bar pays.
    # Round 8 (s12e): an ask opening with "or" is an alternative of the ask before it (one
    # question, not a second ask with its own button; alone it is read at the weight of an ask
    # pointing back), and existential "there", anticipatory "it" and a content-clause "that"
    # no longer make an ask point back (looked for within its first 8 words, not 4). Chosen
    # leaving each writer out (every fold but set10's and set12's picked this); pooled over
    # the question sets top-1 +8, wrong -6. Floors raised to the new figures; two fell by one
    # question: set11 line 42 ("is she right or can bacterial stuff set it off as well?": the
    # alternative points back with "it", read alone at 0.6, and is declined with the right
    # entry offered first) and set12 line 28 ("Is it true that sickness make people more
    # angry, there is some reason for this?": no longer read as pointing back, alone it ranks
    # back-pain-when-sick first; declined, the right entry offered first).
    # Round 8 merged (s12e + s12f, scope model retrained on the merged code): floors at the
    # merged figures. set12 top-1 is one question under s12f alone (line 28, see s12e above).
    # Round 8 (s12f): the bands refitted with the topic signal's probability as a term
    # (bench/calibrate_bands.py "topic" family, each set's evidence from a topic model that
    # never saw it), both models retrained with questions_set12/13, and scope.yaml's "medicine
    # comparison" and "other work" asks. Floors raised to the in-sample figures, except three
    # sets that move by one message: set2 top-1 103 -> 102 (line 80, chicken soup as "Jewish
    # penicillin", word score 39.6 under the new least score of 40: now offered first); set9
    # declined 57 -> 56 and set13 58 -> 57 (the topic model is sure of the topic and the bands
    # now trust it: set9 line 141, long COVID treatments, and line 145, Wim Hof steps; set13
    # line 121, ibuprofen in pregnancy, and line 161, paracetamol's daily maximum, are
    # answered). Leaving each writer out the refit pays (bench/BANDS.md round 8).
    # Round 7 (s11z): question localisation (bot/matching/parts.py): asks worded as statements
    # or requests ("I wanted to know whether", "kindly advise if"), asks in messages typed
    # without punctuation, a bare request ("Kindly explain.") dropped beside a real ask, an ask
    # pointing back read alone at 0.6, the whole message and the sentence before an ask read
    # without their story clauses (age, days ill, job); each chosen leaving each writer out
    # (every fold chose the same). Pooled over the question sets: top-1 +18, right first
    # suggestion +7, wrong -6. Floors raised to the new figures; set10 gains 3 top-1 but line
    # 68 ("I am 26 and work at a bank in Makati. ... Will this pain go away on its own ...?")
    # is now declined with long-covid offered first.
    # Round 6 (s11u): a topic the model is sure of that word matching did not offer is offered
    # first (topic_signal.OFFER_SURE, ANSWER_SURE); floors raised to the in-sample figures.
    # With s11f's tie-break (ties at the candidate cut by entry id) set2 has one answer fewer
    # and set6 one near miss answered than with the topic signal alone: floors at those figures.
    # Round 6 (s11t): the learned topic signal (bot/matching/topic_signal.py) reorders close
    # contenders and orders the topics offered when unsure; every floor below was raised to
    # its in-sample figure with it (the model saw these sets). Leave-one-writer-out figures
    # per questions_setN: bench/RANKING.md.
    # Issue 11, second pass (s11): question localisation, story words, scope and concept
    # families, each designed on misses of sets 1-3, so these floors guard that tuning.
    # Round 7: question localisation (s11z) and both learned models retrained on the merged
    # localisation with questions_set10/11 (s11v; bench/BANDS.md). Floors at the merged
    # figures; one fell: set6's top-1 or first suggestion 107 -> 106 of 110 (line 37, "can a
    # normal cold gve u back pain or is it just the flu and covid", offers back-pain-when-sick
    # before which-illnesses).
    "questions_set1.tsv": (0.981, 1.0, 0.0, 1.0),
    # A tenth writer; first look (i11 at 5cd8de4): top-1 80.9%, or first suggestion 84.5%,
    # wrong 9.4%, out-of-scope given no answer 83.3%. Dev data for issue 11 since then.
    "questions_set2.tsv": (0.963, 0.99, 0.0, 1.0),
    # An eleventh writer, scored once after the second round (first look): top-1 72.7% (51.1%
    # over 25 words), or first suggestion 80.9%, wrong 6.5%, out-of-scope given no answer
    # 91.7% (on i11 alone; with issue 15's safety wording merged, wrong 7.1% and declined 90.0%).
    "questions_set3.tsv": (0.963, 0.972, 0.006, 1.0),
    "dev_long_questions.tsv": (0.971, 1.0, 0.0, 1.0),
    # Writers G and I (2026-11-29), scored untouched on main before that day's round and once
    # after it (first look, no one tuned on them): set4 79.1% -> 81.8% top-1 (>25 words 62.2% ->
    # 66.7%), wrong 5.3% -> 5.9%; set5 68.2% -> 71.8% (54.0% -> 60.0%), wrong 7.6% -> 8.2%.
    # Held to the after figures so they cannot get worse; the next round may tune on them.
    "questions_set4.tsv": (0.99, 0.99, 0.0, 1.0),
    # With s11r's ranking merged, one more wrong answer than on s11q alone (9/170): the
    # floor stays at its figure from before round 5.
    # Round 12 retrain: line 31 (a light pat feels painful) moved from an answer to the right
    # first suggestion.
    "questions_set5.tsv": (0.972, 1.0, 0.0, 1.0),
    # Writers K and M, first look before and after round 4 (2026-11-30; no tuner saw them):
    # set6 75.5% -> 79.1% top-1 (>25 words 62.0% -> 70.0%), wrong 10.0% -> 9.4%; set7 86.4% ->
    # 87.3% (73.2% -> 75.0%), wrong 10.6% -> 11.2%. Dev data from round 5 on.
    # Round 5 (s11q): the learned scope signal (bot/matching/scope_signal.py, trained on every
    # set here, so these are in-sample): wrong answers fall on most sets (set6 16 -> 8, set7
    # 19 -> 10), near misses declined rise, top-1 holds or rises everywhere. Leave-one-writer-
    # out figures: bench/BANDS.md.
    "questions_set6.tsv": (0.972, 0.99, 0.006, 1.0),
    "questions_set7.tsv": (0.981, 1.0, 0.024, 0.933),
    # Writers P and Q, first look before and after round 5 (2026-11-30; no tuner saw them):
    # set8 89.1% -> 91.8% top-1 (>25 words 86.0% -> 91.2%), wrong 7.6% -> 5.9%; set9 85.5% ->
    # 88.2% (76.9% -> 78.8%), wrong 10.0% -> 7.6%. Dev data from round 6 on.
    "questions_set8.tsv": (0.99, 1.0, 0.0, 1.0),
    "questions_set9.tsv": (0.99, 0.99, 0.006, 0.983),
    # s11o's out-of-scope near misses (20) and long in-scope stories (6), written before any
    # run; first look (at a0ede0c): top-1 5/6, wrong 3/26, out-of-scope given no answer 18/20.
    # A coverage signal (share of the asked words the entry covers) was tried on them and on
    # every set, leave one writer out: no threshold paid for itself, so it was left out.
    "dev_scope_nearmiss.tsv": (0.833, 0.833, 0.077, 0.95),
    # Writers T and U, first look before and after round 6 (2026-11-30; no tuner saw them):
    # set10 82.7% -> 84.5% top-1 (>25 words 73.1% -> 75.0%), or first suggestion 88.2% ->
    # 92.7%, wrong 2.9% -> 2.4%; set11 90.9% -> 91.8% (86.5% -> 90.4%), 92.7% -> 93.6%, wrong
    # 4.7%. Dev data from round 7 on, held to the after figures.
    "questions_set10.tsv": (0.981, 1.0, 0.0, 1.0),
    # Round 11 (r11f, negation scope as data): set11 line 3 ("... the proper link not a blurry
    # screenshot") is answered article-source; "not a blurry screenshot" no longer counts.
    "questions_set11.tsv": (0.99, 1.0, 0.012, 0.966),
    # Writers X and Y, first look before and after round 7 (2026-11-30; no tuner saw them):
    # set12 88.2% -> 90.0% top-1 (>25 words 86.5% -> 90.4%), or first suggestion 93.6%, wrong
    # 2.9% -> 3.5%, declined 95.0% -> 93.3%; set13 88.2% -> 87.3% (81.5% -> 79.6%), 92.7%,
    # wrong 4.7% -> 3.5%, declined 95.0% -> 96.7%. Dev data from round 8 on, held to the after
    # figures.
    "questions_set12.tsv": (0.963, 0.99, 0.0, 1.0),
    "questions_set13.tsv": (0.981, 1.0, 0.0, 1.0),
    # Writers AB and AC, first look before and after round 8 (2026-11-30; no tuner saw them):
    # set14 83.6% -> 85.5% top-1 (>25 words 78.8% -> 84.6%), or first suggestion 93.6%, wrong
    # 4.1% -> 2.9%, declined 95.0%; set15 84.5% (74.5%), 90.9% -> 91.8%, wrong 3.5% -> 2.4%,
    # declined 95.0% -> 96.7%. Dev data from round 9 on, held to the after figures.
    "questions_set14.tsv": (0.945, 0.99, 0.0, 1.0),
    # Round 12 retrain with sets 20 and 21 in the data: set15 line 101 ("...mind over matter,
    # according to the research?") is now declined with no suggestion; no wrong answer. Helper
    # r12f looks at quoting frames such as "according to".
    # Round 13's retrain on sets 22/23: "I run the staff flu vax clinic..." (vaccination) went
    # from an answer to the first suggestion (one message of 110).
    "questions_set15.tsv": (0.936, 0.972, 0.012, 0.983),
    # Writers AF and AG, first look before and after round 9 (2026-11-30; no tuner saw them):
    # set16 80.9% -> 86.4% top-1 (>25 words 69.2% -> 80.8%), or first suggestion 91.8% -> 92.7%,
    # wrong 3.5%, declined 98.3% -> 96.7%; set17 85.5% -> 87.3% (76.9% -> 80.8%), 92.7% ->
    # 96.4%, wrong 1.2%, declined 98.3%. Dev data from round 10 on, held to the after figures.
    "questions_set16.tsv": (0.981, 1.0, 0.0, 1.0),
    "questions_set17.tsv": (0.981, 1.0, 0.006, 0.983),
    # Writers AN and AO, first look before and after round 11 (2026-11-30; no tuner saw them):
    # set20 94.8% -> 95.7% top-1 (>25 words
    # 93.8%), or first suggestion 94.8% -> 95.7%, wrong 4.0%, declined 91.7%; set21 93.9%
    # (87.9%), 98.3%, wrong 0.0%, declined 100% before and after. Dev data from round 12 on,
    # held to the after figures.
    # Round 13's retrain: "Every single time I get a cold my back aches like I've been lugging
    # bricks..." went from an answer to the first suggestion (one of 115).
    "questions_set20.tsv": (0.965, 0.982, 0.023, 0.95),  # in-sample after the retrain
    "questions_set21.tsv": (0.973, 1.0, 0.0, 1.0),
    # Writers AR and AS, first look before and after round 12 (2026-12-01; no tuner saw them):
    # set22 92.2% top-1 (>25 words 90.0%), or
    # first suggestion 96.5%, wrong 0.6% -> 1.1%, declined 100% -> 98.3%; set23 92.2% (90.3%),
    # 96.5%, wrong 2.3% -> 1.7%, declined 95.0% -> 96.7%. Dev data from round 13 on, held to
    # the after figures.
    "questions_set22.tsv": (0.947, 0.982, 0.006, 0.983),
    "questions_set23.tsv": (0.947, 0.991, 0.012, 0.966),
}


@pytest.mark.parametrize("name", sorted(LONG_SETS))
def test_long_message_sets_keep_their_figures(name: str) -> None:
    top1, either, wrong, declined = LONG_SETS[name]
    kb = load_knowledge(ROOT / "knowledge")
    replies = evaluate.run_replies(build_matcher(kb), evaluate.read_cases(DATA / name))
    figures = evaluate.user_figures(replies)
    report = evaluate.user_report(replies)
    assert figures.top1.value >= top1, report
    assert figures.top1_or_suggestion.value >= either, report
    assert figures.wrong.value <= wrong, report
    assert figures.declined.value >= declined, report
