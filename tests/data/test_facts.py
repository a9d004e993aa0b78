"""`xaibook facts`: the long table readers download, and its --as-of cut."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from tests.conftest import run_cli
from xaibook.data.dataset import load_dataset
from xaibook.data.facts import FACT_COLUMNS, facts_table
from xaibook.params import today_utc

REQUIRED = [
    "fact_id",
    "entity",
    "metric",
    "value",
    "unit",
    "date",
    "published",
    "status",
    "confidence",
    "source_id",
    "note",
]


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    result = run_cli("facts")
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout))


def test_columns_and_units(facts):
    assert list(facts.columns) == FACT_COLUMNS
    assert set(REQUIRED) <= set(facts.columns)
    assert facts["fact_id"].is_unique
    money = facts[facts["metric"].isin(["valuation", "funding_amount", "funding_equity"])]
    assert set(money["unit"]) == {"USD bn"}
    assert set(facts.loc[facts["metric"] == "power", "unit"]) == {"MW"}
    assert facts["source_id"].notna().all()


def test_every_curated_number_and_epoch_row_is_a_fact(facts):
    dataset = load_dataset()
    for table, column in [
        ("funding_rounds", "amount_usd_bn"),
        ("valuations", "valuation_usd_bn"),
        ("company_metrics", "value"),
        ("sites", "power_mw"),
    ]:
        frame = dataset[table]
        stated = frame[frame[column].notna()]
        ours = facts[facts["table"] == table]
        for record_id, value in zip(stated["record_id"], stated[column], strict=True):
            match = ours[(ours["record_id"] == record_id) & (ours["value"] == value)]
            assert len(match) >= 1, (table, record_id, value)
    epoch = facts[facts["table"] == "epoch_funding_rounds"]
    series_b = epoch[epoch["fact_id"] == "epoch_funding_rounds:May 2024 24B Series B:valuation"]
    assert series_b["value"].tolist() == [24.0] and series_b["unit"].tolist() == ["USD bn"]
    assert (facts["table"] == "epoch_gpu_clusters").sum() > 786  # several metrics per cluster


def test_conflicts_are_kept_with_one_canonical_value(facts):
    capex = facts[facts["claim_id"] == "colossus-2-capex"]
    assert len(capex) >= 2 and capex["conflict"].all()
    canonical = capex[capex["is_canonical"]]
    assert canonical["source_id"].tolist() == ["hu2026xai"]  # the Chinese original wins
    assert set(capex["value"]) >= {10.0, 100.0}  # both kept, never averaged


def test_as_of_keeps_only_what_was_published_by_then():
    before = facts_table(load_dataset(as_of="2025-12-31"))
    assert pd.to_datetime(before["published"]).max() <= pd.Timestamp("2025-12-31")
    series_e = before[before["claim_id"] == "xai-2025-12-round"]
    # only 36Kr's December report of the round being raised is known; it becomes canonical
    assert set(series_e["source_id"]) == {"kr2025xai"} and series_e["is_canonical"].all()
    assert not (before["fact_id"] == "fr-001.funding_amount").any()
    now = facts_table(load_dataset())
    assert (now["fact_id"] == "fr-001.funding_amount").any() and len(now) > len(before)


def test_json_output_matches_csv_and_bad_as_of_is_refused(facts):
    # as of today (a later date is refused): every fact, as without --as-of
    result = run_cli("facts", "--format", "json", "--as-of", today_utc().isoformat())
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert len(records) == len(facts) and set(records[0]) == set(FACT_COLUMNS)
    bad = run_cli("facts", "--as-of", "2025-13-01")
    assert bad.returncode == 1 and "as_of" in bad.stderr and "YYYY-MM-DD" in bad.stderr


def test_one_value_with_excluding_qualifiers_is_a_conflict(facts):
    # 'valued at $230bn' (TechCrunch, after the close) against 'more than $230bn' (the NYT's
    # pre-close inference, as 001 and 000 report it): one number, but both cannot be right
    valuation = facts[facts["claim_id"] == "xai-series-e-valuation"]
    assert set(valuation["value"]) == {230.0}
    assert set(valuation["qualifier"]) == {"exact", "more_than"}
    assert valuation["conflict"].all()
    # agreeing sources of one value are not flagged
    revenue = facts[facts["claim_id"] == "openai-annualized-revenue-2025"]
    assert len(revenue) == 2 and not revenue["conflict"].any()


@pytest.mark.parametrize("day", ["2026-01-07", "2025-12-08"])
def test_as_of_equal_to_a_publication_day_keeps_that_days_facts(facts, day):
    # `published <= as_of`: facts published on the cut day are known that day
    on_the_day = facts[facts["published"] == day]
    assert len(on_the_day), f"no fact is published on {day}: pick another day"
    cut = facts_table(load_dataset(as_of=day))
    assert set(on_the_day["fact_id"]) <= set(cut["fact_id"])
    assert set(cut["fact_id"]) == set(facts.loc[facts["published"] <= day, "fact_id"])


def test_a_risk_cites_each_fact_once():
    # two rows holding one sentence of one source (a round and the timeline's report of it)
    # are one piece of evidence: listed twice they read as two (review s10 #17)
    data = load_dataset()
    # (one sentence about two companies is two facts: the company is part of the fact)
    rows = pd.concat(
        [
            frame.assign(company=frame.get("company_id", frame.get("investor_company_id")))[
                ["record_id", "source_id", "source_quote", "company"]
            ]
            for name, frame in data.tables.items()
            if "record_id" in frame and "source_quote" in frame and name != "risks"
        ]
    )
    by_id = rows.set_index("record_id")
    for risk in data.tables["risks"].itertuples():
        ids = [i for i in str(risk.evidence_record_ids).split(";") if i]
        cited = by_id.loc[ids, ["source_id", "source_quote", "company"]]
        assert not cited.duplicated().any(), (risk.record_id, ids)
