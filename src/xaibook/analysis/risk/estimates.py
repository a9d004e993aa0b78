"""Risk chapter, the data it reads: xAI's spending and revenue estimates (which source the
edition has), each an ``Estimate`` with its source; xAI's financing rounds and the
investments in them; the competitors table's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from xaibook.analysis.risk.base import EPOCH_REVENUE_KINDS, XAI, _or_none, _text_or_none
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import metrics as model_metrics, revenue as model_revenue, rounds as model_rounds
from xaibook.model.claims import canonical_where, table as _table


@dataclass(frozen=True)
class Estimate:
    """One sourced figure the chapter uses, and what the template needs to describe it
    (chapters/risk.md.j2, macro ``estimate``)."""

    value_usd_bn: float
    source_id: str
    fact_date: pd.Timestamp
    qualifier: str | None = None
    record: str = ""  # record_id (curated) or Epoch Id, for the headline check
    kind: str = ""  # spend | run_rate | epoch_run_rate | standalone | incl_x
    estimated_by: str | None = None
    date_precision: str = "day"
    period: str | None = None
    quote: str | None = None  # the source's own words for the figure


def estimate_values(estimate: Estimate) -> dict[str, object]:
    """An estimate as the template describes it: kind, amount, who, when, source."""
    return {
        "kind": estimate.kind,
        "value": estimate.value_usd_bn,
        "qualifier": estimate.qualifier,
        "estimated_by": estimate.estimated_by,
        "date": estimate.fact_date,
        "date_precision": estimate.date_precision,
        "period": estimate.period,
        "source_id": estimate.source_id,
        "quote": estimate.quote,
    }


def monthly_spend(data: Dataset) -> Estimate | None:
    """xAI's reported monthly spending (the default of ``monthly_spend_usd_bn``)."""
    row = model_metrics.latest_metric(data, XAI, "monthly_spend")
    if row is None:
        return None
    return Estimate(
        value_usd_bn=float(row["value"]),
        source_id=row["source_id"],
        fact_date=row["fact_date"],
        qualifier=row["value_qualifier"],
        record=row["record_id"],
        kind="spend",
        estimated_by=_text_or_none(row["estimated_by"]),
        period=_text_or_none(row["period"]),  # what the spending covers ("on infrastructure...")
        quote=_text_or_none(row["source_quote"]),
    )


def _news_revenue(data: Dataset, kind: str) -> list[Estimate]:
    """xAI's news-report revenue figures of one ``xaibook.model.revenue`` kind, newest first."""
    rows = model_revenue.figures(data, XAI, (kind,), model_revenue.NEWS)
    return [
        Estimate(
            value_usd_bn=float(row.revenue_usd_bn),
            source_id=row.source_id,
            fact_date=row.fact_date,
            qualifier=row.value_qualifier,
            record=row.record_id,
            kind=kind,  # the model's code: run_rate, standalone or incl_x
            estimated_by=_text_or_none(row.estimated_by),
            date_precision=row.fact_date_precision,
            period=_text_or_none(row.period) if kind == model_revenue.STANDALONE else None,
        )
        for row in rows.itertuples(index=False)
    ]


def _curated_run_rates(data: Dataset) -> list[Estimate]:
    return _news_revenue(data, model_revenue.RUN_RATE)


def _epoch_run_rate(data: Dataset) -> list[Estimate]:
    """Epoch AI's newest annualized revenue for xAI (EPOCH_REVENUE_KINDS), as a list of 0 or 1."""
    row = model_revenue.latest(data, XAI, EPOCH_REVENUE_KINDS, model_revenue.EPOCH)
    if row is None:
        return []
    return [
        Estimate(
            value_usd_bn=float(row["revenue_usd_bn"]),
            source_id=row["source_id"],
            fact_date=row["fact_date"],
            # Epoch's note may hedge its figure ("just south of $500M": less than)
            qualifier=None if is_missing(row["value_qualifier"]) else str(row["value_qualifier"]),
            record=str(row["record_id"]),
            kind="epoch_run_rate",
            date_precision="month",
            period=_annualized_period(row),
        )
    ]


def _annualized_period(row: pd.Series) -> str | None:
    """What an Epoch AI figure annualizes when it is not a run rate ("quarterly revenue",
    Epoch's type in lower case, as the competition chapter names it); None for a run rate."""
    if row["kind"] != model_revenue.PERIOD_ANNUALIZED or is_missing(row["revenue_type"]):
        return None
    return str(row["revenue_type"]).lower()


def _standalone_revenue(data: Dataset) -> list[Estimate]:
    return _news_revenue(data, model_revenue.STANDALONE)


def starting_revenue(data: Dataset) -> Estimate | None:
    """xAI's revenue run-rate the model starts from.

    The newest annualized figure not stated to include X's advertising (UBS's, once published), else
    Epoch's latest run-rate for xAI; only without either, a standalone calendar-year figure.
    """
    run_rates = _curated_run_rates(data) + _epoch_run_rate(data)
    candidates = run_rates or _standalone_revenue(data)
    if not candidates:
        return None
    return max(candidates, key=lambda estimate: estimate.fact_date)


def later_deal_values(data: Dataset) -> dict[str, object] | None:
    """xAI's newest sales deal (metric ``deal_value``) reported after the revenue figure the
    chapter divides by, which that figure therefore cannot include (None: no such deal)."""
    revenue = starting_revenue(data)
    deal = model_metrics.latest_metric(data, XAI, "deal_value")
    if deal is None or (revenue is not None and deal["fact_date"] <= revenue.fact_date):
        return None
    return {
        "what": deal["period"],
        "quote": deal["source_quote"],
        "date": deal["fact_date"],
        "date_precision": deal["fact_date_precision"],
        "source_id": deal["source_id"],
    }


def financing_rounds(data: Dataset) -> pd.DataFrame:
    """xAI's rounds with money, closed or being raised, oldest first (``xaibook.model.rounds``)."""
    return model_rounds.with_money(model_rounds.rounds(data, XAI))


def latest_round(data: Dataset) -> pd.Series | None:
    return model_rounds.latest(model_rounds.rounds(data, XAI))


def _closed(round_: pd.Series) -> bool:
    return round_["stage"] == model_rounds.CLOSED


def x_inclusive_revenue(data: Dataset) -> Estimate | None:
    """The newest news figure of xAI's revenue that includes X's advertising."""
    figures = _news_revenue(data, model_revenue.INCL_X)
    return figures[0] if figures else None


def _competitor_rows(data: Dataset, company_id: str | None, dimension: str) -> pd.DataFrame:
    rows = _table(data, "competitors")
    if rows.empty:
        return rows
    mask = rows["dimension"] == dimension
    if company_id is not None:
        mask &= rows["company_id"] == company_id
    # one row per claim: a summary's row where the original states the same thing is left out
    rows = canonical_where(rows, mask)
    return rows.sort_values(["fact_date", "record_id"], kind="stable")


def _xai_round_claims(data: Dataset) -> list[str]:
    """Claim ids of xAI's curated rounds (what ``investments.round_id`` refers to)."""
    rounds = _table(data, "funding_rounds")
    if rounds.empty:
        return []
    return list(rounds.loc[rounds["company_id"] == XAI, "claim_id"].dropna().unique())


def _xai_investments(data: Dataset, mask: Callable[[pd.DataFrame], pd.Series]) -> pd.DataFrame:
    """Canonical investments in xAI's rounds that also match ``mask`` (other companies' rounds
    are not this chapter's subject)."""
    investments = _table(data, "investments")
    if investments.empty:
        return investments
    into_xai = investments["round_id"].isin(_xai_round_claims(data))
    return canonical_where(investments, into_xai & mask(investments))


def investment_round(data: Dataset, round_id: object) -> dict[str, object] | None:
    """The xAI round an investment went into, as the book's model records it: its amount, the
    equity part of it when the round also had debt, its month and phrase; None if unknown."""
    if is_missing(round_id):
        return None
    rounds = model_rounds.rounds(data, XAI)
    match = rounds[rounds["round_id"] == round_id] if not rounds.empty else rounds
    if match.empty:
        return None
    round_ = match.iloc[0]
    equity, amount = _or_none(round_["equity_usd_bn"]), _or_none(round_["amount_usd_bn"])
    return {
        "amount": amount,
        "qualifier": _text_or_none(round_["amount_qualifier"]),
        "equity_part": equity
        if equity is not None and amount is not None and equity < amount
        else None,
        "date": round_["date"],
        "phrase": model_rounds.round_phrase(round_),
        # the model's record, under the model's names (xaibook.chapter.RECORD_FIELDS)
        "record_id": round_["round_id"],
        "round_amount_usd_bn": amount,
    }
