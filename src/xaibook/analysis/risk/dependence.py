"""Risk chapter, dependence on X and leverage: X's share of xAI's revenue, debt against equity
in the rounds, strategic investors, and the financing chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import labels
from xaibook.analysis.risk.base import (
    SLUG,
    XAI,
    _category_axis,
    _described_groups,
    _display_names,
    _or_none,
    _text_or_none,
    _titled,
)
from xaibook.analysis.risk.estimates import (
    Estimate,
    _closed,
    _competitor_rows,
    _standalone_revenue,
    _xai_investments,
    estimate_values,
    financing_rounds,
    x_inclusive_revenue,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import rounds as model_rounds, sites as model_sites
from xaibook.model.claims import table as _table


def x_share(data: Dataset) -> tuple[float, Estimate, Estimate] | None:
    """Share (%) of the X-inclusive revenue figure that standalone xAI does not earn."""
    incl_x = x_inclusive_revenue(data)
    standalone = _standalone_revenue(data)
    if incl_x is None or not standalone or incl_x.value_usd_bn <= 0:
        return None
    alone = max(standalone, key=lambda e: e.fact_date)
    share = max(0.0, (incl_x.value_usd_bn - alone.value_usd_bn) / incl_x.value_usd_bn * 100)
    return share, alone, incl_x


def x_dependence_values(data: Dataset) -> dict[str, object]:
    """X's share (%) of the X-inclusive revenue figure with the two figures (None without
    both), and what the sources say about xAI's distribution, grouped by source."""
    found = x_share(data)
    distribution = _competitor_rows(data, XAI, "distribution")
    return {
        "share": found[0] if found else None,
        "alone": estimate_values(found[1]) if found else None,
        "incl_x": estimate_values(found[2]) if found else None,
        "distribution": _described_groups(distribution),
    }


def _counted(rounds: pd.DataFrame) -> pd.Series:
    """Closed rounds whose money is split in full: by a source, by Epoch AI or, for a lettered
    series no source splits, as equity (the funding chapter's rule: ``model.rounds``)."""
    counted_splits = (*model_rounds.CONFIRMED_SPLITS, model_rounds.CONVENTION)
    return (
        (rounds["stage"] == model_rounds.CLOSED)
        & rounds["split_basis"].isin(counted_splits)
        & rounds["unsplit_usd_bn"].isna()
    )


def leverage(data: Dataset) -> dict[str, float] | None:
    """Debt in xAI's closed rounds, counted as the funding chapter counts them (``_counted``):
    ``total_usd_bn``, ``debt_usd_bn`` and ``debt_pct``; and, apart, the debt only a report
    gives (a lower-ranked report of a closed round, or a round still being raised):
    ``reported_debt_usd_bn`` and the share debt would have if that report held
    (``if_reported_pct`` of ``if_reported_total_usd_bn``). None without a round."""
    rounds = financing_rounds(data)
    if rounds.empty:
        return None
    result: dict[str, float] = {}
    counted = rounds[_counted(rounds)]
    total = float(counted["amount_usd_bn"].sum())
    if total > 0:
        debt = float(counted["debt_usd_bn"].fillna(0).sum())
        result |= {"total_usd_bn": total, "debt_usd_bn": debt, "debt_pct": debt / total * 100}
    raising = rounds[(rounds["stage"] == model_rounds.RAISING) & rounds["debt_usd_bn"].notna()]
    reported = float(counted["unconfirmed_debt_usd_bn"].fillna(0).sum()) + float(
        raising["debt_usd_bn"].sum()
    )
    if reported > 0:
        # the report's debt replaces equity in a closed round, or comes with a new round
        if_total = total + float(raising["amount_usd_bn"].sum())
        if_debt = result.get("debt_usd_bn", 0.0) + reported
        result |= {
            "reported_debt_usd_bn": reported,
            "if_reported_total_usd_bn": if_total,
            "if_reported_pct": if_debt / if_total * 100,
        }
    return result or None


# The parts of a round, by code; the words the chart shows for each are the template's
# (``financing_parts``).
FINANCING_PARTS = (
    ("equity", "equity_usd_bn", "equity_source_id"),
    ("debt", "debt_usd_bn", "debt_source_id"),
    ("unsplit", "unsplit_usd_bn", "unsplit_source_id"),
)


def financing_frame(data: Dataset) -> pd.DataFrame:
    """Stacked bars: equity and debt per xAI round (USD bn), labelled as the model labels them;
    ``kind`` holds the template's words for the part (``financing_parts``)."""
    parts = labels(SLUG, "financing_parts")
    rows = []
    for order, (_, round_) in enumerate(financing_rounds(data).iterrows()):
        for part, column, source_column in FINANCING_PARTS:
            amount = round_[column]
            if not is_missing(amount) and amount > 0:
                rows.append(
                    {
                        "order": order,
                        "record_id": round_["round_id"],
                        "round_label": round_["label"],
                        "kind": parts[part],
                        "amount_usd_bn": round(float(amount), 3),
                        "round_amount_usd_bn": float(round_["amount_usd_bn"]),
                        "date": round_["date"],
                        "source_id": round_[source_column],
                    }
                )
    # record_id, date, round_label and round_amount_usd_bn are the model's values under the
    # model's names, as in the funding chapter's chart data: a test compares them across the book
    columns = [
        "order",
        "record_id",
        "round_label",
        "kind",
        "amount_usd_bn",
        "round_amount_usd_bn",
        "date",
        "source_id",
    ]
    return pd.DataFrame(rows, columns=columns)


def financing_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Stacked bars of ``financing_frame``; ``title`` from ``financing_title``, given
    ``leverage``."""
    words = labels(SLUG, "financing_chart")
    chart = charts.chart(
        "bar",
        frame,
        "amount_usd_bn:Q",
        "round_label:N",
        color="kind:N",
        title=title,
        words=words,
        tooltip=["round_label:N", "kind:N", ("amount_usd_bn:Q", ",.1f")],
    )
    order = list(dict.fromkeys(frame["round_label"]))
    chart = chart.encode(
        y=alt.Y("round_label:N", title=words["y"], sort=order, axis=_category_axis())
    )
    return _titled(chart, title, words["subtitle"])


def _strategic_investors(data: Dataset) -> pd.DataFrame:
    """Strategic investors in xAI's rounds, Musk's own companies left out."""
    musk = model_sites.musk_group(data)

    def outside_strategic(frame: pd.DataFrame) -> pd.Series:
        strategic = frame["is_strategic"].fillna(False).astype(bool)
        return strategic & ~frame["investor_company_id"].isin(musk)

    return _xai_investments(data, outside_strategic)


def _unconfirmed_case(round_: pd.Series) -> str:
    """How a round whose debt only a report gives, or whose split is not counted, is told:
    raising_with_debt (not closed, debt reported), other_report (a report from before it
    closed gives debt its announcement does not) or no_split."""
    if not _closed(round_) and not is_missing(round_["debt_usd_bn"]):
        return "raising_with_debt"
    if not is_missing(round_["unconfirmed_debt_usd_bn"]):
        return "other_report"
    return "no_split"


def _report(data: Dataset, round_: pd.Series) -> dict[str, object] | None:
    """The lower-ranked report that gives a round debt its own source does not: when it was
    published and the amount it reported for the round then being raised (None without)."""
    source = round_["unconfirmed_debt_source_id"]
    funding = _table(data, "funding_rounds")
    if is_missing(source) or funding.empty:
        return None
    rows = funding[(funding["claim_id"] == round_["claim_id"]) & (funding["source_id"] == source)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "date": row["published_date"],
        "amount": _or_none(row["amount_usd_bn"]),
        "qualifier": _text_or_none(row["amount_qualifier"]),
    }


def leverage_values(data: Dataset) -> dict[str, object]:
    """xAI's rounds with money (``any_rounds``), the debt shares (``leverage``) with the
    sources of the rounds they count and the rounds counted as equity by the funding chapter's
    rule (``convention``), each round whose debt only a report gives or whose split is not
    counted (its case, amount, debt, the report and sources), what the debt buys, and the
    strategic investors outside Musk's group."""
    rounds = financing_rounds(data)
    counted = _counted(rounds) if not rounds.empty else pd.Series(dtype=bool)
    told = ~counted | rounds["unconfirmed_debt_usd_bn"].notna() if not rounds.empty else counted
    unconfirmed = [
        {
            "case": _unconfirmed_case(round_),
            "phrase": model_rounds.round_phrase(round_),
            "amount": round_["amount_usd_bn"],
            "qualifier": _text_or_none(round_["amount_qualifier"]),
            "date": round_["date"],
            "source_id": round_["source_id"],
            "debt": _or_none(round_["debt_usd_bn"]),
            "debt_source_id": _or_none(round_["debt_source_id"]),
            "unconfirmed_debt": _or_none(round_["unconfirmed_debt_usd_bn"]),
            "unconfirmed_debt_source_id": _or_none(round_["unconfirmed_debt_source_id"]),
            "report": _report(data, round_),
        }
        for _, round_ in rounds[told].iterrows()
    ]
    convention = (
        rounds[counted & (rounds["split_basis"] == model_rounds.CONVENTION)]
        if not rounds.empty
        else rounds
    )
    uses = []
    funding = _table(data, "funding_rounds")
    if not funding.empty:
        rows = funding[(funding["company_id"] == XAI) & funding["debt_usd_bn"].notna()]
        rows = rows.dropna(subset=["use_of_funds"]).drop_duplicates("use_of_funds")
        uses = [{"text": row.use_of_funds, "source_id": row.source_id} for row in rows.itertuples()]
    strategic = _strategic_investors(data)
    return {
        "any_rounds": not rounds.empty,
        "shares": leverage(data) or {},
        "counted_source_ids": model_rounds.amount_sources(rounds[counted])
        if not rounds.empty
        else [],
        "convention": [model_rounds.round_phrase(row) for _, row in convention.iterrows()],
        "unconfirmed": unconfirmed,
        "uses": uses,
        "strategic_investors": list(
            dict.fromkeys(_display_names(data, strategic["investor_company_id"]))
        )
        if not strategic.empty
        else [],
        "strategic_source_ids": list(strategic["source_id"]) if not strategic.empty else [],
    }
