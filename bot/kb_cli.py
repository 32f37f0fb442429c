"""`python -m bot ask ...` and `python -m bot kb check|test|lint`: the knowledge base from a shell.

`ask` answers like the bot would (minus the dialogue), `kb check` validates the YAML for an
admin, `kb test` scores the matcher on a question file and `kb lint` gives editing advice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.authoring import evaluate
from bot.authoring.lint import lint
from bot.bundle import load_bundle
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import DataError, KnowledgeBase, Problem
from bot.matching.base import MatchResult
from bot.matching.fuzzy import DEFAULT_THRESHOLD, build_matcher

DEFAULT_DIR = "knowledge"


def register(subparsers: Any) -> None:
    """Add `ask` and `kb` to the top-level `python -m bot` parser."""
    ask = subparsers.add_parser("ask", help="answer one question from the knowledge base")
    ask.add_argument("question", help='the question, or "-" to read one per line from stdin')
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    _dir_option(ask)
    ask.set_defaults(func=run_ask)

    kb = subparsers.add_parser("kb", help="check, test and lint the knowledge files")
    sub = kb.add_subparsers(dest="kb_command", required=True)
    check = sub.add_parser("check", help="validate every knowledge file; exit 1 on problems")
    check.add_argument("dir", nargs="?", type=Path, help="knowledge folder")
    check.set_defaults(func=run_check)
    test = sub.add_parser("test", help="score the matcher on a TSV of questions")
    test.add_argument("file", type=Path, help="question<TAB>expected id<TAB>kind per line")
    test.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    _dir_option(test)
    test.set_defaults(func=run_test)
    lint_cmd = sub.add_parser("lint", help="advice on phrasings, duplicates and long answers")
    lint_cmd.add_argument("dir", nargs="?", type=Path, help="knowledge folder")
    lint_cmd.set_defaults(func=run_lint)
    unanswered = sub.add_parser("unanswered", help="export questions the bot could not answer")
    unanswered.add_argument("--csv", action="store_true", help="CSV instead of a text table")
    unanswered.set_defaults(func=run_unanswered)


def run_unanswered(args: argparse.Namespace) -> int:
    """Reads DATABASE_URL and KNOWLEDGE_DIR like the bot, so it exports what the bot stored."""
    from bot.admin.cli import export_unanswered
    from bot.config import ConfigError, Settings

    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return export_unanswered(settings, args.csv, sys.stdout)


def _dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir", type=Path, default=None, help="knowledge folder (default: $KNOWLEDGE_DIR)"
    )


def knowledge_dir(given: Path | None) -> Path:
    """The folder named on the command line, else $KNOWLEDGE_DIR, else ./knowledge."""
    return given or Path(os.environ.get("KNOWLEDGE_DIR") or DEFAULT_DIR)


def _load(directory: Path) -> KnowledgeBase | None:
    try:
        return load_knowledge(directory)
    except DataError as error:
        _print_problems(error.problems, sys.stderr)
        print(f"{len(error.problems)} problem(s) in {directory}; fix them first", file=sys.stderr)
        return None


def _print_problems(problems: list[Problem], stream: Any) -> None:
    for problem in problems:
        print(problem, file=stream)


# ---- ask ------------------------------------------------------------------------------------


def result_json(result: MatchResult, kb: KnowledgeBase) -> dict[str, Any]:
    """The `--json` shape: question, band, match (id, score, answer) or null, suggestions.

    `band` is "answer" (match set), "confirm" (match null, suggestions best first) or "none".
    """
    match = None
    if result.match is not None:
        entry = kb.entries[result.match.id]
        match = {"id": entry.id, "score": result.match.score, "answer": entry.answer}
    return {
        "question": result.question,
        "band": result.band,
        "match": match,
        "suggestions": [{"id": s.id, "score": s.score} for s in result.suggestions],
    }


def result_text(result: MatchResult, kb: KnowledgeBase) -> str:
    """What a person reads: the answer, or an honest "I don't know" with nearby topics."""
    topics = [f"  - {kb.entries[s.id].title} ({s.id})" for s in result.suggestions]
    if result.match is None:
        lines = ["Sorry, I don't know that from the article."]
        if topics:
            lines += ["", "Did you mean one of these?", *topics]
        else:
            lines += ["Send /topics in the chat to browse what I know."]
        return "\n".join(lines)
    entry = kb.entries[result.match.id]
    lines = [entry.answer, "", f"[{entry.id}, score {result.match.score:.0f}]"]
    if topics:
        lines += ["", "Related:", *topics]
    return "\n".join(lines)


def run_ask(args: argparse.Namespace) -> int:
    kb = _load(knowledge_dir(args.dir))
    if kb is None:
        return 1
    matcher = build_matcher(kb)
    if args.question == "-":
        for line in sys.stdin:  # one object per line, blank ones too, so outputs line up
            result = matcher.match(line.rstrip("\n").strip())
            print(json.dumps(result_json(result, kb), ensure_ascii=False), flush=True)
        return 0
    result = matcher.match(args.question)
    if args.json:
        print(json.dumps(result_json(result, kb), ensure_ascii=False))
    else:
        print(result_text(result, kb))
    return 0


# ---- kb check / test / lint -----------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    """Validates exactly what the bot would load: knowledge, synonyms and the check."""
    directory = knowledge_dir(args.dir)
    try:
        knowledge = load_bundle(directory)
    except DataError as error:
        _print_problems(error.problems, sys.stdout)
        print(f"{len(error.problems)} problem(s) found")
        return 1
    kb = knowledge.kb
    questions = sum(len(e.questions) for e in kb.entries.values())
    print(
        f"OK: {len(kb.entries)} entries, {questions} questions, {len(kb.synonyms)} synonyms "
        f"in {len(kb.files)} file(s), triage check OK ({len(knowledge.triage.order)} questions)"
    )
    return 0


def run_test(args: argparse.Namespace) -> int:
    kb = _load(knowledge_dir(args.dir))
    if kb is None:
        return 1
    try:
        cases = evaluate.read_cases(args.file)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    for case in evaluate.unknown_ids(cases, kb.entries):
        print(f"{args.file}:{case.line}: unknown id '{case.expected}'", file=sys.stderr)
    matcher = build_matcher(kb, threshold=args.threshold)
    print(f"{args.file}: what a user sees, by message length")
    print(evaluate.user_report(evaluate.run_replies(matcher, cases)))
    print()
    outcomes = evaluate.run_cases(matcher, cases)
    thresholds = sorted({*evaluate.DEFAULT_THRESHOLDS, args.threshold})
    print(evaluate.report(outcomes, args.threshold, thresholds))
    return 0


def run_lint(args: argparse.Namespace) -> int:
    directory = knowledge_dir(args.dir)
    kb = _load(directory)
    if kb is None:
        return 1
    warnings = lint(kb)
    _print_problems(warnings, sys.stdout)
    print(f"{len(warnings)} warning(s)" if warnings else "no warnings")
    return 0
