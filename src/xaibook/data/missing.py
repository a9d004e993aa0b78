"""One definition of a missing value, for every layer: None, NaN, NaT and pandas' NA."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value, not a missing one
        return False
