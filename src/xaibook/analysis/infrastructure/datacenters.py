"""Frontier data centres (Epoch): compute per MW (the density chart) and capital per GW
beside the book's assumption (the capital chart), with their title and text values.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts, formatting as fmt
from xaibook.analysis.common import table as _table
from xaibook.analysis.infrastructure.base import (
    DEFAULT_CAPEX_USD_BN_PER_GW,
    MAX_LISTED,
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
from xaibook.data.dataset import Dataset
from xaibook.model import names as model_names

MAX_DENSITY_SITES = 25
MAX_CAPITAL_SITES = 15
# Epoch models a site's capital cost from its power where it has no better figure: those sites
# share one rate per GW. A ratio within MODELLED_TOLERANCE (relative) of the modal rate, shared
# by at least MIN_MODELLED sites, is read as that rate, not as an estimate of the site's cost.
MODELLED_TOLERANCE = 0.01
MIN_MODELLED = 3


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


def modelled_rate(rates: pd.Series) -> float | None:
    """The rate per GW that Epoch's model gives many sites: the value shared, within
    ``MODELLED_TOLERANCE``, by the most sites (their median), if at least ``MIN_MODELLED``
    share it; else None (every site's figure reads as its own estimate)."""
    values = rates.dropna().astype(float)
    best: pd.Series = values.iloc[:0]
    for value in values:
        near = values[(values - value).abs() <= MODELLED_TOLERANCE * value]
        if len(near) > len(best):
            best = near
    return float(best.median()) if len(best) >= MIN_MODELLED else None


def is_modelled(rates: pd.Series) -> pd.Series:
    """Which rates are Epoch's modelling rate (see ``modelled_rate``), not a site's own cost."""
    rate = modelled_rate(rates)
    if rate is None:
        return pd.Series(False, index=rates.index)
    return (rates.astype(float) - rate).abs().le(MODELLED_TOLERANCE * rate)


def is_modelled_cost(data: Dataset, capital_usd_bn: object, power_mw: object) -> bool:
    """Whether an Epoch capital cost is its model's rate per GW (``modelled_rate`` of the
    sites' current figures) times ``power_mw``, not an estimate of the site's own cost."""
    if fmt.is_missing(capital_usd_bn) or fmt.is_missing(power_mw) or not float(power_mw) > 0:
        return False
    rate = modelled_rate(data_center_metrics(data)["capital_usd_bn_per_gw"])
    per_gw = float(capital_usd_bn) / float(power_mw) * MW_PER_GW
    return rate is not None and abs(per_gw - rate) <= MODELLED_TOLERANCE * rate


def capital_per_gw(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> pd.DataFrame:
    """Epoch's capital cost per GW by site, plus the book's assumption as its own bar.

    ``xai``: an xAI site. ``modelled``: the site's capital cost is Epoch's modelling rate times
    its power (see ``modelled_rate``), so its ratio is the model's rate, not evidence of cost.
    ``kind`` is the template's word for an xAI site, another site, a modelled site or the
    ``assumption``."""
    columns = [
        "site",
        "capital_usd_bn_per_gw",
        "capital_cost_usd_bn",
        "power_mw",
        "xai",
        "modelled",
        "kind",
    ]
    metrics = data_center_metrics(data, limit=MAX_CAPITAL_SITES)
    priced = metrics[metrics["capital_usd_bn_per_gw"].notna()]
    if priced.empty:
        return pd.DataFrame(columns=[*columns, "source_id"])
    words = _words("capital_chart")
    kinds = words["kind"]
    modelled = is_modelled(priced["capital_usd_bn_per_gw"])
    xai = priced["group"].eq(_groups()["xai"])
    kind = np.where(modelled, kinds["modelled"], np.where(xai, kinds["xai"], kinds["other"]))
    frame = priced.assign(xai=xai, modelled=modelled, kind=kind)
    frame = frame.sort_values("capital_usd_bn_per_gw", ascending=False, kind="stable")
    assumption = pd.DataFrame(
        {
            "site": [words["assumption_site"]],
            "capital_usd_bn_per_gw": [float(capex_usd_bn_per_gw)],
            "capital_cost_usd_bn": [np.nan],
            "power_mw": [np.nan],
            "xai": [False],
            "modelled": [False],
            "kind": [kinds["assumption"]],
            "source_id": [None],
        }
    )
    return _chart_data(pd.concat([frame[[*columns, "source_id"]], assumption], ignore_index=True))


def _epoch_capital(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``capital_per_gw`` that are Epoch's sites (not the scenario's assumption)."""
    return frame[frame["kind"].ne(_words("capital_chart")["kind"]["assumption"])]


def capital_values(frame: pd.DataFrame) -> dict[str, object] | None:
    """Epoch's capital per GW split in two: the modelling rate and how many sites carry it
    (``modelled``: None when no rate is shared), and the range of the other sites' figures
    (``estimated``: None when every site is modelled; ``sites`` names them when at most
    ``MAX_LISTED``). None without Epoch's estimates."""
    epoch = _epoch_capital(frame)
    if epoch.empty:
        return None
    flagged = epoch["modelled"].astype(bool)
    rates = epoch["capital_usd_bn_per_gw"]
    other = epoch[~flagged]
    return {
        "n": len(epoch),
        "modelled": None
        if not flagged.any()
        else {"rate": modelled_rate(rates), "n": int(flagged.sum())},
        "estimated": None
        if other.empty
        else {
            "n": len(other),
            "min": float(other["capital_usd_bn_per_gw"].min()),
            "max": float(other["capital_usd_bn_per_gw"].max()),
            # named only when few (the chart names them all)
            "sites": [_value(site) for site in other["site"]] if len(other) <= MAX_LISTED else [],
        },
        "source_id": _value(_first_source(epoch)),
    }


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
                domain=[kinds["xai"], kinds["other"], kinds["modelled"], kinds["assumption"]],
                range=[
                    charts.HIGHLIGHT_COLOR,
                    charts.MUTED_COLOR,
                    charts.tint(charts.MUTED_COLOR),
                    charts.CATEGORY_COLORS[0],
                ],
            ),
        )
    )
    return _sort_y(chart, "site", words["y"], list(frame["site"]))


def capital_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """Epoch's modelling rate and the range of its other figures (``capital_values``), and the
    scenario's assumption; None without Epoch's."""
    values = capital_values(frame)
    if values is None:
        return None
    is_assumption = frame["kind"].eq(_words("capital_chart")["kind"]["assumption"])
    assumed = frame.loc[is_assumption, "capital_usd_bn_per_gw"].iloc[0]
    return {**values, "assumption": float(assumed)}


def capital_text_values(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, object] | None:
    """``capital_values``, xAI's sites (``modelled`` each), and where the scenario's assumption
    falls against Epoch's figures: ``case`` is "high" above the highest of them, "low" below
    the lowest, else "within". None without Epoch's estimates."""
    frame = capital_per_gw(data, capex_usd_bn_per_gw)
    values = capital_values(frame)
    if values is None:
        return None
    epoch = _epoch_capital(frame)
    rates = epoch["capital_usd_bn_per_gw"]
    xai = epoch[epoch["xai"].astype(bool)]
    reference = (values["modelled"] or {}).get("rate")
    return {
        **values,
        "xai": [
            {**_values(row, "site", "capital_usd_bn_per_gw"), "modelled": bool(row["modelled"])}
            for _, row in xai.iterrows()
        ],
        "assumption": float(capex_usd_bn_per_gw),
        "relation": None if reference is None else float(capex_usd_bn_per_gw / reference),
        "case": "high"
        if capex_usd_bn_per_gw > rates.max()
        else "low"
        if capex_usd_bn_per_gw < rates.min()
        else "within",
    }
