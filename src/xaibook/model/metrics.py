"""A company's metrics (company_metrics.csv), one row per claim: spending, funding to date..."""

from __future__ import annotations

import pandas as pd

from xaibook.dataset import Dataset
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
