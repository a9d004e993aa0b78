"""The facts table built from small hand-made datasets: each column a reader downloads.

Written to kill mutants of xaibook/facts.py that survived the mutation run (tools/mutation):
the tests on the shipped data check a few facts; these check every column of a fact, the
event facts, Epoch's keys and notes, claims across curated and Epoch rows, and conflicts.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_cli
from xaibook.data import facts as facts_module
from xaibook.data.dataset import Dataset, load_dataset
from xaibook.data.facts import COUNT_COLUMNS, FACT_COLUMNS, claimed_subset, fact_counts, facts_table

NA = None
PROVENANCE = {
    "fact_date": "2026-01-06",
    "fact_date_precision": "day",
    "published_date": "2026-01-07",
    "published_date_precision": "week",
    "status": "reported",
    "confidence": "high",
    "source_id": "paper2026",
    "claim_id": NA,
    "claim_rank": NA,
    "source_quote": "as the paper says",
    "note": NA,
}
DATE_COLUMNS = ("fact_date", "published_date", "close_date", "report_date", "date")


def curated(*rows: dict) -> pd.DataFrame:
    """A curated table as load_dataset returns it: the shared columns, then the row's own."""
    frame = pd.DataFrame([PROVENANCE | row for row in rows])
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    frame["claim_rank"] = frame["claim_rank"].astype("Int64")
    return numbered(frame)


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 1, as load_dataset numbers them (the row a message names)."""
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name="_row"))


def epoch(source_id: str, *rows: dict) -> pd.DataFrame:
    """An Epoch table after load_dataset's normalisation (dates, USD bn, confidence)."""
    base = {"source_id": source_id, "confidence": "medium", "published_date": "2025-12-17"}
    frame = pd.DataFrame(
        [base | {"fact_date": row.get("date", "2025-12-17")} | row for row in rows]
    )
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return numbered(frame)


def dataset(as_of: str | None = None, **tables: pd.DataFrame) -> Dataset:
    return Dataset(
        data_dir=Path("data"),
        tables=tables,
        sources={},
        warnings=[],
        as_of=pd.Timestamp(as_of) if as_of else None,
    )


def fact(facts: pd.DataFrame, fact_id: str) -> dict:
    rows = facts[facts["fact_id"] == fact_id]
    assert len(rows) == 1, f"{fact_id}: {len(rows)} facts"
    return {key: (None if _missing(value) else value) for key, value in rows.iloc[0].items()}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


COMPANIES = curated(
    {"record_id": "co-1", "company_id": "xai", "name": "xAI", "kind": "ai_lab"},
    {"record_id": "co-2", "company_id": "valor", "name": "Valor", "kind": "investor"},
)


def funding_round(**row) -> dict:
    values = {"amount_usd_bn": NA, "amount_qualifier": NA, "target_usd_bn": NA}
    values |= {"equity_usd_bn": NA, "debt_usd_bn": NA, "epoch_round_key": NA}
    return {"company_id": "xai", "round_name": "Series E"} | values | row


def test_a_stated_value_is_one_fact_carrying_its_rows_provenance():
    rounds = curated(
        funding_round(
            record_id="fr-1",
            amount_usd_bn=20.0,
            amount_qualifier="approx",
            target_usd_bn=15.0,
            note="oversubscribed",
            claim_id="series-e",
            claim_rank=1,
        )
    )
    facts = facts_table(dataset(companies=COMPANIES, funding_rounds=rounds))
    assert list(facts.columns) == FACT_COLUMNS
    assert fact(facts, "fr-1.funding_amount") == {
        "fact_id": "fr-1.funding_amount",
        "entity": "xAI",
        "metric": "funding_amount",
        "value": 20.0,
        "unit": "USD bn",
        "qualifier": "approx",
        "value_max": None,
        "date": "2026-01-06",
        "date_precision": "day",
        "published": "2026-01-07",
        "published_precision": "week",
        "status": "reported",
        "confidence": "high",
        "source_id": "paper2026",
        "claim_id": "series-e",
        "is_canonical": True,
        "conflict": False,
        "table": "funding_rounds",
        "record_id": "fr-1",
        "note": "oversubscribed",
        "source_quote": "as the paper says",
        "source_url": None,
    }
    # a column without its own qualifier is exact; columns left empty give no fact, and a row
    # with a value gives no event fact
    assert fact(facts, "fr-1.funding_target")["qualifier"] == "exact"
    assert set(facts.loc[facts["table"] == "funding_rounds", "fact_id"]) == {
        "fr-1.funding_amount",
        "fr-1.funding_target",
    }
    # facts are sorted by table, then fact id
    assert facts["table"].tolist() == ["companies"] * 2 + ["funding_rounds"] * 2
    assert facts["fact_id"].tolist()[:2] == ["co-1.company", "co-2.company"]


def test_a_row_without_a_value_is_one_event_fact_with_its_text_and_note():
    rounds = curated(
        funding_round(record_id="fr-1", round_name="Series A", note="led by Valor"),
        funding_round(record_id="fr-2", round_name="Series B"),
        funding_round(record_id="fr-3", round_name=NA, note="only a note"),
        funding_round(record_id="fr-4", amount_usd_bn=1.0),
        funding_round(record_id="fr-5", target_usd_bn=2.0),  # states another column
    )
    facts = facts_table(dataset(funding_rounds=rounds))
    event = fact(facts, "fr-1.funding_round")
    assert event["metric"] == "funding_round"
    assert event["note"] == "Series A — led by Valor"
    assert event["value"] is None and event["unit"] is None and event["qualifier"] is None
    assert event["value_max"] is None and event["entity"] == "xai"  # no companies table
    assert fact(facts, "fr-2.funding_round")["note"] == "Series B"
    assert fact(facts, "fr-3.funding_round")["note"] == "only a note"
    assert not facts["fact_id"].isin(["fr-4.funding_round", "fr-5.funding_round"]).any()
    assert fact(facts, "fr-4.funding_amount")["value"] == 1.0


def test_metric_unit_and_range_come_from_the_row_where_the_table_names_them():
    metrics = curated(
        {
            "record_id": "met-1",
            "company_id": "xai",
            "metric": "annualized_revenue",
            "value": 1.0,
            "value_max": 2.0,
            "unit": "USD bn",
            "value_qualifier": "up_to",
        },
    )
    positioning = curated(
        {"record_id": "pos-1", "company_id": "xai", "dimension": "alignment", "description": "weak"}
    )
    facts = facts_table(
        dataset(companies=COMPANIES, company_metrics=metrics, competitors=positioning)
    )
    revenue = fact(facts, "met-1.annualized_revenue")
    assert (revenue["metric"], revenue["unit"], revenue["qualifier"]) == (
        "annualized_revenue",
        "USD bn",
        "up_to",
    )
    assert (revenue["value"], revenue["value_max"]) == (1.0, 2.0)
    stance = fact(facts, "pos-1.positioning_alignment")
    assert stance["metric"] == "positioning_alignment" and stance["note"] == "weak"
    assert fact(facts, "co-1.company")["note"] == "ai_lab"
    assert fact(facts, "co-1.company")["entity"] == "xAI"


def test_a_fact_is_about_the_site_the_risk_or_else_the_companys_name():
    sites = curated(
        {
            "record_id": "site-1",
            "company_id": "xai",
            "site_name": "Colossus",
            "power_mw": 300.0,
            "power_qualifier": NA,
            "h100e": NA,
            "h100e_qualifier": NA,
            "capex_usd_bn": 10.0,
            "capex_qualifier": "at_least",
            "site_status": "operating",
        },
        {
            "record_id": "site-2",
            "company_id": "xai",
            "site_name": NA,
            "power_mw": NA,
            "power_qualifier": NA,
            "h100e": 5.0,
            "h100e_qualifier": "approx",
            "capex_usd_bn": NA,
            "capex_qualifier": NA,
            "site_status": "planned",
        },
    )
    risks = curated(
        {"record_id": "risk-1", "risk": "Cash burn", "likelihood": 4, "impact": 5},
    )
    investments = curated(
        *(
            {"record_id": f"inv-{n}", "investor_company_id": investor, "round_id": "fr-1"}
            for n, investor in [(1, "valor"), (2, "qia"), (3, NA)]
        )
    )
    investments["amount_usd_bn"] = NA
    facts = facts_table(
        dataset(companies=COMPANIES, sites=sites, risks=risks, investments=investments)
    )
    power = fact(facts, "site-1.power")
    assert (power["entity"], power["unit"], power["qualifier"]) == ("Colossus", "MW", None)
    capex = fact(facts, "site-1.capex")
    assert (capex["unit"], capex["qualifier"], capex["value"]) == ("USD bn", "at_least", 10.0)
    h100e = fact(facts, "site-2.h100e")
    assert (h100e["entity"], h100e["unit"], h100e["qualifier"]) == ("xAI", "H100e", "approx")
    impact = fact(facts, "risk-1.risk_impact")
    assert (impact["entity"], impact["value"], impact["unit"]) == ("Cash burn", 5.0, "score 1-5")
    assert fact(facts, "risk-1.risk_likelihood")["value"] == 4.0
    assert fact(facts, "inv-1.investment")["entity"] == "Valor"  # the investor, by name
    assert fact(facts, "inv-1.investment")["note"] == "fr-1"
    assert fact(facts, "inv-2.investment")["entity"] == "qia"  # unknown id: shown as is
    assert fact(facts, "inv-3.investment")["entity"] == ""


def epoch_round(key: str, **row) -> dict:
    values = {"equity_usd_bn": NA, "debt_usd_bn": NA, "valuation_usd_bn": NA}
    notes = {"round_type": NA, "round_status": NA, "notes": NA, "source_urls": ""}
    return {"round_key": key, "company": "xAI"} | values | notes | row


def test_epoch_rows_are_facts_keyed_by_table_and_row_with_their_notes_and_links():
    rounds = epoch(
        "epoch2025aicompanies",
        epoch_round(
            "May 2024 Series B",
            valuation_usd_bn=24.0,
            equity_usd_bn=6.0,
            round_type="Series B",
            notes="per filings",
            source_urls="https://example.com/a ; https://example.com/b",
        ),
        epoch_round("Next round", debt_usd_bn=5.0, round_status="Planned"),
        epoch_round("Quiet round", valuation_usd_bn=1.0, notes=""),
    )
    facts = facts_table(dataset(epoch_funding_rounds=rounds))
    valuation = fact(facts, "epoch_funding_rounds:May 2024 Series B:valuation")
    assert valuation == valuation | {
        "entity": "xAI",
        "metric": "valuation",
        "value": 24.0,
        "unit": "USD bn",
        "qualifier": "exact",
        "value_max": None,
        "date_precision": "day",
        "published_precision": "day",
        "status": "reported",
        "confidence": "medium",
        "source_id": "epoch2025aicompanies",
        "claim_id": None,
        "table": "epoch_funding_rounds",
        "record_id": "epoch_funding_rounds:May 2024 Series B",
        "note": "round_type: Series B | notes: per filings",
        "source_quote": None,
        "source_url": "https://example.com/a ; https://example.com/b",
    }
    assert fact(facts, "epoch_funding_rounds:May 2024 Series B:funding_equity")["value"] == 6.0
    planned = fact(facts, "epoch_funding_rounds:Next round:funding_debt")
    assert planned["status"] == "plan" and planned["note"] == "round_status: Planned"
    quiet = fact(facts, "epoch_funding_rounds:Quiet round:valuation")
    assert quiet["note"] == "" and quiet["source_url"] is None
    assert len(facts) == 4


def test_epoch_sites_and_clusters_are_estimates_keyed_by_date_or_occurrence():
    timelines = epoch(
        "epoch2025datacenters",
        {"data_center": "Colossus", "date": "2025-03-01", "power_mw": 150.0, "h100e": NA},
        {"data_center": "Colossus", "date": "2025-09-01", "power_mw": 300.0, "h100e": NA},
    )
    timelines["capital_cost_usd_bn"] = NA
    clusters = epoch(
        "epoch2025gpuclusters",
        {"name": "Memphis", "h100e": 1.0, "cluster_status": "Existing", "certainty": "Likely"},
        {"name": "Memphis", "h100e": 2.0, "cluster_status": "planned", "certainty": NA},
        {"name": "Memphis", "h100e": 3.0, "cluster_status": NA, "certainty": NA},
    )
    clusters[["power_mw", "hardware_cost_usd_bn"]] = NA
    companies = epoch("epoch2025aicompanies", {"name": "Anthropic", "company_type": "Lab"})
    facts = facts_table(
        dataset(
            epoch_data_center_timelines=timelines,
            epoch_gpu_clusters=clusters,
            epoch_companies=companies,
        )
    )
    later = fact(facts, "epoch_data_center_timelines:Colossus@2025-09-01:power")
    assert (later["value"], later["status"], later["unit"]) == (300.0, "estimate", "MW")
    assert later["date"] == "2025-09-01"
    first = fact(facts, "epoch_gpu_clusters:Memphis:h100e")
    assert first["value"] == 1.0 and first["status"] == "estimate"
    assert first["note"] == "cluster_status: Existing | certainty: Likely"
    second = fact(facts, "epoch_gpu_clusters:Memphis#2:h100e")
    assert second["value"] == 2.0 and second["status"] == "plan"
    assert fact(facts, "epoch_gpu_clusters:Memphis#3:h100e")["value"] == 3.0
    founded = fact(facts, "epoch_companies:Anthropic:founded")
    assert founded["metric"] == "founded" and founded["value"] is None
    assert founded["note"] == "company_type: Lab" and founded["status"] == "reported"
    assert len(facts) == 6


def test_a_curated_row_naming_an_epoch_row_shares_its_claim_and_ranks_first():
    rounds = curated(
        funding_round(
            record_id="fr-1",
            equity_usd_bn=6.0,
            claim_id="series-b",
            claim_rank=1,
            epoch_round_key="May 2024 Series B",
        ),
        funding_round(record_id="fr-2", equity_usd_bn=7.0, epoch_round_key="Other"),
    )
    epoch_rounds = epoch(
        "epoch2025aicompanies",
        epoch_round("May 2024 Series B", equity_usd_bn=5.0, valuation_usd_bn=24.0),
        epoch_round("Other", equity_usd_bn=7.0),
    )
    data = dataset(funding_rounds=rounds, epoch_funding_rounds=epoch_rounds)
    facts = facts_table(data)
    ours = fact(facts, "fr-1.funding_equity")
    theirs = fact(facts, "epoch_funding_rounds:May 2024 Series B:funding_equity")
    assert theirs["claim_id"] == ours["claim_id"] == "series-b"
    assert ours["is_canonical"] and not theirs["is_canonical"]
    assert ours["conflict"] and theirs["conflict"]  # 6 against 5
    # Epoch's valuation is the only one stated for the claim: canonical, no conflict
    valuation = fact(facts, "epoch_funding_rounds:May 2024 Series B:valuation")
    assert valuation["is_canonical"] and not valuation["conflict"]
    # a curated row without a claim links nothing
    assert fact(facts, "epoch_funding_rounds:Other:funding_equity")["claim_id"] is None
    # the subset of claimed rows gives the same marks
    subset = facts_table(claimed_subset(data))
    assert set(subset["fact_id"]) == set(facts["fact_id"]) - {"fr-2.funding_equity"}
    marks = ["fact_id", "is_canonical", "conflict"]
    assert subset[marks].merge(facts[marks]).shape[0] == len(subset)


def test_sites_link_to_epoch_data_centers_by_handle():
    sites = curated(
        {
            "record_id": "site-1",
            "site_name": "Colossus",
            "power_mw": 300.0,
            "power_qualifier": "exact",
            "h100e": NA,
            "h100e_qualifier": NA,
            "capex_usd_bn": NA,
            "capex_qualifier": NA,
            "site_status": "operating",
            "claim_id": "colossus-power",
            "claim_rank": 1,
            "epoch_data_center": "xai-colossus",
        }
    )
    centers = epoch(
        "epoch2025datacenters",
        {
            "handle": "xai-colossus",
            "title": "xAI Colossus",
            "power_mw": 300.0,
            "h100e": NA,
            "capital_cost_usd_bn": NA,
            "owner": "xAI",
            "users": "",
        },
        {
            "handle": "untitled",
            "title": NA,
            "power_mw": 5.0,
            "h100e": NA,
            "capital_cost_usd_bn": NA,
            "owner": NA,
            "users": NA,
        },
    )
    data = dataset(sites=sites, epoch_data_centers=centers)
    facts = facts_table(data)
    theirs = fact(facts, "epoch_data_centers:xai-colossus:power")
    assert theirs["claim_id"] == "colossus-power" and not theirs["is_canonical"]
    assert not theirs["conflict"] and theirs["entity"] == "xAI Colossus"
    assert theirs["note"] == "owner: xAI"
    assert fact(facts, "epoch_data_centers:untitled:power")["entity"] == ""
    assert set(facts_table(claimed_subset(data))["fact_id"]) == set(facts["fact_id"]) - {
        "epoch_data_centers:untitled:power"  # no curated site names it
    }


def valuation(record_id: str, value: float | None, qualifier: str | None, rank: int) -> dict:
    return {
        "record_id": record_id,
        "company_id": "xai",
        "valuation_usd_bn": value,
        "value_qualifier": qualifier,
        "claim_id": "xai-valuation",
        "claim_rank": rank,
    }


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ((230.0, "exact"), (230.0, "more_than"), True),  # both cannot be right
        ((230.0, "exact"), (230.0, "exact"), False),
        ((230.0, "exact"), (230.0, NA), False),  # no qualifier reads as exact
        ((230.0, "exact"), (231.0, "exact"), True),
        ((230.0, "approx"), (230.0, "less_than"), False),
        ((10.0, "at_least"), (10.0, "up_to"), False),  # they agree on 10
        ((10.0, "more_than"), (10.0, "up_to"), True),
        ((10.0, "less_than"), (10.0, "at_least"), True),
        ((10.0, "exact"), (10.0, "about"), False),  # an unknown word takes no side
        ((10.0, "about"), (10.0, "less_than"), False),
        ((10.0, "about"), (10.0, "more_than"), False),
        ((230.0, NA), (230.0, "more_than"), True),  # no qualifier: exactly 230
        ((1.0, "exact"), (1.0000001, "exact"), False),  # rounding noise is one value
        ((230.0, "more_than"), (None, "exact"), False),  # a fact without value takes no side
    ],
)
def test_a_claims_values_conflict_when_they_cannot_all_be_right(first, second, conflict):
    values = curated(valuation("val-1", *first, rank=1), valuation("val-2", *second, rank=2))
    values["valuation_usd_bn"] = values["valuation_usd_bn"].astype("float64")
    facts = facts_table(dataset(valuations=values))
    stated = facts[facts["value"].notna()]
    assert stated["conflict"].tolist() == [conflict] * len(stated)
    assert fact(facts, "val-1.valuation")["is_canonical"]
    if second[0] is not None:
        assert not fact(facts, "val-2.valuation")["is_canonical"]


def test_the_best_ranked_row_of_a_claim_is_canonical_whatever_the_row_order():
    values = curated(
        valuation("val-1", 200.0, "exact", rank=3),
        valuation("val-2", 230.0, "exact", rank=1),
        valuation("val-3", 250.0, "exact", rank=2),
        {"record_id": "val-4", "company_id": "xai", "valuation_usd_bn": 5.0},
    )
    facts = facts_table(dataset(valuations=values))
    canonical = facts.loc[facts["is_canonical"], "record_id"].tolist()
    assert canonical == ["val-2", "val-4"]  # and a fact outside any claim
    assert facts.loc[facts["record_id"] == "val-4", "conflict"].tolist() == [False]


def test_as_of_cuts_facts_published_after_it_even_from_tables_that_are_not_cut():
    companies = curated(
        {"record_id": "co-1", "company_id": "xai", "name": "xAI", "kind": "ai_lab"},
        {
            "record_id": "co-2",
            "company_id": "new",
            "name": "New",
            "kind": "ai_lab",
            "published_date": "2026-03-01",
        },
    )
    for as_of, expected in [("2026-01-07", ["co-1.company"]), ("2026-02-28", ["co-1.company"])]:
        facts = facts_table(dataset(as_of, companies=companies))
        assert facts["fact_id"].tolist() == expected
    assert len(facts_table(dataset("2026-03-01", companies=companies))) == 2
    empty = facts_table(dataset("2026-01-06", companies=companies))
    assert empty.empty and list(empty.columns) == FACT_COLUMNS
    nothing = facts_table(dataset())
    assert nothing.empty and list(nothing.columns) == FACT_COLUMNS


def counted(facts: pd.DataFrame) -> pd.DataFrame:
    return facts.groupby(COUNT_COLUMNS, dropna=False).size().rename("facts").reset_index()


@pytest.mark.parametrize("as_of", [None, "2025-12-31"])
def test_fact_counts_count_the_rows_of_the_facts_table(as_of):
    data = load_dataset(as_of=as_of)
    counts = fact_counts(data)
    assert list(counts.columns) == [*COUNT_COLUMNS, "facts"]
    counts["published"] = counts["published"].dt.strftime("%Y-%m-%d")
    expected = counted(facts_table(data))
    pd.testing.assert_frame_equal(
        counts.sort_values(COUNT_COLUMNS).reset_index(drop=True),
        expected.sort_values(COUNT_COLUMNS).reset_index(drop=True),
        check_dtype=False,
    )


def test_fact_counts_of_small_tables_match_the_facts_table():
    rounds = curated(
        funding_round(record_id="fr-1", amount_usd_bn=20.0, target_usd_bn=15.0),
        funding_round(record_id="fr-2", published_date="2026-02-01"),
        funding_round(record_id="fr-3", published_date="2026-01-31", debt_usd_bn=1.0),
    )
    epoch_rounds = epoch(
        "epoch2025aicompanies",
        epoch_round("A", equity_usd_bn=1.0, debt_usd_bn=2.0, round_status="PLANNED"),
        epoch_round("B", valuation_usd_bn=3.0),
    )
    clusters = epoch(
        "epoch2025gpuclusters",
        {"name": "M", "h100e": 1.0, "power_mw": NA, "cluster_status": "Planned"},
        {"name": "N", "h100e": 2.0, "power_mw": NA, "cluster_status": "Existing"},
    )
    clusters["hardware_cost_usd_bn"] = NA
    companies = epoch("epoch2025aicompanies", {"name": "Anthropic"})
    for as_of in (None, "2026-01-31"):
        data = dataset(
            as_of,
            companies=COMPANIES,  # a table of events only
            funding_rounds=rounds,
            epoch_funding_rounds=epoch_rounds,
            epoch_gpu_clusters=clusters,
            epoch_companies=companies,
        )
        counts = fact_counts(data)
        counts["published"] = counts["published"].dt.strftime("%Y-%m-%d")
        expected = counted(facts_table(data))
        assert counts.to_dict("records") == expected.to_dict("records")
    assert fact_counts(dataset()).empty
    assert list(fact_counts(dataset()).columns) == [*COUNT_COLUMNS, "facts"]


def test_facts_on_the_command_line_keep_text_without_direction_controls(monkeypatch, capsys):
    companies = curated(
        {"record_id": "co-1", "company_id": "xai", "name": "x\u202eAI", "kind": "ai_lab"},
        {"record_id": "co-2", "company_id": "f", "name": "=1+1", "kind": "馬斯克"},
    )
    monkeypatch.setattr(facts_module, "load_dataset", lambda *a, **k: dataset(companies=companies))
    assert facts_module.run_facts(Path("data"), None, "json") == 0
    output = capsys.readouterr().out
    assert "馬斯克" in output and output.endswith("]\n")  # UTF-8, not \\u escapes
    records = json.loads(output)
    assert [r["entity"] for r in records] == ["xAI", "=1+1"]
    assert facts_module.run_facts(Path("data"), None, "csv") == 0
    rows = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert rows["fact_id"].tolist() == ["co-1.company", "co-2.company"]
    assert rows["entity"].tolist()[1] != "=1+1"  # a spreadsheet would run it


def test_json_facts_of_the_shipped_data_are_the_facts_table():
    result = run_cli("facts", "--format", "json", "--as-of", "2025-12-31")
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert len(records) == len(facts_table(load_dataset(as_of="2025-12-31")))
    assert all(record["fact_id"] for record in records)


def test_the_claimed_subset_holds_every_claimed_fact_with_the_same_marks():
    companies = curated(
        {"record_id": "co-1", "company_id": "xai", "name": "xAI", "kind": "ai_lab"},
        {
            "record_id": "co-2",
            "company_id": "new",
            "name": "New",
            "kind": "ai_lab",
            "published_date": "2026-03-01",  # after the edition: cut although exempt
            "claim_id": "new-founded",
            "claim_rank": 1,
        },
        {
            "record_id": "co-3",
            "company_id": "old",
            "name": "Old",
            "kind": "ai_lab",
            "claim_id": "xai-founded",
            "claim_rank": 1,
        },
    )
    timeline = curated(
        {
            "record_id": "tl-1",
            "company_id": "xai",
            "event": "founded",
            "claim_id": "xai-founded",
            "claim_rank": 2,
        }
    )
    rounds = curated(
        funding_round(record_id="fr-1", amount_usd_bn=20.0, claim_id="e", claim_rank=1),
        funding_round(record_id="fr-2", amount_usd_bn=21.0, claim_id="e", claim_rank=2),
        funding_round(record_id="fr-3", amount_usd_bn=5.0),
    )
    data = dataset(
        "2026-01-31",
        companies=companies,
        timeline=timeline,
        funding_rounds=rounds,
        epoch_companies=epoch("epoch2025aicompanies", {"name": "Anthropic"}),
    )
    full = facts_table(data)
    subset = facts_table(claimed_subset(data))
    claimed = full[full["claim_id"].notna()]
    assert set(subset["fact_id"]) == set(claimed["fact_id"])
    assert set(subset["fact_id"]) == {
        "co-3.company",
        "tl-1.event",
        "fr-1.funding_amount",
        "fr-2.funding_amount",
    }
    marks = ["fact_id", "is_canonical", "conflict"]
    assert subset[marks].merge(claimed[marks]).shape[0] == len(subset)
    # an Epoch table whose curated partner is missing is simply not linked
    lone = dataset(epoch_funding_rounds=epoch("epoch2025aicompanies", epoch_round("A")))
    assert facts_table(claimed_subset(lone))["fact_id"].tolist() == []


def test_each_claim_is_judged_on_its_own_and_events_never_conflict():
    values = curated(
        valuation("val-1", 230.0, "exact", rank=1),
        valuation("val-2", 230.0, "more_than", rank=2),
        valuation("val-3", 10.0, "at_least", rank=1) | {"claim_id": "other"},
        valuation("val-4", 10.0, "up_to", rank=2) | {"claim_id": "other"},
    )
    events = curated(
        *(
            {"record_id": f"tl-{n}", "company_id": "xai", "event": "founded"}
            | {"claim_id": "xai-founded", "claim_rank": n}
            for n in (1, 2)
        )
    )
    facts = facts_table(dataset(valuations=values, timeline=events))
    conflict = dict(zip(facts["record_id"], facts["conflict"], strict=True))
    assert conflict == {
        "val-1": True,
        "val-2": True,
        "val-3": False,
        "val-4": False,
        "tl-1": False,
        "tl-2": False,
    }


def test_a_timeline_fact_is_keyed_by_its_data_centre_and_day():
    timeline = epoch(
        "epoch2025datacenters",
        {"data_center": "Colossus", "date": "2025-06-30", "power_mw": 300.0},
        {"data_center": "Colossus", "date": "2025-09-30", "power_mw": 400.0},
    )
    for column in ("h100e", "capital_cost_usd_bn"):
        timeline[column] = NA
    facts = facts_table(dataset(epoch_data_center_timelines=timeline))
    assert facts["fact_id"].tolist() == [
        "epoch_data_center_timelines:Colossus@2025-06-30:power",
        "epoch_data_center_timelines:Colossus@2025-09-30:power",
    ]


def test_json_facts_keep_text_as_written_one_field_per_line(monkeypatch, capsys):
    companies = curated(
        {"record_id": "co-1", "company_id": "sg", "name": "Société Générale", "kind": "investor"}
    )
    monkeypatch.setattr(facts_module, "load_dataset", lambda *a, **k: dataset(companies=companies))
    assert facts_module.run_facts(Path("data"), None, "json") == 0
    printed = capsys.readouterr().out
    assert "Société Générale" in printed  # not \u00e9 escapes
    assert printed.startswith('[\n {\n  "fact_id": "co-1.company",\n  "entity": ')
    assert json.loads(printed)[0]["entity"] == "Société Générale"
