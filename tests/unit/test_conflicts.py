"""When the sources of one quantity conflict: the rule behind the `conflict` column."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xaibook.data.facts import _conflicting


def flagged(*stated: tuple[float, str | None]) -> bool:
    claimed = pd.DataFrame(
        {
            "claim_id": "c",
            "metric": "valuation",
            "value": [value for value, _ in stated],
            "qualifier": [qualifier for _, qualifier in stated],
        }
    )
    result = _conflicting(claimed)
    assert result.nunique() == 1  # every value of a conflicting quantity is marked
    return bool(result.iloc[0])


@pytest.mark.parametrize(
    ("stated", "conflict"),
    [
        ([(230, "exact"), (230, "more_than")], True),
        ([(230, "more_than"), (230, "up_to")], True),
        ([(230, "at_least"), (230, "less_than")], True),
        ([(230, "at_least"), (230, "up_to")], False),  # both allow exactly 230
        ([(230, "exact"), (230, "approx"), (230, "more_than")], True),
        ([(230, "approx"), (230, "more_than")], False),
        ([(230, "more_than"), (230, "more_than")], False),
        ([(230, "exact"), (230, None)], False),  # no qualifier reads as exact
        ([(230, "exact"), (235, "exact")], True),  # different values
        ([(230, "exact"), (math.nan, "more_than")], False),  # a row without a value
    ],
)
def test_sources_conflict_when_they_cannot_all_be_right(stated, conflict):
    assert flagged(*stated) is conflict


def test_quantities_are_judged_apart():
    claimed = pd.DataFrame(
        {
            "claim_id": ["a", "a", "b", "b"],
            "metric": ["valuation"] * 4,
            "value": [1.0, 1.0, 2.0, 2.0],
            "qualifier": ["exact", "more_than", "exact", "exact"],
        }
    )
    assert _conflicting(claimed).tolist() == [True, True, False, False]


def test_a_plan_and_a_figure_of_what_is_never_conflict():
    # 001: Colossus II a GW-level (about 1 GW) cluster, a plan; Epoch: 276 MW built so far
    claimed = pd.DataFrame(
        {
            "claim_id": ["c"] * 4,
            "metric": ["power_mw"] * 4,
            "value": [1000.0, 276.0, 1000.0, 1379.0],
            "qualifier": ["approx", "exact", "approx", "exact"],
            "status": ["plan", "reported", "plan", "plan"],
        }
    )
    # the two plans disagree with each other (1 GW against 1.4 GW); the built figure alone
    # has nothing to disagree with
    assert _conflicting(claimed).tolist() == [True, False, True, True]
