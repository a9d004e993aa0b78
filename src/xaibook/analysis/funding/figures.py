"""Funding chapter's charts: the rounds, xAI's valuation, cumulative capital and the peers'
valuations, each with its data and the values its title is written from.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from xaibook import charts, formatting as fmt
from xaibook.analysis.common import labels as _labels
from xaibook.analysis.funding.base import (
    COMPONENT_COLORS,
    DEBT,
    EQUITY,
    LABEL_LIMIT_PX,
    NOT_CLOSED,
    NOT_CLOSED_OPACITY,
    STAGE_SHAPES,
    TARGET,
    UNSPLIT,
    XAI,
    _amount_cell,
    _cell,
    _company_name,
    _compare,
    is_combination,
)
from xaibook.analysis.funding.peers import (
    _latest_closed_valuations,
    _xai_valuation,
    capital_totals,
    cumulative_capital,
    peer_credit_line,
)
from xaibook.data.dataset import Dataset
from xaibook.model.cells import value
from xaibook.model.dates import months_between
from xaibook.model.rounds import COUNTED, RAISING, closed_rounds


def rounds_chart_data(rounds: pd.DataFrame) -> pd.DataFrame:
    """One row per drawn piece: a round's equity, debt or unsplit part, and its target (each
    part named in the template's words: the chart's legend and its CSV show them)."""
    part_names = _labels("funding", "round_parts")
    records = []
    parts = (
        (EQUITY, "equity_usd_bn", "equity_source_id"),
        (DEBT, "debt_usd_bn", "debt_source_id"),
        (UNSPLIT, "unsplit_usd_bn", "unsplit_source_id"),
    )
    for order, (_, row) in enumerate(rounds.iterrows()):
        if fmt.is_missing(row["amount_usd_bn"]):
            continue
        total = _amount_cell(row)
        base = {
            "order": order,
            "record_id": row["round_id"],
            "date": row["date"],
            "round_label": row["round_label"],
            # the combination's status in the table's words: its source gives no terms
            "stage": _cell("status_cell", stage=row["stage"], disputed=False, combination=True)
            if is_combination(row)
            else row["stage"],
            "round_amount_usd_bn": float(row["amount_usd_bn"]),
            "total_label": total,
        }
        drawn = False
        suffix = "" if row["stage"] in COUNTED else NOT_CLOSED
        for component, column, source_column in parts:
            if not fmt.is_missing(row[column]):
                records.append(
                    base
                    | {
                        "component": part_names[component + suffix],
                        "amount_usd_bn": float(row[column]),
                        "source_id": row[source_column],
                    }
                )
                drawn = True
        if not drawn:  # a merger with no amount on record still gets its row and label
            records.append(
                base
                | {
                    "component": part_names["no_money"],
                    "amount_usd_bn": 0.0,
                    "source_id": row["source_id"],
                }
            )
        if not fmt.is_missing(row["target_usd_bn"]):
            records.append(
                base
                | {
                    "component": part_names[TARGET],
                    "amount_usd_bn": float(row["target_usd_bn"]),
                    "source_id": row["source_id"],
                }
            )
    # record_id, date, round_label and round_amount_usd_bn are the model's values under the
    # model's names, in every chapter's chart data: a test compares them across the book
    columns = [
        "order",
        "record_id",
        "date",
        "round_label",
        "stage",
        "component",
        "amount_usd_bn",
        "round_amount_usd_bn",
        "total_label",
        "source_id",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def rounds_title(rounds: pd.DataFrame) -> dict | None:
    """What the round chart's title states: the latest round against its target, or the largest
    round and any round being raised after it. None without a closed round."""
    closed = closed_rounds(rounds)
    if closed.empty:
        return None
    latest = closed.iloc[-1]
    target = value(latest, "target_usd_bn")
    if target is not None and target > 0:
        return {
            "name": latest["round_name"],
            "multiple": latest["amount_usd_bn"] / target,
            "largest": bool(latest["amount_usd_bn"] >= closed["amount_usd_bn"].max()),
        }
    biggest = closed.loc[closed["amount_usd_bn"].idxmax()]
    raising = rounds[(rounds["stage"] == RAISING) & (rounds["date"] > latest["date"])]
    last_raising = raising.iloc[-1] if not raising.empty else None
    return {
        "multiple": None,
        "biggest": float(biggest["amount_usd_bn"]),
        "raising": None
        if last_raising is None
        else {
            "amount": value(last_raising, "amount_usd_bn"),
            "qualifier": value(last_raising, "amount_qualifier"),
        },
    }


def rounds_chart(chart_data: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """Horizontal bars per round, stacked equity / debt / not broken down, a tick at the target."""
    words = _labels("funding", "rounds_chart")
    part_names = _labels("funding", "round_parts")
    target = part_names[TARGET]
    present = set(chart_data["component"]) if not chart_data.empty else set()
    color = alt.Color(
        "component:N",
        title=words["legend"],
        scale=charts.mapped_scale(
            {part_names[code]: c for code, c in COMPONENT_COLORS.items()}, present
        ),
        legend=alt.Legend(columns=2, labelLimit=220),
    )
    labels_in_order = list(dict.fromkeys(chart_data["round_label"])) if present else []
    y = alt.Y(
        "round_label:N",
        title=None,
        sort=labels_in_order,
        axis=alt.Axis(labelLimit=LABEL_LIMIT_PX),
    )
    tooltip = charts.tooltips(
        chart_data,
        ["round_label:N", "stage:N", "component:N", ("amount_usd_bn:Q", ",.1f")],
        words,
    )
    # Room to the right of the longest bar for its text label.
    longest = chart_data.groupby("round_label")["amount_usd_bn"].sum().max() if present else 1
    x = alt.X(
        "amount_usd_bn:Q",
        title=words["x"],
        scale=alt.Scale(domain=[0, float(longest) * 1.35], nice=False),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(x=x.stack("zero"), y=y, color=color, tooltip=tooltip)
        .transform_filter(alt.datum.component != target)
    )
    ticks = (
        alt.Chart()
        .mark_tick(thickness=3, size=charts.BAR_BAND_PX - 6)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
        .transform_filter(alt.datum.component == target)
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=6, color=charts.TEXT_COLOR)
        .encode(x=alt.X("total:Q"), y=y, text="total_label:N")
        .transform_filter(alt.datum.component != target)
        .transform_aggregate(total="sum(amount_usd_bn)", groupby=["round_label", "total_label"])
    )
    return charts.layer_chart(
        chart_data,
        bars,
        ticks,
        labels,
        title=title,
        description=description,
        height=charts.BAR_BAND_PX * max(1, len(labels_in_order)),
    )


def valuation_chart_data(rounds: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "date",
        "round_label",
        "stage",
        "valuation_usd_bn",
        "valuation_label",
        "includes_x",
        "source_id",
    ]
    if rounds.empty:
        return pd.DataFrame(columns=columns)
    words = _labels("funding", "valuation_chart")["includes_x"]
    yes_no = {True: words["yes"], False: words["no"]}
    valued = rounds[rounds["valuation_usd_bn"].notna()]
    return pd.DataFrame(
        {
            "date": valued["date"],
            "round_label": valued["round_label"],
            "stage": valued["stage"],
            "valuation_usd_bn": valued["valuation_usd_bn"],
            "valuation_label": [
                fmt.usd_bn(v, q)
                for v, q in zip(
                    valued["valuation_usd_bn"], valued["valuation_qualifier"], strict=True
                )
            ],
            "includes_x": valued["includes_x"].astype(bool).map(yes_no).tolist(),
            "source_id": valued["valuation_source_id"],
        }
    ).reset_index(drop=True)


def valuation_step_up(rounds: pd.DataFrame) -> dict | None:
    """First and latest closed post-money valuations and the multiple between them."""
    if rounds.empty:
        return None
    # a zero valuation is no base for a multiple: the step-up counts nonzero ones only
    valued = rounds[rounds["stage"].isin(COUNTED) & rounds["valuation_usd_bn"].gt(0)]
    if len(valued) < 2:
        return None
    first, last = valued.iloc[0], valued.iloc[-1]
    return {
        "first": first,
        "last": last,
        "multiple": last["valuation_usd_bn"] / first["valuation_usd_bn"],
        "months": months_between(first["date"], last["date"]),
    }


def _not_closed_opacity() -> alt.OpacityValue:
    """Faded marks for rounds that did not close (a condition: Vega-Lite ignores custom
    opacity ranges on nominal fields)."""
    return alt.condition(
        alt.FieldOneOfPredicate(field="stage", oneOf=list(COUNTED)),
        alt.value(1.0),
        alt.value(NOT_CLOSED_OPACITY),
    )


def _valuation_layers(
    line: alt.Chart,
    points: alt.Chart,
    frame: pd.DataFrame,
    *,
    shape_title: str,
    tooltip: list[alt.Tooltip],
    **encodings: object,
) -> tuple[alt.Chart, alt.Chart]:
    """The valuation charts' two layers: ``line`` through the closed rounds and ``points`` at
    every round of ``frame``, shaped by its stage and faded unless it closed; ``encodings``
    (x, y, colour) are both layers'."""
    stages = set(frame["stage"]) if not frame.empty else set()
    shape = alt.Shape("stage:N", title=shape_title, scale=charts.mapped_scale(STAGE_SHAPES, stages))
    return (
        line.encode(**encodings).transform_filter(
            alt.FieldOneOfPredicate(field="stage", oneOf=list(COUNTED))
        ),
        points.encode(**encodings, shape=shape, opacity=_not_closed_opacity(), tooltip=tooltip),
    )


def valuation_chart(chart_data: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """xAI's post-money valuation per event: a line through closed events, talks as faded points."""
    words = _labels("funding", "valuation_chart")
    x = alt.X(
        "date:T",
        title=words["x"],
        axis=alt.Axis(format=charts.DATE_AXIS_FORMAT),
        scale=alt.Scale(padding=40),  # room for the first and last labels
    )
    y = alt.Y("valuation_usd_bn:Q", title=words["y"])
    line, points = _valuation_layers(
        alt.Chart().mark_line(color=charts.HIGHLIGHT_COLOR),
        alt.Chart().mark_point(filled=True, size=90, color=charts.HIGHLIGHT_COLOR),
        chart_data,
        shape_title=words["legend"],
        tooltip=charts.tooltips(
            chart_data,
            ["round_label:N", "stage:N", "valuation_label:N", "includes_x:N"],
            words,
        ),
        x=x,
        y=y,
    )
    labels = (
        alt.Chart()
        .mark_text(dy=-14, color=charts.TEXT_COLOR)
        .encode(x=x, y=y, text="valuation_label:N")
    )
    return charts.layer_chart(
        chart_data, line, points, labels, title=title, description=description
    )


def cumulative_title(data: Dataset) -> dict | None:
    """What the cumulative chart's title states: xAI's total against each peer's, the
    best-funded first. None if xAI has no closed round."""
    totals = capital_totals(cumulative_capital(data)).set_index("company")
    xai = _company_name(data, XAI)
    if xai not in totals.index:
        return None
    xai_total = float(totals.at[xai, "total_usd_bn"])
    peers = [name for name in totals.index if name != xai]  # largest total first
    return {
        "total": xai_total,
        "to": totals.at[xai, "last"],  # each side's total runs to its own last round
        "peers": [
            _compare(xai_total, totals.at[name, "total_usd_bn"], name)
            | {
                "to": totals.at[name, "last"],
                "total": float(totals.at[name, "total_usd_bn"]),
                "credit_line": peer_credit_line(
                    data, name, xai_total, totals.at[name, "total_usd_bn"]
                ),
            }
            for name in peers
        ],
    }


def cumulative_chart(
    chart_data: pd.DataFrame, title: str, subtitle: str | None, description: str
) -> alt.Chart:
    words = _labels("funding", "cumulative_chart")
    companies = list(chart_data["company"]) if not chart_data.empty else []
    chart = charts.chart(
        "line",
        chart_data,
        "date:T",
        "cumulative_usd_bn:Q",
        title=title,
        words={**words, "description": description},
        color="company:N",
        tooltip=[
            "company:N",
            "round_name:N",
            ("date:T", charts.DAY_FORMAT),
            ("capital_usd_bn:Q", ",.2f"),
            ("cumulative_usd_bn:Q", ",.1f"),
        ],
    )
    chart.mark = alt.MarkDef(type="line", point=True, interpolate="step-after")
    if subtitle:
        chart = chart.properties(title=alt.Title(title, subtitle=subtitle))
    return chart.encode(
        color=alt.Color(
            "company:N", title=words["legend"], scale=charts.company_color_scale(companies)
        )
    )


def comparison_title(data: Dataset, history: pd.DataFrame) -> dict | None:
    """Who leads on the latest valuations set by closed rounds that sold new shares (not
    share sales between holders, not talks), and by how much over xAI, with each side's date.
    None if xAI or every peer lacks one."""
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if latest.empty or xai not in latest.index or len(latest) < 2:
        return None
    leader = latest["valuation_usd_bn"].idxmax()
    return {
        "leader": leader,
        "xai_leads": leader == xai,
        "multiple": latest.at[leader, "valuation_usd_bn"] / latest.at[xai, "valuation_usd_bn"],
        "leader_date": latest.at[leader, "date"],
        "xai_date": latest.at[xai, "date"],
        # xAI's value is approximate where its source hedges it ("about" in the title)
        "approx": _xai_valuation(data, latest.at[xai, "record_id"])["qualifier"]
        not in (None, "exact"),
    }


def comparison_chart(history: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """Valuation at each round, log scale, one line per company through its closed rounds."""
    companies = list(history["company"]) if not history.empty else []
    words = _labels("funding", "comparison_chart")
    x = alt.X("date:T", title=words["x"], axis=alt.Axis(format=charts.DATE_AXIS_FORMAT))
    y = alt.Y("valuation_usd_bn:Q", title=words["y"], scale=alt.Scale(type="log"))
    color = alt.Color(
        "company:N", title=words["legend"], scale=charts.company_color_scale(companies)
    )
    lines, points = _valuation_layers(
        alt.Chart().mark_line(),
        alt.Chart().mark_point(filled=True, size=70),
        history,
        shape_title=words["shape"],
        tooltip=charts.tooltips(
            history,
            [
                "company:N",
                "round_name:N",
                "stage:N",
                ("date:T", charts.DAY_FORMAT),
                "valuation_label:N",
            ],
            words,
        ),
        x=x,
        y=y,
        color=color,
    )
    return charts.layer_chart(history, lines, points, title=title, description=description)
