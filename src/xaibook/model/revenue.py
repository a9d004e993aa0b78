"""Revenue figures, reconciled once: the news reports' and Epoch AI's, each with its kind.

``revenue(data)`` is one row per figure: the canonical row of each revenue claim of
``company_metrics`` (``figure_source`` NEWS) and every Epoch AI revenue report of a company the
book knows that states an annualized figure (EPOCH). ``kind`` says what a figure measures, so
each chapter picks the figures it means explicitly:

* RUN_RATE: a current annualized rate (a news report's annualized revenue; Epoch's
  "Annualized revenue" and "Annual recurring revenue");
* PERIOD_ANNUALIZED: a period's revenue that Epoch annualized (its quarterly revenue, x 4);
* INCL_X: xAI's annualized revenue including X's advertising (36Kr's claim INCL_X_CLAIM), which
  is not xAI's own;
* STANDALONE: a calendar year's revenue of xAI without X;
* PERIOD_TOTAL: a period's revenue (the metric "revenue"), not annualized;
* PRODUCT_LINE: one product's or division's revenue (Epoch), not the company's.

ANNUALIZED (run rates and annualized periods) are the figures that compare with one another as
a yearly rate: Epoch AI's "annualized revenue" in every chapter.

``x_basis`` (xAI's figures only; None for other companies) says whether X's advertising is in
the figure, to set against a valuation's (``xaibook.model.valuations``): INCL_X for 36Kr's
figure including X; EXCL_X for the standalone figure and for Epoch AI's, which count xAI's own
products (Grok on X, SuperGrok, the API: Epoch's notes); X_NOT_STATED for any other. An Epoch
figure its notes hedge ("just south of $500M") keeps the hedge as its qualifier.
"""

from __future__ import annotations

import pandas as pd

from xaibook.data.dataset import Dataset
from xaibook.model import names
from xaibook.model.claims import canonical_where, per_dataset, table
from xaibook.model.valuations import (
    EPOCH,
    EXCL_X,
    INCL_X as X_INCLUDED,
    NEWS,
    X_NOT_STATED,
    XAI,
    epoch_qualifiers,
)

TABLES = ("companies", "company_metrics", "epoch_revenue_reports")

RUN_RATE = "run_rate"
PERIOD_ANNUALIZED = "period_annualized"
INCL_X = "incl_x"
STANDALONE = "standalone"
PERIOD_TOTAL = "period_total"
PRODUCT_LINE = "product_line"
ANNUALIZED = (RUN_RATE, PERIOD_ANNUALIZED)

INCL_X_CLAIM = "xai-annualized-revenue-incl-x"  # 36Kr's figure including X's advertising
METRIC_KINDS = {
    "annualized_revenue": RUN_RATE,
    "standalone_revenue": STANDALONE,
    "revenue": PERIOD_TOTAL,
}
# Epoch AI's revenue types (its "Type" column) that are run rates, and product-line figures.
EPOCH_RUN_RATE_TYPES = ("Annualized revenue", "Annual recurring revenue")
EPOCH_PRODUCT_TYPES = ("Product/division revenue",)

COLUMNS = [
    "company_id",
    "revenue_usd_bn",
    "value_qualifier",
    "kind",
    "figure_source",
    "metric",  # news: the company_metrics metric; None for Epoch
    "revenue_type",  # Epoch: its Type; None for news
    "period",
    "estimated_by",
    "fact_date",
    "fact_date_precision",
    "plot_date",
    "status",
    "published_date",
    "source_id",
    "record_id",  # news: record_id; Epoch: its report key
    "claim_id",
    "x_basis",  # xAI: INCL_X, EXCL_X or X_NOT_STATED; None for other companies
]
X_BASIS_BY_KIND = {INCL_X: X_INCLUDED, STANDALONE: EXCL_X}  # a news figure's X basis by its kind


def _x_bases(frame: pd.DataFrame) -> pd.Series:
    """x_basis of every figure of ``frame`` (see the module docstring)."""
    bases = pd.Series(None, index=frame.index, dtype=object)
    xai = frame["company_id"] == XAI
    news = frame["kind"].map(X_BASIS_BY_KIND).fillna(X_NOT_STATED)
    bases[xai] = news[xai].where(frame["figure_source"][xai] == NEWS, EXCL_X)
    return bases


def plot_date(fact_date: pd.Timestamp, precision: object, metric: object) -> pd.Timestamp:
    """Where a figure sits on a time axis: a year's run rate at its end, a year's total
    mid-year, any other figure on its date."""
    if precision != "year":
        return fact_date
    if metric == "annualized_revenue":
        return pd.Timestamp(year=fact_date.year, month=12, day=31)
    return pd.Timestamp(year=fact_date.year, month=7, day=1)


def epoch_kind(revenue_type: object) -> str:
    """The kind of an Epoch AI figure in its "Annualized revenue" column, by Epoch's Type."""
    if revenue_type in EPOCH_RUN_RATE_TYPES:
        return RUN_RATE
    if revenue_type in EPOCH_PRODUCT_TYPES:
        return PRODUCT_LINE
    return PERIOD_ANNUALIZED


def _news(data: Dataset) -> pd.DataFrame:
    metrics = table(data, "company_metrics")
    if metrics.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = canonical_where(metrics, metrics["metric"].isin(list(METRIC_KINDS)))
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    kinds = frame["metric"].map(METRIC_KINDS)
    kinds = kinds.where(frame["claim_id"].fillna("") != INCL_X_CLAIM, INCL_X)
    return pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "revenue_usd_bn": frame["value"].astype(float),
            "value_qualifier": frame["value_qualifier"],
            "kind": kinds,
            "figure_source": NEWS,
            "metric": frame["metric"],
            "revenue_type": None,
            "period": frame["period"],
            "estimated_by": frame["estimated_by"],
            "fact_date": frame["fact_date"],
            "fact_date_precision": frame["fact_date_precision"],
            "plot_date": [
                plot_date(d, p, m)
                for d, p, m in zip(
                    frame["fact_date"], frame["fact_date_precision"], frame["metric"], strict=True
                )
            ],
            "status": frame["status"],
            "published_date": frame["published_date"],
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
            "claim_id": frame["claim_id"],
        },
        columns=COLUMNS,
    )


def _epoch(data: Dataset) -> pd.DataFrame:
    frame, company_ids = names.known_company_rows(
        data, "epoch_revenue_reports", "annualized_revenue_usd_bn"
    )
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    codes, types = pd.factorize(frame["revenue_type"])
    kinds = pd.Series([epoch_kind(t) for t in types] + [PERIOD_ANNUALIZED], dtype=object)
    return pd.DataFrame(
        {
            "company_id": company_ids,
            "revenue_usd_bn": frame["annualized_revenue_usd_bn"].astype(float),
            "value_qualifier": epoch_qualifiers(frame["notes"]),
            "kind": kinds.to_numpy()[codes],
            "figure_source": EPOCH,
            "metric": None,
            "revenue_type": frame["revenue_type"],
            "period": None,
            "estimated_by": None,
            "fact_date": frame["fact_date"],
            "fact_date_precision": "day",
            "plot_date": frame["fact_date"],
            "status": "reported",
            "published_date": frame["published_date"],
            "source_id": frame["source_id"],
            "record_id": frame["report_key"],
            "claim_id": None,
        },
        columns=COLUMNS,
    )


@per_dataset
def revenue(data: Dataset) -> pd.DataFrame:
    """Every revenue figure: the news reports' (one per claim), then Epoch AI's, each in table
    order (see the module docstring)."""
    frames = [f for f in (_news(data), _epoch(data)) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    result = pd.concat(frames, ignore_index=True)
    result["x_basis"] = _x_bases(result)
    return result


def newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s figures, newest fact first; on a tie the later-published first."""
    return frame.sort_values(["fact_date", "published_date"], ascending=False, kind="stable")


@per_dataset
def _company_figures(data: Dataset, company_id: str) -> pd.DataFrame:
    """One company's rows of ``revenue``: chapters ask for them many times, and copying every
    company's figures each time is slow on a large dataset."""
    frame = revenue(data)
    return frame[frame["company_id"] == company_id]


def figures(
    data: Dataset,
    company_id: str,
    kinds: tuple[str, ...],
    source: str | None = None,
) -> pd.DataFrame:
    """One company's figures of ``kinds`` (from ``source``, NEWS, EPOCH or both), newest first."""
    frame = _company_figures(data, company_id)
    keep = frame["kind"].isin(list(kinds))
    if source is not None:
        keep &= frame["figure_source"] == source
    return newest_first(frame[keep])


def latest(
    data: Dataset, company_id: str, kinds: tuple[str, ...], source: str | None = None
) -> pd.Series | None:
    """The newest of ``figures``; None without one."""
    rows = figures(data, company_id, kinds, source)
    return rows.iloc[0] if not rows.empty else None
