"""Planned capacity versus existing: current, projected and announced power of the largest
sites (chart data, title, chart), and the text values of xAI's and the rivals' plans.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts, formatting as fmt
from xaibook.analysis.common import cached_on_tables as _cached, canonical, table as _table
from xaibook.analysis.infrastructure.base import (
    FUTURE_SCOPES,
    INVESTMENT_METRICS,
    MAX_LISTED,
    MAX_TABLE_SITE_ROWS,
    MAX_XAI_SITES,
    PEERS,
    PLANNED_SITE_STATUSES,
    XAI,
    _chart_data,
    _first_source,
    _groups,
    _passed,
    _sort_y,
    _value,
    _values,
    _words,
)
from xaibook.analysis.infrastructure.sites import _is_planned, _site_fact_values
from xaibook.data.dataset import Dataset
from xaibook.data.limits import IN_WORDS_QUALIFIER
from xaibook.model import names as model_names, sites as model_sites

MAX_PLAN_SITES = 10
MAX_ARTICLE_PLANS = 4
USER_TAGS = model_sites.HUB_USER_TAGS  # Epoch's guesses of a site's users the chapter counts


PLAN_COLUMNS = ["site", "basis", "power_mw", "power_text", "date", "group", "source_id"]


def capacity_plans(data: Dataset) -> pd.DataFrame:
    """Current and projected power of the largest Epoch sites (xAI's always in), and the power
    the articles announce, long format: one bar per row (chart data; ``basis`` in the
    template's words)."""
    basis = _words("plans_chart")["basis"]
    groups = _groups()
    centers = _table(data, "epoch_data_centers")
    epoch_rows = pd.DataFrame(columns=PLAN_COLUMNS)
    names: dict[str, str] = {}
    if not centers.empty:
        ahead = model_sites.projections(data).set_index("data_center")
        frame = centers.assign(
            site=centers["title"].fillna(centers["handle"]),
            projected_mw=centers["handle"].map(ahead["power_mw"]),
            projected_date=centers["handle"].map(ahead["date"]),
            is_xai=model_names.epoch_company_mask(data, centers["owner"], XAI),
        )
        frame["peak_mw"] = frame[["power_mw", "projected_mw"]].max(axis=1)
        frame = frame[frame["peak_mw"].gt(0)]
        top = frame.nlargest(MAX_PLAN_SITES, "peak_mw")
        xai = frame[frame["is_xai"]].nlargest(MAX_XAI_SITES, "peak_mw")
        chosen = pd.concat([top, xai[~xai.index.isin(top.index)]])
        names = dict(zip(chosen["handle"], chosen["site"], strict=True))
        group = np.where(chosen["is_xai"], groups["xai"], groups["other"])
        current = pd.DataFrame(
            {
                "site": chosen["site"],
                "basis": basis["current"],
                "power_mw": chosen["power_mw"],
                "power_text": [fmt.megawatts(v) for v in chosen["power_mw"]],
                "date": chosen["published_date"],
                "group": group,
                "source_id": chosen["source_id"],
            }
        )
        future = chosen["projected_mw"].notna()
        # a projection for a date the edition has passed is drawn apart: it was a forecast,
        # and whether it came true is not in the data
        passed = np.array([_passed(data, day) for day in chosen.loc[future, "projected_date"]])
        projected = pd.DataFrame(
            {
                "site": chosen.loc[future, "site"],
                "basis": np.where(passed, basis["projected_passed"], basis["projected"]),
                "power_mw": chosen.loc[future, "projected_mw"],
                "power_text": [fmt.megawatts(v) for v in chosen.loc[future, "projected_mw"]],
                "date": chosen.loc[future, "projected_date"],
                "group": group[future.to_numpy()],
                "source_id": chosen.loc[future, "source_id"],
            }
        )
        epoch_rows = pd.concat([current, projected], ignore_index=True)
    sites = model_sites.sites(data)
    article_rows = pd.DataFrame(columns=PLAN_COLUMNS)
    if not sites.empty:
        # announcements only: capacity an article reports as existing (Colossus 1's ~300 MW,
        # sold to Anthropic) is not a plan, and Epoch's bars already show what is built
        planned = sites["site_status"].isin(PLANNED_SITE_STATUSES)
        # a class named in words ("gigawatt-class") is no figure to draw
        in_words = sites["power_qualifier"].eq(IN_WORDS_QUALIFIER)
        stated = sites[sites["power_mw"].notna() & planned & ~in_words]
        is_xai = stated["owned_by_xai"]  # xAI's own sites; a Musk company's or a tenancy is not
        chosen = pd.concat(
            [
                stated[is_xai].nlargest(MAX_XAI_SITES, "power_mw"),
                stated[~is_xai].nlargest(MAX_ARTICLE_PLANS, "power_mw"),
            ]
        )
        linked = chosen["epoch_data_center"].map(names)
        article_rows = pd.DataFrame(
            {
                "site": linked.fillna(chosen["site_name"]),
                "basis": basis["announced"],
                "power_mw": chosen["power_mw"],
                "power_text": [
                    f"{fmt.megawatts(v, q)} ({s})"
                    for v, q, s in zip(
                        chosen["power_mw"], chosen["power_qualifier"], chosen["status"], strict=True
                    )
                ],
                "date": chosen["fact_date"],
                "group": np.where(chosen["owned_by_xai"], groups["xai"], groups["other"]),
                "source_id": chosen["source_id"],
            }
        )
    frames = [frame for frame in (epoch_rows, article_rows) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    result = pd.concat(frames, ignore_index=True)
    peak = result.groupby("site")["power_mw"].transform("max")
    order = {word: rank for rank, word in enumerate(_plan_bases(basis))}
    result = result.assign(_peak=peak, _order=result["basis"].map(order))
    result = result.sort_values(["_peak", "site", "_order"], ascending=[False, True, True])
    return _chart_data(
        result.drop(columns=["_peak", "_order"]).reset_index(drop=True)[PLAN_COLUMNS]
    )


def _plan_bases(words: dict) -> list[str]:
    """The bases of a site's bars in the order they are drawn: current, projected, announced."""
    return [words["current"], words["projected_passed"], words["projected"], words["announced"]]


def plans_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """The largest planned or projected power at one site and its multiple of the largest in
    operation; None unless the chart has both."""
    is_current = frame["basis"].eq(_words("plans_chart")["basis"]["current"])
    current, future = frame[is_current], frame[~is_current]
    if current.empty or future.empty:
        return None
    words = _words("plans_chart")["basis"]
    top = future.loc[future["power_mw"].idxmax()]
    projected = top["basis"] in (words["projected"], words["projected_passed"])
    running = current.loc[current["power_mw"].idxmax()]
    biggest = float(top["power_mw"])
    return {
        "power_mw": biggest,
        "site": _value(top["site"]),
        "basis": "projected" if projected else "announced",
        "date": _value(top["date"]),
        "passed": _passed(data, top["date"]) if projected else False,
        "running_site": _value(running["site"]),
        "running_mw": float(running["power_mw"]),
        "ratio_to_running": biggest / float(running["power_mw"]),
    }


def plans_chart(frame: pd.DataFrame, data: Dataset, title: str) -> alt.Chart:
    """Current, projected and announced power of the largest sites (``title``: the template's)."""
    order = list(dict.fromkeys(frame["site"]))
    words = _words("plans_chart")
    bases = _plan_bases(words["basis"])
    chart = charts.chart(
        "bar",
        frame,
        x="power_mw:Q",
        y="site:N",
        color="basis:N",
        title=title,
        words=words,
        tooltip=["site:N", "basis:N", "power_text:N", "date:T"],
        source=words["source"],
    )
    chart = chart.encode(
        yOffset=alt.YOffset("basis:N", sort=bases),
        color=alt.Color("basis:N", title=words["legend"]["basis"], sort=bases),
    )
    return _sort_y(chart, "site", words["y"], order)


_owns_or_uses = model_sites.owned_or_used


@_cached("company_metrics", "epoch_data_centers", "companies")
def _peer_frames(data: Dataset) -> dict[str, pd.DataFrame]:
    """The rows about the rivals in ``PEERS`` (their planned investment, Epoch's data centres
    they own or use), cut from the whole tables once for all of them."""
    frames = {}
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        frames["company_metrics"] = metrics[
            metrics["company_id"].isin(PEERS) & metrics["metric"].isin(INVESTMENT_METRICS)
        ]
    centers = _table(data, "epoch_data_centers")
    if not centers.empty:
        masks = [_owns_or_uses(data, centers, peer) for peer in PEERS]
        frames["epoch_data_centers"] = centers[np.logical_or.reduce(masks)]
    return frames


def _peer_values(data: Dataset, company_id: str) -> dict[str, object] | None:
    """A rival's planned investments, its site rows (as ``sites_overview_values`` gives them)
    and Epoch's largest sites it owns or uses; None if the edition has none of them."""
    shown_claims: set[str] = set()
    peer_frames = _peer_frames(data) if company_id in PEERS else {}

    def table(table_name: str) -> pd.DataFrame:
        return peer_frames.get(table_name, _table(data, table_name))

    investments, site_rows, epoch = [], [], None
    metrics = table("company_metrics")
    if not metrics.empty:
        planned = canonical(
            metrics[
                metrics["company_id"].eq(company_id) & metrics["metric"].isin(INVESTMENT_METRICS)
            ]
        )
        for row in (
            planned.sort_values("value", ascending=False).head(MAX_LISTED).to_dict("records")
        ):
            shown_claims.add(row["claim_id"])
            period = row["period"] if not fmt.is_missing(row["period"]) else row["metric"]
            investments.append(
                {
                    "period": period,
                    **_values(row, "value", "value_qualifier", "status", "source_id"),
                }
            )
    sites = model_sites.sites(data)
    if not sites.empty:
        rows = sites[sites["owner_company_id"].eq(company_id)]
        rows = rows[~rows["claim_id"].isin(shown_claims)]  # the same claim, told in metrics
        site_rows = [
            _site_fact_values(data, row) for row in rows.head(MAX_LISTED).to_dict("records")
        ]
    centers = table("epoch_data_centers")
    if not centers.empty:
        mine = centers[_owns_or_uses(data, centers, company_id)]
        if not mine.empty:
            ahead = model_sites.projections(data).set_index("data_center")
            mine = mine.assign(
                projected_mw=mine["handle"].map(ahead["power_mw"]),
                projected_date=mine["handle"].map(ahead["date"]),
                peak_mw=lambda f: f[["power_mw", "projected_mw"]].max(axis=1),
            ).nlargest(MAX_LISTED, "peak_mw")
            epoch = {
                "sites": [
                    {
                        "name": row["title"] or row["handle"],
                        **_values(row, "power_mw", "projected_mw", "projected_date"),
                        "projected_passed": _passed(data, row["projected_date"]),
                    }
                    for row in mine.to_dict("records")
                ],
                "source_id": _value(_first_source(mine)),
            }
    if not (investments or site_rows or epoch):
        return None
    return {
        "name": model_names.company_name(data, company_id),
        "investments": investments,
        "sites": site_rows,
        "epoch": epoch,
    }


def plans_text_values(data: Dataset) -> dict[str, object]:
    """xAI's announced sites, orbit and chips (each with its stated facts, the owner when it is
    not xAI, and ``no_size`` for a future-scope row that states nothing but its status), then
    the rivals' plans (``peers``)."""
    planned = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        for row in sites[_is_planned(sites)].head(MAX_TABLE_SITE_ROWS).to_dict("records"):
            facts = _site_fact_values(data, row)
            stated = [facts[key] for key in ("power_mw", "h100e", "capex", "tenant")]
            planned.append(
                {
                    **facts,
                    "owner": None
                    if row["owner_company_id"] == XAI
                    else model_names.company_name(data, row["owner_company_id"]),
                    "no_size": row["scope"] in FUTURE_SCOPES
                    and all(value is None for value in stated)
                    and facts["target_date"] is None,
                }
            )
    peers = [peer for peer in (_peer_values(data, company) for company in PEERS) if peer]
    return {"planned": planned, "peers": peers}
