"""The whole dataset as one long table of facts: what readers download and tests check.

One row per stated value (a round's amount and its target are two facts), curated and Epoch
alike, money in ``USD bn`` and power in ``MW``. Rows that state the same real-world quantity
share a ``claim_id``; after any ``--as-of`` cut, the best-ranked row still visible is
``is_canonical`` and ``conflict`` marks claims whose sources give different values.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from xaibook.dataset import Dataset, load_dataset

FACT_COLUMNS = [
    "fact_id",
    "entity",
    "metric",
    "value",
    "unit",
    "qualifier",
    "value_max",
    "date",
    "date_precision",
    "published",
    "published_precision",
    "status",
    "confidence",
    "source_id",
    "claim_id",
    "is_canonical",
    "conflict",
    "table",
    "record_id",
    "note",
    "source_quote",
    "source_url",
]
MONEY = "USD bn"

# curated table -> [(metric, value column, unit or unit column, qualifier column)]
CURATED_VALUES: dict[str, list[tuple[str, str, str, str | None]]] = {
    "funding_rounds": [
        ("funding_amount", "amount_usd_bn", MONEY, "amount_qualifier"),
        ("funding_target", "target_usd_bn", MONEY, None),
        ("funding_equity", "equity_usd_bn", MONEY, None),
        ("funding_debt", "debt_usd_bn", MONEY, None),
    ],
    "investments": [("investment", "amount_usd_bn", MONEY, None)],
    "valuations": [("valuation", "valuation_usd_bn", MONEY, "value_qualifier")],
    "company_metrics": [("@metric", "value", "@unit", "value_qualifier")],
    "sites": [
        ("power", "power_mw", "MW", "power_qualifier"),
        ("h100e", "h100e", "H100e", "h100e_qualifier"),
        ("capex", "capex_usd_bn", MONEY, "capex_qualifier"),
    ],
    "risks": [
        ("risk_likelihood", "likelihood", "score 1-5", None),
        ("risk_impact", "impact", "score 1-5", None),
    ],
}
# tables whose rows are dated or qualitative claims: one fact each, the text in `note`
CURATED_EVENTS = {
    "companies": ("company", "kind"),
    "funding_rounds": ("funding_round", "round_name"),
    "investments": ("investment", "round_id"),
    "sites": ("site", "site_status"),
    "competitors": ("@positioning", "description"),
    "timeline": ("event", "event"),
}

# Epoch table -> (entity column, key column, [(metric, value column, unit)])
EPOCH_VALUES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "epoch_funding_rounds": (
        "company",
        "round_key",
        [
            ("funding_equity", "equity_usd_bn", MONEY),
            ("funding_debt", "debt_usd_bn", MONEY),
            ("valuation", "valuation_usd_bn", MONEY),
        ],
    ),
    "epoch_revenue_reports": (
        "company",
        "report_key",
        [
            ("annualized_revenue", "annualized_revenue_usd_bn", MONEY),
            ("revenue_annual_rate", "revenue_usd_bn", MONEY),
        ],
    ),
    "epoch_compute_spend": (
        "company",
        "spend_key",
        [
            ("compute_spend", "amount_usd_bn", MONEY),
        ],
    ),
    "epoch_data_centers": (
        "title",
        "handle",
        [
            ("power", "power_mw", "MW"),
            ("h100e", "h100e", "H100e"),
            ("capital_cost", "capital_cost_usd_bn", "USD bn (2025 dollars)"),
        ],
    ),
    "epoch_data_center_timelines": (
        "data_center",
        "@date",
        [
            ("power", "power_mw", "MW"),
            ("h100e", "h100e", "H100e"),
            ("capital_cost", "capital_cost_usd_bn", "USD bn (2025 dollars)"),
        ],
    ),
    "epoch_gpu_clusters": (
        "name",
        "@occurrence",
        [
            ("h100e", "h100e", "H100e"),
            ("power", "power_mw", "MW"),
            ("hardware_cost", "hardware_cost_usd_bn", MONEY),
        ],
    ),
    "epoch_companies": ("name", "name", []),
}
EPOCH_NOTE_COLUMNS = [
    "round_type",
    "round_status",
    "revenue_type",
    "category",
    "period_type",
    "construction_status",
    "cluster_status",
    "certainty",
    "owner",
    "users",
    "country",
    "company_type",
    "notes",
]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _curated_facts(dataset: Dataset) -> Iterator[dict[str, object]]:
    names = dataset.company_names()
    for table in CURATED_VALUES.keys() | CURATED_EVENTS.keys():
        if table not in dataset.tables:
            continue
        for row in dataset.tables[table].to_dict("records"):
            entity = (
                row.get("site_name")
                or row.get("risk")
                or names.get(row.get("company_id") or row.get("investor_company_id") or "")
                or row.get("company_id")
                or ""
            )
            if table == "companies":
                entity = row["name"]
            base = {
                "entity": entity,
                "date": row["fact_date"],
                "date_precision": row["fact_date_precision"],
                "published": row["published_date"],
                "published_precision": row["published_date_precision"],
                "status": row["status"],
                "confidence": row["confidence"],
                "source_id": row["source_id"],
                "claim_id": _text(row.get("claim_id")),
                "table": table,
                "record_id": row["record_id"],
                "source_quote": row["source_quote"],
                "source_url": None,
                "_rank": row.get("claim_rank"),
            }
            emitted = False
            for metric, column, unit, qualifier in CURATED_VALUES.get(table, []):
                value = row.get(column)
                if value is None or pd.isna(value):
                    continue
                metric = row["metric"] if metric == "@metric" else metric
                yield {
                    **base,
                    "fact_id": f"{row['record_id']}.{metric}",
                    "metric": metric,
                    "value": float(value),
                    "unit": row["unit"] if unit == "@unit" else unit,
                    "qualifier": row.get(qualifier) if qualifier else "exact",
                    "value_max": row.get("value_max"),
                    "note": _text(row.get("note")),
                }
                emitted = True
            if table in CURATED_EVENTS and not emitted:
                metric, text_column = CURATED_EVENTS[table]
                if metric == "@positioning":
                    metric = f"positioning_{row['dimension']}"
                note = " — ".join(
                    t for t in (_text(row.get(text_column)), _text(row.get("note"))) if t
                )
                yield {
                    **base,
                    "fact_id": f"{row['record_id']}.{metric}",
                    "metric": metric,
                    "value": None,
                    "unit": None,
                    "qualifier": None,
                    "value_max": None,
                    "note": note,
                }


# curated link column -> (curated table, Epoch table): a curated row naming the Epoch row that
# describes the same round or site puts both in one claim, so their values are compared.
EPOCH_LINKS = {
    "epoch_round_key": ("funding_rounds", "epoch_funding_rounds"),
    "epoch_data_center": ("sites", "epoch_data_centers"),
}
# Where an article and Epoch state the same quantity, the article the book quotes ranks first
# and Epoch's value is kept beside it; a difference between them is flagged as a conflict.
EPOCH_RANK = 1000


def _epoch_claims(dataset: Dataset) -> dict[tuple[str, str], str]:
    links = {}
    for column, (curated, epoch) in EPOCH_LINKS.items():
        frame = dataset.tables.get(curated)
        if frame is None or column not in frame:
            continue
        linked = frame[frame[column].notna() & frame["claim_id"].notna()]
        for key, claim in zip(linked[column], linked["claim_id"], strict=True):
            links.setdefault((epoch, str(key)), claim)
    return links


def _epoch_facts(dataset: Dataset) -> Iterator[dict[str, object]]:
    claims = _epoch_claims(dataset)
    for table, (entity_column, key_column, values) in EPOCH_VALUES.items():
        if table not in dataset.tables:
            continue
        frame = dataset.tables[table]
        occurrences: dict[str, int] = {}
        for row in frame.to_dict("records"):
            entity = _text(row.get(entity_column)) or ""
            if key_column == "@date":
                key = f"{entity}@{row['date']:%Y-%m-%d}"
            elif key_column == "@occurrence":  # Epoch's cluster names repeat (phases, rumours)
                occurrences[entity] = occurrences.get(entity, 0) + 1
                key = entity if occurrences[entity] == 1 else f"{entity}#{occurrences[entity]}"
            else:
                key = _text(row[key_column]) or ""
            status_word = str(row.get("round_status") or row.get("cluster_status") or "").lower()
            status = (
                "plan"
                if status_word == "planned"
                else (
                    "estimate"
                    if table
                    in {"epoch_data_centers", "epoch_data_center_timelines", "epoch_gpu_clusters"}
                    else "reported"
                )
            )
            note = " | ".join(
                f"{column}: {row[column]}"
                for column in EPOCH_NOTE_COLUMNS
                if _text(row.get(column))
            )
            base = {
                "entity": entity,
                "date": row["fact_date"],
                "date_precision": "day",
                "published": row["published_date"],
                "published_precision": "day",
                "status": status,
                "confidence": row["confidence"],
                "source_id": row["source_id"],
                "claim_id": claims.get((table, key)),
                "table": table,
                "record_id": f"{table}:{key}",
                "note": note,
                "source_quote": None,
                "source_url": _text(row.get("source_urls")),
                "qualifier": "exact",
                "value_max": None,
                "_rank": EPOCH_RANK if (table, key) in claims else None,
            }
            if not values:
                yield {
                    **base,
                    "fact_id": f"{table}:{key}:founded",
                    "metric": "founded",
                    "value": None,
                    "unit": None,
                }
            for metric, column, unit in values:
                value = row.get(column)
                if value is None or pd.isna(value):
                    continue
                yield {
                    **base,
                    "fact_id": f"{table}:{key}:{metric}",
                    "metric": metric,
                    "value": float(value),
                    "unit": unit,
                }


def facts_table(dataset: Dataset) -> pd.DataFrame:
    """All facts of ``dataset`` (already cut to its as-of date), canonical and conflicts marked."""
    rows = [*_curated_facts(dataset), *_epoch_facts(dataset)]
    facts = pd.DataFrame(rows, columns=[*FACT_COLUMNS, "_rank"])
    facts["is_canonical"] = True
    facts["conflict"] = False
    claimed = facts["claim_id"].notna()
    if claimed.any():
        ranks = facts.loc[claimed, "_rank"].astype(float)
        # canonical per quantity: the best-ranked row that states this metric for the claim
        groups = [facts.loc[claimed, "claim_id"], facts.loc[claimed, "metric"]]
        best = ranks.groupby(groups).transform("min")
        facts.loc[claimed, "is_canonical"] = ranks == best
        per_metric = facts[claimed].groupby(["claim_id", "metric"])["value"]
        distinct = per_metric.transform(lambda v: v.dropna().round(6).nunique())
        facts.loc[claimed, "conflict"] = distinct > 1
    facts = facts.drop(columns=["_rank"])
    if dataset.as_of is not None:  # tables exempt from the cut (companies) still publish late
        facts = facts[pd.to_datetime(facts["published"]) <= dataset.as_of]
    for column in ("date", "published"):
        facts[column] = pd.to_datetime(facts[column]).dt.strftime("%Y-%m-%d")
    return facts.sort_values(["table", "fact_id"], kind="stable").reset_index(drop=True)


def run_facts(data_dir: Path, as_of: str | None, output_format: str) -> int:
    dataset = load_dataset(data_dir, as_of=as_of)
    facts = facts_table(dataset)
    if output_format == "json":
        records = json.loads(facts.to_json(orient="records", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        facts.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0
