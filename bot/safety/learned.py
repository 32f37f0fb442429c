"""The second detector: a linear model on word and character n-grams, beside the rules.

The rules catch what someone wrote a pattern for; this catches phrasings nobody did ("saved up
my pills", "wrote letters for the kids") because it scores every word and word piece it has
seen in labelled messages. It is trained offline by `bot.safety.train_learned` (scikit-learn,
training only) and shipped as a small weights file (`learned_model.npz`) read here with numpy:
nothing is downloaded and nothing heavier than numpy is imported at run time. The threshold is
set for high recall; the bot ORs this detector with the rules, and their disagreements are
logged for review.

Long messages are scored in overlapping windows of words and the highest window wins, so a flag
buried in a chatty message is not diluted and the work stays linear in the text's length. A
crisis said once in passing in a long message is still diluted in a 48-word window, so a message
of more than `LONG_WORDS` words is also scored sentence by sentence (`sentences`), where one
sentence alarms only at the stricter `SENTENCE_CRISIS` (a long calm ramble has many sentences,
each a chance of a false alarm). A shorter message is diluted too ("wrote letters for my sister
tonight just in case. anyway does heat help lower back pain"), so a message of more than
`SPAN_WORDS` words is also scored in spans of that many words (`spans`), held to the same
threshold.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.safety.spelling import folded_standard

MODEL_PATH = Path(__file__).with_name("learned_model.npz")
CALM = ""  # the class name of a calm message in the model
_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?()\n]")
# Negation cues whose scope (the next few words of the clause) is marked, as NegEx does, so
# "not going to hurt myself" shares no word feature with "going to hurt myself". "cant" is not
# a cue on purpose: "cant breathe", "cant feel my legs" are the symptoms themselves.
NEGATIONS = frozenset(
    {"no", "not", "never", "without", "nor", "neither", "dont", "doesnt", "didnt", "isnt"}
    | {"arent", "wasnt", "werent", "havent", "hasnt", "hadnt", "wont", "wouldnt", "nothing"}
    | {"none", "nobody", "nowhere"}
)
NEGATED = "n_"
_NEGATION_SCOPE = 5
# Tried in round 13: ending the scope also at NegEx/ConText termination terms ("but", "however",
# "though", "except", "yet", "still", "which", "who"). It reads "no fever but i cant breathe" as
# the emergency it is, but only about 47 of 6,499 dev messages have a cue that close to such a
# term, and leaving one writer out it caught 2 fewer self-harm messages (learned, 666/698) for 2
# more calm alarms (32/2741), so the scope still ends only at punctuation.
# Round 14 (r14c) looked at why, on 17,188 rows: of the messages with "but" inside a scope, 20
# are self-harm, 2 overdose, 13 medical and 26 calm, and the self-harm ones are mostly NegEx's
# pseudo-negations ("nothing but a weight", "not to be dramatic but", "no but seriously"),
# which are no negation at all; "just" ends a scope in chat ("no numbness just bruised", 56
# calm) but "not just grumpy" is again a pseudo-negation (15 self-harm). Next: pseudo-negations
# first ("nothing but", "not just", "not only", "no but"), then "but" and "just" as ends (the
# rules' own `pseudo_negations` and `negation_stops`, rules/phrases/context.yaml); not measured.
# Round 15 (r15c) did both (`PSEUDO_NEGATIONS`, `SCOPE_ENDS`, with a new subject as an end too).
# Leaving one writer out (43 folds, shipped settings, bench/RESULTS.md round 15): emergencies
# caught 3,450 -> 3,465 of 3,498, self-harm family 959 -> 960 of 968, medical by the learned side
# 2,014 -> 2,100 of 2,530, for calm alarms 41 -> 45 of 3,461 (learned alone 24 -> 28); buried
# crises 741 -> 740 of 750, long calm alarms 39 -> 37. Shipped.
# The cues match NegEx's and ConText's general ones; their clinical cues ("denies", "free of",
# "negative for", "lack of") occur in under 5 rows, and "cant", "couldnt" stay out (they are
# the symptom: "cant feel my legs").
# The words of a chat's bare replies and the pronouns, articles and prepositions around them
# ("yes", "i dont know", "its for me", "i guess not", "thanks"). A crisis verdict needs evidence
# beyond them: some other word whose own features push towards a crisis (`_evidence`), so a
# reply made only of these never alarms on the strength of "i", "not" and "for". Words that do
# carry intent ("gone", "over", "anymore", "everyone", "never", "do it") are deliberately absent.
# "really" joined in round 14: with the pieces of negated words (`NEGATED_PIECES`) the "n_really"
# of "no not really" took the crisis lean of "dont really want to be here" (evidence 0.95); as a
# reply word it changes no learned verdict on any of the 17,188 labelled rows (shipped model).
_REPLIES = (
    "i im ive me my it its you your he his she her they them we us our this that "
    "a an the for of to in on at with and or but so is am are was "
    "yes yeah yep yup ok okay k no nope nah not dont thanks thank thx ty cheers please pls "
    "sure maybe guess think know dunno idk hi hey hello lol really"
)
REPLY_WORDS = frozenset(_REPLIES.split())
EVIDENCE_MIN = 0.25
"""How far (in class-score units) one word's features must push towards a crisis."""
WINDOW_WORDS = 48
MIN_WORDS = 3
"""Shorter messages are left to the rules (which know "kms" or "suicidal" on their own)."""
_STRIDE = WINDOW_WORDS // 2
CHAR_NGRAMS = (3, 4, 5)
LONG_WORDS = 40
"""Longer messages are also scored sentence by sentence (`sentences`)."""
SENTENCE_CRISIS = 0.955
"""The crisis probability one sentence of a long message needs to alarm (chosen leaving one
writer out: `bench.safety_by_writer`)."""
SENTENCE_MIN_WORDS = 4
_SENTENCE = re.compile(r"[.!?;\n]+")
SPAN_WORDS = 16
"""A longer message is also scored in spans of this many words, half a span apart (`spans`).

Why (round 14, bench/RESULTS.md): a third of the learned side's held-out self-harm misses had
one part that alone reached the crisis threshold inside a message of 14 to 40 words, below the
sentence scoring's reach. Spans beat clauses and sentences there: a clause of four words has so
few features that the L2-normalised model is sure of it either way ("I have a plan" 0.96, "I
want to be ready" 0.99 on calm messages), while 16 words carry enough of their context to stay
calibrated. Leaving one writer out (38 folds, `bench.safety_clauses`) spans of 16 caught 1 more
self-harm message, 1 more emergency and 18 more buried crises for 1 fewer calm alarm and 1 more
long calm one; spans of 12 raised calm alarms and spans of 24 added nothing."""


SCOPE_ENDS = frozenset(
    {"but", "however", "although", "though", "yet", "except", "still", "which", "who"}
    | {"whose", "nevertheless", "apart", "aside", "whereas", "because", "just"}
    | {"i", "im", "ive", "id", "ill", "he", "hes", "she", "shes", "we", "they", "theyre"}
)
"""Words that end a negation's scope: NegEx's termination terms (Chapman et al. 2001;
negspacy's `termination` list: "but", "however", "although", "though", "yet", "except",
"still", "which", "nevertheless", "apart from", "aside from"), "because" and chat's "just"
("no numbness just bruised"), and a new subject, as the rules' negation cue ends its reach:
"no fever but now i cant feel my legs" negates the fever only."""
PSEUDO_NEGATIONS = frozenset(
    {
        ("not", "only"),
        ("not", "just"),
        ("not", "necessarily"),
        ("not", "certain"),
        ("not", "sure"),
        ("not", "to", "be", "dramatic"),
        ("nothing", "but"),
        ("no", "but"),
        ("no", "doubt"),
        ("no", "matter"),
        ("no", "wonder"),
        ("no", "idea"),
        ("no", "further"),
        ("no", "change"),
        ("no", "increase"),
        ("without", "difficulty"),
        ("dont", "know"),
        ("didnt", "know"),
    }
)
"""A negation word that negates nothing (NegEx's pseudo-negations, negspacy's `pseudo` list:
"not only", "not necessarily", "not certain", "no change", "no further", "without difficulty";
and chat's doubt and emphasis, as the rules' `pseudo_negations`: "not sure", "no doubt", "not
just grumpy", "nothing but a weight", "not to be dramatic but"): it opens no scope."""
_PSEUDO_LONGEST = max(map(len, PSEUDO_NEGATIONS))


def _pseudo(tokens: list[str], i: int) -> bool:
    """Whether the negation at `tokens[i]` opens a pseudo-negation."""
    return any(tuple(tokens[i : i + n]) in PSEUDO_NEGATIONS for n in range(2, _PSEUDO_LONGEST + 1))


def normalise(text: str) -> list[str]:
    """Lower-case ASCII words: accents dropped, apostrophes joined ("can't" -> "cant"), dialect,
    text-speak and disguised words in their standard spelling (`bot.safety.spelling`: "mi nuh
    waan" -> "i dont want"), and words in a negation's scope prefixed with "n_" (the scope ends
    at punctuation, a termination term or a new subject, `SCOPE_ENDS`; a pseudo-negation,
    `PSEUDO_NEGATIONS`, opens none)."""
    words: list[str] = []
    scope = 0
    tokens = _TOKEN.findall(folded_standard(text))
    for i, token in enumerate(tokens):
        if not token[0].isalnum() or (scope and token in SCOPE_ENDS):
            scope = 0
            if token[0].isalnum():
                words.append(token)
        elif token in NEGATIONS:
            scope = 0 if _pseudo(tokens, i) else _NEGATION_SCOPE
            words.append(token)
        elif scope:
            scope -= 1
            words.append(NEGATED + token)
        else:
            words.append(token)
    return words


def replies_only(words: list[str]) -> bool:
    """Whether every word is one of a bare reply's (`REPLY_WORDS`, negated or not): such a
    message names no symptom, so it never alarms, whatever the model makes of it."""
    return all(word.removeprefix(NEGATED) in REPLY_WORDS for word in words)


def features(words: list[str]) -> set[str]:
    """Word unigrams and bigrams, and character 3-5-grams of each word padded with spaces
    (so "kms", "unalive" and typos like "sucidal" share pieces with words seen in training)."""
    out = {f"w:{w}" for w in words}
    out.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    for word in set(words):
        if word.startswith(NEGATED):
            out.update(_negated_pieces(word))
            continue
        out.update(_pieces(word))
    out.update(negated_life(words))
    return out


LIFE_WORDS = frozenset({"alive", "live", "living", "exist", "existing", "wake", "waking"})
"""Words of going on living. In a negation's scope they are the wish to die itself ("dont want
to be alive", "no point living", "rather not wake up"), the opposite of a negated crisis word
("not suicidal")."""
NEGATED_LIFE = "x:negated_life"


def negated_life(words: list[str]) -> set[str]:
    """One feature shared by every word of living in a negation's scope: the NegEx prefix makes
    "n_alive", "n_wake" and "n_living" separate rare words, so a writer who says it with the
    one the training rows lack ("dont plan on waking up") was read from the negation alone."""
    found = any(w.startswith(NEGATED) and w[len(NEGATED) :] in LIFE_WORDS for w in words)
    return {NEGATED_LIFE} if found else set()


NEGATED_PIECES = (4, 5)
"""The character n-grams kept of a word in a negation's scope, marked ("nc:"), so a negated
misspelling or a negated word no training row has ("not sucidal", "no numbnes") still shares
pieces with the negated words seen in training, never with the same word unnegated."""
# Round 14 (branch r14c): before, a negated word gave only its whole-word token. Leaving one
# writer out (38 folds, `bench.safety_by_writer --semantic 0.015 --medical-semantic 0.0005`,
# main ac88108 -> with these pieces): calm alarms 43 -> 39 of 2,957 (learned side 34 -> 30),
# long calm 29 -> 25 of 624, questions 2 of 980 both; self-harm (learned and neighbours)
# 749 -> 752 of 779, all detectors 771 both; emergencies 2,969 -> 2,970 of 2,994; buried crises
# (learned) 544 -> 547. Medical (learned side) 1,761 -> 1,729 of 2,215: the model alone catches
# about 22 more, but the medical neighbours behind it, their threshold chosen on the new
# scores, add 63 instead of 115 (breathing/chest 371 -> 361, cauda equina 566 -> 564,
# collapse 208 -> 205, infection 487 -> 480, trauma 129 -> 119). At a medical neighbour budget
# of 0.001 (one neighbour scoring for both, a setting read after the run) main catches 1,817
# for 45 calm alarms and these pieces 1,830 for 40 (every family as many or more than main at
# 0.0005: breathing/chest 384, cauda equina 590, collapse 221, infection 505, trauma 130;
# emergencies 2,975, self-harm 752 learned, long calm 26): with the pieces the medical curve lies
# above main's; the bank still ships at the trainer's 0.0005.


@functools.lru_cache(maxsize=8192)
def _negated_pieces(word: str) -> tuple[str, ...]:
    """A negated word's marked character n-grams (`NEGATED_PIECES`)."""
    return _grams(word[len(NEGATED) :], "nc:", NEGATED_PIECES)


@functools.lru_cache(maxsize=8192)
def _pieces(word: str) -> tuple[str, ...]:
    """A word's character 3-5-grams, in the order `features` adds them (a message's words
    recur across its windows and sentences, and most words across messages)."""
    return _grams(word, "c:", CHAR_NGRAMS)


def _grams(word: str, mark: str, sizes: tuple[int, ...]) -> tuple[str, ...]:
    """`word`'s character n-grams of `sizes`, padded with a space each side, each marked."""
    padded = f" {word} "
    return tuple(f"{mark}{padded[i : i + n]}" for n in sizes for i in range(len(padded) - n + 1))


def windows(words: list[str]) -> Iterator[list[str]]:
    """The whole message if short, else overlapping windows (each word in at most two)."""
    if len(words) <= WINDOW_WORDS:
        yield words
        return
    for start in range(0, len(words) - _STRIDE, _STRIDE):
        yield words[start : start + WINDOW_WORDS]


def sentences(text: str, words: list[str]) -> list[list[str]]:
    """The normalised sentences of `SENTENCE_MIN_WORDS` words or more of a message longer than
    `LONG_WORDS` words (`words`, its normalised words); none for a shorter one."""
    if len(words) <= LONG_WORDS:
        return []
    parts = (normalise(part) for part in _SENTENCE.split(text))
    return [part for part in parts if len(part) >= SENTENCE_MIN_WORDS]


def spans(words: list[str]) -> list[list[str]]:
    """Overlapping spans of `SPAN_WORDS` normalised `words` (each word in at most two, the
    message's own negation scopes kept) of a message longer than one span; none for a shorter
    one, which its windows already score whole."""
    if len(words) <= SPAN_WORDS:
        return []
    step = SPAN_WORDS // 2
    return [words[start : start + SPAN_WORDS] for start in range(0, len(words) - step, step)]


CRISIS_CODES = frozenset({"self_harm", "overdose_or_injury"})

MEDICAL_FAMILIES: dict[str, frozenset[str]] = {
    "cauda equina": frozenset(
        {
            "saddle_numbness",
            "bladder_bowel",
            "sexual_dysfunction",
            "leg_numbness_both",
            "leg_weakness",
        }
    ),
    "infection": frozenset({"rash_no_fade", "stiff_neck", "sepsis_signs", "infant_fever"}),
    "trauma": frozenset({"major_trauma"}),
    "breathing/chest": frozenset({"breathing", "chest_pain", "aortic"}),
    "collapse": frozenset({"confusion", "seizure", "fainting"}),
}
"""The medical emergency flags by family (red-flags.md). Each family has its own medical
threshold (`LearnedDetector.medical_threshold`): calm messages crowd some families' scores (a
one-leg tingle near cauda equina, a TV drama's heart attack near chest pain) and not others'."""


def medical_family(code: str) -> str:
    """The family of a medical emergency code ("other" for none)."""
    return next((name for name, codes in MEDICAL_FAMILIES.items() if code in codes), "other")


@dataclass(frozen=True)
class Verdict:
    """The most alarming window: the probability of a crisis (self-harm or overdose), of a
    medical emergency, and the likeliest code."""

    crisis: float
    emergency: float
    code: str
    crisis_code: str = "self_harm"


_Window = tuple[list[str], set[str]]


class Linear:
    """One linear layer as the model file has it: per known feature a row of class weights
    (the file's integers divided by its scale; 0.0 where the file kept none), and the bias.

    A window's class scores are the bias plus each known feature's row times the norm, added
    one feature after another in the feature set's order: a cumulative sum down the rows,
    which adds in exactly that order (the same floats as adding pair by pair in Python; an
    absent weight adds 0.0, which changes no sum)."""

    def __init__(self, names: Sequence[str], weights: Any, bias: Sequence[int], scale: float):
        # Row 0 is the bias (a feature's row is its index + 1, never 0, so `filter` keeps it).
        self.index: dict[str, int] = dict(zip(names, range(1, len(names) + 1), strict=True))
        self.bias = [b / scale for b in bias]
        rows = np.asarray(weights, dtype=np.int64) / scale
        self.rows: Any = np.concatenate((np.array([self.bias], dtype=np.float64), rows))

    def scores(self, feats: set[str], norm: float) -> list[float]:
        """The bias plus the weights of the known `feats` (in set order) times `norm`."""
        known = np.fromiter(filter(None, map(self.index.get, feats)), np.intp)
        if not len(known):
            return list(self.bias)
        terms = self.rows[np.concatenate(((0,), known))]
        terms[1:] *= norm
        return list(terms.cumsum(axis=0)[-1].tolist())

    def row(self, feat: str) -> list[float] | None:
        """One feature's class weights (0.0 where none); None when the model lacks it."""
        i = self.index.get(feat)
        return None if i is None else list(self.rows[i].tolist())


class FlagNamer:
    """The model file's second layer: which medical emergency code a message most likely
    describes (its likeliest code over the message's windows)."""

    def __init__(self, layer: Mapping[str, Any], scale: float) -> None:
        """`layer`: classes, bias, and `names` with their dense `weights` (`read_model`)."""
        self.classes: tuple[str, ...] = tuple(layer["classes"])
        self._linear = Linear(layer["names"], layer["weights"], layer["bias"], scale)

    def name(self, text: str, scored: list[_Window] | None = None) -> str:
        """The likeliest code in `text`; `scored`: its windows and their features, if known."""
        best, code = -math.inf, ""
        if scored is None:
            scored = [(window, features(window)) for window in windows(normalise(text))]
        for _, feats in scored:
            scores = self._linear.scores(feats, 1.0 / math.sqrt(max(1, len(feats))))
            top = max(range(len(scores)), key=scores.__getitem__)
            if scores[top] > best:
                best, code = scores[top], self.classes[top]
        return code


_SEP = "\n"
"""Between the feature names in the file (no feature contains it: words are [a-z0-9_])."""


def read_model(path: Path) -> dict[str, Any]:
    """The model file as `save_model` writes it (`.npz`), or the JSON form the trainer exports
    (`.json.gz`, still read: the trainer's held-out files). Weights as {name: [[class,
    weight]]} in JSON become `names` and a dense `weights` matrix (0 where none)."""
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return _dense(json.load(f))
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        for part in ("", "flags_"):
            if part + "names" in z.files:
                into = meta if not part else meta["flags"]
                into["names"] = z[part + "names"].tobytes().decode().split(_SEP)
                into["weights"] = z[part + "weights"]
    return dict(meta)


def _dense(model: dict[str, Any]) -> dict[str, Any]:
    for layer in (model, model.get("flags")):
        if layer is None:
            continue
        names = list(layer["weights"])
        matrix = np.zeros((len(names), len(layer["classes"])), dtype=np.int32)
        for i, name in enumerate(names):
            for c, w in layer["weights"][name]:
                matrix[i, c] = w
        layer["names"], layer["weights"] = names, matrix
    return model


def save_model(model: Mapping[str, Any], out: Path) -> None:
    """Write a model (`train_learned`'s JSON form) as `.npz`: the feature names in one text,
    the weights as an integer matrix, the rest as JSON. Byte-for-byte reproducible (fixed
    member dates and order): the same model gives the same file."""
    model = _dense(json.loads(json.dumps(model, sort_keys=True)))
    arrays: dict[str, Any] = {}
    for part, layer in (("", model), ("flags_", model.get("flags"))):
        if layer is None:
            continue
        if any(_SEP in name for name in layer["names"]):
            raise ValueError("a feature name contains the separator")
        arrays[part + "names"] = np.frombuffer(_SEP.join(layer.pop("names")).encode(), np.uint8)
        arrays[part + "weights"] = layer.pop("weights")
    meta = json.dumps(model, separators=(",", ":"), sort_keys=True).encode()
    arrays["meta"] = np.frombuffer(meta, np.uint8)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)


class LearnedDetector:
    """Reads the exported weights once; `detect(text)` returns at most one emergency code."""

    def __init__(self, path: Path = MODEL_PATH, *, medical: bool | None = None) -> None:
        """`medical` None: as the model file says (whether its medical verdicts alarm)."""
        data = read_model(path)
        self.medical = bool(data.get("medical_alarms", False)) if medical is None else medical
        self.classes: tuple[str, ...] = tuple(data["classes"])
        # Separate thresholds: a crisis is worth a gentler false alarm, a medical one is not.
        self.crisis_threshold: float = float(data["crisis_threshold"])
        self.emergency_threshold: float = float(data["emergency_threshold"])
        # Lower medical thresholds for the families calm messages rarely reach (none in older
        # model files): a medical verdict is named first, then held to its family's threshold.
        self.family_thresholds: dict[str, float] = {
            name: min(float(t), self.emergency_threshold)
            for name, t in data.get("family_thresholds", {}).items()
        }
        self._lowest_medical = min([*self.family_thresholds.values(), self.emergency_threshold])
        scale = float(data["scale"])
        self._linear = Linear(data["names"], data["weights"], data["bias"], scale)
        # The flag namer: which medical code a medical alarm is (absent in older model files);
        # built on its first use, as medical alarms are rare and start-up should stay short.
        self._flags: Mapping[str, Any] | None = data.get("flags")
        self._scale = scale
        self._namer: FlagNamer | None = None
        self._calm = self.classes.index(CALM)
        self._crisis = [i for i, c in enumerate(self.classes) if c in CRISIS_CODES]
        self._medical = [
            i for i, c in enumerate(self.classes) if c != CALM and c not in CRISIS_CODES
        ]
        self._leans: dict[str, float] = {}

    def verdict(self, text: str) -> Verdict:
        """The most alarming window of `text`."""
        return self.worst(normalise(text))[0]

    def worst(self, words: list[str]) -> tuple[Verdict, list[str]]:
        """The most alarming window of normalised `words`, and that window."""
        best, where, _, _ = self._worst(words)
        return best, where

    def _worst(
        self, words: list[str]
    ) -> tuple[Verdict, list[str], set[str] | None, list[_Window]]:
        """`worst`, with that window's features and every window's (kept for `evidence` and
        `flag`, which would otherwise compute them again)."""
        best, where, where_feats = Verdict(0.0, 0.0, CALM), words, None
        scored: list[_Window] = []
        for window in windows(words):
            feats = features(window)
            scored.append((window, feats))
            found = self._window(window, feats)
            if self._margin(found) > self._margin(best):
                best, where, where_feats = found, window, feats
        return best, where, where_feats, scored

    def in_passing(self, text: str, words: list[str], at_least: float) -> Verdict | None:
        """The most alarming sentence of a long message (`sentences`) or span of a longer one
        than a span (`spans`) whose crisis probability reaches `at_least` with a word of
        evidence; None when none does."""
        best: Verdict | None = None
        for sentence in sentences(text, words) + spans(words):
            feats = features(sentence)
            found = self._window(sentence, feats)
            if found.crisis < max(at_least, best.crisis if best else 0.0):
                continue
            if self.evidence(sentence, feats) >= EVIDENCE_MIN:
                best = found
        return best

    def evidence(self, words: list[str], feats: set[str] | None = None) -> float:
        """The strongest push towards a crisis of one word beyond REPLY_WORDS: the crisis
        class's score minus the calm one's from that word, its word pieces and its bigrams
        (`feats`: the features of `words`, when known)."""
        feats = features(words) if feats is None else feats
        norm = 1.0 / math.sqrt(max(1, len(feats)))
        strongest = -math.inf
        lean = self._lean
        for i, word in enumerate(words):
            if word.removeprefix(NEGATED) in REPLY_WORDS:
                continue
            own = features([word]) | {
                f"b:{a} {b}" for a, b in itertools.pairwise(words[max(0, i - 1) : i + 2])
            }
            push = 0.0
            for feat in own & feats:
                push += lean(feat) * norm
            strongest = max(strongest, push)
        return strongest

    def _lean(self, feat: str) -> float:
        """How far one feature pushes towards a crisis: the strongest crisis class's weight
        minus the calm one's (kept per feature: words recur across messages)."""
        found = self._leans.get(feat)
        if found is None:
            weights = self._linear.row(feat)
            if weights is None:  # unknown to the model (not kept: the memo stays model-sized)
                return 0.0
            crisis = max(weights[c] for c in self._crisis)
            found = self._leans[feat] = crisis - weights[self._calm]
        return found

    def detect(self, text: str) -> frozenset[str]:
        """The code the model sees at its thresholds; empty when calm.

        Only crises alarm unless `medical` (then a medical verdict is the class "medical", not
        a catalogue code: the model groups all medical flags): on medical flags the rules, which
        know negation,
        the past and hypotheticals, are far more precise, and out of fold the model's medical
        alarms added almost no catches for many false alarms. Its medical verdicts still go to
        the disagreement review.
        """
        return self.judge(text)[0]

    def judge(self, text: str) -> tuple[frozenset[str], Verdict | None]:
        """`detect`'s codes and the worst window's verdict (None for a message too short for
        the model), so a further signal can use the crisis probability without rescoring."""
        words = normalise(text)
        if len(words) < MIN_WORDS:
            return frozenset(), None  # one or two words ("tablets") carry too little
        found, window, feats, scored = self._worst(words)
        if found.crisis >= self.crisis_threshold and self.evidence(window, feats) >= EVIDENCE_MIN:
            return frozenset({found.crisis_code}), found
        passing = self.in_passing(text, words, SENTENCE_CRISIS)
        if passing is not None:
            return frozenset({passing.crisis_code}), found
        if self.medical and found.emergency >= self._lowest_medical and not replies_only(window):
            code = self.flag(text, scored) or found.code
            if found.emergency >= self.medical_threshold(code):
                return frozenset({code}), found
        return frozenset(), found

    def medical_threshold(self, code: str) -> float:
        """The medical probability a verdict named `code` needs to alarm: its family's
        threshold, or the one for every medical verdict."""
        return self.family_thresholds.get(medical_family(code), self.emergency_threshold)

    def flag(self, text: str, scored: list[_Window] | None = None) -> str:
        """The likeliest medical emergency code in `text` ("" without a flag namer);
        `scored`: its windows and their features, when known."""
        if self._flags is None:
            return ""
        if self._namer is None:
            self._namer = FlagNamer(self._flags, self._scale)
        return self._namer.name(text, scored)

    def _margin(self, v: Verdict) -> float:
        """How far past its nearer threshold a verdict is (>= 0 means an alarm)."""
        return max(v.crisis - self.crisis_threshold, v.emergency - self.emergency_threshold)

    def _window(self, words: list[str], feats: set[str] | None = None) -> Verdict:
        feats = features(words) if feats is None else feats
        if not feats:
            return Verdict(0.0, 0.0, CALM)
        # Binary features, L2-normalised; only those the model knows, in the set's order.
        scores = self._linear.scores(feats, 1.0 / math.sqrt(len(feats)))
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        crisis = sum(exp[i] for i in self._crisis) / total
        emergency = 1.0 - crisis - exp[self._calm] / total
        crisis_code = max(self._crisis, key=scores.__getitem__)
        code = crisis_code if crisis >= emergency else max(self._medical, key=scores.__getitem__)
        return Verdict(crisis, emergency, self.classes[code], self.classes[crisis_code])
