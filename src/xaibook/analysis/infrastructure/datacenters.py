"""Frontier data centres (Epoch): compute per MW (the density chart) and capital per GW
beside the book's assumption (the capital chart), with their title and text values.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import table as _table
from xaibook.analysis.infrastructure.base import (
    DEFAULT_CAPEX_USD_BN_PER_GW,
    MAX_XAI_SITES,
    MW_PER_GW,
    XAI,
    _chart_data,
    _clean_parties,
    _epoch_chart,
    _first_source,
    _groups,
    _sort_y,
    _source_title,
    _value,
    _values,
    _words,
)
from xaibook.dataset import Dataset
from xaibook.model import names as model_names

MAX_DENSITY_SITES = 25
MAX_CAPITAL_SITES = 15


def data_center_metrics(data: Dataset, limit: int = MAX_DENSITY_SITES) -> pd.DataFrame:
    """Epoch's data centres with power and compute, their ratios, largest first (chart data).

    ``h100e_per_mw``: current H100-equivalents per MW of current facility power (both Epoch
    estimates; power can be installed before chips, so young sites read low).
    ``capital_usd_bn_per_gw``: Epoch's current total capital cost (2025 USD) per GW of power.
    """
    columns = [
        "site",
        "owner",
        "users",
        "power_mw",
        "h100e",
        "capital_cost_usd_bn",
        "h100e_per_mw",
        "kw_per_h100e",
        "capital_usd_bn_per_gw",
        "group",
        "source_id",
    ]
    centers = _table(data, "epoch_data_centers")
    if centers.empty:
        return pd.DataFrame(columns=columns)
    running = centers[centers["power_mw"].gt(0) & centers["h100e"].gt(0)]
    if running.empty:
        return pd.DataFrame(columns=columns)
    is_xai = model_names.epoch_company_mask(data, running["owner"], XAI)
    capital = running["capital_cost_usd_bn"].where(running["capital_cost_usd_bn"].gt(0))
    groups = _groups()
    frame = running.assign(
        h100e_per_mw=running["h100e"] / running["power_mw"],
        kw_per_h100e=running["power_mw"] * 1000 / running["h100e"],
        capital_usd_bn_per_gw=capital / running["power_mw"] * MW_PER_GW,
        group=np.where(is_xai, groups["xai"], groups["other"]),
    )
    top = frame.nlargest(limit, "power_mw")
    xai = frame[is_xai].nlargest(MAX_XAI_SITES, "power_mw")
    chosen = pd.concat([top, xai[~xai.index.isin(top.index)]])
    chosen = chosen.assign(
        site=chosen["title"].fillna(chosen["handle"]),
        owner=_clean_parties(chosen["owner"]),
        users=_clean_parties(chosen["users"]),
    )
    chosen = chosen.sort_values("power_mw", ascending=False, kind="stable")
    return _chart_data(chosen[columns].reset_index(drop=True))


def density_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.TopLevelMixin:
    """Power against compute, one point per site; xAI's sites in colour and named on the chart
    (the PDF has no tooltips). ``title`` is one or two lines."""
    lines = [line for line in title if line]
    words = _words("density_chart")
    description, xai = words["description"], _groups()["xai"]
    points = charts.chart(
        "point",
        frame,
        x="power_mw:Q",
        y="h100e:Q",
        color="group:N",
        highlight=xai,
        title=lines[0],
        words=words,
        tooltip=[
            "site:N",
            "owner:N",
            ("power_mw:Q", ",.0f"),
            ("h100e:Q", ",.0f"),
            ("h100e_per_mw:Q", ",.0f"),
            ("kw_per_h100e:Q", ".2f"),
        ],
        source=_source_title(data, _first_source(frame)),
    ).encode(x=alt.X("power_mw:Q", title=words["x"], axis=alt.Axis(tickCount=8)))
    if frame.empty:
        return points
    layer_title = alt.Title(lines, subtitle=points.title.subtitle)
    points = points.copy()
    points.title = points.description = alt.Undefined  # the layer carries them
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=8, dy=-8, color=charts.HIGHLIGHT_COLOR, fontSize=12)
        .encode(x="power_mw:Q", y="h100e:Q", text="site:N")
        .transform_filter(alt.datum.group == xai)
        .properties(width=charts.CHART_WIDTH_PX, height=charts.CHART_HEIGHT_PX)
    )
    return alt.layer(points, labels, data=frame).properties(
        title=layer_title, description=description
    )


def density_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """The site with the most compute per MW and its multiple of the median site shown; None
    when the chart has no site."""
    if frame.empty:
        return None
    densest = frame.loc[frame["h100e_per_mw"].idxmax()]
    return {
        **_values(densest, "site", "h100e_per_mw"),
        "ratio_to_median": float(densest["h100e_per_mw"] / frame["h100e_per_mw"].median()),
    }


def density_text_values(data: Dataset) -> dict[str, object] | None:
    """Compute per MW across the sites shown (count, median) and for each xAI site (H100e per
    MW, kW per H100e); None without Epoch's estimates."""
    frame = data_center_metrics(data)
    if frame.empty:
        return None
    xai = frame[frame["group"].eq(_groups()["xai"])]
    return {
        "n": len(frame),
        "median": float(frame["h100e_per_mw"].median()),
        "xai": [_values(row, "site", "h100e_per_mw", "kw_per_h100e") for _, row in xai.iterrows()],
        "source_id": _value(_first_source(frame)),
    }


def capital_per_gw(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> pd.DataFrame:
    """Epoch's capital cost per GW by site, plus the book's assumption as its own bar (its
    ``kind`` is the template's word for ``assumption``)."""
    columns = ["site", "capital_usd_bn_per_gw", "capital_cost_usd_bn", "power_mw", "kind"]
    metrics = data_center_metrics(data, limit=MAX_CAPITAL_SITES)
    priced = metrics[metrics["capital_usd_bn_per_gw"].notna()]
    if priced.empty:
        return pd.DataFrame(columns=[*columns, "source_id"])
    words = _words("capital_chart")
    kinds = words["kind"]
    frame = priced.assign(
        kind=np.where(priced["group"].eq(_groups()["xai"]), kinds["xai"], kinds["other"])
    ).sort_values("capital_usd_bn_per_gw", ascending=False, kind="stable")
    assumption = pd.DataFrame(
        {
            "site": [words["assumption_site"]],
            "capital_usd_bn_per_gw": [float(capex_usd_bn_per_gw)],
            "capital_cost_usd_bn": [np.nan],
            "power_mw": [np.nan],
            "kind": [kinds["assumption"]],
            "source_id": [None],
        }
    )
    return _chart_data(pd.concat([frame[[*columns, "source_id"]], assumption], ignore_index=True))


def _epoch_capital(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``capital_per_gw`` that are Epoch's sites (not the scenario's assumption)."""
    return frame[frame["kind"].ne(_words("capital_chart")["kind"]["assumption"])]


def capital_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """Capital per GW by site and the scenario's assumption; ``title`` is one or two lines."""
    epoch = _epoch_capital(frame)
    words = _words("capital_chart")
    kinds = words["kind"]
    chart = _epoch_chart(
        "bar",
        frame,
        title,
        x="capital_usd_bn_per_gw:Q",
        y="site:N",
        color="kind:N",
        words=words,
        tooltip=[
            "site:N",
            "kind:N",
            ("capital_usd_bn_per_gw:Q", ",.1f"),
            ("capital_cost_usd_bn:Q", ",.1f"),
            ("power_mw:Q", ",.0f"),
        ],
        source=_source_title(data, _first_source(epoch)) if not epoch.empty else None,
    )
    chart = chart.encode(
        color=alt.Color(
            "kind:N",
            title=words["legend"]["kind"],
            scale=alt.Scale(
                domain=[kinds["xai"], kinds["other"], kinds["assumption"]],
                range=[charts.HIGHLIGHT_COLOR, charts.MUTED_COLOR, charts.CATEGORY_COLORS[0]],
            ),
        )
    )
    return _sort_y(chart, "site", words["y"], list(frame["site"]))


def capital_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """Epoch's median capital per GW and the scenario's assumption; None without Epoch's."""
    epoch = _epoch_capital(frame)
    if epoch.empty:
        return None
    is_assumption = frame["kind"].eq(_words("capital_chart")["kind"]["assumption"])
    assumed = frame.loc[is_assumption, "capital_usd_bn_per_gw"].iloc[0]
    return {
        "median": float(epoch["capital_usd_bn_per_gw"].median()),
        "assumption": float(assumed),
    }


def capital_text_values(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, object] | None:
    """Epoch's capital per GW across the sites shown (range, median, xAI's sites) and where the
    scenario's assumption falls: ``case`` is "high" above 1.05× the median, "low" below
    0.95×, else "central". None without Epoch's estimates."""
    frame = capital_per_gw(data, capex_usd_bn_per_gw)
    epoch = _epoch_capital(frame)
    if epoch.empty:
        return None
    values = epoch["capital_usd_bn_per_gw"]
    median = float(values.median())
    relation = capex_usd_bn_per_gw / median
    xai = epoch[epoch["kind"].eq(_words("capital_chart")["kind"]["xai"])]
    return {
        "min": float(values.min()),
        "max": float(values.max()),
        "median": median,
        "n": len(epoch),
        "xai": [_values(row, "site", "capital_usd_bn_per_gw") for _, row in xai.iterrows()],
        "source_id": _value(_first_source(epoch)),
        "assumption": float(capex_usd_bn_per_gw),
        "relation": float(relation),
        "case": "high" if relation > 1.05 else "low" if relation < 0.95 else "central",
    }
