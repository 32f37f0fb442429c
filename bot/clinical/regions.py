"""Emergency, nurse-advice and crisis numbers per region (shared/red-flags.md, "Numbers").

Only numbers the reference lists are here. Where a place has no national nurse line, or its
crisis line is not known (Europe, country unknown), the reply names a kind of service instead
of inventing a number.
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
    crisis_call: str
    """Reads after "call", e.g. "Lifeline on 13 11 14"."""
    crisis_text: str | None = None
    """A whole phrase for texting, e.g. "text 0477 13 11 14"; None if there is no text line."""
    no_nurse_line: str = "your doctor or an out-of-hours service"
    """Reads after "contact", used when nurse_line is None."""

    @property
    def nurse_advice(self) -> str:
        """A phrase for {nurse_line}: how to get same-day health advice here."""
        if self.nurse_line is not None:
            return f"call {self.nurse_line}"
        return f"contact {self.no_nurse_line}"

    @property
    def crisis_line(self) -> str:
        """Call and text in one phrase, reading after "call" (adds "(or text …)" if possible)."""
        if self.crisis_text is None:
            return self.crisis_call
        return f"{self.crisis_call} (or {self.crisis_text})"

    def placeholders(self) -> dict[str, str]:
        """Values for the {emergency}, {nurse_line} and {crisis_line} placeholders."""
        return {
            "emergency": self.emergency,
            "nurse_line": self.nurse_advice,
            "crisis_line": self.crisis_line,
        }


_EU_NO_NURSE = "your doctor or a local out-of-hours service"


def _eu(code: str, name: str, crisis_call: str) -> RegionNumbers:
    return RegionNumbers(code, name, "112", None, crisis_call, no_nurse_line=_EU_NO_NURSE)


REGIONS: MappingProxyType[str, RegionNumbers] = MappingProxyType(
    {
        "AU": RegionNumbers(
            "AU",
            "Australia",
            "000",
            "healthdirect on 1800 022 222",
            "Lifeline on 13 11 14",
            "text 0477 13 11 14",
        ),
        "UK": RegionNumbers(
            "UK",
            "United Kingdom (England, Scotland, Wales)",
            "999",
            "NHS 111",
            "Samaritans on 116 123",
            "text SHOUT to 85258",
        ),
        "NI": RegionNumbers(
            "NI",
            "Northern Ireland",
            "999",
            None,
            "Samaritans on 116 123",
            "text SHOUT to 85258",
            no_nurse_line="your GP or the GP out-of-hours service",
        ),
        "US": RegionNumbers(
            "US",
            "United States",
            "911",
            None,
            "988 (Suicide & Crisis Lifeline)",
            "text 988",
            no_nurse_line="your doctor or an urgent care clinic",
        ),
        "CA": RegionNumbers(
            "CA",
            "Canada",
            "911",
            "811 (health advice in most provinces and territories)",
            "988 (Suicide Crisis Helpline)",
            "text 988",
        ),
        "NZ": RegionNumbers(
            "NZ",
            "New Zealand",
            "111",
            "Healthline on 0800 611 116",
            "1737 (free, any time)",
            "text 1737",
        ),
        "IE": RegionNumbers(
            "IE",
            "Ireland",
            "112 or 999",
            None,
            "Samaritans on 116 123",
            "text 50808",
            no_nurse_line="your GP or a GP out-of-hours service",
        ),
        "FR": _eu("FR", "France", "3114"),
        "NL": _eu("NL", "Netherlands", "113"),
        "ES": _eu("ES", "Spain", "024"),
        "BE": _eu("BE", "Belgium", "1813 (in Dutch) or 0800 32 123 (in French)"),
        "EU": _eu("EU", "Europe (other country)", "your country's crisis line"),
    }
)

_ALIASES = MappingProxyType({"GB": "UK"})


def numbers_for(region: str) -> RegionNumbers:
    """The numbers for a region code (any case); ValueError lists the valid codes."""
    code = region.strip().upper()
    code = _ALIASES.get(code, code)
    try:
        return REGIONS[code]
    except KeyError:
        valid = ", ".join(REGIONS)
        raise ValueError(f"unknown region {region!r}; valid regions: {valid}") from None
