"""Issue 11's classes on the infrastructure chapter: rankings made after reconciling every
table that measures them, time words read against the edition's date, estimates dated,
figures given in words kept in words, build speeds set beside peers'."""

from __future__ import annotations

import pandas as pd
import pytest

from xaibook import formatting, paths, prose
from xaibook.analysis import infrastructure as an
from xaibook.analysis.common import labels
from xaibook.analysis.infrastructure.clusters import hub_standing
from xaibook.analysis.infrastructure.timelines import site_speeds, speed_peers
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import load_dataset
from xaibook.model import metrics as model_metrics

TABLES = CHAPTERS_BY_SLUG["infrastructure"].tables


@pytest.fixture(scope="module")
def late():
    return load_dataset(tables=TABLES, as_of="2026-12-07")


@pytest.fixture(scope="module")
def early():
    return load_dataset(tables=TABLES, as_of="2025-12-31")


def test_the_rank_uses_the_hub_as_well_as_the_lagging_cluster_list(late, early):
    for data in (late, early):
        hub = hub_standing(data)
        # the cluster list ranks Colossus 1 first; the hub, newer, puts three sites above xAI's
        assert hub["listed_rank"] == 1 and hub["rank"] == 4 and hub["above_n"] == 3
        assert [p["owner"] for p in hub["above"]] == ["Microsoft", "Meta", "Amazon"]
        assert all(p["h100e"] > hub["h100e"] for p in hub["above"])
        assert hub["ratio_min"] == pytest.approx(1.71, abs=0.01)
        assert hub["ratio_max"] == pytest.approx(1.93, abs=0.01)
        rank = an.key_findings(data)["rank"]
        assert rank["hub"]["rank"] == 4  # the lead finding carries the reconciled rank
        title = an.clusters_title_values(an.top_clusters(data), data)
        assert title["hub"]["above_n"] == 3  # the chart's title says the list lags


def test_estimates_carry_their_own_dates_not_the_editions(late):
    hub = hub_standing(late)
    assert hub["first_date"] == pd.Timestamp("2025-10-14")
    assert hub["last_date"] == pd.Timestamp("2025-11-30")
    claim = an.key_findings(late)["claims"]["claim"]
    assert claim["epoch_first_date"] == pd.Timestamp("2025-10-19")
    assert claim["epoch_last_date"] == pd.Timestamp("2025-11-07")
    for row in an.claims_text_values(late):
        assert row["epoch_last_date"] < late.as_of
    caption = an.sites_caption_values(late)
    assert caption["last_date"] == pd.Timestamp("2025-11-07")


def test_a_passed_projection_is_flagged_as_passed(late, early):
    # Epoch's timeline projects Colossus 2 for 17 February 2026
    assert an.key_findings(late)["speed"]["projected"]["passed"]
    assert not an.key_findings(early)["speed"]["projected"]["passed"]
    for data, passed in ((late, True), (early, False)):
        colossus_2 = [r for r in an.buildout_text_values(data) if r["site"] == "xAI Colossus 2"]
        assert colossus_2[0]["projected_passed"] is passed
        title = an.buildout_title_values(an.buildout(data), data)
        assert title["projected"]["passed"] is passed
        projected = [r for r in an.claims_text_values(data) if r["projected"] is not None]
        assert all(row["projected_passed"] is passed for row in projected)
        epoch_priced = an.scenario(data)
        epoch_priced = epoch_priced[epoch_priced["basis"].eq(an.EPOCH_BASIS)]
        assert epoch_priced["passed"].tolist() == [passed]
    prometheus = [
        site
        for peer in an.plans_text_values(late)["peers"]
        if peer["epoch"]
        for site in peer["epoch"]["sites"]
        if site["name"] == "Meta Prometheus"
    ]
    assert prometheus[0]["projected_passed"]  # October 2026, before the edition's date


def test_the_plans_title_names_the_sites_it_compares(late):
    title = an.plans_title_values(an.capacity_plans(late), late)
    assert title["basis"] == "projected"  # Epoch's projection, not an announced plan
    assert title["site"] == "Microsoft Fairwater Wisconsin"
    assert title["running_site"] == "Anthropic-Amazon New Carlisle" and title["running_mw"] == 751
    assert not title["passed"]  # September 2027


def test_the_rental_is_unknown_before_its_source(late, early):
    assert an.key_findings(late)["rented"]["since"] == pd.Timestamp("2026-05-06")
    assert an.key_findings(early)["rented"] is None


def test_build_speed_is_set_beside_every_sites_measured_the_same_way(late):
    speeds = site_speeds(late)
    assert len(speeds) == 11 and speeds["mw_per_month"].is_monotonic_decreasing
    peers = speed_peers(late)
    assert peers["rank"] == 1 and peers["n"] == 11
    assert peers["rival"]["site"] == "Anthropic-Amazon New Carlisle"
    assert peers["rival"]["mw_per_month"] == pytest.approx(35.0, abs=0.05)
    fastest = an.key_findings(late)["speed"]["fastest"]
    assert fastest["mw_per_month"] == pytest.approx(peers["mw_per_month"])
    assert an.key_findings(late)["speed"]["peers"] == peers


def test_one_row_per_site_with_each_status_dated(late):
    sites = an.xai_sites(late)
    colossus_2 = sites[sites["epoch_source_id"].notna() & sites["site"].str.contains("Colossus 2")]
    assert len(colossus_2) == 1
    statuses = colossus_2["statuses"].iloc[0]
    assert [s["site_status"] for s in statuses] == ["under_construction", "operational"]
    assert [s["date"] for s in statuses] == sorted(s["date"] for s in statuses)
    assert len(colossus_2["source_ids"].iloc[0]) == 2


def test_a_capex_given_in_words_has_no_figure(late):
    capex = model_metrics.site_capex(late, "colossus-2")
    assert capex["magnitude"] == "tens_of_billions"
    words = prose.labels(paths.SHARED_TEXT_TEMPLATE, "magnitude_words")["tens_of_billions"]
    columns = labels("infrastructure", "sites_table")["columns"]
    table = an.sites_table(late)
    cell = table.loc[table[columns["site"]].str.contains("Colossus 2"), columns["capex"]].iloc[0]
    article = cell.split(" / ")[0]
    assert words in article and "$" not in article
    # Colossus II is sized only in words (gigawatt-class): it is not priced, so its capex is
    # said once, on its own line, in words
    scenario = an.scenario(late).set_index("item")
    assert "Colossus II (Colossus 2)" not in scenario.index
    text = an.scenario_text_values(late)
    assert [row["capex"]["magnitude"] for row in text["capex"]] == ["tens_of_billions"]
    assert not [r for r in text["priced"] if r["compare"]]


def test_magnitudes_are_only_bands_of_one_order():
    assert model_metrics.magnitude(10, 100, "approx", "USD bn") == "tens_of_billions"
    assert model_metrics.magnitude(100, 1000, "approx", "USD bn") == "hundreds_of_billions"
    assert model_metrics.magnitude(10, 100, "at_least", "USD bn") is None
    assert model_metrics.magnitude(10, 50, "approx", "USD bn") is None
    assert model_metrics.magnitude(12, None, "approx", "USD bn") is None
    assert model_metrics.magnitude(10, 100, "approx", "MW") is None


def test_epochs_modelled_capital_rate_is_not_presented_as_a_cost(late, early):
    # Epoch models most sites' capital cost from their power: their cost per GW is one rate

    for data in (late, early):
        frame = an.capital_per_gw(data)
        kinds = labels("infrastructure", "capital_chart")["kind"]
        epoch = frame[frame["kind"].ne(kinds["assumption"])]
        rates = epoch["capital_usd_bn_per_gw"]
        modelled = epoch["modelled"].astype(bool)
        assert modelled.sum() == 7 and (~modelled).sum() == 4
        rate = rates[modelled].median()
        assert ((rates[modelled] - rate).abs() <= 0.01 * rate).all()
        assert ((rates[~modelled] - rate).abs() > 0.01 * rate).all()
        assert (epoch.loc[modelled, "kind"] == kinds["modelled"]).all()  # the chart marks them
        capital = an.key_findings(data)["capital"]["epoch"]
        # the finding labels the shared rate as the model's and takes its range from the others
        assert capital["modelled"]["rate"] == pytest.approx(rate)
        assert capital["estimated"]["min"] == pytest.approx(rates[~modelled].min())
        assert capital["estimated"]["max"] == pytest.approx(rates[~modelled].max())
        assert "median" not in capital and "usd_bn_per_gw" not in capital
        # no tenth of a billion on a rate the source gives only as a model's output
        text = an.findings(data)
        assert formatting.usd_bn(rate).replace("$", "\\$") not in text
        title = an.capital_title_values(frame, data)
        assert title["modelled"]["n"] == 7 and title["estimated"]["n"] == 4


def test_costs_epoch_models_from_power_are_marked_wherever_shown(late, early):
    words = labels("infrastructure", "sites_table")
    for data in (late, early):
        # Colossus 2's current and projected capital costs are the modelled rate times power
        scenario = an.scenario(data).set_index("item")
        assert bool(scenario.loc["xAI Colossus 2", "compare_modelled"])
        table = an.sites_table(data)
        capex = table[words["columns"]["capex"]].dropna()
        marked = capex[capex.str.contains(words["modelled"], regex=False)]
        assert len(marked) == 1 and len(capex) == 2  # Colossus 1 is not at the rate
