"""Settings: environment over .env, and one clear line for anything malformed."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, parse_dotenv

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghij12"
ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_any_setting(tmp_path: Path) -> None:
    settings = Settings.from_env({}, tmp_path / "missing.env")
    assert settings.token is None
    assert settings.database_url == "sqlite:///data/bot.sqlite3"
    assert settings.region == "AU"
    assert settings.knowledge_dir == Path("knowledge")
    assert settings.admin_ids == frozenset()
    assert not settings.uses_webhook and settings.webhook_port == 8443
    assert settings.metrics_port is None  # polling serves no HTTP unless asked


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# settings\n"
        f"export TELEGRAM_BOT_TOKEN='{TOKEN}'\n"
        'BOT_REGION="UK"\n'
        "BOT_ADMIN_IDS=1, 2 ;3\n"
        "LOG_LEVEL=debug  # loud\n"
        "\n"
    )
    settings = Settings.from_env({"BOT_REGION": "nz"}, dotenv)
    assert settings.token is not None and settings.token.get() == TOKEN
    assert settings.region == "NZ"
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert settings.log_level == "DEBUG"


def test_webhook_settings_and_path_from_url() -> None:
    settings = Settings.from_env(
        {
            "BOT_WEBHOOK_URL": "https://bot.example.org/hook/abc",
            "BOT_WEBHOOK_SECRET": "s3cret_-X",
            "BOT_WEBHOOK_LISTEN": "0.0.0.0",
            "BOT_WEBHOOK_PORT": "8080",
        },
        None,
    )
    assert settings.uses_webhook
    assert settings.webhook_path == "/hook/abc"
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8080)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "123:short"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BASE_URL": "ftp://x"}, "TELEGRAM_BASE_URL"),
        ({"BOT_ADMIN_IDS": "12,abc"}, "BOT_ADMIN_IDS"),
        ({"BOT_REGION": "XX"}, "BOT_REGION"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"BOT_RETENTION_DAYS": "0"}, "BOT_RETENTION_DAYS"),
        ({"BOT_WEBHOOK_PORT": "http"}, "BOT_WEBHOOK_PORT"),
        ({"BOT_METRICS_PORT": "70000"}, "BOT_METRICS_PORT"),
        ({"BOT_WEBHOOK_URL": "https://x.org/h"}, "BOT_WEBHOOK_SECRET"),
        (
            {"BOT_WEBHOOK_URL": "https://x.org/h", "BOT_WEBHOOK_SECRET": "a b"},
            "BOT_WEBHOOK_SECRET",
        ),
        ({"DATABASE_URL": "data.db"}, "DATABASE_URL"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env, None)
    message = str(caught.value)
    assert named in message and "\n" not in message


def test_a_malformed_token_is_never_echoed() -> None:
    bad = "123456789:has spaces and is secret"
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": bad}, None)
    assert "secret" not in str(caught.value)


def test_repr_hides_the_token() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}, None)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)


def test_dotenv_syntax_errors_name_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"\.env:2"):
        parse_dotenv("A=1\nnot a setting\n")
    with pytest.raises(ConfigError, match=r"\.env:1: .*quote"):
        parse_dotenv("A='open\n")
    with pytest.raises(ConfigError, match=r"\.env:3"):
        parse_dotenv("A=1\n\nJUST_A_NAME\n")


def test_dotenv_reads_what_python_dotenv_reads() -> None:
    text = "export A='x # y'\nB=\"two\\nlines\"\nC=plain  # comment\nD=\n"
    assert parse_dotenv(text) == {"A": "x # y", "B": "two\nlines", "C": "plain", "D": ""}


def test_the_token_never_prints(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}, None)
    assert settings.token is not None
    shown = [repr(settings.token), str(settings.token), f"{settings.token}", repr(settings)]
    logging.getLogger("test").warning("token %s settings %r", settings.token, settings)
    assert all(TOKEN not in text for text in [*shown, caplog.text])
    assert settings.token.get() == TOKEN
    assert Settings(token=TOKEN).token == settings.token  # a plain str is wrapped


def _run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--env-file", str(tmp_path / "none.env")],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_run_with_a_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run({"TELEGRAM_BOT_TOKEN": "nonsense", "BOT_REGION": "AU"}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_with_a_missing_knowledge_dir_exits_2(tmp_path: Path) -> None:
    result = _run({"KNOWLEDGE_DIR": str(tmp_path / "nowhere")}, tmp_path)
    assert result.returncode == 2
    assert "KNOWLEDGE_DIR" in result.stderr and "Traceback" not in result.stderr


def test_run_without_a_token_falls_back_to_the_terminal_chat(tmp_path: Path) -> None:
    result = _run({"KNOWLEDGE_DIR": str(ROOT / "knowledge")}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No TELEGRAM_BOT_TOKEN set: starting the terminal chat instead" in result.stderr


@pytest.mark.parametrize("example", [".env.example", "deploy/bot.env.example"])
def test_the_example_settings_files_are_valid(example: str) -> None:
    settings = Settings.from_env({}, ROOT / example)
    assert settings.region == "AU" and not settings.uses_webhook
