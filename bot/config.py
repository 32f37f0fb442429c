"""Settings from the environment or a `.env` file, checked once at start-up.

Every problem becomes a `ConfigError` whose message is one line naming the setting, so
`python -m bot run` can print it and exit with status 2 instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite:///data/bot.sqlite3"
FALLBACK_REGIONS = frozenset(
    {"AU", "UK", "NI", "US", "CA", "NZ", "IE", "FR", "NL", "ES", "BE", "EU"}
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Telegram tokens look like "123456789:AAH...": a numeric bot id, a colon, ~35 url-safe chars.
_TOKEN_RE = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{30,50}$")
# Telegram's own rule for setWebhook's secret_token.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConfigError(Exception):
    """A missing or malformed setting; str(error) is one line that names it."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    base_url: str | None = None
    """python-telegram-bot's `base_url` (a self-hosted Bot API server, or the test emulator)."""
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: frozenset[int] = frozenset()
    region: str = "AU"
    knowledge_dir: Path = Path("knowledge")
    log_level: str = "INFO"
    retention_days: int = 30
    webhook_url: str | None = None
    """Set to use webhook mode; long polling otherwise."""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    webhook_path: str = "/telegram"

    def __repr__(self) -> str:
        token = "set" if self.token else "unset"
        secret = "set" if self.webhook_secret else "unset"
        return (
            f"Settings(token={token}, base_url={self.base_url!r}, "
            f"database_url={self.database_url!r}, admin_ids={sorted(self.admin_ids)}, "
            f"region={self.region!r}, knowledge_dir={str(self.knowledge_dir)!r}, "
            f"log_level={self.log_level!r}, webhook_url={self.webhook_url!r}, "
            f"webhook_secret={secret})"
        )

    __str__ = __repr__

    @property
    def uses_webhook(self) -> bool:
        return self.webhook_url is not None

    @staticmethod
    def from_env(environ: Mapping[str, str], dotenv: Path | None = Path(".env")) -> Settings:
        """Read settings; the environment wins over the `.env` file."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update(parse_dotenv(dotenv.read_text(encoding="utf-8"), str(dotenv)))
        values.update(environ)
        return _build(values)


def parse_dotenv(text: str, name: str = ".env") -> dict[str, str]:
    """KEY=VALUE lines; `#` comments, blank lines, optional `export`, single or double quotes."""
    out: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _KEY_RE.match(key):
            raise ConfigError(f"{name}:{number}: expected KEY=VALUE, got {raw.strip()[:40]!r}")
        out[key] = _dotenv_value(value.strip(), name, number)
    return out


def _dotenv_value(value: str, name: str, number: int) -> str:
    if value[:1] in ("'", '"'):
        quote = value[0]
        end = value.find(quote, 1)
        if end < 0:
            raise ConfigError(f"{name}:{number}: unterminated {quote} quote")
        inner = value[1:end]
        return inner.replace("\\n", "\n") if quote == '"' else inner
    return value.split(" #", 1)[0].rstrip()


def _get(values: Mapping[str, str], key: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _build(values: Mapping[str, str]) -> Settings:
    webhook_url = _url(values, "BOT_WEBHOOK_URL")
    secret = _get(values, "BOT_WEBHOOK_SECRET")
    if secret is not None and not _SECRET_RE.match(secret):
        raise ConfigError("BOT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ or -")
    if webhook_url is not None and secret is None:
        raise ConfigError("BOT_WEBHOOK_SECRET is required when BOT_WEBHOOK_URL is set")
    return Settings(
        token=_token(values),
        base_url=_url(values, "TELEGRAM_BASE_URL"),
        database_url=_database_url(values),
        admin_ids=_admin_ids(values),
        region=_region(values),
        knowledge_dir=Path(_get(values, "KNOWLEDGE_DIR") or "knowledge"),
        log_level=_log_level(values),
        retention_days=_int(values, "BOT_RETENTION_DAYS", 30, low=1, high=3650),
        webhook_url=webhook_url,
        webhook_listen=_get(values, "BOT_WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=_int(values, "BOT_WEBHOOK_PORT", 8443, low=0, high=65535),
        webhook_secret=secret,
        webhook_path=_webhook_path(values, webhook_url),
    )


def _token(values: Mapping[str, str]) -> str | None:
    token = _get(values, "TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN_RE.match(token):
        # Never echo the token: it is a secret even when malformed.
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<about 35 letters, digits, "
            "_ or ->' as given by @BotFather"
        )
    return token


def _url(values: Mapping[str, str], key: str) -> str | None:
    url = _get(values, key)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{key} must be an http:// or https:// URL, got {url[:60]!r}")
    return url


def _database_url(values: Mapping[str, str]) -> str:
    url = _get(values, "DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme or not rest:
        raise ConfigError("DATABASE_URL must look like sqlite:///path/to/file")
    return url


def _admin_ids(values: Mapping[str, str]) -> frozenset[int]:
    raw = _get(values, "BOT_ADMIN_IDS") or ""
    ids: set[int] = set()
    for part in re.split(r"[\s,;]+", raw):
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise ConfigError(
                f"BOT_ADMIN_IDS must be Telegram user ids separated by commas, got {part[:30]!r}"
            )
        ids.add(int(part))
    return frozenset(ids)


def known_regions() -> frozenset[str] | None:
    """Region codes the safety module knows; None when it can validate codes itself."""
    try:
        import bot.clinical.regions  # noqa: F401
    except ImportError:
        return FALLBACK_REGIONS
    return None


def _region(values: Mapping[str, str]) -> str:
    region = (_get(values, "BOT_REGION") or "AU").upper()
    fallback = known_regions()
    if fallback is None:
        from bot.clinical.regions import numbers_for

        try:
            numbers_for(region)
        except ValueError:
            raise ConfigError(f"BOT_REGION {region!r} is not a region the bot knows") from None
    elif region not in fallback:
        raise ConfigError(f"BOT_REGION {region!r} is not one of {', '.join(sorted(fallback))}")
    return region


def _log_level(values: Mapping[str, str]) -> str:
    level = (_get(values, "LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return level


def _int(values: Mapping[str, str], key: str, default: int, *, low: int, high: int) -> int:
    raw = _get(values, key)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, got {raw[:30]!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{key} must be between {low} and {high}, got {number}")
    return number


def _webhook_path(values: Mapping[str, str], webhook_url: str | None) -> str:
    path = _get(values, "BOT_WEBHOOK_PATH")
    if path is None:
        path = (urlsplit(webhook_url).path if webhook_url else "") or "/telegram"
    if not path.startswith("/") or any(c in path for c in " ?#"):
        raise ConfigError(f"BOT_WEBHOOK_PATH must start with / and have no spaces, got {path!r}")
    return path
