"""Risk chapter, revenue against spending: xAI's and the peers' revenue and compute spend,
their ratios and the revenue-spending chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import labels
from xaibook.analysis.risk.base import (
    EPOCH_REVENUE_KINDS,
    INFERENCE_COMPUTE,
    MONTHS_PER_YEAR,
    PEERS,
    RD_COMPUTE,
    SLUG,
    _as_of,
    _category_axis,
    _company_name,
    _plain,
    _titled,
)
from xaibook.analysis.risk.estimates import (
    Estimate,
    _curated_run_rates,
    _epoch_run_rate,
    _standalone_revenue,
    estimate_values,
    monthly_spend,
    starting_revenue,
    x_inclusive_revenue,
)
from xaibook.analysis.risk.runway_model import Assumptions
from xaibook.data.bibliography import is_summary
from xaibook.data.dataset import Dataset
from xaibook.model import revenue as model_revenue
from xaibook.model.claims import table as _table
from xaibook.model.names import epoch_name


@dataclass(frozen=True)
class PeerBurn:
    """A peer's latest full-year compute bill in Epoch AI's data (``spend_projected``: reported
    before that year ended, so a projection, not spending) and its newest revenue run-rate.

    The two are not divided: a year's bill over one month's run-rate mixes bases."""

    company: str
    spend_usd_bn: float
    spend_year: int
    spend_source_id: str
    revenue_usd_bn: float
    revenue_date: pd.Timestamp
    revenue_source_id: str
    spend_projected: bool = False


def _yearly_compute_totals(spend: pd.DataFrame) -> dict[int, tuple[float, str, bool]]:
    """Year -> total compute spend, its source and whether it was reported before the year
    ended (a projection): a row covering R&D and inference, else their sum."""
    totals: dict[int, tuple[float, str, bool]] = {}
    yearly = spend[(spend["period_type"] == "Year") & spend["amount_usd_bn"].notna()]
    for year, rows in yearly.groupby(yearly["fact_date"].dt.year):
        categories = rows["category"].fillna("")
        both = rows[
            categories.str.contains(RD_COMPUTE) & categories.str.contains(INFERENCE_COMPUTE)
        ]
        if not both.empty:
            best = both.sort_values("published_date").iloc[-1]
            totals[int(year)] = (
                float(best["amount_usd_bn"]),
                best["source_id"],
                bool(best["published_date"] < best["fact_date"]),
            )
            continue
        rd = rows[categories == RD_COMPUTE]
        inference = rows[categories == INFERENCE_COMPUTE]
        if not rd.empty and not inference.empty:
            rd_row = rd.sort_values("published_date").iloc[-1]
            inf_row = inference.sort_values("published_date").iloc[-1]
            totals[int(year)] = (
                float(rd_row["amount_usd_bn"] + inf_row["amount_usd_bn"]),
                rd_row["source_id"],
                bool(
                    rd_row["published_date"] < rd_row["fact_date"]
                    or inf_row["published_date"] < inf_row["fact_date"]
                ),
            )
    return totals


def peer_burn(data: Dataset) -> list[PeerBurn]:
    """For each peer: its latest full-year compute bill and its newest revenue run-rate."""
    names = {company_id: epoch_name(data, company_id) for company_id in PEERS}
    wanted = [name for name in names.values() if name is not None]
    # the peers' rows, cut from Epoch's tables once for all of them
    spend = _table(data, "epoch_compute_spend")
    spend = spend[spend["company"].isin(wanted)] if not spend.empty else spend
    result = []
    for company_id, name in names.items():
        if spend.empty or name is None:
            continue
        totals = _yearly_compute_totals(spend[spend["company"] == name])
        revenue = model_revenue.figures(data, company_id, EPOCH_REVENUE_KINDS, model_revenue.EPOCH)
        if not totals or revenue.empty:
            continue
        year = max(totals)
        latest = revenue.iloc[0]  # newest first
        if not latest["revenue_usd_bn"] > 0:
            continue  # a zero run-rate leaves no revenue to set beside xAI's
        result.append(
            PeerBurn(
                company=_company_name(data, company_id),
                spend_usd_bn=totals[year][0],
                spend_year=year,
                spend_source_id=totals[year][1],
                revenue_usd_bn=float(latest["revenue_usd_bn"]),
                revenue_date=latest["fact_date"],
                revenue_source_id=latest["source_id"],
                spend_projected=totals[year][2],
            )
        )
    return result


def xai_revenue_estimates(data: Dataset) -> list[tuple[str, Estimate]]:
    """Every xAI revenue figure by source, with a short label for the chart (the template's
    ``revenue_kinds``, by the estimate's kind)."""
    kinds = labels(SLUG, "revenue_kinds")
    estimates = [*_curated_run_rates(data), *_epoch_run_rate(data), *_standalone_revenue(data)]
    incl_x = x_inclusive_revenue(data)
    if incl_x is not None:
        estimates.append(incl_x)
    return [(kinds[estimate.kind], estimate) for estimate in estimates]


def _estimate_source_name(estimate: Estimate) -> str:
    """Who made an estimate: its estimator, else Epoch AI for Epoch's figures, else its source."""
    if estimate.estimated_by:
        return estimate.estimated_by
    if estimate.source_id.startswith("epoch"):
        return labels(SLUG, "revenue_spending_chart")["epoch"]
    return estimate.source_id


def revenue_spending_frame(data: Dataset, base: Assumptions) -> pd.DataFrame:
    """Bars (USD bn a year): xAI's spending and revenue estimates, the peers' from Epoch."""
    rows = []
    spend = monthly_spend(data)
    if spend is not None:
        rows.append(
            {
                "company": "xAI",
                "measure": "spending",
                "label": _plain(
                    "revenue_spending_label",
                    b={"kind": "xai_spend", "source": _estimate_source_name(spend)},
                ),
                "usd_bn_per_year": spend.value_usd_bn * MONTHS_PER_YEAR,
                "as_of": spend.fact_date,
                "source_id": spend.source_id,
            }
        )
    if spend is None or not math.isclose(spend.value_usd_bn, base.monthly_spend_usd_bn):
        rows.append(
            {
                "company": "xAI",
                "measure": "spending",
                "label": _plain("revenue_spending_label", b={"kind": "xai_assumed"}),
                "usd_bn_per_year": base.monthly_spend_usd_bn * MONTHS_PER_YEAR,
                "as_of": _as_of(data),
                "source_id": None,
            }
        )
    for _, estimate in xai_revenue_estimates(data):
        bar = {
            "kind": "xai_revenue",
            "estimate_kind": estimate.kind,
            "source": _estimate_source_name(estimate),
        }
        rows.append(
            {
                "company": "xAI",
                "measure": "revenue",
                "label": _plain("revenue_spending_label", b=bar),
                "usd_bn_per_year": estimate.value_usd_bn,
                "as_of": estimate.fact_date,
                "source_id": estimate.source_id,
            }
        )
    for peer in peer_burn(data):
        rows.append(
            {
                "company": peer.company,
                "measure": "spending",
                "label": _plain(
                    "revenue_spending_label",
                    b={
                        "kind": "peer_spend",
                        "company": peer.company,
                        "year": peer.spend_year,
                        "projected": peer.spend_projected,
                    },
                ),
                "usd_bn_per_year": peer.spend_usd_bn,
                "as_of": pd.Timestamp(year=peer.spend_year, month=12, day=31),
                "source_id": peer.spend_source_id,
            }
        )
        rows.append(
            {
                "company": peer.company,
                "measure": "revenue",
                "label": _plain(
                    "revenue_spending_label",
                    b={
                        "kind": "peer_revenue",
                        "company": peer.company,
                        "month": f"{peer.revenue_date:%b %Y}",  # the bar's short date
                    },
                ),
                "usd_bn_per_year": peer.revenue_usd_bn,
                "as_of": peer.revenue_date,
                "source_id": peer.revenue_source_id,
            }
        )
    columns = ["company", "measure", "label", "usd_bn_per_year", "as_of", "source_id"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["usd_bn_per_year"] = frame["usd_bn_per_year"].astype(float).round(3)
    return frame


def xai_spend_ratio(data: Dataset) -> float | None:
    """xAI's yearly spending over its starting revenue run-rate (data, not parameters)."""
    spend, revenue = monthly_spend(data), starting_revenue(data)
    if spend is None or revenue is None or revenue.value_usd_bn <= 0:
        return None
    return spend.value_usd_bn * MONTHS_PER_YEAR / revenue.value_usd_bn


def _revenue_lead(data: Dataset, peers: list[PeerBurn]) -> dict[str, object] | None:
    """The peer with the largest revenue run-rate and its run-rate over xAI's, like for like:
    both Epoch AI's newest run-rates (the peers' come from Epoch, so xAI's must too, not the
    model's starting revenue from another source and date); None without both."""
    epoch = _epoch_run_rate(data)
    if not epoch or epoch[0].value_usd_bn <= 0 or not peers:
        return None
    mine = epoch[0]
    lead = max(peers, key=lambda peer: peer.revenue_usd_bn)
    return {
        "company": lead.company,
        "multiple": lead.revenue_usd_bn / mine.value_usd_bn,
        "date": lead.revenue_date,
        "xai_value": mine.value_usd_bn,
        "xai_source_id": mine.source_id,
        "xai_date": mine.fact_date,
        "xai_date_precision": mine.date_precision,
        "xai_qualifier": mine.qualifier,  # "less than" xAI's: the multiple is "more than"
    }


def _held_as_summary(data: Dataset, source_id: str) -> bool:
    """Whether the book holds ``source_id`` only as a summary (its bibliography note says so)."""
    source = data.sources.get(source_id)
    return source is not None and is_summary(source)


def spend_ratios(data: Dataset) -> dict[str, object]:
    """xAI's yearly spending over its revenue, and the peer whose revenue run-rate leads
    xAI's by the most (``_revenue_lead``; None where the edition lacks the figures)."""
    revenue = starting_revenue(data)
    return {
        "xai": xai_spend_ratio(data),
        "revenue_qualifier": revenue.qualifier if revenue is not None else None,
        # the title names whose revenue figure it divides by: the edition holds several
        "revenue": estimate_values(revenue) if revenue is not None else None,
        "revenue_lead": _revenue_lead(data, peer_burn(data)),
    }


def revenue_spending_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Bars of ``revenue_spending_frame``; ``title`` from ``revenue_spending_title``."""
    words = labels(SLUG, "revenue_spending_chart")
    chart = charts.chart(
        "bar",
        frame,
        "usd_bn_per_year:Q",
        "label:N",
        color="measure:N",
        title=title,
        words=words,
        tooltip=["label:N", ("usd_bn_per_year:Q", ",.2f"), "as_of:T"],
    )
    chart = chart.encode(
        y=alt.Y("label:N", title=words["y"], sort=list(frame["label"]), axis=_category_axis())
    )
    return _titled(chart, title, words["subtitle"])


def peer_values(peer: PeerBurn) -> dict[str, object]:
    """A peer's compute bill (a projection or not) and its revenue, as the template states them."""
    return {
        "company": peer.company,
        "spend": peer.spend_usd_bn,
        "spend_year": peer.spend_year,
        "spend_source_id": peer.spend_source_id,
        "spend_projected": peer.spend_projected,
        "revenue": peer.revenue_usd_bn,
        "revenue_date": peer.revenue_date,
        "revenue_source_id": peer.revenue_source_id,
    }


# +1: the true value is below the figure (so a share of it is too), -1: above it
BOUND_DIRECTION = {"less_than": 1, "up_to": 1, "more_than": -1, "at_least": -1}


def _round_out(value: float, upper: int | None, digits: int) -> float:
    """``value`` rounded to ``digits`` decimals away from the truth it bounds: up for an upper
    bound (``upper`` 1), down for a lower one (-1); unbounded values are left as they are."""
    scale = 10**digits
    if upper == 1:
        return math.ceil(round(value * scale, 9)) / scale
    if upper == -1:
        return math.floor(round(value * scale, 9)) / scale
    return value


def burn_values(data: Dataset) -> dict[str, object]:
    """xAI's spending and revenue (``estimate_values``, None where missing), its spending a
    year, the share of it revenue covers and their multiple (None unless both are above zero),
    the peers' compute bills and revenue run-rates, and the peer whose run-rate leads xAI's
    by the most (``_revenue_lead``)."""
    spend, revenue = monthly_spend(data), starting_revenue(data)
    yearly = spend.value_usd_bn * MONTHS_PER_YEAR if spend is not None else None
    both = spend is not None and revenue is not None
    positive = both and spend.value_usd_bn > 0 and revenue.value_usd_bn > 0
    peers = peer_burn(data)
    share = ratio = None
    if positive:
        bound = BOUND_DIRECTION.get(str(revenue.qualifier))
        # a bound is rounded outwards, so that it stays true as printed: less than $500 million
        # of $12 billion is less than 4.2% of it, "less than 5%" (not 4%); spending over it is
        # more than 24.0×
        share = _round_out(revenue.value_usd_bn / yearly * 100, bound, 0)
        ratio = _round_out(yearly / revenue.value_usd_bn, -bound if bound else None, 1)
    return {
        "spend": estimate_values(spend) if spend is not None else None,
        # a quotation from a copy that is a summary is the summariser's words, not the report's
        "spend_quoted_from_summary": spend is not None and _held_as_summary(data, spend.source_id),
        "revenue": estimate_values(revenue) if revenue is not None else None,
        "yearly": yearly,
        "share": share,
        "ratio": ratio,
        "peers": [peer_values(peer) for peer in peers],
        "revenue_lead": _revenue_lead(data, peers),
    }
