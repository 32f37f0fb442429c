"""The deploy files: compose validates, the image builds, the systemd unit is sandboxed.

Docker and systemd checks run where the tools exist and are skipped, with the reason, where
they do not; the structure checks run everywhere.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_telegram_e2e import free_port

from bot.config import Settings
from bot.health_cli import health_url
from bot.telegram.status import StatusServer

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
UNIT = DEPLOY / "sore-back-bot.service"
COMPOSE_ENV = {
    "TELEGRAM_BOT_TOKEN": "123456789:AAFakeTokenForTestsOnly_abcdefghij12",
    "BOT_DOMAIN": "bot.example.org",
    "BOT_WEBHOOK_SECRET": "s3cret",
    "POSTGRES_PASSWORD": "pw",
}


def compose_services() -> dict[str, Any]:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert isinstance(services, dict)
    return services


def bot_services() -> dict[str, Any]:
    return {name: s for name, s in compose_services().items() if "build" in s}


def test_compose_runs_two_bots_on_postgres_behind_a_proxy() -> None:
    services = compose_services()
    bots = bot_services()
    assert len(bots) == 2
    assert "postgres" in services["postgres"]["image"]
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    for name, bot in bots.items():
        env = bot["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["BOT_WEBHOOK_URL"].startswith("https://")
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert f"{name}:{env['BOT_WEBHOOK_PORT']}" in caddyfile  # the proxy reaches each one
        assert bot["read_only"] and bot["cap_drop"] == ["ALL"]
    assert "443:443" in services["proxy"]["ports"]


def interpolate(value: object) -> str:
    """Compose's ${VAR:?error} and ${VAR:-default}, from COMPOSE_ENV."""

    def one(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if name in COMPOSE_ENV:
            return COMPOSE_ENV[name]
        assert op == ":-", f"{name} is required but the test gives no value"
        return rest

    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", one, str(value))


def test_compose_bot_environment_is_a_valid_bot_configuration() -> None:
    (bot, *_) = bot_services().values()
    env = {key: interpolate(value) for key, value in bot["environment"].items()}
    settings = Settings.from_env(env, None)
    assert settings.uses_webhook and settings.webhook_path == "/telegram"
    assert settings.database_url == "postgresql://bot:pw@postgres:5432/bot"
    assert health_url(settings) == "http://127.0.0.1:8443/healthz"


async def test_the_health_command_reports_a_running_bot(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "BOT_METRICS_PORT": str(port), "BOT_WEBHOOK_URL": ""}
    command = [sys.executable, "-m", "bot", "health", "--env-file", "/dev/null"]

    async def exit_code() -> int:
        done = await asyncio.to_thread(
            subprocess.run, command, env=env, capture_output=True, check=False, timeout=60
        )
        return done.returncode

    assert await exit_code() == 1  # nothing listens yet
    healthy = True

    async def health() -> bool:
        return healthy

    server = StatusServer(health, None)
    await server.start("127.0.0.1", port)
    try:
        assert await exit_code() == 0
        healthy = False
        assert await exit_code() == 1
    finally:
        await server.stop()


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False, timeout=60
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


def test_docker_compose_config_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("docker compose is not installed here; the structure checks above still ran")
    for key, value in COMPOSE_ENV.items():
        monkeypatch.setenv(key, value)
    result = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_is_slim_non_root_and_health_checked() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert stages and all(base.endswith("-slim") for base in stages)
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in dockerfile and "bot health" in " ".join(dockerfile.split('", "'))


@pytest.mark.slow
def test_the_image_builds() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed here")
    daemon = subprocess.run([docker, "info"], capture_output=True, check=False, timeout=60)
    if daemon.returncode != 0:
        pytest.skip("no Docker daemon reachable here")
    result = subprocess.run(
        [docker, "build", "-q", "-t", "sore-back-bot:test", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _unit_settings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_systemd_unit_is_sandboxed() -> None:
    unit = _unit_settings()
    assert unit["DynamicUser"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["StateDirectory"] == ["sore-back-bot"]
    assert "User" not in unit  # a fixed account would defeat DynamicUser
    assert unit["CapabilityBoundingSet"] == [""] and unit["NoNewPrivileges"] == ["yes"]
    env = Settings.from_env({}, DEPLOY / "bot.env.example")
    assert str(env.knowledge_dir).startswith("/var/lib/sore-back-bot/")  # writable there
    assert "/var/lib/sore-back-bot/" in env.database_url


def test_systemd_analyze_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # The unit names the install path; point it at this checkout's interpreter instead.
    text = UNIT.read_text(encoding="utf-8").replace(
        "/opt/sore-back-bot/.venv/bin/python", sys.executable
    )
    unit = tmp_path / UNIT.name
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
