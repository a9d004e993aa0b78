"""Build-out of xAI's sites from Epoch's dated timelines: chart data, build speed, the
chart, its title and text values, and the projection note.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import cached_on_tables as _cached, table as _table
from xaibook.analysis.infrastructure.base import (
    MAX_XAI_SITES,
    XAI,
    _chart_data,
    _epoch_chart,
    _first_source,
    _passed,
    _source_title,
    _value,
    _values,
    _words,
    xai_data_centers,
)
from xaibook.data.dataset import Dataset
from xaibook.model import dates, names as model_names

BUILDOUT_COLUMNS = [
    "site",
    "date",
    "power_mw",
    "h100e",
    "capital_cost_usd_bn",
    "basis",
    "note",
    "source_id",
]


def buildout(data: Dataset) -> pd.DataFrame:
    """Dated power and H100e of xAI's Epoch data centres; projected entries marked (chart data).

    An entry dated after Epoch's snapshot (its ``published_date``) was a projection when Epoch
    published it, whatever the edition's date; its ``basis`` is the template's word for
    ``projected``. The last observed entry is repeated once in the projected series, with the
    template's ``anchor_note``, so the dashed line starts from it.
    """
    words = _words("buildout_chart")
    observed, projected = words["basis"]["observed"], words["basis"]["projected"]
    sites = xai_data_centers(data)
    timelines = _table(data, "epoch_data_center_timelines")
    if sites.empty or timelines.empty:
        return pd.DataFrame(columns=BUILDOUT_COLUMNS)
    rows = timelines[timelines["data_center"].isin(sites["handle"]) & timelines["power_mw"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=BUILDOUT_COLUMNS)
    names = dict(zip(sites["handle"], sites["site"], strict=True))
    rows = rows.assign(
        site=rows["data_center"].map(names),
        basis=np.where(rows["date"].gt(rows["published_date"]), projected, observed),
        note="",
    ).sort_values(["site", "date"], kind="stable")
    projected_sites = rows.loc[rows["basis"].eq(projected), "site"].unique()
    seen = rows[rows["basis"].eq(observed)]
    anchors = (
        seen[seen["site"].isin(projected_sites)]
        .groupby("site", sort=False)
        .tail(1)
        .assign(basis=projected, note=words["anchor_note"])
    )
    result = pd.concat([rows, anchors]).sort_values(["site", "date", "note"], kind="stable")
    return _chart_data(result[BUILDOUT_COLUMNS].reset_index(drop=True))


def build_speed(frame: pd.DataFrame) -> pd.DataFrame:
    """Per site: first entry, latest observed entry, MW added per month, last projection
    (``frame`` as ``buildout`` gives it)."""
    columns = list(SPEED_FIELDS)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    basis = _words("buildout_chart")["basis"]
    observed = frame[frame["basis"].eq(basis["observed"])]
    if observed.empty:
        return pd.DataFrame(columns=columns)
    speed = observed.groupby("site").agg(
        start_date=("date", "first"),
        start_mw=("power_mw", "first"),
        latest_date=("date", "last"),
        latest_mw=("power_mw", "last"),
        latest_h100e=("h100e", "last"),
        source_id=("source_id", "first"),
    )
    speed["months"] = dates.months_between(speed["start_date"], speed["latest_date"])
    added = speed["latest_mw"] - speed["start_mw"]
    speed["mw_per_month"] = (added / speed["months"]).where(speed["months"].gt(0))
    ahead = frame[frame["basis"].eq(basis["projected"]) & frame["note"].eq("")]
    last = ahead.groupby("site").agg(
        projected_date=("date", "last"),
        projected_mw=("power_mw", "last"),
        projected_h100e=("h100e", "last"),
    )
    speed = speed.join(last, how="left").reset_index()
    return speed.sort_values("mw_per_month", ascending=False, na_position="last")[columns]


def buildout_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """Power of xAI's sites over time, projections dashed; ``title`` is one or two lines."""
    words = _words("buildout_chart")
    legend, basis = words["legend"], words["basis"]
    return _epoch_chart(
        "line",
        frame,
        title,
        x="date:T",
        y="power_mw:Q",
        color="site:N",
        words=words,
        tooltip=[
            "site:N",
            ("date:T", charts.DAY_FORMAT),
            ("power_mw:Q", ",.0f"),
            ("h100e:Q", ",.0f"),
            "basis:N",
        ],
        source=_source_title(data, _first_source(frame)),
    ).encode(
        color=alt.Color("site:N", title=legend["site"]),
        strokeDash=alt.StrokeDash(
            "basis:N", title=legend["basis"], sort=[basis["observed"], basis["projected"]]
        ),
    )


SPEED_FIELDS = (
    "site",
    "start_date",
    "start_mw",
    "latest_date",
    "latest_mw",
    "latest_h100e",
    "months",
    "mw_per_month",
    "projected_date",
    "projected_mw",
    "projected_h100e",
    "source_id",
)


def buildout_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object]:
    """What the build-out chart's title states: the fastest build (MW added, over how many
    months) with where it ranks among every site's build measured the same way (``peers``),
    and Epoch's largest projection; each None when the edition lacks it."""
    speed = build_speed(frame)
    fastest = speed.dropna(subset=["mw_per_month"]).head(1)
    projected = speed.dropna(subset=["projected_mw"]).sort_values("projected_mw").tail(1)
    if fastest.empty:
        return {"fastest": None, "projected": None, "peers": None}
    row = fastest.iloc[0]
    return {
        "peers": speed_peers(data),
        "fastest": {
            **_values(row, "site", "months"),
            "added_mw": _value(row["latest_mw"] - row["start_mw"]),
        },
        "projected": None
        if projected.empty
        else {
            **_values(projected.iloc[0], "site", "projected_mw", "projected_date"),
            "passed": _passed(data, projected["projected_date"].iloc[0]),
        },
    }


def buildout_text_values(data: Dataset) -> list[dict[str, object]]:
    """Each xAI site's build: first and latest estimate, pace, Epoch's projection (at most
    MAX_XAI_SITES, fastest first; a field is None where Epoch's timeline lacks it)."""
    speed = build_speed(buildout(data)).head(MAX_XAI_SITES)
    return [
        {**_values(row, *SPEED_FIELDS), "projected_passed": _passed(data, row["projected_date"])}
        for _, row in speed.iterrows()
    ]


def projection_note_values(data: Dataset) -> dict[str, object] | None:
    """The day Epoch's copy was taken (None if its source gives none); None with no timeline."""
    frame = buildout(data)
    if frame.empty:
        return None
    source = data.sources.get(str(frame["source_id"].iloc[0]))
    when = (source.accessed or source.published) if source else None
    return {"snapshot": when}


@_cached("epoch_data_centers", "epoch_data_center_timelines", "companies")
def site_speeds(data: Dataset) -> pd.DataFrame:
    """Every Epoch data centre's build speed, measured the same way as xAI's (power added per
    month between its first and latest observed timeline entries), fastest first: ``site``,
    ``mw_per_month``, ``months``, ``latest_mw``, ``latest_date``, ``is_xai``. Sites that added
    no power are left out."""
    columns = ["site", "mw_per_month", "months", "latest_mw", "latest_date", "is_xai", "source_id"]
    centers = _table(data, "epoch_data_centers")
    timelines = _table(data, "epoch_data_center_timelines")
    if centers.empty or timelines.empty:
        return pd.DataFrame(columns=columns)
    seen = timelines[
        timelines["date"].le(timelines["published_date"]) & timelines["power_mw"].notna()
    ]
    seen = seen.sort_values(["data_center", "date"], kind="stable")
    speed = seen.groupby("data_center").agg(
        start_date=("date", "first"),
        start_mw=("power_mw", "first"),
        latest_date=("date", "last"),
        latest_mw=("power_mw", "last"),
        source_id=("source_id", "first"),
    )
    speed["months"] = dates.months_between(speed["start_date"], speed["latest_date"])
    speed["mw_per_month"] = ((speed["latest_mw"] - speed["start_mw"]) / speed["months"]).where(
        speed["months"].gt(0)
    )
    speed = speed[speed["mw_per_month"].gt(0)]
    known = centers.set_index("handle")
    speed = speed[speed.index.isin(known.index)]
    owners = known.loc[speed.index, "owner"]
    speed = speed.assign(
        site=known.loc[speed.index, "title"].fillna(pd.Series(speed.index, index=speed.index)),
        is_xai=model_names.epoch_company_mask(data, owners, XAI).to_numpy(),
    )
    speed = speed.sort_values("mw_per_month", ascending=False, kind="stable")
    return speed[columns].reset_index(drop=True)


def speed_peers(data: Dataset) -> dict[str, object] | None:
    """xAI's fastest build against every other site's, measured the same way: its rank among
    the sites that added power, the fastest other site and the median (None without an xAI
    site in the ranking)."""
    speeds = site_speeds(data)
    xai = speeds[speeds["is_xai"]]
    if xai.empty:
        return None
    best = xai.iloc[0]
    others = speeds[~speeds["is_xai"]]
    return {
        "rank": int(xai.index[0]) + 1,
        "n": len(speeds),
        "site": _value(best["site"]),
        "mw_per_month": float(best["mw_per_month"]),
        "rival": None
        if others.empty
        else _values(others.iloc[0], "site", "mw_per_month", "latest_mw", "months"),
        "median": float(speeds["mw_per_month"].median()),
        "source_id": _value(best["source_id"]),
    }
