"""The rules' first look replayed from history (`bench.rules_replay`) is the first look that was
recorded at the time: the replay ran the right versions on the right messages."""

from __future__ import annotations

import pytest

from bench import rules_replay
from bench.emergency import SETS

# (set, emergencies caught, calm alarms) by the rules alone, as recorded on the day each set
# was first scored (bench/emergency.py's first looks; sets 2-4: the rules-alone figures of
# tests/data/README.md).
RECORDED = (
    ("holdout", 69, 2),
    ("holdout2", 56, 1),
    ("holdout3", 62, 4),
    ("holdout4", 64, 2),
    ("holdout5", 67, 3),
    ("holdout6", 63, 1),
    ("holdout7", 53, 4),
    ("set1", 39, 6),
    ("set2", 49, 3),
    ("set3", 57, 2),
    ("set4", 54, 5),
)


@pytest.mark.parametrize(("name", "caught", "alarms"), RECORDED)
def test_the_replay_gives_the_first_look_recorded_then(
    name: str, caught: int, alarms: int
) -> None:
    entry = rules_replay.load()[name]
    messages = entry["messages"]
    assert sum(bool(m["codes"]) for m in messages if m["code"]) == caught
    assert sum(bool(m["codes"]) for m in messages if not m["code"]) == alarms
    recorded = next(first for e, _, first in SETS if e.startswith(f"{name}_"))
    assert f"{caught}/" in recorded


def test_every_writer_set_is_replayed_on_a_version_older_than_it() -> None:
    data = rules_replay.load()
    assert len(data) >= 29
    for name, entry in data.items():
        assert "error" not in entry, name
        assert entry["ref"] != entry["added"], name
