"""Reading single cells of a row, whatever held it (a Series, a dict or a namedtuple)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from xaibook.formatting import is_missing


def value(row: object, column: str) -> object:
    """A cell as a plain Python value, None when missing (rows may lack the column)."""
    cell = row.get(column) if isinstance(row, (dict, pd.Series)) else getattr(row, column, None)
    return None if is_missing(cell) else cell


def flag(cell: object) -> bool:
    """A boolean cell (numpy, pandas or Python) as True/False; missing is False."""
    return not is_missing(cell) and bool(cell)


def number(row: object, column: str) -> float | None:
    cell = value(row, column)
    return None if cell is None else float(cell)


def unique(values: Iterable[object]) -> list[str]:
    """The distinct values as text, in first-seen order, missing values left out."""
    keys: list[str] = []
    for cell in values:
        if cell is not None and not is_missing(cell) and str(cell) not in keys:
            keys.append(str(cell))
    return keys
