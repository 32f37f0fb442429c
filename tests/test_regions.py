"""Region numbers: the right numbers for each place, and a clear error for an unknown place."""

from __future__ import annotations

import re

import pytest

from bot.clinical.regions import REGIONS, numbers_for


@pytest.mark.parametrize(
    ("region", "emergency", "nurse", "crisis", "text"),
    [
        ("AU", "000", "1800 022 222", "13 11 14", "0477 13 11 14"),
        ("UK", "999", "111", "116 123", "SHOUT to 85258"),
        ("NI", "999", None, "116 123", "SHOUT to 85258"),
        ("US", "911", None, "988", "text 988"),
        ("CA", "911", "811", "988", "text 988"),
        ("NZ", "111", "0800 611 116", "1737", "text 1737"),
        ("IE", "112 or 999", None, "116 123", "50808"),
        ("FR", "112", None, "3114", None),
        ("NL", "112", None, "113", None),
        ("ES", "112", None, "024", None),
        ("BE", "112", None, "1813", None),
        ("EU", "112", None, "your country's crisis line", None),
    ],
)
def test_numbers_per_region(
    region: str, emergency: str, nurse: str | None, crisis: str, text: str | None
) -> None:
    n = numbers_for(region)
    assert n.region == region
    assert n.emergency == emergency
    assert crisis in n.crisis_call
    assert n.crisis_line.startswith(n.crisis_call)
    if text is None:
        assert n.crisis_text is None
    else:
        assert n.crisis_text is not None and text in n.crisis_text
        assert text in n.crisis_line
    if nurse is None:
        assert n.nurse_line is None
        assert not re.search(r"\d", n.nurse_advice), "no invented nurse-line number"
        assert n.nurse_advice.startswith("contact ")
    else:
        assert n.nurse_line is not None and nurse in n.nurse_line
        assert n.nurse_advice.startswith("call ")


def test_northern_ireland_is_not_sent_to_nhs_111() -> None:
    assert "111" not in numbers_for("NI").nurse_advice
    assert "out-of-hours" in numbers_for("NI").nurse_advice


def test_europe_without_a_country_names_no_wrong_number() -> None:
    eu = numbers_for("EU")
    assert not re.search(r"\d", eu.crisis_line), "116 123 is wrong in France, Spain, ..."
    assert eu.emergency == "112"


def test_belgium_offers_both_languages() -> None:
    assert "0800 32 123" in numbers_for("BE").crisis_line


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
