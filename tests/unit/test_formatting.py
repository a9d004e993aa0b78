from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given, strategies as st

from xaibook import formatting as fmt


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (20, None, "$20 billion"),
        (12.5, "exact", "$12.5 billion"),
        (0.5, "approx", "about $500 million"),
        (1500, None, "$1.5 trillion"),
        (42, "more_than", "more than $42 billion"),
        (76.67, "less_than", "less than $76.7 billion"),
        (None, None, "not reported"),
        (math.nan, "approx", "not reported"),
    ],
)
def test_usd_bn(value, qualifier, expected):
    assert fmt.usd_bn(value, qualifier) == expected


def test_power_gpus_percent_ratio_and_dates():
    assert fmt.megawatts(300, "approx") == "about 300 MW"
    assert fmt.megawatts(2000) == "2 GW"
    assert fmt.megawatts(1379) == "1.4 GW"
    assert fmt.h100e(1_000_000, "more_than") == "more than 1 million H100e"
    assert fmt.h100e(275_795.86) == "276,000 H100e"
    assert fmt.percent(53.2) == "53%"
    assert fmt.ratio(12.34) == "12.3×"
    assert fmt.ratio(math.inf) == "not reported"
    assert fmt.date("2026-01-06") == "6 January 2026"
    assert fmt.date("2026-01-01", "year") == "2026"
    assert fmt.date("2026-05-01", "month") == "May 2026"
    assert fmt.months(1) == "1 month" and fmt.months(18.4) == "18 months"


# --- no page prints inf, nan or a 300-digit number -------------------------------------------

NUMBER_FORMATTERS = {
    "usd_bn": fmt.usd_bn,
    "megawatts": fmt.megawatts,
    "h100e": fmt.h100e,
    "percent": fmt.percent,
    "ratio": fmt.ratio,
    "count": fmt.count,
    "months": fmt.months,
}
MAX_DIGITS = 20
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True) | st.integers(
    min_value=-(10**400), max_value=10**400
)


def _looks_broken(text: str) -> bool:
    return bool(re.search(r"inf|nan", text, re.IGNORECASE)) or (
        sum(char.isdigit() for char in text) > MAX_DIGITS
    )


@pytest.mark.parametrize("name", sorted(NUMBER_FORMATTERS))
@given(value=ANY_FLOAT, qualifier=st.sampled_from([None, *fmt.QUALIFIER_WORDS]))
@example(value=math.inf, qualifier=None)
@example(value=-math.inf, qualifier=None)
@example(value=1e300, qualifier="more_than")
@example(value=10**300, qualifier=None)
def test_formatters_never_print_inf_nan_or_absurd_numbers(name, value, qualifier):
    formatter = NUMBER_FORMATTERS[name]
    takes_qualifier = name in ("usd_bn", "megawatts", "h100e")
    try:
        text = formatter(value, qualifier) if takes_qualifier else formatter(value)
    except ValueError as error:
        assert repr(value)[:20] in str(error)  # the error names the value it refused
        return
    assert not _looks_broken(text), text


@pytest.mark.parametrize("name", sorted(NUMBER_FORMATTERS))
@pytest.mark.parametrize("value", [math.inf, -math.inf, 1e300, -(10**300)])
def test_formatters_refuse_infinite_and_absurd_values(name, value):
    if name == "ratio" and math.isinf(value):
        assert fmt.ratio(value) == fmt.MISSING  # a multiple of zero: no multiple to report
        return
    with pytest.raises(ValueError, match="refusing to print"):
        NUMBER_FORMATTERS[name](value)


def test_real_figures_still_print():
    assert fmt.usd_bn(999_999) == "$1,000 trillion"
    assert fmt.count(123_456_789) == "123,456,789"
    with pytest.raises(ValueError, match="digits"):
        fmt.usd_bn(1, digits=300)


def test_halves_round_up_as_readers_round():
    # Python's format rounds an exact half to even: 150 / 24 = 6.25 printed "6.2×"
    assert fmt.ratio(150 / 24) == "6.3×"
    assert fmt.percent(12.5 / 20 * 100) == "63%"
    assert fmt.usd_bn(2.05) == "$2.1 billion"
    assert fmt.ratio(9.583) == "9.6×" and fmt.percent(11.9) == "12%"


def test_a_date_takes_on_for_a_day_and_in_for_anything_less_precise():
    # "reported on May 2026" was the day's preposition put before a month
    from xaibook.formatting import on_date

    assert on_date("2026-05-06", "day") == "on 6 May 2026"
    assert on_date("2026-05-06", "month") == "in May 2026"
    assert on_date("2026-01-07", "week") == "in early January 2026"
    assert on_date("2035-01-01", "year") == "in 2035"


def test_a_rough_bound_reads_without_stacked_qualifiers():
    # "at least about 46×" stacks two hedges; the bound follows the figure instead
    assert fmt.usd_bn(46, "approx_at_least") == "about $46 billion or more"
    assert fmt.megawatts(300, "approx_up_to") == "about 300 MW or less"
    assert fmt.qualified("46×", "approx_more_than") == "about 46× or more"
    assert fmt.qualified("46×", "at_least") == "at least 46×"
    assert fmt.qualified("46×", None) == "46×"
