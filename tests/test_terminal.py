"""The terminal chat as a person (or a script) uses it: through stdin and stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from chat_driver import KNOWLEDGE_DIR

ROOT = KNOWLEDGE_DIR.parent


def run_chat(tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/chat.sqlite3",
        "KNOWLEDGE_DIR": str(KNOWLEDGE_DIR),
        "TELEGRAM_BOT_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *extra],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_mode_gives_one_line_per_input(tmp_path: Path) -> None:
    inputs = ["hello", "/check", "Me", "No", "t:sudden:2:n", "I can't breathe", "", "bye"]
    records = json_lines(run_chat(tmp_path, inputs, "--json"))
    assert [r["input"] for r in records] == inputs
    assert "not medical advice" in records[0]["replies"][0]["text"]
    assert records[1]["replies"][-1]["triage"]["question"] == "who"
    assert records[2]["replies"][-1]["triage"]["question"] == "cauda_equina"  # label pressed
    assert records[3]["replies"][-1]["triage"]["question"] == "sudden"  # label pressed
    assert records[4]["replies"][-1]["triage"]["question"] == "very_unwell"  # data pressed
    emergency = records[5]["replies"][0]
    assert emergency["emergency"] is True and emergency["outcome"] == "emergency"
    for record in records:
        for reply in record["replies"]:
            assert set(reply) == {"text", "buttons", "triage", "outcome", "emergency"}


def test_numbers_press_buttons_and_state_survives_a_restart(tmp_path: Path) -> None:
    first = run_chat(tmp_path, ["/check", "1", "2"])  # [1] is "Me", then [2] is "No"
    assert first.returncode == 0, first.stderr
    assert "Question 3 of 8" in first.stdout
    again = run_chat(tmp_path, ["no"])
    assert "Question 4 of 8" in again.stdout


def test_check_outcomes_show_their_level_in_json(tmp_path: Path) -> None:
    """crisis and urgent_now are outcomes of their own, as `chat --json` shows them."""
    crisis = json_lines(
        run_chat(tmp_path, ["/check", "Me", "no", "no", "no", "yes", "no"], "--json")
    )
    assert crisis[-1]["replies"][-1]["outcome"] == "crisis"
    unsure = json_lines(
        run_chat(tmp_path, ["/check", "Me", "not sure", *["no"] * 6], "--json", "--user", "5")
    )
    outcomes = [r["outcome"] for rec in unsure for r in rec["replies"] if r["outcome"]]
    assert outcomes == ["urgent_now"]


def test_user_flag_keeps_people_apart(tmp_path: Path) -> None:
    run_chat(tmp_path, ["/check", "me"], "--user", "11")
    other = json_lines(run_chat(tmp_path, ["yes"], "--json", "--user", "12"))
    assert other[0]["replies"][-1]["triage"] is None
    same = json_lines(run_chat(tmp_path, ["nope"], "--json", "--user", "11"))
    assert same[0]["replies"][-1]["triage"]["question"] == "sudden"


def _messages(name: str) -> list[str]:
    path = KNOWLEDGE_DIR.parent / "tests" / "data" / name
    return [line.split("\t", 1)[1] for line in path.read_text().splitlines() if "\t" in line]


def test_emergency_sets_through_chat_json(tmp_path: Path) -> None:
    """The way other people's sets are run: every emergency line alarms, calm ones rarely."""
    emergencies = _messages("emergency_messages.txt")
    calm = _messages("calm_messages.txt")
    records = json_lines(run_chat(tmp_path, emergencies + calm, "--json"))
    alarmed = [any(r["emergency"] for r in rec["replies"]) for rec in records]
    missed = [m for m, hit in zip(emergencies, alarmed, strict=False) if not hit]
    assert missed == []
    false_alarms = [m for m, hit in zip(calm, alarmed[len(emergencies) :], strict=True) if hit]
    assert len(false_alarms) <= 2, false_alarms
