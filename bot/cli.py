"""`python -m bot ...`: each feature module registers its own subcommands here."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

# Modules that expose `register(subparsers)`; each adds subcommands whose `func(args) -> int`.
_FEATURES = ("bot.kb_cli", "bot.terminal", "bot.run_cli", "bot.health_cli", "bot.safety.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    for name in _FEATURES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # plain `python -m bot` runs the bot
        args = parser.parse_args(["run"])
    return int(args.func(args))
