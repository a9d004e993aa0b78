"""Numbers as readers read them: "$20 billion", "more than $42 billion", "1.2 GW", "53%".

Prose never types a figure; chapters glue the output of these functions, so the wording of
qualifiers (about, more than, at least) and of missing values lives in one place.

A number these functions cannot say sensibly (infinite, NaN passed as a value, or so large it
would print dozens of digits) raises ValueError naming it: validated data never holds one, so
it is a bug to fix, never text to show a reader ("$inf billion").
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from xaibook.data.missing import is_missing

QUALIFIER_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "up_to": "up to ",
    "order_of": "of the order of ",  # a class named in words ("gigawatt-class"), no figure
    # a ratio of an approximate figure to a bounded one keeps both, in words that do not
    # stack: "about 46× or more" (not "at least about 46×"); the bound follows the figure
    "approx_more_than": "about ",
    "approx_at_least": "about ",
    "approx_less_than": "about ",
    "approx_up_to": "about ",
}
QUALIFIER_SUFFIXES = {
    "approx_more_than": " or more",
    "approx_at_least": " or more",
    "approx_less_than": " or less",
    "approx_up_to": " or less",
}
MISSING = "not reported"
# Largest magnitude printed, in the value's own unit: 10^15 billion dollars is far beyond any
# real figure, and keeps every printed number under 20 digits.
MAX_PRINTABLE_MAGNITUDE = 1e15
MAX_DECIMALS = 3


def printable(value: object) -> float:
    """``value`` as a float fit to print, or ValueError naming it (see the module docstring)."""
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a number to print: {value!r}") from error
    if not math.isfinite(number) or abs(number) >= MAX_PRINTABLE_MAGNITUDE:
        raise ValueError(
            f"refusing to print {value!r}: the book prints finite numbers below "
            f"{MAX_PRINTABLE_MAGNITUDE:g} in magnitude"
        )
    return number


def _trim(number: float, digits: int) -> str:
    """1 decimal by default, but never '20.0': whole numbers print without decimals."""
    if not 0 <= digits <= MAX_DECIMALS:
        raise ValueError(f"digits must be 0 to {MAX_DECIMALS}, not {digits!r}")
    # Half up, as readers round (6.25 -> 6.3, 62.5% -> 63%), from the number as Python prints
    # it: Python's own format rounds halves to even and so shows 6.25 as 6.2.
    rounded = Decimal(repr(float(number))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def qualifier_prefix(qualifier: object) -> str:
    if is_missing(qualifier):
        return ""
    return QUALIFIER_WORDS.get(str(qualifier), "")


def qualifier_suffix(qualifier: object) -> str:
    """The words a rough bound puts after its figure (' or more')."""
    return "" if is_missing(qualifier) else QUALIFIER_SUFFIXES.get(str(qualifier), "")


def qualified(text: str, qualifier: object) -> str:
    """``text`` with its qualifier's words: 'about $1 billion', 'about 46× or more'."""
    return qualifier_prefix(qualifier) + text + qualifier_suffix(qualifier)


def usd_bn(value: object, qualifier: object = None, digits: int = 1) -> str:
    """Money held in USD billions, in words: $500 million, $20 billion, $1.5 trillion."""
    if is_missing(value):
        return MISSING
    amount = printable(value)
    if abs(amount) >= 1000:
        text = f"${_trim(amount / 1000, digits)} trillion"
    elif abs(amount) >= 1 or amount == 0:
        text = f"${_trim(amount, digits)} billion"
    else:
        text = f"${_trim(amount * 1000, 0)} million"
    return qualified(text, qualifier)


def megawatts(value: object, qualifier: object = None, digits: int = 1) -> str:
    """Power held in MW: '300 MW' below a gigawatt, '1.4 GW' from there."""
    if is_missing(value):
        return MISSING
    power_mw = printable(value)
    if qualifier == "order_of" and power_mw == 1000:
        return "gigawatt-class"  # GW級: the source's words, not a number
    text = (
        f"{_trim(power_mw / 1000, digits)} GW"
        if abs(power_mw) >= 1000
        else f"{_trim(power_mw, 0)} MW"
    )
    return qualified(text, qualifier)


def h100e(value: object, qualifier: object = None) -> str:
    """GPU counts in H100-equivalents: '276,000 H100e', '1 million H100e'."""
    if is_missing(value):
        return MISSING
    count = printable(value)
    if abs(count) >= 1e6:
        text = f"{_trim(count / 1e6, 2)} million H100e"
    else:
        text = f"{_trim(round(count, -3), 0)} H100e"
    return qualified(text, qualifier)


def usd(value: object, qualifier: object = None) -> str:
    """Dollars, for a price per unit: '$420,000', '$1.2 million'."""
    if is_missing(value):
        return MISSING
    amount = printable(value)
    if abs(amount) >= 1e6:
        text = f"${_trim(amount / 1e6, 1)} million"
    else:
        text = f"${_trim(amount, 0)}"
    return qualified(text, qualifier)


def percent(value: object, digits: int = 0) -> str:
    """A share held as a percentage (53.2 → '53%')."""
    if is_missing(value):
        return MISSING
    return f"{_trim(printable(value), digits)}%"


def ratio(value: object, digits: int = 1) -> str:
    """A multiple: 12.3 → '12.3×'."""
    # a multiple of zero is infinite: there is no multiple to report
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return MISSING
    return f"{_trim(printable(value), digits)}×"


def count(value: object) -> str:
    if is_missing(value):
        return MISSING
    return f"{round(printable(value)):,}"


def months(value: object, digits: int = 0) -> str:
    """'19 months'; with ``digits``, '7.7 months', where a rate is computed from the span and a
    reader dividing by a rounded span would get another rate."""
    if is_missing(value):
        return MISSING
    text = _trim(printable(value), digits)
    return f"{text} month" + ("" if text == "1" else "s")


def on_date(value: object, precision: str = "day") -> str:
    """``date`` with its preposition: 'on 6 January 2026', but 'in January 2026', 'in 2026'."""
    return ("on " if precision == "day" and not is_missing(value) else "in ") + date(
        value, precision
    )


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
