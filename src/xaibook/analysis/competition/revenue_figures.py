"""Revenue: the labs' figures from the news reports and Epoch AI, the chart, and the
values of the revenue section and its key finding.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from xaibook import charts, prose
from xaibook.analysis.common import per_dataset as _per_dataset
from xaibook.analysis.competition.base import (
    LABS,
    XAI,
    _company_names,
    _estimator,
    _estimators,
    _figure,
    _ratio_qualifier,
    _template,
    _value,
    _words_for,
    bounded,
    chart_source,
    labels,
    short_name,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import date, is_missing, usd_bn
from xaibook.model import dates, revenue as model_revenue, valuations as model_valuations
from xaibook.model.valuations import EPOCH, NEWS

# The revenue figures the chapter compares (``xaibook.model.revenue`` kinds): every news
# report's figure, each with its basis (X's advertising included says so), and Epoch AI's
# annualized figures (its run rates and its annualized quarters; product lines left out).
NEWS_REVENUE_KINDS = (
    model_revenue.RUN_RATE,
    model_revenue.INCL_X,
    model_revenue.STANDALONE,
    model_revenue.PERIOD_TOTAL,
)
EPOCH_REVENUE_KINDS = model_revenue.ANNUALIZED


EDGE_PADDING_PX = 10


REVENUE_COLUMNS = [
    "company_id",
    "company",
    "revenue_usd_bn",
    "value_qualifier",
    "basis",
    "figure_source",
    "estimator",
    "plot_date",
    "fact_date_precision",
    "status",
    "source_id",
    "record_id",
    "x_basis",
]


REVENUE_TOOLTIPS = ("series:N", "revenue:N", "what:N", "date:N")


TRAILING_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def revenue_basis(kind: str, period: object) -> str:
    """What a revenue figure measures, in a few words: 'annualized, incl. X advertising',
    'standalone revenue, 2025'. The period's trailing date in brackets is dropped (the date
    is shown separately)."""
    words = "" if is_missing(period) else TRAILING_PARENTHESIS.sub("", str(period)).strip()
    if "annualiz" in words.lower():
        return words
    return f"{kind}, {words}" if words else kind


def _revenue_figures(data: Dataset, source: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """The labs' revenue figures of ``kinds`` from ``source`` (``xaibook.model.revenue``)."""
    frame = model_revenue.revenue(data)
    keep = (
        (frame["figure_source"] == source)
        & frame["kind"].isin(list(kinds))
        & frame["company_id"].isin(LABS)
    )
    return frame[keep]


@_per_dataset
def curated_revenue(data: Dataset) -> pd.DataFrame:
    """The news reports' revenue figures for the labs, one row per claim, with the estimator."""
    frame = _revenue_figures(data, NEWS, NEWS_REVENUE_KINDS)
    if frame.empty:
        return pd.DataFrame(columns=REVENUE_COLUMNS)
    kinds = _words_for("revenue_kind", frame["metric"])
    result = pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "company": _company_names(data, frame["company_id"]),
            "revenue_usd_bn": frame["revenue_usd_bn"],
            "value_qualifier": frame["value_qualifier"],
            "basis": [revenue_basis(k, p) for k, p in zip(kinds, frame["period"], strict=True)],
            "figure_source": NEWS,
            "estimator": frame["estimated_by"].map(short_name, na_action="ignore"),
            "plot_date": frame["plot_date"],
            "fact_date_precision": frame["fact_date_precision"],
            "status": frame["status"],
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
            "x_basis": frame["x_basis"],
        }
    )
    return result.sort_values("plot_date").reset_index(drop=True)


def _epoch_revenue_bases(revenue_type: pd.Series) -> pd.Series:
    """What each Epoch AI revenue figure measures: Epoch's revenue type in lower case, said to
    be annualized where the type does not say so (worked out once per distinct type)."""
    missing = labels("revenue_kind")["annualized_revenue"]
    kinds = revenue_type.astype(object).where(revenue_type.notna(), None)
    words = {}
    for kind in dict.fromkeys(kinds):
        text = missing if kind is None else str(kind).lower()
        words[kind] = (
            text if "annual" in text else prose.render_text(_template(), "annualized", kind=text)
        )
    return pd.Series([words[k] for k in kinds], index=revenue_type.index, dtype=object)


@_per_dataset
def epoch_revenue(data: Dataset) -> pd.DataFrame:
    """Epoch AI's annualized revenue figures for the labs (product-line figures left out)."""
    frame = _revenue_figures(data, EPOCH, EPOCH_REVENUE_KINDS)
    if frame.empty:
        return pd.DataFrame(columns=REVENUE_COLUMNS)
    result = pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "company": _company_names(data, frame["company_id"]),
            "revenue_usd_bn": frame["revenue_usd_bn"],
            "value_qualifier": frame["value_qualifier"],
            "basis": _epoch_revenue_bases(frame["revenue_type"]),
            "figure_source": EPOCH,
            "estimator": None,
            "plot_date": frame["plot_date"],
            "fact_date_precision": "month",
            "status": "reported",
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
            "x_basis": frame["x_basis"],
        }
    )
    return result.sort_values(["company_id", "plot_date"]).reset_index(drop=True)


def _basis_and_date(basis: str, when: str) -> str:
    """'annualized, current; January 2026', but 'standalone revenue, 2025' (no year twice)."""
    return basis if when in basis else f"{basis}; {when}"


def revenue_chart_data(data: Dataset) -> pd.DataFrame:
    """What figure 2 draws: Epoch AI's series per lab plus the news reports' estimates."""
    both = pd.concat(
        [f for f in (epoch_revenue(data), curated_revenue(data)) if not f.empty]
        or [pd.DataFrame(columns=REVENUE_COLUMNS)],
        ignore_index=True,
    )
    if both.empty:
        return pd.DataFrame(
            columns=["company", "plot_date", "revenue_usd_bn", "series", "estimator", "source_id"]
        )
    estimators = _estimators(both)
    series = [
        f"{short_name(c)} · {e}" if s == EPOCH else f"{short_name(c)} · {e}: {b}"
        for c, s, e, b in zip(
            both["company"], both["figure_source"], estimators, both["basis"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "company": both["company"].map(short_name),
            "plot_date": both["plot_date"],
            "revenue_usd_bn": both["revenue_usd_bn"],
            "revenue": [
                usd_bn(v, q)
                for v, q in zip(both["revenue_usd_bn"], both["value_qualifier"], strict=True)
            ],
            "what": both["basis"],
            "date": [
                date(d, p)
                for d, p in zip(both["plot_date"], both["fact_date_precision"], strict=True)
            ],
            "series": series,
            "estimator": estimators,
            "source_id": both["source_id"],
        }
    )


def _latest_epoch_revenue(data: Dataset) -> pd.DataFrame:
    newest = model_valuations.newest  # newest per company by fact_date, ties to the first row
    return newest(epoch_revenue(data).rename(columns={"plot_date": "fact_date"})).rename(
        columns={"fact_date": "plot_date"}
    )


def revenue_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Log-scale lines (Epoch AI) and differently shaped points (each estimator's figure)."""
    words = labels("revenue_chart")
    chart = charts.chart(
        "line",
        frame,
        "plot_date:T",
        "revenue_usd_bn:Q",
        title=title,
        words=words,
        color="company:N",
        tooltip=REVENUE_TOOLTIPS,
        source=chart_source(words, frame["source_id"]),
    )
    chart.encoding.color = alt.Color(
        "company:N",
        title=words["color"],
        scale=charts.company_color_scale(frame.get("company", [])),
    )
    chart.encoding.y.scale = alt.Scale(type="log")
    chart.encoding.x.scale = alt.Scale(padding=EDGE_PADDING_PX)  # marks at the ends stay whole
    return chart.encode(
        detail="series:N",
        shape=alt.Shape("estimator:N", title=words["shape"]),
    )


def revenue_standing(data: Dataset) -> dict[str, object]:
    """For the revenue chart's title: the lab with the highest newest Epoch AI figure and how
    many times xAI's it is (``xai`` is False without a positive Epoch figure for xAI), with
    the ratio's qualifier (xAI's "just south of $500M" makes it "more than") and both
    figures' dates, so the title says how old the comparison is."""
    latest = _latest_epoch_revenue(data).set_index("company_id")
    standing: dict[str, object] = {"labs": not latest.empty, "xai": False, "top": None}
    if XAI in latest.index and latest.loc[XAI, "revenue_usd_bn"] > 0:
        standing["xai"] = True
        others = latest.drop(index=XAI).sort_values("revenue_usd_bn", ascending=False)
        if not others.empty:
            top = others.iloc[0]
            xai = latest.loc[XAI]
            qualifier = _ratio_qualifier(top["value_qualifier"], xai["value_qualifier"])
            standing["top"] = {
                "name": short_name(top["company"]),
                "times": bounded(float(top["revenue_usd_bn"] / xai["revenue_usd_bn"]), qualifier),
                "qualifier": qualifier,
                "date": _value(top["plot_date"]),
                "xai_date": _value(xai["plot_date"]),
            }
    return standing


def _revenue_values(row: pd.Series) -> dict[str, object]:
    """One revenue figure as the template prints it: 'about $1 billion (UBS: ...; date)'."""
    return {
        **_figure(row, "revenue_usd_bn", date_column="plot_date"),
        "name": short_name(row["company"]),
        "estimator": _estimator(row["figure_source"], row["estimator"], labels("figure_from")),
        "basis": _value(row["basis"]),
    }


def revenue_finding(data: Dataset) -> dict[str, object]:
    """Key finding 3: xAI's newest Epoch AI revenue against the other labs', the news reports'
    estimates, and the highest figure for xAI when it is below every peer's."""
    latest = _latest_epoch_revenue(data).set_index("company_id")
    estimates = curated_revenue(data)
    estimates = estimates[estimates["company_id"] == XAI]
    others = latest.drop(index=XAI, errors="ignore").sort_values("revenue_usd_bn", ascending=False)
    finding: dict[str, object] = {
        "epoch": _revenue_values(latest.loc[XAI]) if XAI in latest.index else None,
        "others": [_revenue_values(r) for _, r in others.iterrows()],
        "estimates": [_revenue_values(r) for _, r in estimates.iterrows()],
        "best_below_peers": None,
    }
    xai_all = pd.concat(
        [
            f
            for f in (estimates, latest.loc[[XAI]] if XAI in latest.index else None)
            if f is not None
        ],
        ignore_index=True,
    )
    if not others.empty and not xai_all.empty:
        best = xai_all.sort_values("revenue_usd_bn").iloc[-1]
        if best["revenue_usd_bn"] < others["revenue_usd_bn"].min():
            finding["best_below_peers"] = _revenue_values(best)
    return finding


def revenue(data: Dataset) -> dict[str, object]:
    """The revenue section: Epoch AI's newest figure per lab (highest first), each lab's growth
    over the year before it, and the news reports' estimates for xAI and for the others."""
    latest = _latest_epoch_revenue(data).sort_values("revenue_usd_bn", ascending=False)
    estimates = curated_revenue(data)
    return {
        "latest": [_revenue_values(r) for _, r in latest.iterrows()],
        "growth": _growth(data) if not latest.empty else [],
        "xai_estimates": [
            _revenue_values(r) for _, r in estimates[estimates["company_id"] == XAI].iterrows()
        ],
        "other_estimates": [
            _revenue_values(r) for _, r in estimates[estimates["company_id"] != XAI].iterrows()
        ],
    }


def _growth(data: Dataset) -> list[dict[str, object]]:
    """Per lab with two Epoch AI figures within a year of its newest: the growth multiple, the
    months between them and the earlier figure."""
    growth = []
    for _, rows in epoch_revenue(data).groupby("company_id", sort=False):
        rows = rows.sort_values("plot_date")
        last = rows.iloc[-1]
        window = rows[rows["plot_date"] >= last["plot_date"] - pd.DateOffset(years=1)]
        first = window.iloc[0]
        if first["record_id"] == last["record_id"] or first["revenue_usd_bn"] <= 0:
            continue
        # a hedge on either end carries into the multiple ("less than $500 million" at the end:
        # less than 5×)
        qualifier = _ratio_qualifier(last["value_qualifier"], first["value_qualifier"])
        growth.append(
            {
                "name": short_name(last["company"]),
                "multiple": bounded(
                    float(last["revenue_usd_bn"] / first["revenue_usd_bn"]), qualifier
                ),
                "qualifier": qualifier,
                "months": float(dates.months_between(first["plot_date"], last["plot_date"])),
                "from_value": float(first["revenue_usd_bn"]),
                "from_date": first["plot_date"],
            }
        )
    return growth
