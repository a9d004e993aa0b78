from __future__ import annotations

import math

import pytest

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
