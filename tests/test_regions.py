"""Region numbers: the right numbers for each place, and a clear error for an unknown place."""

from __future__ import annotations

import re

import pytest

from bot.safety.regions import REGIONS, numbers_for


@pytest.mark.parametrize(
    ("region", "emergency", "nurse", "crisis"),
    [
        ("AU", "000", "1800 022 222", "13 11 14"),
        ("UK", "999", "111", "116 123"),
        ("US", "911", None, "988"),
        ("CA", "911", "811", "988"),
        ("NZ", "111", "0800 611 116", "1737"),
        ("IE", "112", None, "116 123"),
        ("EU", "112", None, "116 123"),
    ],
)
def test_numbers_per_region(region: str, emergency: str, nurse: str | None, crisis: str) -> None:
    n = numbers_for(region)
    assert n.region == region
    assert emergency in n.emergency
    assert crisis in n.crisis_line
    if nurse is None:
        assert n.nurse_line is None
        assert not re.search(r"\d", n.nurse_advice), "no invented nurse-line number"
        assert n.nurse_advice.startswith("contact ")
    else:
        assert n.nurse_line is not None and nurse in n.nurse_line
        assert n.nurse_advice.startswith("call ")


@pytest.mark.parametrize("spelling", ["au", "Au", " AU "])
def test_lookup_ignores_case_and_spaces(spelling: str) -> None:
    assert numbers_for(spelling) == REGIONS["AU"]


def test_gb_means_uk() -> None:
    assert numbers_for("gb") == REGIONS["UK"]


def test_unknown_region_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError) as err:
        numbers_for("XX")
    for code in REGIONS:
        assert code in str(err.value)


def test_placeholders_fill_every_name() -> None:
    for n in REGIONS.values():
        filled = "{emergency} {nurse_line} {crisis_line}".format_map(n.placeholders())
        assert n.emergency in filled and n.crisis_line in filled


def test_regions_cannot_be_changed_at_runtime() -> None:
    with pytest.raises(TypeError):
        REGIONS["XX"] = REGIONS["AU"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        REGIONS["AU"].emergency = "123"  # type: ignore[misc]
