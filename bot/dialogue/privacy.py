"""What /mydata shows: every stored field, in plain lines a person can read."""

from __future__ import annotations

from typing import Any

MAX_LINES = 120


def format_user_data(data: dict[str, Any]) -> str:
    if not data:
        return "I store nothing about you right now."
    lines = list(_flatten(data, ""))
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more lines"]
    return (
        "This is everything I store about you:\n\n"
        + "\n".join(lines)
        + "\n\nOld history is deleted automatically. Send /forget to delete all of it now."
    )


def _flatten(value: Any, key: str) -> list[str]:
    """Nested dicts and lists become `a.b[0]: value` lines, so nothing stored is hidden."""
    if isinstance(value, dict):
        if not value:
            return [f"{key}: (none)"] if key else []
        out: list[str] = []
        for name in sorted(value):
            out.extend(_flatten(value[name], f"{key}.{name}" if key else str(name)))
        return out
    if isinstance(value, list | tuple):
        if not value:
            return [f"{key}: (none)"]
        out = []
        for index, item in enumerate(value):
            out.extend(_flatten(item, f"{key}[{index}]"))
        return out
    return [f"{key}: {'(none)' if value is None else value}"]
