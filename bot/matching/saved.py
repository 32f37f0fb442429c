"""Writing a learned model's arrays so that the same weights always give the same bytes."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt


def save_arrays(path: Path, arrays: Mapping[str, npt.NDArray[np.generic]]) -> None:
    """An .npz (np.load reads it) whose bytes depend on the arrays alone: np.savez stamps
    each member with the time, so a retrained model the same as the shipped one would still
    differ byte for byte."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w") as out:
                np.lib.format.write_array(out, array, allow_pickle=False)
