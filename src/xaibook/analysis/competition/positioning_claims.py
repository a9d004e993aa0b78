"""Positioning: what the sources say about each company on each dimension (alignment,
distribution, partners, ...), the table, its sources, and the values of the positioning
section and its key finding.
"""

from __future__ import annotations

import pandas as pd

from xaibook.analysis.common import canonical, per_dataset as _per_dataset, table as _table
from xaibook.analysis.competition.base import (
    ALWAYS_SHOWN,
    LABS,
    XAI,
    _company_names,
    _month,
    labels,
    short_name,
)
from xaibook.chapter import sources_line
from xaibook.data.dataset import Dataset
from xaibook.model.names import source_citation

# Dimensions the prose walks through (products and listing plans are in the table only).
PROSE_DIMENSIONS = (
    "alignment",
    "distribution",
    "cloud_partner",
    "chip_partner",
    "benchmark",
    "usage",
    "business_model",
)


POSITIONING_MAX_COMPANIES = 12  # xAI, the labs, CoreWeave, then those described most often
POSITIONING_MAX_CLAIMS = 6  # per company and dimension: the newest claims


POSITIONING_COLUMNS = [
    "company_id",
    "company",
    "dimension",
    "description",
    "status",
    "source_id",
    "published_date",
    "published_date_precision",
    "record_id",
]


def _positioning_companies(frame: pd.DataFrame) -> pd.Index:
    """The companies the positioning section keeps: xAI, the labs and CoreWeave, then the
    companies the sources describe most often, POSITIONING_MAX_COMPANIES in all."""
    claims = frame["company_id"].value_counts()
    first = claims.index[claims.index.isin(ALWAYS_SHOWN)]
    rest = claims[~claims.index.isin(ALWAYS_SHOWN)].rename("claims").reset_index()
    rest = rest.sort_values(["claims", "company_id"], ascending=[False, True], kind="stable")
    room = max(0, POSITIONING_MAX_COMPANIES - len(first))
    return first.append(pd.Index(rest["company_id"].head(room)))


@_per_dataset
def _positioning_scope(data: Dataset) -> pd.DataFrame:
    """Every company the sources position: its claims, its most claims on one dimension, and
    whether the section keeps it (see _positioning_companies)."""
    frame = _table(data, "competitors")
    if frame.empty:
        return pd.DataFrame({"company_id": [], "claims": [], "widest": [], "kept": []})
    cells = frame.groupby(["company_id", "dimension"], dropna=False).size()
    scope = cells.groupby(level="company_id").agg(["sum", "max"])
    scope = scope.rename(columns={"sum": "claims", "max": "widest"}).reset_index()
    return scope.assign(kept=scope["company_id"].isin(_positioning_companies(frame)))


@_per_dataset
def positioning(data: Dataset) -> pd.DataFrame:
    """The positioning claims, xAI first, then the other labs, then everyone else.

    Bounded at any data size: the companies of _positioning_companies only, and the newest
    POSITIONING_MAX_CLAIMS claims of each company on each dimension.
    """
    frame = canonical(_table(data, "competitors"))  # a summary's row gives way to its original
    if frame.empty:
        return pd.DataFrame(columns=POSITIONING_COLUMNS)
    frame = frame[frame["company_id"].isin(_positioning_companies(frame))]
    newest_first = frame.sort_values(
        ["published_date", "record_id"], ascending=[False, True], kind="stable"
    )
    rank = newest_first.groupby(["company_id", "dimension"], sort=False, dropna=False).cumcount()
    frame = frame.loc[rank[rank < POSITIONING_MAX_CLAIMS].index.sort_values()]
    company_order = {c: i for i, c in enumerate((XAI, *[c for c in LABS if c != XAI]))}
    # shown in the order the template lists the dimensions' titles (a writer's choice)
    dimension_order = {d: i for i, d in enumerate(dimension_titles())}
    frame = frame.assign(
        company=_company_names(data, frame["company_id"]),
        _company=frame["company_id"].map(company_order).fillna(len(company_order)),
        _dimension=frame["dimension"].map(dimension_order).fillna(len(dimension_order)),
    )
    frame = frame.sort_values(
        ["_company", "company", "_dimension", "published_date", "record_id"], kind="stable"
    )
    return frame[POSITIONING_COLUMNS].reset_index(drop=True)


def dimension_titles() -> dict[str, str]:
    """The names the chapter's text template gives the dimensions (its ``dimension_titles``),
    for the positioning table: one set of names for the text and the table."""
    return labels("dimension_titles")


def positioning_table(data: Dataset) -> pd.DataFrame:
    """Company × dimension: one row per pair holding every description the sources give for it
    (text as the data holds it), each followed by its source, kind of claim and month.

    Three columns and one row per pair keep the table readable on screen and in print.
    """
    frame = positioning(data)
    titles = dimension_titles()
    claim_types = labels("claim_types")
    columns = labels("positioning_table")
    rows = []
    for (_, dimension), group in frame.groupby(["company_id", "dimension"], sort=False):
        claims = [
            f"{r['description']} ({source_citation(data, r['source_id'])}; "
            f"{claim_types.get(r['status'], r['status'])}; "
            f"{_month(r['published_date'])})"
            for _, r in group.iterrows()
        ]
        rows.append(
            {
                columns["company"]: short_name(group["company"].iloc[0]),
                columns["dimension"]: titles.get(dimension, str(dimension)),
                columns["claims"]: " • ".join(claims),
            }
        )
    keys = ("company", "dimension", "claims")
    return pd.DataFrame(rows, columns=[columns[key] for key in keys])


def positioning_sources(data: Dataset) -> str:
    """The sources line under the positioning table."""
    return sources_line(list(positioning(data)["source_id"]))


def _newest_claim(rows: pd.DataFrame) -> pd.Series:
    return rows.sort_values(
        ["published_date", "record_id"], ascending=[False, True], kind="stable"
    ).iloc[0]


# Words for the dimensions the positioning finding names are in the template.
FINDING_DIMENSIONS = ("distribution", "alignment")


def positioning_finding(data: Dataset) -> dict[str, object]:
    """Key finding 4: xAI's newest claim on distribution and on alignment, else its first two
    claims; the peers' alignment claims, companies with the same description grouped."""
    frame = positioning(data)
    xai = frame[frame["company_id"] == XAI] if not frame.empty else frame
    finding: dict[str, object] = {"xai": not xai.empty, "traits": [], "claims": [], "peers": []}
    if xai.empty:
        return finding
    for dimension in FINDING_DIMENSIONS:
        rows = xai[xai["dimension"] == dimension]
        if not rows.empty:
            claim = _newest_claim(rows)
            finding["traits"].append(
                {
                    "dimension": dimension,
                    "description": claim["description"],
                    "source_id": claim["source_id"],
                }
            )
    finding["claims"] = [
        {"description": r["description"], "source_id": r["source_id"]}
        for _, r in xai.head(2).iterrows()
    ]
    peers = frame[(frame["company_id"] != XAI) & (frame["dimension"] == "alignment")]
    finding["peers"] = [
        {
            "names": [short_name(c) for c in dict.fromkeys(g["company"])],
            "description": description,
            "source_ids": list(g["source_id"]),
        }
        for description, g in peers.groupby("description", sort=False)
    ]
    return finding


def _claims(rows: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {"description": r["description"], "source_id": r["source_id"]} for _, r in rows.iterrows()
    ]


def positioning_text(data: Dataset) -> dict[str, object]:
    """The positioning section: the dimensions of PROSE_DIMENSIONS the sources describe (the
    table below it gives every description), and what the section keeps of a large edition
    (``positioning_scope``)."""
    frame = positioning(data)
    present = set(frame["dimension"]) if not frame.empty else set()
    dimensions = [{"dimension": d} for d in PROSE_DIMENSIONS if d in present]
    return {"any": not frame.empty, "dimensions": dimensions, "scope": positioning_scope(data)}


def positioning_scope(data: Dataset) -> dict[str, object]:
    """What the positioning section keeps: ``companies`` (how many the sources position) is
    None when it keeps them all, else ``kept`` names the labs and CoreWeave it keeps and
    ``others`` counts the rest; ``max_claims`` is None unless a company's claims on one
    dimension were cut to the newest POSITIONING_MAX_CLAIMS."""
    scope = _positioning_scope(data)
    kept = scope[scope["kept"].astype(bool)]  # an empty object column would select columns
    values: dict[str, object] = {"companies": None, "kept": [], "others": 0, "max_claims": None}
    if len(kept) < len(scope):
        order = list(dict.fromkeys((XAI, *ALWAYS_SHOWN)))
        always = sorted(set(kept["company_id"]) & set(order), key=order.index)
        values["companies"] = len(scope)
        values["kept"] = [short_name(c) for c in _company_names(data, pd.Series(always))]
        values["others"] = len(kept) - len(always)
    if (kept["widest"] > POSITIONING_MAX_CLAIMS).any():
        values["max_claims"] = POSITIONING_MAX_CLAIMS
    return values
