"""Risk chapter: the conclusions hold on a hostile reading (issue 11). Values and structure,
not wording: the model starts at its inputs' date, a past run-out date is flagged, the
combination with SpaceX is said only once its source is in the edition, peers' projections
are not divided by a run-rate, and the debt share counts rounds as the funding chapter does."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from xaibook import formatting as fmt, paths, prose
from xaibook.analysis import risk
from xaibook.analysis.common import labels
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import load_dataset
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

MONEY_FIGURE = re.compile(r"\$\s*\d|\d\s*(?:billion|million|trillion|bn)\b")


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
    top = max(peers, key=lambda peer: peer.revenue_usd_bn)
    # like for like: the peer's Epoch run-rate over xAI's Epoch run-rate (less than $500 million,
    # July 2025), not over the model's starting revenue (UBS, January 2026)
    assert (lead["xai_value"], lead["xai_qualifier"]) == (0.5, "less_than")
    assert lead["xai_source_id"] == top.revenue_source_id == "epoch2025aicompanies"
    assert lead["multiple"] == pytest.approx(top.revenue_usd_bn / 0.5)


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


# Class 4 and 6 in the register: figures given in words, attribution, ids ---------------------


def test_a_figure_given_in_words_is_never_printed_as_a_number(today):
    for record_id in ("met-025", "val-013"):  # "likely worth billions", "less than a third"
        values = risk.record_values(today, record_id)
        assert values["in_words"]
        markdown, _ = risk.describe_record(today, record_id)
        plain = risk.short_evidence(today, record_id)
        for shown in (markdown, plain):
            # no amount, though a name may hold a digit ("Colossus 1")
            assert not MONEY_FIGURE.search(shown), shown
    assert not risk.record_values(today, "met-001")["in_words"]  # UBS's $1bn is the source's


def test_a_magnitude_given_in_words_is_printed_in_words_not_as_a_range(today):
    # met-006: 001's 数百亿美元 (tens of billions), stored as the band 10-100
    assert risk.record_values(today, "met-006")["magnitude"] == "tens_of_billions"
    markdown, _ = risk.describe_record(today, "met-006")
    from xaibook import paths, prose

    words = prose.labels(paths.SHARED_TEXT_TEMPLATE, "magnitude_words")["tens_of_billions"]
    assert "$" not in markdown and words in markdown, markdown


def test_reported_figures_name_no_estimator_and_no_curation_note(today):
    pay = risk.record_values(today, "met-022")  # Tesla's pay package: reported by Hu, not Tesla's
    assert pay["status"] == "reported"
    markdown, _ = risk.describe_record(today, "met-022")
    assert f"per {pay['estimated_by']}" not in markdown
    ubs = risk.record_values(today, "met-001")
    assert ubs["estimated_by"] == "UBS"  # the estimator's name, not a curation note
    # 001 gives OpenAI's expected revenue without saying who expects it: the reporter is not
    # made its estimator
    expected, _ = risk.describe_record(today, "met-020")
    assert risk.record_values(today, "met-020")["estimated_by"] is None
    assert "per " not in expected and "Hu" not in expected


def test_an_investment_names_the_part_of_the_round_it_went_into(today):
    spacex = risk.record_values(today, "inv-011")
    round_ = spacex["round"]
    assert round_["equity_part"] == 5.0 and round_["amount"] == 10.0  # $5bn equity of $10bn
    assert round_["date"].strftime("%Y-%m") == "2025-06"
    assert spacex["reported"].strftime("%Y-%m") == "2025-07"
    items = [i for i in risk.governance_items(today) if i["kind"] == "investment"]
    assert items and items[0]["round"] == round_


def test_a_source_remark_is_not_an_event_on_record(today):
    events = risk.regulation_values(today)["events"]
    assert events and all(event["noted"] for event in events)  # 36Kr's remark, dated by itself


# Class 7: the register as a likelihood × impact grid -----------------------------------------


def test_the_grid_places_every_risk_in_the_cell_of_its_two_scores(today, early):
    for dataset in (today, early):
        grid = risk.risk_grid(dataset)
        frame = risk.risk_frame(dataset)
        cells = grid.iloc[:, 1:]
        placed = [name for cell in cells.to_numpy().ravel() for name in cell.split("; ") if name]
        assert sorted(placed) == sorted(frame["risk"])  # each risk once
        assert len(grid) == 5 - frame["likelihood"].min() + 1  # the highest likelihood on top
        assert cells.shape[1] == 5 - frame["impact"].min() + 1
        top = frame.iloc[0]
        row = 5 - top["likelihood"]
        column = top["impact"] - frame["impact"].min()
        assert top["risk"] in cells.iloc[row, column].split("; ")
    emptied = dataclasses.replace(today, tables={n: f.iloc[0:0] for n, f in today.tables.items()})
    assert risk.risk_grid(emptied).empty


def test_a_ratio_over_a_bounded_revenue_keeps_the_bound(early):
    # as of 2025-12-31 xAI's revenue is Epoch's "just south of $500M": less than $500 million,
    # so spending over it is "more than" the ratio, in the key finding and the chart title
    from xaibook import paths, prose
    from xaibook.analysis.common import labels

    ratios = risk.spend_ratios(early)
    assert ratios["revenue_qualifier"] == "less_than"
    more_than = labels("risk", "inverse_bound")["less_than"]
    template = paths.CHAPTERS_DIR / "risk.md.j2"
    title = prose.render_text(template, "revenue_spending_title", ratios=ratios)
    assert title.startswith(f"xAI spends {more_than}"), title


def test_usage_reports_are_set_against_the_growth_the_runway_assumes(today):
    # the base case's revenue growth and the growth cash would need are stated beside the
    # usage reports that bear on them (review s6, finding 38)
    base = base_for(today)
    needed = risk.what_would_change_values(base)["growth_needed"]
    text = prose.render(
        prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb"),
        "usage",
        v=risk.usage_values(today),
        w=risk.what_would_change_values(base),
    )
    assert "plummeted" in text  # TechCrunch's report of Grok's usage
    assert fmt.percent(base.annual_revenue_growth_pct).replace("%", "\\%") in text
    assert fmt.percent(needed).replace("%", "\\%") in text and "stress case" in text


def test_a_bound_is_rounded_so_that_it_stays_true_as_printed(early):
    # as of 2025-12-31: less than $500 million of revenue against $12 billion a year of spending
    # is less than 4.17% of it; printed as a whole percent, the bound is "less than 5%"
    values = risk.burn_values(early)
    assert values["revenue"]["qualifier"] == "less_than"
    assert values["share"] == 5 and values["ratio"] == 24
    assert values["spend"]["date"] is not None and values["revenue"]["date"] is not None
