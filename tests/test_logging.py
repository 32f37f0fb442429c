"""The bot token never reaches a log line, even from libraries or tracebacks."""

from __future__ import annotations

import io
import logging

from bot.telegram.logging_setup import REDACTED, setup_logging

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghij12"


def test_token_is_redacted_from_messages_args_and_tracebacks() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    try:
        setup_logging("DEBUG", [TOKEN], stream)
        log = logging.getLogger("bot.test")
        log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed: https://api.telegram.org/bot{TOKEN}/sendMessage")
        except RuntimeError:
            log.exception("request failed")
        logging.getLogger("httpx").info("HTTP Request: POST .../bot%s/getUpdates", TOKEN)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, old in noisy.items():
            logging.getLogger(name).setLevel(old)
    text = stream.getvalue()
    assert TOKEN not in text
    assert text.count(REDACTED) == 2  # the message and the traceback; httpx INFO is silenced
    assert "request failed" in text and "RuntimeError" in text
