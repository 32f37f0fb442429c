"""Typed button data: one class per kind of button, encoded as `prefix:field:field`.

Like aiogram's CallbackData: a subclass names its prefix and declares typed fields (str, int
or a Literal of strings); `encode()` checks the result fits the 64 bytes a button may carry
(Telegram's limit, the tightest of any channel) when the button is made, not when a person
presses it; `decode(data, kinds)` gives the matching instance, or `Unknown` for anything
stale, malformed or forged, and never raises.
"""

from __future__ import annotations

import dataclasses
import logging
import typing
from typing import Any, ClassVar, Literal, TypeVar, get_args, get_origin

from bot.dialogue.replies import Button

log = logging.getLogger(__name__)

MAX_BYTES = 64
"""The channel contract's ceiling for button data: every channel must carry this much.
Telegram's own limit (the tightest) is checked in bot/telegram/render.py."""
SEP = ":"
_MAX_INT_DIGITS = 9

T = TypeVar("T", bound="ButtonData")


@dataclasses.dataclass(frozen=True)
class Unknown:
    """Button data that matches no kind it was decoded against (old, malformed or forged)."""

    data: str


class ButtonData:
    """Base of every kind of button data; subclasses are frozen dataclasses."""

    prefix: ClassVar[str]
    _types: ClassVar[tuple[tuple[str, Any], ...]]

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or any(not part for part in prefix.split(SEP)):
            raise ValueError(f"{cls.__name__}: bad prefix {prefix!r}")
        cls.prefix = prefix

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Any], ...]:
        if "_types" not in cls.__dict__:
            hints = typing.get_type_hints(cls)
            cls._types = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        return cls._types

    def encode(self) -> str:
        """`prefix:value:...`; ValueError if a value cannot round-trip or it is too long."""
        parts = [self.prefix]
        for name, kind in self._fields():
            parts.append(_encode_value(type(self).__name__, name, kind, getattr(self, name)))
        data = SEP.join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"{type(self).__name__} data is over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def parse(cls: type[T], data: str) -> T | None:
        """This kind's instance for `data`, or None if it is not one."""
        head = cls.prefix.split(SEP)
        parts = data.split(SEP)
        fields = cls._fields()
        if parts[: len(head)] != head or len(parts) != len(head) + len(fields):
            return None
        values: dict[str, Any] = {}
        for (name, kind), raw in zip(fields, parts[len(head) :], strict=True):
            value = _decode_value(kind, raw)
            if value is None:
                return None
            values[name] = value
        return cls(**values)


def decode(data: str | None, kinds: tuple[type[ButtonData], ...]) -> ButtonData | Unknown:
    """The first kind `data` parses as, or Unknown."""
    if data and len(data.encode("utf-8")) <= MAX_BYTES:
        for kind in kinds:
            found = kind.parse(data)
            if found is not None:
                return found
    return Unknown(data or "")


def _encode_value(owner: str, name: str, kind: Any, value: Any) -> str:
    if kind is int:
        if not isinstance(value, int) or value < 0 or len(str(value)) > _MAX_INT_DIGITS:
            raise ValueError(f"{owner}.{name} must be a small whole number >= 0, got {value!r}")
        return str(value)
    if get_origin(kind) is Literal and value not in get_args(kind):
        raise ValueError(f"{owner}.{name} must be one of {get_args(kind)}, got {value!r}")
    if not isinstance(value, str) or not value or SEP in value:
        raise ValueError(f"{owner}.{name} must be non-empty text without {SEP!r}, got {value!r}")
    return value


def _decode_value(kind: Any, raw: str) -> Any:
    if kind is int:
        ok = raw.isascii() and raw.isdigit() and len(raw) <= _MAX_INT_DIGITS
        return int(raw) if ok and str(int(raw)) == raw else None  # one spelling per value
    if get_origin(kind) is Literal:
        return raw if raw in get_args(kind) else None
    return raw or None


def button(label: str, data: ButtonData) -> Button | None:
    """A button for `data`, or None (logged) when the data cannot be encoded, e.g. an entry id
    too long for 64 bytes: the reply goes out without that button rather than not at all."""
    try:
        return Button(label, data.encode())
    except ValueError as exc:
        log.error("button %r dropped: %s", label[:30], exc)
        return None
