"""xaibook.model.rounds: the fields issue 11 added (a share sale, a hedged valuation, debt still
under negotiation) are read from Epoch AI's own columns, and the old fields keep their meanings."""

from __future__ import annotations

import pandas as pd
import pytest

from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import load_dataset
from xaibook.model import rounds as model_rounds

TABLES = CHAPTERS_BY_SLUG["funding"].tables


@pytest.fixture(scope="module")
def today():
    return load_dataset(tables=TABLES)


def epoch_row(**values: object) -> pd.Series:
    base = {"round_key": "Raise", "round_type": None, "debt_usd_bn": None, "notes": None}
    return pd.Series(base | values)


@pytest.mark.parametrize(
    ("kinds", "debt", "name"),
    [
        ("Primary,Debt", 3.5, "Equity and debt round"),
        ("Primary,Debt", None, "Equity round"),  # debt planned, none raised
        ("Secondary", None, "Share sale (secondary)"),
        ("Debt", 1.0, "Debt round"),
        ("Primary", None, "Equity round"),
        (None, None, "Round"),
    ],
)
def test_a_round_is_named_for_the_money_it_raised(kinds, debt, name):
    assert model_rounds.epoch_display_name(epoch_row(round_type=kinds, debt_usd_bn=debt)) == name


def test_share_sales_hedges_and_pending_debt_come_from_epochs_columns(today):
    openai = model_rounds.rounds(today, "openai")
    secondary = openai[openai["secondary"]]
    assert set(secondary["amount_usd_bn"]) == {0}  # a tender raises nothing
    assert 500 in set(secondary["valuation_usd_bn"])
    assert not openai.loc[~openai["secondary"], "round_name"].str.contains("Tender").any()
    xai = model_rounds.rounds(today, "xai")
    hedged = xai[xai["valuation_uncertain"]]
    assert hedged["valuation_usd_bn"].tolist() == [150]
    assert hedged["valuation_qualifier"].tolist() == ["approx"]
    pending = xai[xai["pending_debt_usd_bn"].notna()]
    assert pending["stage"].tolist() == [model_rounds.TALKS]
    assert pending["pending_debt_usd_bn"].tolist() == [3.5]
    # the money counted is unchanged by the new fields
    assert model_rounds.total_raised(xai) == 42
    assert set(model_rounds.ROUND_COLUMNS) <= set(xai.columns)
