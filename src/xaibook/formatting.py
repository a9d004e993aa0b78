"""Numbers as readers read them: "$20 billion", "more than $42 billion", "1.2 GW", "53%".

Prose never types a figure; chapters glue the output of these functions, so the wording of
qualifiers (about, more than, at least) and of missing values lives in one place.
"""

from __future__ import annotations

import math

import pandas as pd

QUALIFIER_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "up_to": "up to ",
}
MISSING = "not reported"


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _trim(number: float, digits: int) -> str:
    """1 decimal by default, but never '20.0': whole numbers print without decimals."""
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def qualifier_prefix(qualifier: object) -> str:
    if is_missing(qualifier):
        return ""
    return QUALIFIER_WORDS.get(str(qualifier), "")


def usd_bn(value: object, qualifier: object = None, digits: int = 1) -> str:
    """Money held in USD billions, in words: $500 million, $20 billion, $1.5 trillion."""
    if is_missing(value):
        return MISSING
    amount = float(value)
    if abs(amount) >= 1000:
        text = f"${_trim(amount / 1000, digits)} trillion"
    elif abs(amount) >= 1 or amount == 0:
        text = f"${_trim(amount, digits)} billion"
    else:
        text = f"${_trim(amount * 1000, 0)} million"
    return qualifier_prefix(qualifier) + text


def megawatts(value: object, qualifier: object = None, digits: int = 1) -> str:
    """Power held in MW: '300 MW' below a gigawatt, '1.4 GW' from there."""
    if is_missing(value):
        return MISSING
    power_mw = float(value)
    text = (
        f"{_trim(power_mw / 1000, digits)} GW"
        if abs(power_mw) >= 1000
        else f"{_trim(power_mw, 0)} MW"
    )
    return qualifier_prefix(qualifier) + text


def h100e(value: object, qualifier: object = None) -> str:
    """GPU counts in H100-equivalents: '276,000 H100e', '1 million H100e'."""
    if is_missing(value):
        return MISSING
    count = float(value)
    if abs(count) >= 1e6:
        text = f"{_trim(count / 1e6, 2)} million H100e"
    else:
        text = f"{_trim(round(count, -3), 0)} H100e"
    return qualifier_prefix(qualifier) + text


def percent(value: object, digits: int = 0) -> str:
    """A share held as a percentage (53.2 → '53%')."""
    if is_missing(value):
        return MISSING
    return f"{_trim(float(value), digits)}%"


def ratio(value: object, digits: int = 1) -> str:
    """A multiple: 12.3 → '12.3×'."""
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    return f"{_trim(float(value), digits)}×"


def count(value: object) -> str:
    if is_missing(value):
        return MISSING
    return f"{round(float(value)):,}"


def months(value: object) -> str:
    if is_missing(value):
        return MISSING
    number = round(float(value))
    return f"{number} month" + ("" if number == 1 else "s")


def date(value: object, precision: str = "day") -> str:
    """Dates at the precision the source gives: '6 January 2026', 'January 2026', '2026'."""
    if is_missing(value):
        return "an unknown date"
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp.year}"
    if precision in ("month", "quarter"):
        return f"{stamp:%B} {stamp.year}"
    if precision == "week":
        return f"early {stamp:%B} {stamp.year}" if stamp.day <= 10 else f"{stamp:%B} {stamp.year}"
    return f"{stamp.day} {stamp:%B} {stamp.year}"
