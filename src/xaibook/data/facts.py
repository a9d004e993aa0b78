"""The whole dataset as one long table of facts: what readers download and tests check.

One row per stated value (a round's amount and its target are two facts), curated and Epoch
alike, money in ``USD bn`` and power in ``MW``. Rows that state the same real-world quantity
share a ``claim_id``; after any ``--as-of`` cut, the best-ranked row still visible is
``is_canonical`` and ``conflict`` marks claims whose sources cannot all be right.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from xaibook.data.dataset import Dataset, load_dataset
from xaibook.text import to_safe_csv, without_bidi_controls

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


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or an all-missing one when the table does not have it."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype="object")


def _curated_entity(frame: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    """What a fact is about: the site, the risk, else the company's display name (for a row
    of companies, its own name: company_id is unique there)."""
    company = _column(frame, "company_id").fillna(_column(frame, "investor_company_id"))
    # object first: when no id has a name, map() gives float NaNs, which text cannot fill
    entity = company.map(names).astype(object).fillna(company)
    for own_name in ("risk", "site_name"):
        entity = _column(frame, own_name).fillna(entity)
    return entity.fillna("")


def _joined_note(first: pd.Series, second: pd.Series) -> pd.Series:
    first, second = first.astype("object"), second.astype("object")
    both = first.notna() & second.notna()
    note = first.fillna(second)
    return note.where(~both, first.astype(str) + " — " + second.astype(str))


COUNT_COLUMNS = ["source_id", "status", "published", "table"]


def _curated_facts(dataset: Dataset, lean: bool = False) -> Iterator[pd.DataFrame]:
    """One frame per (table, metric): every stated value, then one event fact per row that
    states none (a dated or qualitative claim). ``lean`` keeps only COUNT_COLUMNS."""
    names = dataset.company_names()
    for table in sorted(CURATED_VALUES.keys() | CURATED_EVENTS.keys()):
        frame = dataset.tables.get(table)
        if frame is None or frame.empty:
            continue
        if lean:
            base = pd.DataFrame(
                {
                    "source_id": frame["source_id"],
                    "status": frame["status"],
                    "published": frame["published_date"],
                    "table": table,
                }
            )
            stated = [frame[column].notna() for _, column, _, _ in CURATED_VALUES.get(table, [])]
            for mask in stated:
                yield base[mask]
            if table in CURATED_EVENTS:
                yield base[~pd.concat(stated, axis=1).any(axis=1)] if stated else base
            continue
        base = pd.DataFrame({
            "entity": _curated_entity(frame, names),
            "date": frame["fact_date"],
            "date_precision": frame["fact_date_precision"],
            "published": frame["published_date"],
            "published_precision": frame["published_date_precision"],
            "status": frame["status"],
            "confidence": frame["confidence"],
            "source_id": frame["source_id"],
            "claim_id": frame["claim_id"],
            "table": table,
            "record_id": frame["record_id"],
            "source_quote": frame["source_quote"],
            "source_url": None,
            "_rank": frame["claim_rank"].astype("float64"),
        })  # fmt: skip
        emitted = pd.Series(False, index=frame.index)
        for metric, column, unit, qualifier in CURATED_VALUES.get(table, []):
            stated = frame[column].notna()
            if not stated.any():
                continue
            metrics = frame["metric"] if metric == "@metric" else pd.Series(metric, frame.index)
            yield base[stated].assign(
                fact_id=frame["record_id"][stated] + "." + metrics[stated],
                metric=metrics[stated],
                value=frame[column][stated].astype("float64"),
                unit=frame["unit"][stated] if unit == "@unit" else unit,
                qualifier=frame[qualifier][stated] if qualifier else "exact",
                value_max=_column(frame, "value_max")[stated],
                note=frame["note"][stated],
            )
            emitted |= stated
        if table in CURATED_EVENTS and not emitted.all():
            metric, text_column = CURATED_EVENTS[table]
            events = ~emitted
            metrics = (
                "positioning_" + frame["dimension"]
                if metric == "@positioning"
                else pd.Series(metric, frame.index)
            )
            yield base[events].assign(
                fact_id=frame["record_id"][events] + "." + metrics[events],
                metric=metrics[events],
                value=None,
                unit=None,
                qualifier=None,
                value_max=None,
                note=_joined_note(frame[text_column], frame["note"])[events],
            )


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
        for key, claim in linked[[column, "claim_id"]].itertuples(index=False):
            links.setdefault((epoch, str(key)), claim)
    return links


ESTIMATE_TABLES = {"epoch_data_centers", "epoch_data_center_timelines", "epoch_gpu_clusters"}


def _epoch_keys(frame: pd.DataFrame, entity: pd.Series, key_column: str) -> pd.Series:
    if key_column == "@date":
        return entity + "@" + frame["date"].dt.strftime("%Y-%m-%d")
    if key_column == "@occurrence":  # Epoch's cluster names repeat (phases, rumours)
        occurrence = entity.groupby(entity).cumcount() + 1
        return entity.where(occurrence == 1, entity + "#" + occurrence.astype(str))
    return frame[key_column].astype("object").fillna("")


def _epoch_notes(frame: pd.DataFrame) -> pd.Series:
    note = pd.Series("", index=frame.index)
    for column in EPOCH_NOTE_COLUMNS:
        if column not in frame:
            continue
        text = frame[column].astype("object")
        part = (column + ": " + text.astype(str)).where(text.notna() & (text != ""), "")
        separator = pd.Series(" | ", index=frame.index).where((note != "") & (part != ""), "")
        note = note + separator + part
    return note


def _epoch_facts(dataset: Dataset, lean: bool = False) -> Iterator[pd.DataFrame]:
    claims = {} if lean else _epoch_claims(dataset)
    for table, (entity_column, key_column, values) in EPOCH_VALUES.items():
        frame = dataset.tables.get(table)
        if frame is None or frame.empty:
            continue
        if lean:
            planned = _column(frame, "round_status").fillna(_column(frame, "cluster_status"))
            planned = planned.astype(str).str.lower() == "planned"  # a missing status: "nan"
            status = "estimate" if table in ESTIMATE_TABLES else "reported"
            base = pd.DataFrame({
                "source_id": frame["source_id"],
                "status": pd.Series(status, index=frame.index).where(~planned, "plan"),
                "published": frame["published_date"],
                "table": table,
            })  # fmt: skip
            yield from (
                [base] if not values else [base[frame[column].notna()] for _, column, _ in values]
            )
            continue
        entity = frame[entity_column].astype("object").fillna("")
        keys = _epoch_keys(frame, entity, key_column)
        status_word = _column(frame, "round_status").fillna(_column(frame, "cluster_status"))
        planned = status_word.astype(str).str.lower() == "planned"
        status = "estimate" if table in ESTIMATE_TABLES else "reported"
        claim = pd.Series([claims.get((table, key)) for key in keys], index=frame.index)
        base = pd.DataFrame({
            "entity": entity,
            "date": frame["fact_date"],
            "date_precision": "day",
            "published": frame["published_date"],
            "published_precision": "day",
            "status": pd.Series(status, index=frame.index).where(~planned, "plan"),
            "confidence": frame["confidence"],
            "source_id": frame["source_id"],
            "claim_id": claim,
            "table": table,
            "record_id": table + ":" + keys,
            "note": _epoch_notes(frame),
            "source_quote": None,
            "source_url": _column(frame, "source_urls").replace("", None),
            "qualifier": "exact",
            "value_max": None,
            "_rank": claim.notna().map({True: EPOCH_RANK, False: None}).astype("float64"),
        })  # fmt: skip
        if not values:
            yield base.assign(
                fact_id=table + ":" + keys + ":founded", metric="founded", value=None, unit=None
            )
        for metric, column, unit in values:
            stated = frame[column].notna()
            yield base[stated].assign(
                fact_id=table + ":" + keys[stated] + ":" + metric,
                metric=metric,
                value=frame[column][stated].astype("float64"),
                unit=unit,
            )


# Where each qualifier puts the true value against the stated one: (below, at, above) it.
# 'about' claims no side, so it agrees with any qualifier of the same value.
QUALIFIER_SIDES = {
    "exact": (False, True, False),
    "approx": (True, True, True),
    "more_than": (False, False, True),
    "at_least": (False, True, True),
    "less_than": (True, False, False),
    "up_to": (True, True, False),
    "order_of": (True, True, True),  # a class in words ("gigawatt-class") excludes no value
}


FORWARD_STATUSES = ("target", "plan")  # what someone means to do, not what is


def _conflicting(claimed: pd.DataFrame) -> pd.Series:
    """True for every fact of a quantity whose sources cannot all be right: they state more
    than one value (NaN is no value), or one value with qualifiers that exclude each other
    ('exactly 230' against 'more than 230'; 'at least 10' and 'up to 10' agree on 10).

    A plan or target and a figure of what is (reported or estimated) are judged apart: a
    gigawatt promised and 276 MW built so far can both be right."""
    promised = claimed["status"].isin(FORWARD_STATUSES) if "status" in claimed else False
    keys = [claimed["claim_id"], claimed["metric"], pd.Series(promised, index=claimed.index)]
    value = claimed["value"].astype("float64").round(6)
    distinct = value.groupby(keys).transform("nunique")
    stated = value.notna()
    qualifier = claimed["qualifier"].where(claimed["qualifier"].notna(), "exact")
    # one column per side of the stated value: below, at, above
    sides = pd.DataFrame(
        [QUALIFIER_SIDES.get(q, (True, True, True)) for q in qualifier], index=claimed.index
    )
    # facts without a value take no side; a side all stated values allow is a common answer
    shared = sides.where(stated, True).groupby(keys).transform("all").any(axis=1)
    return (distinct > 1) | ~shared


def facts_table(dataset: Dataset) -> pd.DataFrame:
    """All facts of ``dataset`` (already cut to its as-of date), canonical and conflicts marked."""
    parts = [part for part in (*_curated_facts(dataset), *_epoch_facts(dataset)) if len(part)]
    computed = ["is_canonical", "conflict"]  # set below, once all facts are together
    columns = [column for column in FACT_COLUMNS if column not in computed]
    facts = (
        pd.concat(parts, ignore_index=True)[[*columns, "_rank"]]
        if parts
        else pd.DataFrame(columns=[*columns, "_rank"])
    )
    facts["is_canonical"] = True
    facts["conflict"] = False
    claimed = facts["claim_id"].notna()
    if claimed.any():
        ranks = facts.loc[claimed, "_rank"].astype(float)
        # canonical per quantity: the best-ranked row that states this metric for the claim
        groups = [facts.loc[claimed, "claim_id"], facts.loc[claimed, "metric"]]
        best = ranks.groupby(groups).transform("min")
        facts.loc[claimed, "is_canonical"] = ranks == best
        facts.loc[claimed, "conflict"] = _conflicting(facts.loc[claimed])
    facts = facts.drop(columns=["_rank"])[FACT_COLUMNS]
    if dataset.as_of is not None:  # tables exempt from the cut (companies) still publish late
        facts = facts[pd.to_datetime(facts["published"]) <= dataset.as_of]
    for column in ("date", "published"):
        facts[column] = pd.to_datetime(facts[column]).dt.strftime("%Y-%m-%d")
    return facts.sort_values(["table", "fact_id"]).reset_index(drop=True)  # lexsort: stable


def fact_counts(dataset: Dataset) -> pd.DataFrame:
    """How many facts each source, status, publication day and table give (facts_table's
    rows, counted without building them: a million-row edition counts in seconds)."""
    parts = [
        part
        for part in (*_curated_facts(dataset, lean=True), *_epoch_facts(dataset, lean=True))
        if len(part)
    ]
    if not parts:
        return pd.DataFrame(columns=[*COUNT_COLUMNS, "facts"])
    rows = pd.concat(parts, ignore_index=True)
    if dataset.as_of is not None:
        rows = rows[rows["published"] <= dataset.as_of]
    counts = rows.groupby(COUNT_COLUMNS, dropna=False).size().rename("facts").reset_index()
    return counts.sort_values(COUNT_COLUMNS).reset_index(drop=True)  # groups are unique


def claimed_subset(dataset: Dataset) -> Dataset:
    """The rows that take part in claims: curated rows with a claim_id and the Epoch rows they
    link to. facts_table of it holds every canonical mark and conflict of the whole dataset."""
    tables = {
        table: frame[frame["claim_id"].notna()] if "claim_id" in frame else frame
        for table, frame in dataset.tables.items()
        if table in CURATED_VALUES or table in CURATED_EVENTS or table == "companies"
    }
    for column, (curated, epoch) in EPOCH_LINKS.items():
        if curated in dataset.tables and epoch in dataset.tables:
            keys = dataset.tables[curated][column].dropna().unique()
            key_column = EPOCH_VALUES[epoch][1]
            frame = dataset.tables[epoch]
            tables[epoch] = frame[frame[key_column].isin(list(keys))]
    return Dataset(
        data_dir=dataset.data_dir,
        tables=tables,
        sources=dataset.sources,
        warnings=dataset.warnings,
        as_of=dataset.as_of,
    )


def run_facts(data_dir: Path, as_of: str | None, output_format: str) -> int:
    dataset = load_dataset(data_dir, as_of=as_of)
    facts = facts_table(dataset)
    if output_format == "json":
        # JSON is not opened as a spreadsheet: text stays as written, minus bidi controls
        plain = without_bidi_controls(facts)
        records = json.loads(plain.to_json(orient="records"))  # NaN -> null, dates as text
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_safe_csv(facts))  # the same writer as the book's CSV downloads
    return 0
