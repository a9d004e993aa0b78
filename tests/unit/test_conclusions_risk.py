"""Risk chapter: the conclusions hold on a hostile reading (issue 11). Values and structure,
not wording: the model starts at its inputs' date, a past run-out date is flagged, the
combination with SpaceX is said only once its source is in the edition, peers' projections
are not divided by a run-rate, and the debt share counts rounds as the funding chapter does."""

from __future__ import annotations

import pandas as pd
import pytest

from xaibook.analysis import risk
from xaibook.analysis.common import labels
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.dataset import load_dataset
from xaibook.model import rounds as model_rounds

TABLES = CHAPTERS_BY_SLUG["risk"].tables
EDITION, EARLY = "2026-12-07", "2025-12-31"  # the default edition of the review, and E
DEFAULTS = {
    "monthly_spend_usd_bn": 1.0,
    "starting_cash_usd_bn": 20.0,
    "annual_revenue_growth_pct": 100.0,
    "new_funding_usd_bn_per_year": 0.0,
    "horizon_months": 36,
}


def base_for(dataset, **changes: float) -> risk.Assumptions:
    return risk.base_assumptions(dataset, **{**DEFAULTS, **changes})


@pytest.fixture(scope="module")
def today():
    return load_dataset(tables=TABLES, as_of=EDITION)


@pytest.fixture(scope="module")
def early():
    return load_dataset(tables=TABLES, as_of=EARLY)


# Class 1: the model starts at the date of its inputs, not at the edition's date -------------


def test_the_model_starts_at_its_newest_input(today, early):
    for dataset in (today, early):
        base = base_for(dataset)
        inputs = risk.model_inputs(dataset, base)
        assert {key for key, _ in inputs} == {"revenue", "spend", "cash"}
        start = risk.model_start(dataset, base)
        assert start == max(date for _, date in inputs)
        assert start <= dataset.as_of
        frame = risk.runway_frame(dataset, base)
        assert frame["date"].min() == start  # the chart's month 0
        result = risk.runway(dataset, base)
        assert result["start"] == start
        assert result["runs_out"] == start + pd.DateOffset(months=result["months"])
    assert risk.model_start(today, base_for(today)).strftime("%Y-%m") == "2026-01"
    assert risk.model_start(early, base_for(early)).strftime("%Y-%m") == "2025-12"
    values = risk.base_scenario_values(today, base_for(today))
    assert values["edition_later"] and "revenue" in values["start_inputs"]
    assert not risk.base_scenario_values(early, base_for(early))["edition_later"]


def test_parameters_set_apart_from_the_data_do_not_date_the_model(today):
    base = base_for(today, monthly_spend_usd_bn=2.0, starting_cash_usd_bn=5.0)
    assert [key for key, _ in risk.model_inputs(today, base)] == ["revenue"]
    revenue = risk.starting_revenue(today)
    assert risk.model_start(today, base) == revenue.fact_date


def test_a_run_out_date_the_edition_has_passed_is_flagged(today):
    assert not risk.runway(today, base_for(today))["passed"]
    short = base_for(today, monthly_spend_usd_bn=5.0)  # runs out within months of the start
    result = risk.runway(today, short)
    assert result["runs_out"] <= today.as_of and result["passed"]
    table = risk.scenario_table(today, short)
    assert len(table) == len(risk.SCENARIOS)


# Class 5: the SpaceX combination, gated on the edition's date --------------------------------


def test_the_combination_with_spacex_is_said_only_once_published(today, early):
    combined = risk.base_scenario_values(today, base_for(today))["combined"]
    assert combined is not None and combined["company"] == "SpaceX"
    assert combined["date"] > risk.model_start(today, base_for(today))
    assert combined["source_id"] in risk.findings(today, base_for(today))
    assert risk.base_scenario_values(early, base_for(early))["combined"] is None
    findings = risk.findings_values(today, base_for(today))
    assert findings["runway"]["combined"] == combined


# Classes 3 and 4: peers' projections are labelled and not divided by a run-rate --------------


def test_peer_compute_spend_is_flagged_as_projection_and_not_divided(today):
    peers = risk.peer_burn(today)
    assert peers and all(peer.spend_projected for peer in peers)  # both reported before year-end
    values = risk.burn_values(today)
    assert all("ratio" not in peer for peer in values["peers"])
    assert "xai_over_top_peer" not in values
    frame = risk.revenue_spending_frame(today, base_for(today))
    spend_bars = frame[(frame["company"] != "xAI") & (frame["measure"] == "spending")]
    plain = risk._plain(
        "revenue_spending_label",
        b={"kind": "peer_spend", "company": "OpenAI", "year": 2025, "projected": False},
    )
    assert plain not in set(spend_bars["label"])  # the label says it is a projection
    lead = values["revenue_lead"]
    revenue = risk.starting_revenue(today)
    top = max(peers, key=lambda peer: peer.revenue_usd_bn)
    assert lead["multiple"] == pytest.approx(top.revenue_usd_bn / revenue.value_usd_bn)


# Class 3: debt counted as the funding chapter counts rounds; a round not closed in no total ---


def test_debt_share_counts_the_series_e_as_equity_and_agrees_with_the_chart(today, early):
    for dataset in (today, early):
        shares = risk.leverage(dataset)
        rounds = model_rounds.rounds(dataset)
        closed = model_rounds.closed_rounds(rounds)
        assert shares["total_usd_bn"] == pytest.approx(closed["amount_usd_bn"].sum())
        frame = risk.financing_frame(dataset)
        drawn = frame[frame["record_id"].isin(closed["round_id"])]
        debt_word = labels("risk", "financing_parts")["debt"]
        drawn_debt = drawn.loc[drawn["kind"] == debt_word, "amount_usd_bn"].sum()
        assert shares["debt_pct"] == pytest.approx(drawn_debt / drawn["amount_usd_bn"].sum() * 100)
    assert round(risk.leverage(today)["debt_pct"]) == 12
    assert round(risk.leverage(early)["debt_pct"]) == 23
    raising = risk.leverage_values(early)["unconfirmed"]
    assert [r["case"] for r in raising] == ["raising_with_debt"]
    told = risk.leverage_values(today)["unconfirmed"]
    assert told[0]["case"] == "other_report" and told[0]["report"]["date"] < told[0]["date"]
