"""Emergency, nurse-advice and crisis numbers per region, used to fill outcome placeholders.

Only numbers we are certain of are listed; where a region has no national nurse line (or we are
not sure of one) the reply names a kind of service instead of inventing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class RegionNumbers:
    region: str
    name: str
    emergency: str
    nurse_line: str | None
    """Reads after "call", e.g. "healthdirect on 1800 022 222"; None if there is none."""
    crisis_line: str
    """Reads after "call", e.g. "Lifeline on 13 11 14"."""
    no_nurse_line: str = "your doctor or an out-of-hours service"
    """Reads after "contact", used when nurse_line is None."""

    @property
    def nurse_advice(self) -> str:
        """A phrase for {nurse_line}: how to get same-day health advice here."""
        if self.nurse_line is not None:
            return f"call {self.nurse_line}"
        return f"contact {self.no_nurse_line}"

    def placeholders(self) -> dict[str, str]:
        """Values for the {emergency}, {nurse_line} and {crisis_line} placeholders."""
        return {
            "emergency": self.emergency,
            "nurse_line": self.nurse_advice,
            "crisis_line": self.crisis_line,
        }


REGIONS: MappingProxyType[str, RegionNumbers] = MappingProxyType(
    {
        "AU": RegionNumbers(
            "AU", "Australia", "000", "healthdirect on 1800 022 222", "Lifeline on 13 11 14"
        ),
        "UK": RegionNumbers("UK", "United Kingdom", "999", "NHS 111", "Samaritans on 116 123"),
        "US": RegionNumbers(
            "US",
            "United States",
            "911",
            None,
            "988 (Suicide & Crisis Lifeline)",
            no_nurse_line="your doctor or an urgent care clinic",
        ),
        "CA": RegionNumbers(
            "CA",
            "Canada",
            "911",
            "811 (health advice in most provinces and territories)",
            "988 (Suicide Crisis Helpline)",
        ),
        "NZ": RegionNumbers(
            "NZ",
            "New Zealand",
            "111",
            "Healthline on 0800 611 116",
            "1737 (free call or text, any time)",
        ),
        "IE": RegionNumbers(
            "IE",
            "Ireland",
            "112 or 999",
            None,
            "Samaritans on 116 123",
            no_nurse_line="your GP or a GP out-of-hours service",
        ),
        "EU": RegionNumbers(
            "EU",
            "Europe (other)",
            "112",
            None,
            "a local crisis line (116 123 in many EU countries)",
            no_nurse_line="your doctor or a local out-of-hours service",
        ),
    }
)


def numbers_for(region: str) -> RegionNumbers:
    """The numbers for a region code (any case); ValueError lists the valid codes."""
    code = region.strip().upper()
    if code == "GB":
        code = "UK"
    try:
        return REGIONS[code]
    except KeyError:
        valid = ", ".join(REGIONS)
        raise ValueError(f"unknown region {region!r}; valid regions: {valid}") from None
