"""`python -m bot health`: exit 0 when the local bot answers GET /healthz (for Docker).

It asks the port the bot serves health on: the webhook port in webhook mode, else
BOT_METRICS_PORT. Exit 1 when the bot is unhealthy or unreachable, 2 when nothing serves
health in this configuration.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("health", help="check the running bot's /healthz")
    parser.add_argument("--env-file", type=Path, default=Path(".env"))
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.set_defaults(func=health_command)


def health_url(settings: Settings) -> str | None:
    if settings.uses_webhook:
        port = settings.webhook_port
    elif settings.metrics_port is not None:
        port = settings.metrics_port
    else:
        return None
    return f"http://127.0.0.1:{port}/healthz"


def health_command(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(os.environ, args.env_file)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    url = health_url(settings)
    if url is None:
        print("error: polling mode serves no health check; set BOT_METRICS_PORT", file=sys.stderr)
        return 2
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            ok = response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1
