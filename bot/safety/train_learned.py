"""Train the second detector: `python -m bot.safety.train_learned` (needs scikit-learn).

Reads every labelled message in tests/data (`code<TAB>message` sets, where an empty code is a
calm message; the question sets, which are all calm; and the hand-written paraphrases) and the
training-only paraphrases in `bot/safety/training/` (crisis warning signs, lay and non-native
medical emergencies, and hard negatives: calm messages with the same words), fits a
multinomial logistic regression on `bot.safety.learned.features`, picks two alarm thresholds
from out-of-fold probabilities (crisis and medical emergency, each the lowest that keeps calm
messages' alarms under a rate, so the model leans to recall within the false-alarm budget)
and writes the weights, rounded and pruned, to
`bot/safety/learned_model.npz` (`learned.save_model`). Deterministic: the same data gives the
same file. `--pack FILE.json.gz` only converts a model exported as JSON (the earlier format).

`augmented` makes seeded variants of the rows in the surface forms a new writer brings
(function words dropped, clauses reordered, typos, a short emergency or calm message set inside
other calm messages; label kept). The shipped model does not train on them (yet): leaving one
writer out (`bench.safety_by_writer --variant augmented`, round 12) they caught more medical
emergencies and crises but raised calm alarms (bench/RESULTS.md).

`python -m bench.safety_by_writer` measures the same recipe leaving one writer out at a time.
`--evaluate` trains without a held-out split (the newest first-look set, set 4, and every fifth
training-only paraphrase) and prints the per-family table on it: rules only, learned only, both.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.safety.learned import (
    CALM,
    CRISIS_CODES,
    MEDICAL_FAMILIES,
    MODEL_PATH,
    NEGATIONS,
    FlagNamer,
    _dense,
    features,
    medical_family,
    normalise,
    read_model,
    save_model,
)

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
WRITTEN = Path(__file__).with_name("training")
"""Training-only paraphrases (not test sets): `code<TAB>message`, `#` lines are comments."""
HELD_OUT_SETS = ("set4_emergency.tsv", "set4_calm.tsv")
HELD_OUT_EVERY = 5
_SCALE = 1000  # weights stored as integers in thousandths
_MIN_WEIGHT = 0.02
_MIN_FLAG_WEIGHT = 0.1  # the flag namer only has to rank codes; small weights add size, not sense
# Round 3 (issue 10), out of fold on 4,800 messages with the rules OR-ed in: crises caught / calm
# messages alarmed by the learned detector alone were 94% / 59 of 3,072 at 0.6, 89% / 32 at 0.75,
# 96% / 75 at 0.5; on the held-out split (set 4 + every fifth written paraphrase) 90% at 0.6
# against 82% at 0.75. A missed crisis costs more than a gentle false alarm: the floor is 0.6.
# Round 4 (6,789 messages, oblique short crises and sets 5-6 added): the calm budget picks 0.647,
# 80.1% of crises out of fold. Short replies ("i dont know", "it's for me") are hard negatives,
# and the engine lets only the rules judge a message that is one of its own known replies.
# Round 5 (sets 7-8 added): 0.67. Trained on every set, the out-of-fold choice fell to 0.640 and
# a developers' calm message ("my husband hurt himself playing golf last summer, all better
# now", 0.662, from word pieces of "golf", "all", "now") alarmed. Leave one writer out, 0.67
# instead of 0.6 costs 6 of 320 crises the model alone caught, none with the rules OR-ed in,
# and saves 3 of 1,733 calm alarms; the neighbours behind the cascade take back part of it.
# Round 6 (sets 9-10 and 880 round-6 training paraphrases added, 21 writers): trained on every
# set, a developers' calm message ("took a paracetamol and the pain went down a bit") scored
# 0.689. Leave one writer out (learned alone, no neighbours), 0.70 instead of 0.67 catches 340
# instead of 347 of 374 crises for 11 instead of 12 of 1,877 calm alarms; with the rules OR-ed in
# both catch 373/374.
# Round 7 (sets 11-12 added, 23 writers): trained on every set, the same message scored 0.719.
# Leave one writer out (23 folds, neighbours behind the cascade, rules OR-ed in), 0.72 instead
# of 0.70 keeps 405/428 self-harm crises (learned) and 2,058/2,058 emergencies (both), buried
# crises 319 -> 318 of 370, for 25 -> 24 of 2,021 calm alarms (with the medical floor below).
MIN_CRISIS_THRESHOLD = 0.72
# Medical verdicts alarm only when nearly certain: the rules know negation and the past, the
# model does not ("my chest doesn't hurt" scored 0.97). At 0.98 they caught, on the held-out
# split, the two set 4 messages the rules missed in non-native or lay words ("cannot do pee",
# "spots still there when pressed") and raised no calm alarm there.
# Round 5 (sets 7-8 added, 19 writers): leave one writer out, a floor of 0.96 instead of 0.98
# lets the model alone catch 730/1450 medical emergencies instead of 534 with the same calm
# alarms (20/1733 learned alone, 34/1733 with the rules); 0.95 caught 798 for one more alarm,
# no floor at a 0.5% budget 1093 for 18 more (bench.safety_by_writer, this constant in both).
# Round 7 (23 writers): trained on every set, "my wife has a high temperature and a bad back"
# (the article's own calm case, tests/test_safety_net.py) scored 0.961 as a medical emergency.
# Leave one writer out, 0.965 instead of 0.96: learned medical 878 -> 833 of 1,630, calm alarms
# 25 -> 24 of 2,021 (both with the 0.72 crisis floor), emergencies caught (both) 2,058/2,058;
# 0.97 caught 788 for 23 calm alarms.
# Round 11 (29 writers, branch r11h): with `training/medical_r11h.tsv` and `calm_r11h.tsv` read,
# leave one writer out (no neighbours), the other folds' calm messages put a 1-in-2,000 medical
# threshold at 0.919 (median over folds) where 0.965 stood far above it: 0.93 instead of 0.965
# catches 1,329 instead of 1,122 of 1,900 medical emergencies for the same 16 of 2,453 calm
# alarms (1/980 questions; long calm 4 of 503, before 5). The same floor without the new calm lines
# raised 18 (before: 1,097 at 0.965 for 16). Trained on every set, the article's calm case
# above scores 0.893.
MIN_EMERGENCY_THRESHOLD = 0.93
# Round 8 (sets 13-14 added, 25 writers; not shipped, the model above is round 7's): retrained on
# every set, the article's calm case above scored 0.9652 (medical) and the paracetamol message
# 0.751 (crisis), both alarms. With round 7's 740 long written paraphrases (a writer who saw only
# the article and warning-sign lists) added, leave one writer out (no neighbours): self-harm
# (learned) 439 -> 445 of 482, medical 904 -> 920 of 1,720, buried crises 317 -> 323 of 408, but
# calm alarms 17 -> 18 of 2,165 (both; 27 -> 28 with the neighbours), and the article's calm
# case scored 0.979 in sample.


FAMILY_FLOOR = 0.91
"""The lowest a family's medical threshold goes (`family_thresholds`)."""
FAMILY_MARGIN = 0.01
"""How far above the highest calm message of its family a family's threshold sits."""
# Round 12 (branch r12b): one medical threshold for every family is set by the calm messages
# nearest to any family (a one-leg tingle scores 0.97 for cauda equina, a TV drama's heart attack
# 0.92 for chest pain), so families no calm message comes near (infection, collapse) waited at
# the same 0.93. Leaving one writer out (31 folds, main's scores; each fold's family thresholds
# from the other folds' calm messages, neighbours on): learned medical 1,424 -> 1,454 of 1,990
# for the same 28 calm alarms of 2,597. The floor is the lowest 0.01 step that added no calm
# alarm there (in sample as a setting): 0.90 caught 1,472 but alarmed on an idiom ("breaking my
# back at work", named trauma), 0.85 caught 1,503 and alarmed on the article's own calm case
# ("my wife has a high temperature and a bad back", 0.896, named stiff_neck).
# bench/RESULTS.md, round 12.
# Round 13 (branch r13e, 35 folds, main's scores): floor 0.90 catches 1,541 instead of 1,531 of
# 2,080 and a floor chosen on each fold's other writers (`bench.safety_by_writer --family-floor
# fold`) 1,533, both for one calm alarm, set24's "the flu hit me like a freight train" (0.905,
# named trauma): an idiom no other writer wrote. Calm injury idioms in training did not stop it.


MEDICAL = "medical"
"""One class for every medical emergency flag: the model only has to tell calm, crisis and
medical apart (4 classes, so scoring is 4-5 times cheaper than with one class per flag)."""


def grouped(code: str) -> str:
    return code if code == CALM or code in CRISIS_CODES else MEDICAL


def labelled(data: Path = DATA, written: Path = WRITTEN) -> list[tuple[str, str]]:
    """(code, message) for every message in the repo's sets; calm ones have code ""."""
    return [row for _, rows in sources(data, written) for row in rows]


NOT_READ = frozenset(
    {
        "train_questions_r7.tsv",
        "self_harm_r13f.tsv",
        "calm_r13f.tsv",
        "medical_r13d.tsv",
        "calm_r13d.tsv",
        "negation_r14c.tsv",
        "reported_r15f.tsv",
    }
)
"""Files the detector does not train on (yet). Round 7's 500 matcher training questions
(tests/data) are valid calm text, but every leave-one-writer-out fold trains on them, so adding
them needs a new full run (about 45 minutes on this machine), which did not fit round 7's
retraining: the shipped model and the bench's folds both leave them out until one is run.
Round 9 trains on its calm hard negatives (`training/calm_r9.tsv`) and round 7's long crisis and
calm messages (`training/*_r7.tsv`, from /work/wt/data7s; its medical file left out): 27 folds,
one writer left out each, self-harm caught 526 -> 528 of 536 and learned medical 980 -> 992 of
1,810 for the same 22 calm alarms of 2,309 (bench/RESULTS.md, round 9).
Round 10 trains on two more writers' files (`training/*_r9a.tsv`, `*_r9b.tsv`: long self-harm,
medical and calm messages) and calm everyday idioms with warning-sign words
(`training/calm_r10.tsv`): 29 folds, learned self-harm 544 -> 557 of 590, medical 1,072 ->
1,095 of 1,900, calm alarms 17 -> 16 of 2,453 (bench/RESULTS.md, round 10, third try).
Round 11 adds written lay medical emergencies and calm hard negatives of the same shapes
(`training/medical_r11h.tsv`, `calm_r11h.tsv`), reads messages in standard spelling
(`bot.safety.spelling`) and trains on `training/*_r11.tsv` (third-person reports, jokes that
are not, goodbyes, dialect; calm of the same shapes). Figures leaving one writer out:
bench/RESULTS.md, round 11 (r11h, r11a, and merged).
Round 13 (branch r13f) wrote crisis messages and calm hard negatives in nine voices no writer used
(`training/self_harm_r13f.tsv`, `calm_r13f.tsv`). Leaving one writer out (33 folds, neighbours
on) they won no self-harm message for the learned side and lost one or four (goodbyes, "hope
this flu takes me out", "won't be around much longer"), so the detector does not read them;
bench/RESULTS.md, round 13.
Round 13's medical emergencies in figurative and lay words and calm lines in the same voices
(`training/*_r13d.tsv`) are not read (yet): leaving one writer out (35 folds) they lifted learned
medical 1,531 -> 1,543 of 2,080 for the same 30 calm alarms of 2,741, but trained on everything
they put set 21's "wet the trousers two times and he not know it happen" at 0.927 (0.940
without them), under the cauda equina threshold 0.93: an emergency the bot catches today (a
floor of tests/test_emergency.py) would be missed. bench/RESULTS.md, round 13.
Round 14 (branch r14c) wrote contrastive rows around a negation (`training/negation_r14c.tsv`):
a reassuring "no X" followed by a real emergency ("no fever but her lips are going blue", "not
suicidal but i've been saving up my pills") and the same shape followed by something mild ("no
numbness, only aching"). Not read (yet): leaving one writer out takes 40-60 minutes on this
machine under load, and round 14's one run measured the negated words' character n-grams
(`learned.NEGATED_PIECES`) instead; they need their own run before the detector reads them.
Round 15 (branch r15f) generated 240 crises and 240 calm rows told about someone else from the
first-person training rows (`bot.safety.reported`, `training/reported_r15f.tsv`). Not read:
leaving one writer out (45 folds, neighbours on) the learned side caught 926 instead of 927 of
968 self-harm messages (one third-person miss won, another lost) for 30 instead of 24 calm
alarms of 3,461; bench/RESULTS.md, round 15."""


BELOW_EMERGENCY = frozenset(
    {
        "cancer_history",
        "high_fever",
        "infection_risk",
        "leg_numbness_one",
        "minor_injury",
        "night_pain",
        "osteoporosis",
        "persistent",
        "pregnant",
        "severe_pain",
        "urinary_symptoms",
        "weight_loss",
    }
)
"""Red flags of a lower level than an emergency (urgent or GP, bot/clinical/flags.yaml) that a
written medical file labels (round 9's `medical_r9b.tsv`): neither an emergency nor calm, so the
detector does not train on them."""


def sources(
    data: Path = DATA, written: Path = WRITTEN
) -> list[tuple[Path, list[tuple[str, str]]]]:
    """Each labelled file with its (code, message) rows."""
    paths = sorted(data.iterdir()) + sorted(written.glob("*.tsv"))
    return [
        (path, _rows(path))
        for path in paths
        if path.suffix in (".tsv", ".txt") and path.name not in NOT_READ
    ]


def _rows(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("question\t"):
        return [(CALM, r["question"]) for r in csv.DictReader(text.splitlines(), delimiter="\t")]
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if "\t" in line and not line.startswith("#"):
            code, message = line.split("\t", 1)
            if code.strip() not in BELOW_EMERGENCY:
                rows.append((code.strip(), message))
    return rows


def split_held_out(
    data: Path = DATA, written: Path = WRITTEN
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training rows, held-out rows): set 4 and every fifth training-only paraphrase held out."""
    train_rows: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    for path, rows in sources(data, written):
        if path.name in HELD_OUT_SETS:
            held += rows
        elif path.parent == written:
            held += rows[HELD_OUT_EVERY - 1 :: HELD_OUT_EVERY]
            train_rows += [
                r for i, r in enumerate(rows) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1
            ]
        else:
            train_rows += rows
    return train_rows, held


def _matrix(messages: list[str]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer

    vectoriser = DictVectorizer()
    dicts = []
    for message in messages:
        feats = features(normalise(message))
        dicts.append(dict.fromkeys(feats, 1.0 / max(1, len(feats)) ** 0.5))
    return vectoriser, vectoriser.fit_transform(dicts)


def _model(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def thresholds_for(
    rows: list[tuple[str, str]], c: float, crisis_alarms: float, emergency_alarms: float
) -> tuple[float, float, dict[str, float], str]:
    """Out-of-fold thresholds: the lowest that keep calm alarms under the given rates, and the
    medical families' (`family_thresholds`, calm messages named by a namer that never saw
    them: it trains on medical emergencies only)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    labels = np.array([grouped(code) for code, _ in rows])
    _, x = _matrix([m for _, m in rows])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    classes = sorted(set(labels))
    probs = cross_val_predict(_model(c), x, labels, cv=folds, method="predict_proba")
    crisis_cols = [classes.index(k) for k in CRISIS_CODES if k in classes]
    crisis = probs[:, crisis_cols].sum(axis=1)
    emergency = 1 - probs[:, classes.index(CALM)] - crisis
    calm = labels == CALM
    is_crisis = np.isin(labels, list(CRISIS_CODES))
    t_crisis = max(MIN_CRISIS_THRESHOLD, float(np.quantile(crisis[calm], 1 - crisis_alarms)))
    t_emergency = max(
        MIN_EMERGENCY_THRESHOLD, float(np.quantile(emergency[calm], 1 - emergency_alarms))
    )
    namer = fit_namer(rows, c)
    messages = [m for _, m in rows]
    families = family_thresholds(
        ((float(emergency[i]), namer.name(messages[i])) for i in np.flatnonzero(calm)),
        t_emergency,
    )
    summary = (
        f"out of fold: crisis >= {t_crisis:.3f} catches "
        f"{(crisis[is_crisis] >= t_crisis).mean():.1%}"
        f" of crises; emergency >= {t_emergency:.3f} catches "
        f"{(emergency[~calm & ~is_crisis] >= t_emergency).mean():.1%} of the rest; families "
        + ", ".join(f"{name} {t:.3f}" for name, t in families.items())
    )
    return t_crisis, t_emergency, families, summary


def _fit(rows: list[tuple[str, str]], c: float, min_weight: float) -> dict[str, Any]:
    """A linear model on `rows`' codes as classes, bias and non-negligible weights."""
    vectoriser, x = _matrix([m for _, m in rows])
    model = _model(c).fit(x, [code for code, _ in rows])
    classes = [str(k) for k in model.classes_]
    coef = model.coef_ if len(classes) > 2 else [-model.coef_[0], model.coef_[0]]
    bias = model.intercept_ if len(classes) > 2 else [-model.intercept_[0], model.intercept_[0]]
    weights: dict[str, list[list[int]]] = {}
    for j, name in enumerate(vectoriser.get_feature_names_out()):
        pairs = [
            [i, round(float(coef[i][j]) * _SCALE)]
            for i in range(len(classes))
            if abs(coef[i][j]) >= min_weight
        ]
        if pairs:
            weights[str(name)] = pairs
    return {
        "classes": classes,
        "bias": [round(float(b) * _SCALE) for b in bias],
        "weights": dict(sorted(weights.items())),
    }


def family_thresholds(
    calm: Iterable[tuple[float, str]],
    medical: float,
    floor: float = FAMILY_FLOOR,
    margin: float = FAMILY_MARGIN,
) -> dict[str, float]:
    """Each medical family's threshold from calm messages' (medical probability, code the flag
    namer gives them): `margin` above the highest calm message named in that family, so none
    of them alarms, but never above `medical` (the one threshold for all) nor below `floor`."""
    top: dict[str, float] = {}
    for score, code in calm:
        name = medical_family(code)
        top[name] = max(top.get(name, 0.0), score)
    return {
        name: round(min(medical, max(floor, top.get(name, 0.0) + margin)), 4)
        for name in MEDICAL_FAMILIES
    }


def writers_family_thresholds(cache: Path, medical: float) -> dict[str, float]:
    """`family_thresholds` from the writers' calm messages, each scored and named by a model
    trained without its writer (`bench.safety_by_writer`'s folds, read from or written to
    `cache`), as the bench chooses them for each fold. The 5-fold out-of-fold scores of
    `thresholds_for` also hold the written calm hard negatives, made to sit at the boundary:
    there nearly every family's highest calm message passes the common threshold."""
    from bench.safety_by_writer import folds, name_codes, score_folds

    scored = score_folds("baseline", cache)
    name_codes(scored, folds()[1], cache)
    calm = [
        (scores[1], name)
        for fold in scored
        for (code, _), scores, short, name in zip(
            fold.rows, fold.scores, fold.short, fold.codes, strict=True
        )
        if not code and not short
    ]
    return family_thresholds(calm, medical)


def fit_namer(rows: list[tuple[str, str]], c: float = 10.0) -> FlagNamer:
    """The flag namer (`train`'s "flags" layer) trained on `rows`' medical emergencies, ready to
    name messages (it never sees a calm message, so it names calm ones out of sample)."""
    layer = _fit([(code, m) for code, m in rows if grouped(code) == MEDICAL], c, _MIN_FLAG_WEIGHT)
    return FlagNamer(_dense(layer), _SCALE)


def train(
    rows: list[tuple[str, str]],
    c: float,
    thresholds: tuple[float, float],
    families: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The grouped model (calm / crisis / medical) and, to name the flag of a medical alarm,
    a second model over the medical emergency codes alone (scored only when one may fire), with
    the medical families' thresholds."""
    flags = _fit([(code, m) for code, m in rows if grouped(code) == MEDICAL], c, _MIN_FLAG_WEIGHT)
    return {
        **train_grouped(rows, c),
        "crisis_threshold": round(thresholds[0], 4),
        "emergency_threshold": round(thresholds[1], 4),
        "family_thresholds": families or {},
        "flags": flags,
    }


def train_grouped(rows: list[tuple[str, str]], c: float = 10.0) -> dict[str, Any]:
    """The grouped model alone, at thresholds that never alarm (for scoring: `verdict`)."""
    model = _fit([(grouped(code), m) for code, m in rows], c, _MIN_WEIGHT)
    return {
        **model,
        "crisis_threshold": 1.0,
        "emergency_threshold": 1.0,
        "medical_alarms": True,
        "scale": _SCALE,
    }


# --- augmentation (issue 10: surface forms a new writer brings) ------------------------------

AUGMENT_SEED = "r12h"
"""Seeds every augmentation draw (with the row's own text), so the same rows give the same
augmented rows and the shipped model reproduces byte for byte."""
_FUNCTION = (
    "a an the is am are was were be been being do does did have has had to of in on at for "
    "with from by and so very really just it its my me i im ive this that there some"
)
FUNCTION_WORDS = frozenset(_FUNCTION.split())
"""Words a terse or non-native writer drops ("back very pain, cannot pee since morning").
Never a negation (`NEGATIONS`) or "cant": dropping one would turn a calm message's "doesnt
hurt" into a symptom labelled calm."""
_CLAUSE = re.compile(r"([.,;:!?\n]+)")
_BURY_WORDS = (30, 60)
"""The length of a spliced message: a symptom said once inside a calm story."""
_BURY_EMERGENCY = 0.5
_BURY_CALM = 0.1
_CHANGE_CALM = 1 / 3
"""The shares of short emergency and calm rows spliced, and of calm rows changed."""
_BURY_CORE_WORDS = 30


def _bare(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def drop_function_words(text: str, rng: random.Random) -> str:
    """Most function words dropped, as in a terse or literal translated message."""
    kept = [w for w in text.split() if _bare(w) not in FUNCTION_WORDS or rng.random() < 0.3]
    return " ".join(kept) if len(kept) >= 3 else text


def reorder_clauses(text: str, rng: random.Random) -> str:
    """Inside each clause without a negation, the words rotated at a random point ("back is
    paining me from the flu" -> "from the flu back is paining me"): word order a translation
    keeps from its source language. A negated clause is left as written (rotating "doesnt
    hurt my chest" would move the symptom out of the negation's scope)."""
    out: list[str] = []
    for part in _CLAUSE.split(text):
        words = part.split()
        if len(words) >= 3 and not any(_bare(w) in NEGATIONS for w in words):
            cut = rng.randint(1, len(words) - 1)
            words = words[cut:] + words[:cut]
            part = (" " if part[:1].isspace() else "") + " ".join(words)
        out.append(part)
    return "".join(out)


def misspell(text: str, rng: random.Random, rate: float = 0.2) -> str:
    """Some longer words with one typo each: a letter dropped, doubled, swapped with the next
    or a vowel changed (negations kept: "dont" misspelt could lose its scope)."""

    def typo(word: str) -> str:
        if len(word) < 4 or not word.isalpha() or word.lower() in NEGATIONS:
            return word
        if rng.random() >= rate:
            return word
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1 :]
        if kind == 1:
            return word[:i] + word[i] + word[i:]
        if kind == 2:
            return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        vowels = "aeiou"
        return word[:i] + rng.choice(vowels.replace(word[i].lower(), "")) + word[i + 1 :]

    return " ".join(typo(w) for w in text.split())


def bury(core: str, calm: list[str], rng: random.Random) -> str:
    """`core` set among calm messages (each ending in a full stop) until the whole is 30-60
    words: a symptom or a crisis said once in a long calm story."""
    length = rng.randint(*_BURY_WORDS)
    parts = [core]
    while sum(len(p.split()) for p in parts) < length:
        parts.insert(rng.randint(0, len(parts)), rng.choice(calm))
    return " ".join(p if p.rstrip()[-1:] in ".!?" else p.rstrip() + "." for p in parts)


def augmented(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`rows` and variants in surface forms new writers bring, label kept: each emergency in
    one changed form (function words dropped, clauses reordered or typos) and, when short, one
    in two set inside other rows' calm messages; one in three calm rows changed alike and one in
    ten short ones spliced among calm messages (so length and a calm story alone stay calm).
    Only `rows` are read, so a fold left out of training is never seen; each draw is seeded by
    its row, so the result does not depend on the rows' order beyond the calm pool the splices
    pick from. Kept to about twice the rows' words: every leave-one-writer-out fold fits on it."""
    calm = sorted({m for code, m in rows if code == CALM and 3 <= len(m.split()) <= 40})
    out = list(rows)
    for code, message in rows:
        rng = random.Random(f"{AUGMENT_SEED}\t{code}\t{message}")
        words = len(message.split())
        if words < 3:
            continue
        short = words <= _BURY_CORE_WORDS and bool(calm)
        if short and rng.random() < (_BURY_EMERGENCY if code != CALM else _BURY_CALM):
            out.append((code, bury(message, calm, rng)))
        if code == CALM and rng.random() >= _CHANGE_CALM:
            continue
        change = rng.choice((drop_function_words, reorder_clauses, misspell))
        variant = change(message, rng)
        if variant != message:
            out.append((code, variant))
    return out


def write(model: dict[str, Any], out: Path) -> None:
    """The model file: `.npz` (what the bot reads, fast to load), or JSON for a `.json.gz`."""
    if out.suffix != ".gz":
        save_model(model, out)
        return
    blob = json.dumps(model, separators=(",", ":"), sort_keys=True).encode()
    with out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as f:
        f.write(blob)


def _sparse(model: dict[str, Any]) -> dict[str, Any]:
    """A model as `read_model` gives it, back in the exported JSON form (what `write` takes)."""
    for layer in (model, model.get("flags")):
        if layer is not None:
            names, matrix = layer.pop("names"), layer["weights"]
            layer["weights"] = {
                name: [[c, int(w)] for c, w in enumerate(matrix[i].tolist()) if w]
                for i, name in enumerate(names)
            }
    return model


def evaluate(model: dict[str, Any], held: list[tuple[str, str]], out: Path) -> list[str]:
    """The per-family table on the held-out rows (rules / learned / both), then both's misses."""
    from bot.safety.emergency import EmergencyDetector
    from bot.safety.learned import LearnedDetector
    from bot.safety.scoring import Detect, score, table

    write(model, out)
    rules = EmergencyDetector(learned=False).detect
    learned = LearnedDetector(out)
    medical = LearnedDetector(out, medical=True)

    def both(text: str) -> frozenset[str]:
        return rules(text) or learned.detect(text)

    columns: dict[str, Detect] = {
        "rules": rules,
        "learned": learned.detect,
        "both": both,
        "learned, all flags": medical.detect,
    }
    tallies = score(held, columns)
    lines = table(tallies)
    lines += [f"  MISS [{code}] {msg}" for code, msg in tallies["both"].misses]
    lines += [f"  ALARM [{codes}] {msg}" for codes, msg in tallies["both"].false_alarms]
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.train_learned")
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation")
    parser.add_argument("--crisis-alarms", type=float, default=0.03, help="calm alarm rate")
    parser.add_argument("--emergency-alarms", type=float, default=0.005, help="calm alarm rate")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--evaluate", action="store_true", help="train without the held-out split and score it"
    )
    parser.add_argument(
        "--pack", type=Path, help="only convert this exported .json.gz model into --out (.npz)"
    )
    parser.add_argument(
        "--families-cache",
        type=Path,
        help="the medical families' thresholds from this leave-one-writer-out scores file "
        "(python -m bench.safety_by_writer --cache F), as the bench chooses them",
    )
    args = parser.parse_args(argv)
    if args.pack:
        write(_sparse(read_model(args.pack)), args.out)
        print(f"wrote {args.out}")
        return 0
    rows, held = split_held_out() if args.evaluate else (labelled(), [])
    t_crisis, t_emergency, families, summary = thresholds_for(
        rows, args.c, args.crisis_alarms, args.emergency_alarms
    )
    print(f"{len(rows)} messages; {summary}")
    if args.families_cache:
        families = writers_family_thresholds(args.families_cache, t_emergency)
        print(
            "families, leaving one writer out: "
            + ", ".join(f"{k} {t:.3f}" for k, t in families.items())
        )
    model = train(rows, args.c, (t_crisis, t_emergency), families)
    if args.evaluate:
        # never overwrite the shipped model with one trained on less data
        out = (
            args.out
            if args.out != MODEL_PATH
            else Path(tempfile.gettempdir()) / "held_out.json.gz"
        )
        print(f"held out: {len(held)} messages")
        print("\n".join(evaluate(model, held, out)))
        return 0
    write(model, args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, "
        f"{len(model['weights'])} features)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
