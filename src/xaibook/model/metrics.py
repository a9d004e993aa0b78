"""A company's metrics (company_metrics.csv), one row per claim: spending, funding to date..."""

from __future__ import annotations

import pandas as pd

from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model.claims import canonical_where, table

TABLES = ("company_metrics",)


def metric(data: Dataset, company_id: str, name: str) -> pd.DataFrame:
    """The canonical rows of one company's metric ``name``, newest fact first (on a tie, the
    later-published first, then table order)."""
    metrics = table(data, "company_metrics")
    if metrics.empty:
        return metrics
    rows = canonical_where(
        metrics, (metrics["company_id"] == company_id) & (metrics["metric"] == name)
    )
    return rows.sort_values(["fact_date", "published_date"], ascending=False, kind="stable")


def latest_metric(data: Dataset, company_id: str, name: str) -> pd.Series | None:
    """The newest row of ``metric``; None without one."""
    rows = metric(data, company_id, name)
    return rows.iloc[0] if not rows.empty else None


# Figures a source gives in words ------------------------------------------------------------------

# An order of magnitude stated in words ("tens of billions of dollars", 数百亿美元) is held as
# the band [floor, 10 × floor) with the qualifier approx. Its code, by floor in the row's unit:
MAGNITUDES = {"USD bn": {1.0: "billions", 10.0: "tens_of_billions", 100.0: "hundreds_of_billions"}}
SITE_CAPEX_SUFFIX = "-capex"  # a site's capex claim is "<site_id>-capex"


def magnitude(value: object, value_max: object, qualifier: object, unit: object) -> str | None:
    """The code of an order of magnitude a source states in words (``MAGNITUDES``), or None
    for a figure: such a value has no point value, so it is printed in words and never used as
    a number (no multiple, no sum, no ratio)."""
    floors = MAGNITUDES.get(str(unit))
    if not floors or is_missing(value) or is_missing(value_max) or str(qualifier) != "approx":
        return None
    floor = float(value)  # type: ignore[arg-type]
    if floor not in floors or float(value_max) != 10 * floor:  # type: ignore[arg-type]
        return None
    return floors[floor]


def site_capex(data: Dataset, site_id: object) -> pd.Series | None:
    """The canonical row of a site's capex claim (claim ``<site_id>-capex``, metric capex) with
    ``magnitude`` (its code when the source states it in words); None without one."""
    metrics = table(data, "company_metrics")
    if metrics.empty or is_missing(site_id):
        return None
    rows = canonical_where(
        metrics,
        metrics["claim_id"].eq(f"{site_id}{SITE_CAPEX_SUFFIX}") & metrics["metric"].eq("capex"),
    )
    if rows.empty:
        return None
    row = rows.iloc[0].copy()
    row["magnitude"] = magnitude(
        row["value"], row["value_max"], row["value_qualifier"], row["unit"]
    )
    return row
