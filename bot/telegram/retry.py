"""Reading Telegram's flood-control wait in whichever form python-telegram-bot gives it."""

from __future__ import annotations

import datetime as dtm
import warnings
from typing import Any

from telegram.error import RetryAfter


def retry_after_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA; read both
    without tripping python-telegram-bot's deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)
