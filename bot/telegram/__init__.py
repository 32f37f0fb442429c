"""The Telegram adapter: converts updates in, renders replies out; no dialogue logic here."""

import os

# python-telegram-bot 22 warns on every RetryAfter unless this opt-in to its next major
# version's behaviour (time periods as datetime.timedelta) is set; our code reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")
