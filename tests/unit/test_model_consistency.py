"""One model, every chapter: each xAI round that the funding and risk chapters show has the date,
amount and label of ``xaibook.model.rounds``; xAI's compute claim, its leased sites and the
companies' colours are the same in infrastructure, competition and risk (``xaibook.model.sites``,
``xaibook.charts``); the valuations, revenue figures and metrics the chapters show are those of
``xaibook.model``; on the shipped data and on the early edition."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pandas as pd
import pytest

from xaibook import charts, formatting as fmt
from xaibook.analysis import competition, funding, infrastructure, risk
from xaibook.analysis.common import labels
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import Dataset, load_dataset
from xaibook.model import (
    dates,
    metrics as model_metrics,
    names as model_names,
    revenue as model_revenue,
    rounds as model_rounds,
    sites as model_sites,
    valuations as model_valuations,
)
from xaibook.model.names import company_name

PEERS_ = ("openai", "anthropic")
TABLES = sorted(set(CHAPTERS_BY_SLUG["funding"].tables) | set(CHAPTERS_BY_SLUG["risk"].tables))
EDITIONS = {"today": "2026-11-28", "early": "2025-12-31"}  # before and after the Series E closed
# An Epoch round Id starts with its report month and often a size: "Dec 2024 Series C",
# "May 2024 24B Series B". Neither belongs in a label (the round's own date does).
EPOCH_ID_START = re.compile(r"^(?:[A-Z][a-z]+\.?\s+)?\d{4}\s")
EPOCH_SIZE = re.compile(r"\b\d+(?:\.\d+)?[BM]\b")
FUNDING_PARTS = {  # the funding chart's parts (codes) and the model's columns they draw
    funding.EQUITY: "equity_usd_bn",
    funding.DEBT: "debt_usd_bn",
    funding.UNSPLIT: "unsplit_usd_bn",
    funding.TARGET: "target_usd_bn",
}
# the risk chart's bars name their part in the template's words (``financing_parts``)
RISK_PARTS = {
    labels("risk", "financing_parts")[part]: column
    for part, column in (
        ("equity", "equity_usd_bn"),
        ("debt", "debt_usd_bn"),
        ("unsplit", "unsplit_usd_bn"),
    )
}


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def data(request: pytest.FixtureRequest) -> Dataset:
    return load_dataset(tables=TABLES, as_of=EDITIONS[request.param])


@pytest.fixture(scope="module")
def model(data: Dataset) -> pd.DataFrame:
    return model_rounds.rounds(data, "xai")


def by_label(model: pd.DataFrame) -> dict[str, pd.Series]:
    labels = model["label"].tolist()
    assert len(set(labels)) == len(labels), labels  # a label names one round
    return {row["label"]: row for _, row in model.iterrows()}


def amount(value: object) -> float:
    return 0.0 if fmt.is_missing(value) else float(value)


def test_funding_table_shows_the_models_rounds(data, model):
    table = funding.rounds_table(data, funding.xai_rounds(data))
    column = labels("funding", "rounds_columns")
    assert len(table) == len(model)
    for (_, shown), (_, row) in zip(table.iterrows(), model.iterrows(), strict=True):
        day = fmt.date(row["date"], row["date_precision"])
        # an event its source reports as done, with no date of its own, is dated by the report
        by_report = row["date_basis"] == model_rounds.REPORTED_BY
        assert shown[column["date"]] == (f"on or before {day}" if by_report else day)
        assert shown[column["round"]] == row["round_name"]
        if row["stage"] != model_rounds.MERGER:
            amount = fmt.usd_bn(row["amount_usd_bn"], row["amount_qualifier"])
            assert shown[column["amount"]] == amount


def test_funding_chart_shows_the_models_rounds(data, model):
    rounds = by_label(model)
    chart = funding.rounds_chart_data(funding.xai_rounds(data))
    names = labels("funding", "round_parts")  # a part's code, from the words the chart shows
    parts = {names[code]: code for code in FUNDING_PARTS}
    parts |= {
        names[code + funding.NOT_CLOSED]: code for code in FUNDING_PARTS if code != funding.TARGET
    }
    assert not chart.empty
    for _, bar in chart.iterrows():
        row = rounds[bar["round_label"]]
        assert bar["date"] == row["date"]
        if bar["component"] == names["no_money"]:  # a row with no money on record: none drawn
            assert bar["amount_usd_bn"] == 0 and not row["raised_usd_bn"]
            continue
        column = FUNDING_PARTS[parts[bar["component"]]]
        assert bar["amount_usd_bn"] == amount(row[column]), bar["round_label"]


def test_risk_financing_chart_shows_the_models_rounds(data, model):
    rounds = by_label(model)
    frame = risk.financing_frame(data)
    assert not frame.empty
    for label, bars in frame.groupby("round_label", sort=False):
        assert label in rounds, label
        row = rounds[label]
        assert (bars["date"] == row["date"]).all(), label
        for _, bar in bars.iterrows():
            assert bar["amount_usd_bn"] == pytest.approx(amount(row[RISK_PARTS[bar["kind"]]]))
        assert bars["amount_usd_bn"].sum() == pytest.approx(row["amount_usd_bn"]), label
    shown = set(frame["round_label"])
    expected = model_rounds.with_money(model)
    assert shown == set(expected["label"])  # every round with money, closed or being raised


def test_risk_governance_names_the_round_as_the_model_does(data, model):
    rounds = model.set_index("round_id")
    investments = data.tables["investments"]
    companies = data.tables["companies"]
    musk = set(companies.loc[companies["is_musk_company"].fillna(False), "company_id"]) - {"xai"}
    into_rounds = investments[
        investments["investor_company_id"].isin(musk) & investments["round_id"].isin(rounds.index)
    ]
    assert not into_rounds.empty  # SpaceX's $2 billion, in both editions
    items = [item for item in risk.governance_items(data) if item["kind"] == "investment"]
    shown = {(item["round_amount"], item["round_qualifier"], item["date"]) for item in items}
    for round_id in into_rounds["round_id"].unique():
        row = rounds.loc[round_id]
        qualifier = None if fmt.is_missing(row["amount_qualifier"]) else row["amount_qualifier"]
        assert (row["amount_usd_bn"], qualifier, row["date"]) in shown, round_id
    for item in items:  # a round's amount and date are cited to the sources that give them
        assert set(model_rounds.amount_sources(model)) & set(item["source_ids"])


def test_risk_starting_cash_is_the_models_latest_round(data, model):
    latest = model_rounds.latest(model)
    shown = risk.latest_round(data)
    assert shown.amount_usd_bn == latest["amount_usd_bn"]
    assert pd.Timestamp(shown.date) == latest["date"]


def test_no_label_holds_an_epoch_id(data, model):
    keys = data.tables["epoch_funding_rounds"]["round_key"].dropna().astype(str)
    labels = [
        *model["label"],
        *model["round_name"],
        *funding.rounds_chart_data(funding.xai_rounds(data))["round_label"],
        *risk.financing_frame(data)["round_label"],
        *funding.company_rounds(data)["round_name"],
    ]
    for label in labels:
        assert not EPOCH_ID_START.match(label), label
        assert not EPOCH_SIZE.search(label), label
        assert not any(key in label for key in keys if EPOCH_ID_START.match(key)), label


def _names(module: ModuleType) -> set[str]:
    """The names a chapter's module holds; for a package, those of every module in it."""
    names = set(vars(module))
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        names |= set(vars(importlib.import_module(f"{module.__name__}.{info.name}")))
    return names


def test_one_months_between():
    for module in (funding, competition, infrastructure, risk):
        own = {"DAYS_PER_MONTH", "_months_between", "month_date"} & _names(module)
        assert not own, (module.__name__, own)
    assert dates.months_between("2024-05-27", "2026-01-06") == pytest.approx(589 / 30.4375)
    assert dates.months_between("2025-01-31", "2025-02-01") == pytest.approx(1 / 30.4375)


def test_funding_step_up_counts_months_with_the_model(data, model):
    step = funding.valuation_step_up(funding.xai_rounds(data))
    assert step["months"] == dates.months_between(step["first"]["date"], step["last"]["date"])


# Sites and compute: infrastructure, competition and risk read model.sites ----------------------

SITE_CHAPTERS = ("infrastructure", "competition", "risk")


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def chapter_data(request: pytest.FixtureRequest) -> dict[str, Dataset]:
    """Each chapter's own tables (as its notebook declares them), at one edition."""
    return {
        slug: load_dataset(tables=CHAPTERS_BY_SLUG[slug].tables, as_of=EDITIONS[request.param])
        for slug in SITE_CHAPTERS
    }


def test_each_chapter_declares_the_tables_of_the_site_readings_it_calls():
    calls = {
        "infrastructure": (
            model_sites.DATA_CENTER_TABLES,
            model_sites.PROJECTION_TABLES,
            model_sites.COMPUTE_TABLES,
        ),
        "competition": (model_sites.COMPUTE_TABLES,),
        "risk": (model_sites.SITES_TABLES,),
    }
    for slug, needs in calls.items():
        for tables in needs:
            assert set(tables) <= set(CHAPTERS_BY_SLUG[slug].tables), (slug, tables)


CLAIM_FIELDS = ("value", "value_qualifier", "source_id", "fact_date", "fact_date_precision")


def test_the_compute_claim_is_the_models_in_infrastructure_and_competition(chapter_data):
    claim = model_sites.latest_compute(chapter_data["infrastructure"])
    assert model_sites.latest_compute(chapter_data["competition"]) is not None or claim is None
    comparisons = infrastructure.claim_comparisons(chapter_data["infrastructure"])
    compute = (
        comparisons[comparisons["quantity"].eq("compute")] if not comparisons.empty else comparisons
    )
    if claim is None:
        assert compute.empty
    else:
        row = compute.iloc[0]
        columns = ("claim", "claim_qualifier", "claim_source", "claim_date", "claim_date_precision")
        assert [row[key] for key in columns] == [claim[key] for key in CLAIM_FIELDS]
    shown = competition.neocloud(chapter_data["competition"])["compute"]
    if shown is not None:
        assert claim is not None
        in_text = ("value", "qualifier", "source_id", "date", "precision")
        assert [shown[key] for key in in_text] == [claim[key] for key in CLAIM_FIELDS]


def test_the_compute_claim_is_found_on_the_latest_edition():
    data = load_dataset(tables=CHAPTERS_BY_SLUG["competition"].tables, as_of=EDITIONS["today"])
    assert model_sites.latest_compute(data)["record_id"] == "met-024"
    assert competition.neocloud(data)["compute"]["value"] == 1_000_000


def test_infrastructure_and_risk_name_the_same_leased_sites(chapter_data):
    infra, risk_data = chapter_data["infrastructure"], chapter_data["risk"]
    leased = model_sites.leased_sites(infra)
    expected = [
        (row.site_name, company_name(infra, row.tenant_company_id), row.source_id)
        for row in leased.itertuples()
    ]
    shown = [
        (site["site"], site["tenant"], site["source_id"])
        for site in risk.usage_values(risk_data)["leased"]
    ]
    assert shown == expected
    rented = infrastructure.key_findings(infra)["rented"]
    if expected:
        assert (rented["site"], rented["tenant"], rented["source_id"]) == expected[0]
    else:
        assert rented is None
    assert infrastructure.what_would_change_values(infra)["rented"] == bool(expected)


def test_the_plans_chart_counts_xais_own_sites_as_xais(chapter_data):
    data = chapter_data["infrastructure"]
    plans = infrastructure.capacity_plans(data)
    words = labels("infrastructure", "plans_chart")["basis"]
    group = labels("infrastructure", "owner_groups")["xai"]
    announced = plans[plans["basis"].eq(words["announced"])]
    stated = model_sites.sites(data)
    # announcements only: a site reported as built (Colossus 1) is drawn from Epoch's estimates
    planned = stated["site_status"].isin(infrastructure.PLANNED_SITE_STATUSES)
    in_words = stated["power_qualifier"].eq("order_of")  # "gigawatt-class": no figure to draw
    stated = stated[stated["power_mw"].notna() & planned & ~in_words]
    owned = stated[stated["owned_by_xai"]]
    assert announced["group"].eq(group).sum() == min(len(owned), infrastructure.MAX_XAI_SITES)
    xai_rows = announced[announced["group"].eq(group)]
    assert set(xai_rows["source_id"]) <= set(owned["source_id"])


def test_no_chapter_keeps_its_own_site_reading_or_palette():
    copies = {
        "xai_site_rows",
        "_all_xai_data_centers",
        "_epoch_rows",
        "_epoch_current",
        "_projection_rows",
        "_first_rows",
        "projections",
        "PROJECTION_COLUMNS",
        "_party_mask",
        "_epoch_name",
        "LAB_COLORS",
    }
    for module in (infrastructure, competition, risk):
        assert not copies & _names(module), (module.__name__, copies & _names(module))
    assert "_company_name" not in vars(infrastructure)


def test_competition_colours_each_company_as_every_chapter_does(chapter_data):
    data = chapter_data["competition"]
    frame = competition.revenue_chart_data(data)
    scale = competition.revenue_chart(frame, "title").to_dict()["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    for company, colour in colours.items():
        if company in charts.COMPANY_COLORS:
            assert colour == charts.COMPANY_COLORS[company], company
    assert set(frame["company"]) <= set(colours)


# Valuations, revenue and metrics (xaibook.model.valuations, .revenue, .metrics) ----------------

ALL_TABLES = sorted(
    {t for slug in ("funding", "risk", "competition") for t in CHAPTERS_BY_SLUG[slug].tables}
)
FIGURE_EDITIONS = {**EDITIONS, "mid-2025": "2025-06-30"}  # mid-2025: Epoch's Q1 is the newest


@pytest.fixture(scope="module", params=sorted(FIGURE_EDITIONS))
def every(request: pytest.FixtureRequest) -> Dataset:
    return load_dataset(tables=ALL_TABLES, as_of=FIGURE_EDITIONS[request.param])


def test_chapters_declare_the_tables_of_the_model_functions_they_call():
    calls = {
        "competition": (model_valuations, model_revenue),
        "risk": (model_revenue, model_metrics, model_valuations),  # valuations: via rounds
        "funding": (model_valuations, model_metrics),
    }
    for slug, modules in calls.items():
        declared = set(CHAPTERS_BY_SLUG[slug].tables)
        for module in modules:
            assert set(module.TABLES) <= declared, (slug, module.__name__)


def test_no_chapter_keeps_its_own_reading_of_valuations_revenue_or_metrics():
    copies = {
        competition: {
            "curated_valuations",
            "epoch_valuations",
            "_latest",
            "_plot_date",
            "_epoch_company_ids",
            "EPOCH_NAME_FALLBACK",
            "REVENUE_METRICS",
        },
        risk: {
            "_metrics",
            "_run_rates",
            "epoch_run_rates",
            "RUN_RATE_TYPES",
            "REVENUE_INCL_X_CLAIM",
        },
        funding: {"_valuation_alternatives", "_cumulative_claim"},
    }
    for module, names in copies.items():
        assert not names & _names(module), (module.__name__, names & _names(module))


def test_a_valuation_basis_has_one_wording_in_every_chapter():
    competition_words = labels("competition", "valuation_basis")
    assert competition_words == labels("risk", "valuation_basis")


def test_the_basis_of_a_valuation_in_risks_evidence_is_competitions(every):
    words = labels("risk", "valuation_basis")
    figures = model_valuations.valuations(every)
    for _, row in figures[figures["figure_source"] == model_valuations.NEWS].iterrows():
        record = risk.record_values(every, row["record_id"])
        assert record is not None and record["basis"] == row["basis"]
        assert words[record["basis"]] == labels("competition", "valuation_basis")[row["basis"]]


def test_epochs_annualized_revenue_for_xai_is_one_figure_in_competition_and_risk(every):
    model = model_revenue.latest(every, "xai", model_revenue.ANNUALIZED, model_revenue.EPOCH)
    shown = competition.revenue_finding(every)["epoch"]
    estimates = [e for _, e in risk.xai_revenue_estimates(every) if e.kind == "epoch_run_rate"]
    if model is None:
        assert shown is None and not estimates
        return
    assert (shown["value"], shown["date"]) == (model["revenue_usd_bn"], model["fact_date"])
    assert [(e.value_usd_bn, e.fact_date) for e in estimates] == [
        (model["revenue_usd_bn"], model["fact_date"])
    ]


def test_xais_news_revenue_is_the_same_in_competition_and_risk(every):
    shown = {(e["value"], e["source_id"]) for e in competition.revenue_finding(every)["estimates"]}
    in_risk = {
        (e.value_usd_bn, e.source_id)
        for _, e in risk.xai_revenue_estimates(every)
        if e.kind != "epoch_run_rate"
    }
    assert shown == in_risk  # run rates, standalone and with X: each kind once, in both


def test_peers_news_valuations_are_the_same_in_funding_and_competition(every):
    model = model_valuations.latest(every, PEERS_, source=model_valuations.NEWS)
    expected = set(zip(model["valuation_usd_bn"], model["value_qualifier"], strict=True))
    history = funding.valuation_history(every)
    peers = funding.peer_valuations(every, history)
    if peers is not None:
        assert {(p["value"], p["qualifier"]) for p in peers["press"]} == expected
    comparisons = competition.valuations(every)["comparisons"]
    xai = model_names.company_name(every, "xai")
    news = {
        (c["news"]["value"], c["news"]["qualifier"])
        for c in comparisons
        if c["news"] is not None and c["name"] != xai
    }
    assert news == expected


def test_metrics_are_the_models(every):
    spend = model_metrics.latest_metric(every, "xai", "monthly_spend")
    estimate = risk.monthly_spend(every)
    assert (estimate is None) == (spend is None)
    if spend is not None:
        assert (estimate.value_usd_bn, estimate.record) == (spend["value"], spend["record_id"])
    claim = model_metrics.latest_metric(every, "xai", "cumulative_funding")
    cumulative = funding.cumulative(every, funding.xai_rounds(every))
    if cumulative is not None:
        shown = cumulative["claim"]
        assert (shown is None) == (claim is None)
        if claim is not None:
            assert (shown["value"], shown["source_id"]) == (claim["value"], claim["source_id"])
