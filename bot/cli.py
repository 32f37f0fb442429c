"""`python -m bot ...`: each feature module registers its own subcommands here."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

# Modules that expose `register(subparsers)`; each adds subcommands whose `func(args) -> int`.
_FEATURES = ("bot.kb_cli",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    for name in _FEATURES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))
