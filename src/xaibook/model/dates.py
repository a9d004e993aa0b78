"""Date arithmetic, one rule for the whole book: a month is an average month of elapsed days."""

from __future__ import annotations

import pandas as pd

DAYS_PER_MONTH = 365.25 / 12  # 30.4375: the mean Gregorian month, leap years included


def months_between(start: object, end: object) -> float | pd.Series:
    """Elapsed months from ``start`` to ``end`` (signed; whole days / DAYS_PER_MONTH).

    Scalars give a float, Series of dates a Series. Callers round for display only, so
    27 May 2024 to 6 January 2026 is 19.35 months ("19 months"), not a calendar difference of 20.
    """
    if isinstance(start, pd.Series) or isinstance(end, pd.Series):
        elapsed = pd.to_datetime(end) - pd.to_datetime(start)
        return elapsed.dt.days / DAYS_PER_MONTH
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH


def add_months(start: object, months: int) -> pd.Timestamp:
    """The date ``months`` calendar months after ``start`` (a month-end start stays in range)."""
    return pd.Timestamp(start) + pd.DateOffset(months=int(months))
