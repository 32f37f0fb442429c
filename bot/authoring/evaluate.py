"""Scores a matcher against a TSV of questions, for `kb test`, the eval-set test and the bench.

The TSV has `question<TAB>expected_id[<TAB>kind]` per line (header optional). An empty
expected id means the bot must decline. Ranking is done once per question; the threshold is
applied afterwards, so a whole threshold table costs one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.matching.base import MatchResult, Scored

KINDS = ("paraphrase", "typo", "out_of_scope")
DEFAULT_THRESHOLDS = tuple(float(t) for t in range(30, 86, 5))


class Ranker(Protocol):
    def rank(self, question: str) -> tuple[Scored, ...]: ...


@dataclass(frozen=True)
class Case:
    line: int
    question: str
    expected: str | None
    kind: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    ranked: tuple[Scored, ...]

    def answer(self, threshold: float) -> Scored | None:
        """The entry the bot would give at this threshold (None = declines)."""
        top = self.ranked[0] if self.ranked else None
        return top if top is not None and top.score >= threshold else None

    def correct(self, threshold: float) -> bool:
        got = self.answer(threshold)
        return (got.id if got else None) == self.case.expected


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.1%} ({self.hits}/{self.total})"


@dataclass(frozen=True)
class Metrics:
    threshold: float
    in_scope: Rate
    """Top-1 accuracy on every question that has an expected id (paraphrases and typos)."""
    typo: Rate
    refusal: Rate
    """Share of out-of-scope questions the bot declined."""


def read_cases(path: Path) -> list[Case]:
    """Parse the TSV; raises ValueError naming the line for a malformed row."""
    cases: list[Case] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if number == 1 and cells[0].strip().lower() == "question":
            continue
        question = cells[0].strip()
        expected = cells[1].strip() if len(cells) > 1 else ""
        kind = cells[2].strip() if len(cells) > 2 and cells[2].strip() else ""
        kind = kind or ("paraphrase" if expected else "out_of_scope")
        if not question or kind not in KINDS:
            raise ValueError(f"{path}:{number}: expected 'question<TAB>id<TAB>kind' ({KINDS})")
        cases.append(Case(number, question, expected or None, kind))
    return cases


def run_cases(ranker: Ranker, cases: Iterable[Case]) -> list[Outcome]:
    return [Outcome(case, ranker.rank(case.question)) for case in cases]


def metrics(outcomes: Sequence[Outcome], threshold: float) -> Metrics:
    def rate(selected: list[Outcome]) -> Rate:
        return Rate(sum(o.correct(threshold) for o in selected), len(selected))

    return Metrics(
        threshold,
        in_scope=rate([o for o in outcomes if o.case.expected]),
        typo=rate([o for o in outcomes if o.case.kind == "typo"]),
        refusal=rate([o for o in outcomes if not o.case.expected]),
    )


def misses(outcomes: Sequence[Outcome], threshold: float) -> list[Outcome]:
    return [o for o in outcomes if not o.correct(threshold)]


def unknown_ids(cases: Iterable[Case], known: Iterable[str]) -> list[Case]:
    """Cases expecting an id the knowledge base does not have (a stale test file)."""
    ids = set(known)
    return [c for c in cases if c.expected and c.expected not in ids]


def describe_miss(outcome: Outcome, threshold: float) -> str:
    got = outcome.answer(threshold)
    top = outcome.ranked[0] if outcome.ranked else None
    answered = f"{got.id} ({got.score:.0f})" if got else "no answer"
    if got is None and top is not None:
        answered += f", best {top.id} ({top.score:.0f})"
    wanted = outcome.case.expected or "no answer"
    return f"line {outcome.case.line} [{outcome.case.kind}] {outcome.case.question!r}: " + (
        f"wanted {wanted}, got {answered}"
    )


def metrics_table(outcomes: Sequence[Outcome], thresholds: Iterable[float]) -> str:
    """Markdown table of the three rates at each threshold."""
    rows = [
        "| threshold | in-scope top-1 | typos | out-of-scope refused |",
        "|---:|---:|---:|---:|",
    ]
    for t in thresholds:
        m = metrics(outcomes, t)
        rows.append(
            f"| {t:g} | {m.in_scope.value:.1%} | {m.typo.value:.1%} | {m.refusal.value:.1%} |"
        )
    return "\n".join(rows)


def report(outcomes: Sequence[Outcome], threshold: float, thresholds: Iterable[float]) -> str:
    """The full plain-text report printed by `kb test`."""
    m = metrics(outcomes, threshold)
    lines = [
        f"threshold {threshold:g}",
        f"in-scope top-1 accuracy: {m.in_scope}",
        f"typo accuracy:           {m.typo}",
        f"out-of-scope refused:    {m.refusal}",
        "",
    ]
    missed = misses(outcomes, threshold)
    lines.append(f"misses ({len(missed)}):" if missed else "no misses")
    lines += [f"  {describe_miss(o, threshold)}" for o in missed]
    lines += ["", metrics_table(outcomes, thresholds)]
    return "\n".join(lines)


# ---- what a user sees: answer / confirm / none, by message length ----------------------------

LENGTH_BANDS = (("<=10 words", 0, 10), ("11-25 words", 11, 25), (">25 words", 26, 10**9))


class Matcher(Protocol):
    def match(self, question: str) -> MatchResult: ...


@dataclass(frozen=True)
class Reply:
    """One case and what the bot did with it: an answer, or suggestions only."""

    case: Case
    result: MatchResult

    @property
    def words(self) -> int:
        return len(self.case.question.split())

    @property
    def answered(self) -> str | None:
        return self.result.match.id if self.result.match else None

    @property
    def right(self) -> bool:
        return self.case.expected is not None and self.answered == self.case.expected

    @property
    def right_or_first_suggestion(self) -> bool:
        if self.right:
            return True
        first = self.result.suggestions[0].id if self.result.suggestions else None
        return self.answered is None and first is not None and first == self.case.expected

    @property
    def wrong(self) -> bool:
        """A confident answer that is not the expected one (any answer to out-of-scope)."""
        return self.answered is not None and self.answered != self.case.expected


def run_replies(matcher: Matcher, cases: Iterable[Case]) -> list[Reply]:
    return [Reply(case, matcher.match(case.question)) for case in cases]


@dataclass(frozen=True)
class UserFigures:
    """The figures the issue's "Done when" uses, for one set of replies."""

    top1: Rate
    top1_or_suggestion: Rate
    wrong: Rate
    """Over every question: in-scope answered with another entry, or out-of-scope answered."""
    declined: Rate
    """Out-of-scope questions given no direct answer (a suggestion or nothing)."""


def user_figures(replies: Sequence[Reply]) -> UserFigures:
    inside = [r for r in replies if r.case.expected]
    outside = [r for r in replies if not r.case.expected]
    return UserFigures(
        top1=Rate(sum(r.right for r in inside), len(inside)),
        top1_or_suggestion=Rate(sum(r.right_or_first_suggestion for r in inside), len(inside)),
        wrong=Rate(sum(r.wrong for r in replies), len(replies)),
        declined=Rate(sum(r.answered is None for r in outside), len(outside)),
    )


def by_length(replies: Sequence[Reply]) -> list[tuple[str, UserFigures]]:
    """The figures for every message, then for each length band."""
    rows = [("all", user_figures(replies))]
    for label, low, high in LENGTH_BANDS:
        rows.append((label, user_figures([r for r in replies if low <= r.words <= high])))
    return rows


def user_table(replies: Sequence[Reply]) -> str:
    """Markdown table of the "Done when" figures by message length."""
    lines = [
        "| messages | top-1 | top-1 or first suggestion | wrong answers | "
        "out-of-scope given no direct answer |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, f in by_length(replies):
        cells = [str(r) if r.total else "-" for r in (f.top1, f.top1_or_suggestion)]
        cells += [str(r) if r.total else "-" for r in (f.wrong, f.declined)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def describe_reply(reply: Reply) -> str:
    got = reply.answered or "no answer"
    shown = ", ".join(s.id for s in reply.result.suggestions) or "none"
    wanted = reply.case.expected or "no answer"
    return (
        f"line {reply.case.line} ({reply.words} words) {reply.case.question[:120]!r}: "
        f"wanted {wanted}, got {got}; suggested {shown}"
    )


def user_report(replies: Sequence[Reply]) -> str:
    """The figures by length band, then every wrong answer and every miss without one."""
    wrong = [r for r in replies if r.wrong]
    hedged = [r for r in replies if r.case.expected and not r.right and not r.wrong]
    lines = [user_table(replies), "", f"wrong answers ({len(wrong)}):"]
    lines += [f"  {describe_reply(r)}" for r in wrong]
    lines += ["", f"in-scope without the right answer, no wrong one given ({len(hedged)}):"]
    lines += [f"  {describe_reply(r)}" for r in hedged]
    return "\n".join(lines)
