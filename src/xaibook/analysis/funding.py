"""Funding: how xAI pays for compute.

Everything in the chapter reads one reconciled list of xAI's financing events, ``xai_rounds``:
the curated rounds (the canonical row of each claim) and Epoch AI's rounds for xAI, joined
where a curated row names its Epoch row (``epoch_round_key``). A round that both sources
confirm therefore appears once and keeps both sources; the curated row supplies what the
articles say (SpaceX's stake, a target) and Epoch what they leave out (the debt tranche).

Rules the list follows, and the prose repeats:

* only closed rounds count as money raised; rounds reported in talks (Epoch's "Late
  discussions") or still being raised are shown, marked, and left out of every total;
* the X merger raised no new money: it counts as a closed event with an amount of zero, and
  every valuation from it on is of the combined company, X included;
* a round announced as an equity series with no split is counted as equity; a round whose
  source gives only part of the split keeps the rest as "not broken down".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import altair as alt
import pandas as pd

from xaibook import charts, formatting as fmt
from xaibook.analysis.common import (
    canonical,
    name_md,
    per_dataset as _per_dataset,
    table as _table,
)
from xaibook.chapter import cite
from xaibook.dataset import Dataset
from xaibook.model import names, rounds as model_rounds
from xaibook.model.cells import flag as _flag, number as _number, unique as _unique, value
from xaibook.model.dates import months_between
from xaibook.model.rounds import (
    CLOSED,
    COUNTED,
    CURATED_NOT_CLOSED,
    MERGER,
    RAISING,
    TALKS,
    closed_rounds,
    round_phrase as _round_phrase,
    total_raised,
)
from xaibook.tables import EPOCH_SOURCE_IDS

XAI = "xai"
EPOCH_SOURCE_ID = EPOCH_SOURCE_IDS["epoch_funding_rounds"]
PEERS = ("openai", "anthropic")  # the labs whose Epoch rounds the chapter sets xAI against


EQUITY, DEBT, UNSPLIT, TARGET = "Equity", "Debt", "Not broken down", "Target"
NOT_CLOSED = " (not closed)"  # suffix of a part of a round in talks or being raised
# Parts of rounds that did not close get a light tint of their colour: a legend entry of their
# own, since Vega-Lite ignores custom opacity ranges on nominal fields.
COMPONENT_COLORS = {
    EQUITY: charts.CATEGORY_COLORS[0],
    DEBT: charts.CATEGORY_COLORS[1],
    UNSPLIT: "#7b8794",
    EQUITY + NOT_CLOSED: "#a6cbe3",
    DEBT + NOT_CLOSED: "#f3cf80",
    UNSPLIT + NOT_CLOSED: "#d3d8de",
    TARGET: "#000000",
}
NOT_CLOSED_OPACITY = 0.45
STAGE_SHAPES = {CLOSED: "circle", MERGER: "diamond", RAISING: "triangle-up", TALKS: "square"}
LABEL_LIMIT_PX = 260  # room for round labels on the rounds chart's y axis
COMPANY_COLORS = {
    "xAI": charts.HIGHLIGHT_COLOR,
    "OpenAI": charts.CATEGORY_COLORS[0],
    "Anthropic": charts.CATEGORY_COLORS[2],
}

NEAR_EQUAL = 0.05  # two totals within 5% of each other are "about as much"
TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
MUSK_COMPANY = "Musk company"
SUPPLIER_ROLES = (
    "chip supplier",
    "network-equipment supplier",
    "cloud provider",
    "compute provider",
)
KIND_ROLES = {
    "chipmaker": "chip supplier",
    "network_equipment": "network-equipment supplier",
    "cloud": "cloud provider",
    "neocloud": "compute provider",
    "investor": "investment firm",
    "bank": "bank",
}

# 1. Small helpers -----------------------------------------------------------------------------


def _epoch_name(data: Dataset, company_id: str) -> str:
    return names.epoch_name(data, company_id) or company_id


def _company_name(data: Dataset, company_id: str) -> str:
    return names.company_name(data, company_id)


def _company_names(data: Dataset, company_ids: Iterable[str]) -> dict[str, str]:
    """Display names of a few companies (each looked up by hash, not a dict of every company)."""
    return {c: names.company_name(data, c) for c in dict.fromkeys(str(c) for c in company_ids)}


def _when(date: object, precision: object = "day") -> str:
    return fmt.date(date, str(precision) if precision else "day")


def _month(date: object) -> str:
    return fmt.date(date, "month")


def _outlet(data: Dataset, source_id: object) -> str | None:
    """The publisher of a source as a reader knows it ("36Kr"), or None if uncertain."""
    source = data.sources.get(str(source_id)) if source_id else None
    if source is None or not source.publisher or "unconfirmed" in source.publisher:
        return None
    return TRAILING_PARENTHESIS.sub("", source.publisher).strip() or None


def _compare(value: float, other: float, other_name: str) -> str:
    """'about as much as OpenAI's', '1.4× Anthropic's' or '52% of OpenAI's'."""
    if other <= 0:
        return f"more than {other_name}'s"
    share = value / other
    if abs(share - 1) <= NEAR_EQUAL:
        return f"about as much as {other_name}'s"
    if share > 1:
        return f"{fmt.ratio(share)} {other_name}'s"
    return f"{fmt.percent(share * 100)} of {other_name}'s"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# 2. The reconciled list of xAI's rounds --------------------------------------------------------


def xai_rounds(data: Dataset) -> pd.DataFrame:
    """One row per real xAI financing event, oldest first (``xaibook.model.rounds``)."""
    return model_rounds.rounds(data, XAI)


def epoch_rounds(data: Dataset, company_id: str) -> pd.DataFrame:
    """Epoch AI's rounds of one company (its name in Epoch's files comes from companies.csv)."""
    return model_rounds.epoch_rounds(data, company_id)


# 3. Tables ------------------------------------------------------------------------------------


def _money_cell(value: object, qualifier: object = None) -> object:
    return None if fmt.is_missing(value) else fmt.usd_bn(value, qualifier)


def rounds_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """The reconciled round list as readers see it (text cells; '–' where nothing is known)."""
    columns = [
        "Date",
        "Round",
        "Status",
        "Amount",
        "Equity",
        "Debt",
        "Target",
        "Post-money valuation",
        "Sources",
    ]
    rows = []
    for _, row in rounds.iterrows():
        valuation = _money_cell(row["valuation_usd_bn"], row["valuation_qualifier"])
        if valuation is not None and row["includes_x"]:
            valuation += " (incl. X)"
        if valuation is not None and row["valuation_status"] == "estimate":
            valuation += ", estimate"
        status = row["stage"] + (", disputed" if row["disputed"] else "")
        merger = row["stage"] == MERGER
        rows.append(
            [
                _when(row["date"], row["date_precision"]),
                row["round_name"],
                status,
                "no new money"
                if merger
                else _money_cell(row["amount_usd_bn"], row["amount_qualifier"]),
                None if merger else _money_cell(row["equity_usd_bn"]),
                None if merger else _money_cell(row["debt_usd_bn"]),
                _money_cell(row["target_usd_bn"]),
                valuation,
                row["source_ids"],
            ]
        )
    return pd.DataFrame(rows, columns=columns)


@_per_dataset
def xai_investors(data: Dataset) -> pd.DataFrame:
    """Named investors in xAI's rounds: strategic (suppliers, Musk companies) or financial."""
    columns = [
        "investor",
        "investor_id",
        "investor_type",
        "relationship",
        "round_label",
        "round_phrase",
        "date",
        "amount_usd_bn",
        "source_id",
        "round_source_ids",
    ]
    investments = _table(data, "investments")
    funding = _table(data, "funding_rounds")
    if investments.empty or funding.empty:
        return pd.DataFrame(columns=columns)
    xai_claims = funding.loc[funding["company_id"] == XAI, "claim_id"].dropna().unique()
    investments = canonical(investments[investments["round_id"].isin(xai_claims)])
    rounds = xai_rounds(data).set_index("round_id")
    # Only xAI's investors are looked up: the companies table can hold tens of thousands.
    investor_ids = investments["investor_company_id"].astype(str).unique()
    companies = _table(data, "companies")
    if not companies.empty:
        companies = companies[companies["company_id"].isin(investor_ids)]
    kinds = dict(zip(companies.get("company_id", []), companies.get("kind", []), strict=True))
    musk = dict(
        zip(companies.get("company_id", []), companies.get("is_musk_company", []), strict=True)
    )
    names = _company_names(data, investor_ids)
    records = []
    for _, row in investments.iterrows():
        investor_id = str(row["investor_company_id"])
        if _flag(musk.get(investor_id)):
            role = MUSK_COMPANY
        else:
            kind = kinds.get(investor_id)
            role = KIND_ROLES.get(kind, str(kind).replace("_", " ") if kind else "investor")
        round_id = row["round_id"]
        known = round_id in rounds.index
        label = rounds.at[round_id, "round_label"] if known else round_id
        phrase = _round_phrase(rounds.loc[round_id]) if known else "a round"
        round_sources = _amount_sources(rounds.loc[[round_id]]) if known else []
        records.append(
            {
                "investor": names[investor_id],
                "investor_id": investor_id,
                "investor_type": "Strategic" if _flag(row["is_strategic"]) else "Financial",
                "relationship": role,
                "round_label": label,
                "round_phrase": phrase,
                "date": row["fact_date"],
                "amount_usd_bn": _number(row, "amount_usd_bn"),
                "source_id": row["source_id"],
                "round_source_ids": "; ".join(round_sources),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.sort_values(["investor_type", "date", "investor"], ascending=[False, True, True])


def _in_sentence(name: object) -> str:
    """A round's name inside a sentence: 'Series E' stays, 'Equity round with…' is lowered."""
    text = str(name)
    return text if len(text.split()) <= 2 else text[:1].lower() + text[1:]


def investors_table(investors: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Investor": investors["investor"],
            "Type": investors["investor_type"],
            "Relationship to xAI": [
                text[:1].upper() + text[1:] for text in investors["relationship"]
            ],
            "Round": investors["round_label"],
            "Amount": [_money_cell(value) for value in investors["amount_usd_bn"]],
            "Source": investors["source_id"],
        }
    ).reset_index(drop=True)


# 4. Peers: OpenAI and Anthropic from Epoch, xAI from the reconciled list ------------------------


@_per_dataset
def company_rounds(data: Dataset) -> pd.DataFrame:
    """Rounds of xAI and its peers: company, date, round, stage, capital, valuation, source."""
    columns = [
        "company",
        "date",
        "round_name",
        "stage",
        "capital_usd_bn",
        "valuation_usd_bn",
        "capital_source_id",
        "valuation_source_id",
    ]
    frames = []
    for company_id in (XAI, *PEERS):
        rounds = model_rounds.rounds(data, company_id)
        frames.append(
            pd.DataFrame(
                {
                    "company": rounds["company"] if not rounds.empty else [],
                    "date": rounds["date"],
                    "round_name": rounds["round_name"],
                    "stage": rounds["stage"],
                    "capital_usd_bn": rounds["amount_usd_bn"],
                    "valuation_usd_bn": rounds["valuation_usd_bn"],
                    "capital_source_id": rounds["source_id"],
                    "valuation_source_id": rounds["valuation_source_id"],
                }
            )
        )
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    result = pd.concat(frames, ignore_index=True)[columns]
    result["date"] = pd.to_datetime(result["date"])
    return result.sort_values(["company", "date"], kind="stable").reset_index(drop=True)


def cumulative_capital(data: Dataset) -> pd.DataFrame:
    """Running total of capital raised (equity plus debt) per company, closed rounds only."""
    rounds = company_rounds(data)
    columns = [
        "company",
        "date",
        "round_name",
        "capital_usd_bn",
        "cumulative_usd_bn",
        "source_id",
    ]
    if rounds.empty:
        return pd.DataFrame(columns=columns)
    money = rounds[(rounds["stage"] == CLOSED) & (rounds["capital_usd_bn"] > 0)].copy()
    money = money.rename(columns={"capital_source_id": "source_id"})
    money = money.sort_values(["company", "date"], kind="stable")
    money["cumulative_usd_bn"] = money.groupby("company")["capital_usd_bn"].cumsum().round(3)
    return money[columns].reset_index(drop=True)


def cumulative_extra_sources(data: Dataset) -> tuple[str, ...]:
    """Sources of xAI's round amounts beyond each round's primary source (e.g. Epoch's debt)."""
    return tuple(_amount_sources(closed_rounds(xai_rounds(data))))


def capital_totals(cumulative: pd.DataFrame) -> pd.DataFrame:
    """Per company: total raised, first and last round dates, sources."""
    if cumulative.empty:
        return pd.DataFrame(columns=["company", "total_usd_bn", "first", "last", "sources"])
    grouped = cumulative.groupby("company", sort=False)
    totals = pd.DataFrame(
        {
            "total_usd_bn": grouped["capital_usd_bn"].sum().round(3),
            "first": grouped["date"].min(),
            "last": grouped["date"].max(),
            "sources": grouped["source_id"].agg(lambda ids: _unique(ids)),
        }
    ).reset_index()
    return totals.sort_values(["total_usd_bn", "company"], ascending=[False, True])


def valuation_history(data: Dataset) -> pd.DataFrame:
    """Post-money valuation at each round of xAI and its peers (talks included, marked)."""
    rounds = company_rounds(data)
    if rounds.empty:
        return rounds.assign(valuation_label=pd.Series(dtype="str"))
    history = rounds[rounds["valuation_usd_bn"].notna() & (rounds["valuation_usd_bn"] > 0)]
    history = history.drop(columns=["capital_usd_bn", "capital_source_id"])
    history = history.rename(columns={"valuation_source_id": "source_id"})
    history["valuation_label"] = [fmt.usd_bn(v) for v in history["valuation_usd_bn"]]
    return history.reset_index(drop=True)


def _latest_closed_valuations(history: pd.DataFrame) -> pd.DataFrame:
    closed = history[history["stage"].isin(COUNTED)]
    return closed.sort_values("date").groupby("company", sort=False).tail(1)


# 5. Charts ------------------------------------------------------------------------------------


def _layer(
    data: pd.DataFrame, *layers: alt.Chart, title: str, description: str, height: int
) -> alt.LayerChart:
    """Layers over one data frame, sized and titled like the book's other charts."""
    return alt.layer(*layers, data=data).properties(
        title=alt.Title(title),
        description=description,
        width=charts.CHART_WIDTH_PX,
        height=height,
    )


def _scale(mapping: dict[str, object], present: Iterable[str]) -> alt.Scale:
    domain = [key for key in mapping if key in set(present)] or list(mapping)
    return alt.Scale(domain=domain, range=[mapping[key] for key in domain])


def rounds_chart_data(rounds: pd.DataFrame) -> pd.DataFrame:
    """One row per drawn piece: a round's equity, debt or unsplit part, and its target."""
    records = []
    parts = (
        (EQUITY, "equity_usd_bn", "equity_source_id"),
        (DEBT, "debt_usd_bn", "debt_source_id"),
        (UNSPLIT, "unsplit_usd_bn", "unsplit_source_id"),
    )
    for order, (_, row) in enumerate(rounds.iterrows()):
        if fmt.is_missing(row["amount_usd_bn"]):
            continue
        total = fmt.usd_bn(row["amount_usd_bn"], row["amount_qualifier"])
        if row["stage"] == MERGER:
            total = "no new money"
        base = {
            "order": order,
            "date": row["date"],
            "round_label": row["round_label"],
            "stage": row["stage"],
            "total_label": total,
        }
        drawn = False
        suffix = "" if row["stage"] in COUNTED else NOT_CLOSED
        for component, column, source_column in parts:
            if not fmt.is_missing(row[column]):
                records.append(
                    base
                    | {
                        "component": component + suffix,
                        "amount_usd_bn": float(row[column]),
                        "source_id": row[source_column],
                    }
                )
                drawn = True
        if not drawn:  # a merger with no amount on record still gets its row and label
            records.append(
                base | {"component": EQUITY, "amount_usd_bn": 0.0, "source_id": row["source_id"]}
            )
        if not fmt.is_missing(row["target_usd_bn"]):
            records.append(
                base
                | {
                    "component": TARGET,
                    "amount_usd_bn": float(row["target_usd_bn"]),
                    "source_id": row["source_id"],
                }
            )
    columns = [
        "order",
        "date",
        "round_label",
        "stage",
        "component",
        "amount_usd_bn",
        "total_label",
        "source_id",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def rounds_title(rounds: pd.DataFrame) -> str:
    """The round chart's finding: the latest round against its target, or the largest round."""
    closed = closed_rounds(rounds)
    if closed.empty:
        return "No closed xAI round on record"
    latest = closed.iloc[-1]
    name = latest["round_name"]
    if not fmt.is_missing(latest["target_usd_bn"]) and latest["target_usd_bn"] > 0:
        multiple = latest["amount_usd_bn"] / latest["target_usd_bn"]
        largest = latest["amount_usd_bn"] >= closed["amount_usd_bn"].max()
        return f"xAI's {name} raised {fmt.ratio(multiple)} its target" + (
            ", its largest round" if largest else ""
        )
    biggest = closed.loc[closed["amount_usd_bn"].idxmax()]
    title = f"xAI's largest closed round: {fmt.usd_bn(biggest['amount_usd_bn'])}"
    raising = rounds[(rounds["stage"] == RAISING) & (rounds["date"] > latest["date"])]
    if not raising.empty:
        row = raising.iloc[-1]
        title += f"; {fmt.usd_bn(row['amount_usd_bn'], row['amount_qualifier'])} being raised"
    return title


def rounds_chart(rounds: pd.DataFrame, chart_data: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars per round, stacked equity / debt / not broken down, a tick at the target."""
    present = set(chart_data["component"]) if not chart_data.empty else set()
    color = alt.Color(
        "component:N",
        title="Part of the round",
        scale=_scale(COMPONENT_COLORS, present),
        legend=alt.Legend(columns=2, labelLimit=220),
    )
    labels_in_order = list(dict.fromkeys(chart_data["round_label"])) if present else []
    y = alt.Y(
        "round_label:N",
        title=None,
        sort=labels_in_order,
        axis=alt.Axis(labelLimit=LABEL_LIMIT_PX),
    )
    tooltip = [
        alt.Tooltip("round_label:N", title="Round"),
        alt.Tooltip("stage:N", title="Status"),
        alt.Tooltip("component:N", title="Part"),
        alt.Tooltip("amount_usd_bn:Q", title="USD bn", format=",.1f"),
        alt.Tooltip("source_id:N", title="Source"),
    ]
    # Room to the right of the longest bar for its text label.
    longest = chart_data.groupby("round_label")["amount_usd_bn"].sum().max() if present else 1
    x = alt.X(
        "amount_usd_bn:Q",
        title="Amount (USD billions)",
        scale=alt.Scale(domain=[0, float(longest) * 1.35], nice=False),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(x=x.stack("zero"), y=y, color=color, tooltip=tooltip)
        .transform_filter(alt.datum.component != TARGET)
    )
    ticks = (
        alt.Chart()
        .mark_tick(thickness=3, size=charts.BAR_BAND_PX - 6)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
        .transform_filter(alt.datum.component == TARGET)
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=6, color="#333333")
        .encode(x=alt.X("total:Q"), y=y, text="total_label:N")
        .transform_filter(alt.datum.component != TARGET)
        .transform_aggregate(total="sum(amount_usd_bn)", groupby=["round_label", "total_label"])
    )
    return _layer(
        chart_data,
        bars,
        ticks,
        labels,
        title=rounds_title(rounds),
        description=(
            "Horizontal bars, one per xAI financing event from oldest (top) to newest, split "
            "into equity, debt and amounts the sources do not break down; a black tick marks a "
            "round's target; light tints mark rounds in talks or being raised, not closed."
        ),
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
            "includes_x": ["Yes" if flag else "No" for flag in valued["includes_x"]],
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


def valuation_title(rounds: pd.DataFrame) -> str:
    step = valuation_step_up(rounds)
    if step is None:
        return "xAI's valuation: too few closed rounds to compare"
    last = step["last"]
    return (
        f"xAI's valuation rose {fmt.ratio(step['multiple'])} in {fmt.months(step['months'])}, "
        f"to {fmt.usd_bn(last['valuation_usd_bn'], last['valuation_qualifier'])}"
    )


def _not_closed_opacity() -> alt.OpacityValue:
    """Faded marks for rounds that did not close (a condition: Vega-Lite ignores custom
    opacity ranges on nominal fields)."""
    return alt.condition(
        alt.FieldOneOfPredicate(field="stage", oneOf=list(COUNTED)),
        alt.value(1.0),
        alt.value(NOT_CLOSED_OPACITY),
    )


def valuation_chart(rounds: pd.DataFrame, chart_data: pd.DataFrame) -> alt.LayerChart:
    """xAI's post-money valuation per event: a line through closed events, talks as faded points."""
    x = alt.X(
        "date:T",
        title="Date of the round",
        axis=alt.Axis(format=charts.DATE_AXIS_FORMAT),
        scale=alt.Scale(padding=40),  # room for the first and last labels
    )
    y = alt.Y("valuation_usd_bn:Q", title="Post-money valuation (USD billions)")
    stages = set(chart_data["stage"]) if not chart_data.empty else set()
    tooltip = [
        alt.Tooltip("round_label:N", title="Round"),
        alt.Tooltip("stage:N", title="Status"),
        alt.Tooltip("valuation_label:N", title="Post-money valuation"),
        alt.Tooltip("includes_x:N", title="Includes X"),
        alt.Tooltip("source_id:N", title="Source"),
    ]
    line = (
        alt.Chart()
        .mark_line(color=charts.HIGHLIGHT_COLOR)
        .encode(x=x, y=y)
        .transform_filter(alt.FieldOneOfPredicate(field="stage", oneOf=list(COUNTED)))
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=90, color=charts.HIGHLIGHT_COLOR)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape("stage:N", title="Status", scale=_scale(STAGE_SHAPES, stages)),
            opacity=_not_closed_opacity(),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart().mark_text(dy=-14, color="#333333").encode(x=x, y=y, text="valuation_label:N")
    )
    return _layer(
        chart_data,
        line,
        points,
        labels,
        title=valuation_title(rounds),
        description=(
            "xAI's post-money valuation at each financing event over time: a line joins closed "
            "rounds and the X merger; rounds only in talks are faded points off the line. "
            "Values from the merger on include X."
        ),
        height=charts.CHART_HEIGHT_PX,
    )


def _company_color(companies: Iterable[str]) -> alt.Scale:
    present = list(dict.fromkeys(companies))
    ordered = [c for c in COMPANY_COLORS if c in present] + [
        c for c in present if c not in COMPANY_COLORS
    ]
    spare = iter(charts.CATEGORY_COLORS[3:])
    return alt.Scale(
        domain=ordered, range=[COMPANY_COLORS.get(c) or next(spare, "#000000") for c in ordered]
    )


def cumulative_title(data: Dataset) -> tuple[str, str | None]:
    """(title, subtitle): xAI against the best-funded peer, then against the others."""
    totals = capital_totals(cumulative_capital(data)).set_index("company")
    xai = _company_name(data, XAI)
    if xai not in totals.index:
        return "Capital raised in closed rounds, by company", None
    xai_total = totals.at[xai, "total_usd_bn"]
    peers = [name for name in totals.index if name != xai]  # largest total first
    if not peers:
        return f"xAI has raised {fmt.usd_bn(xai_total)} in closed rounds", None
    title = (
        f"xAI has raised {_compare(xai_total, totals.at[peers[0], 'total_usd_bn'], peers[0])} "
        f"total: {fmt.usd_bn(xai_total)}"
    )
    others = [_compare(xai_total, totals.at[name, "total_usd_bn"], name) for name in peers[1:]]
    subtitle = f"That is {_join(others)} total (closed rounds only)" if others else None
    return title, subtitle


def cumulative_chart(data: Dataset, chart_data: pd.DataFrame) -> alt.Chart:
    companies = list(chart_data["company"]) if not chart_data.empty else []
    title, subtitle = cumulative_title(data)
    chart = charts.line_chart(
        chart_data,
        "date:T",
        "cumulative_usd_bn:Q",
        title=title,
        x_title="Date of the round",
        y_title="Capital raised to date (USD billions)",
        description=(
            "Step lines of the running total of equity and debt raised in closed rounds by "
            "xAI, OpenAI and Anthropic, one step per round; rounds in talks are left out."
        ),
        color="company:N",
        tooltip=[
            alt.Tooltip("company:N", title="Company"),
            alt.Tooltip("round_name:N", title="Round"),
            alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
            alt.Tooltip("capital_usd_bn:Q", title="Raised in round (USD bn)", format=",.2f"),
            alt.Tooltip("cumulative_usd_bn:Q", title="Raised to date (USD bn)", format=",.1f"),
            alt.Tooltip("source_id:N", title="Source"),
        ],
    )
    chart.mark = alt.MarkDef(type="line", point=True, interpolate="step-after")
    if subtitle:
        chart = chart.properties(title=alt.Title(title, subtitle=subtitle))
    return chart.encode(
        color=alt.Color("company:N", title="Company", scale=_company_color(companies))
    )


def comparison_title(data: Dataset, history: pd.DataFrame) -> str:
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if latest.empty or xai not in latest.index or len(latest) < 2:
        return "Post-money valuation at each round, by company"
    leader = latest["valuation_usd_bn"].idxmax()
    if leader == xai:
        return "xAI's latest closed round values it above OpenAI's and Anthropic's"
    multiple = latest.at[leader, "valuation_usd_bn"] / latest.at[xai, "valuation_usd_bn"]
    return f"{leader}'s latest closed round valued it at {fmt.ratio(multiple)} xAI's"


def comparison_chart(data: Dataset, history: pd.DataFrame) -> alt.LayerChart:
    """Valuation at each round, log scale, one line per company through its closed rounds."""
    companies = list(history["company"]) if not history.empty else []
    stages = set(history["stage"]) if not history.empty else set()
    x = alt.X("date:T", title="Date of the round", axis=alt.Axis(format=charts.DATE_AXIS_FORMAT))
    y = alt.Y(
        "valuation_usd_bn:Q",
        title="Post-money valuation (USD billions, log scale)",
        scale=alt.Scale(type="log"),
    )
    color = alt.Color("company:N", title="Company", scale=_company_color(companies))
    tooltip = [
        alt.Tooltip("company:N", title="Company"),
        alt.Tooltip("round_name:N", title="Round"),
        alt.Tooltip("stage:N", title="Status"),
        alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
        alt.Tooltip("valuation_label:N", title="Post-money valuation"),
        alt.Tooltip("source_id:N", title="Source"),
    ]
    lines = (
        alt.Chart()
        .mark_line()
        .encode(x=x, y=y, color=color)
        .transform_filter(alt.FieldOneOfPredicate(field="stage", oneOf=list(COUNTED)))
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=70)
        .encode(
            x=x,
            y=y,
            color=color,
            shape=alt.Shape("stage:N", title="Status", scale=_scale(STAGE_SHAPES, stages)),
            opacity=_not_closed_opacity(),
            tooltip=tooltip,
        )
    )
    return _layer(
        history,
        lines,
        points,
        title=comparison_title(data, history),
        description=(
            "Post-money valuation at each funding round of xAI, OpenAI and Anthropic over time "
            "on a logarithmic axis; lines join closed rounds, faded points are rounds in talks."
        ),
        height=charts.CHART_HEIGHT_PX,
    )


# 6. Sentences ---------------------------------------------------------------------------------

NO_DATA_PARAGRAPH = "No data on this had been published by this edition's date."


def paragraph(text: str | None) -> str:
    """A section's glued text, or an honest notice when this edition has nothing to say."""
    return text or NO_DATA_PARAGRAPH


def _keys(joined: object) -> list[str]:
    """Source keys from a '; '-joined cell (empty or missing: none)."""
    return [] if fmt.is_missing(joined) else [k for k in str(joined).split("; ") if k]


def _row_cite(row: pd.Series) -> str:
    return cite(*_keys(row["source_ids"]))


def _valuation_text(row: pd.Series) -> str:
    text = fmt.usd_bn(row["valuation_usd_bn"], row["valuation_qualifier"])
    if row["valuation_status"] == "estimate":
        text += " (an estimate)"
    return text


def latest_round_sentence(
    data: Dataset, rounds: pd.DataFrame, *, with_uses: bool = False
) -> str | None:
    """The newest round: closed (against its target, if it had one) or still being raised."""
    if rounds.empty:
        return None
    latest = rounds[rounds["stage"].isin((CLOSED, RAISING))]
    if latest.empty:
        return None
    row = latest.iloc[-1]
    unknown = fmt.is_missing(row["amount_usd_bn"])
    amount = (
        "an undisclosed amount"
        if unknown
        else fmt.usd_bn(row["amount_usd_bn"], row["amount_qualifier"])
    )
    if row["stage"] == RAISING:
        return _raising_sentence(data, rounds, row, amount)
    name = name_md(_in_sentence(row["round_name"]))
    when = _when(row["date"], row["date_precision"])
    sources = cite(*_amount_sources(latest.tail(1)))
    if unknown:
        return f"**xAI's latest closed round, its {name}, did not disclose its size** ({when}) " + (
            f"{sources}."
        )
    uses = ""
    if with_uses and row["use_of_funds"]:
        text = str(row["use_of_funds"])
        uses = f" Its stated uses: {name_md(text[:1].lower() + text[1:])}."
    target = row["target_usd_bn"]
    if fmt.is_missing(target) or target <= 0:
        return (
            f"**xAI's latest closed round, its {name}, raised {amount}** ({when}) {sources}.{uses}"
        )
    multiple = row["amount_usd_bn"] / target
    if multiple <= 1:
        return (
            f"**xAI's {name} raised {amount} against a {fmt.usd_bn(target)} target** "
            f"({when}) {sources}.{uses}"
        )
    return (
        f"**xAI's {name} raised {amount}, {fmt.ratio(multiple)} its {fmt.usd_bn(target)} "
        f"target** ({when}) {sources}: demand for its shares ran ahead of its own plan.{uses}"
    )


def _raising_sentence(data: Dataset, rounds: pd.DataFrame, row: pd.Series, amount: str) -> str:
    outlet = _outlet(data, row["source_id"])
    by = f"{outlet}, {_month(row['date'])}" if outlet else _month(row["date"])
    debt = ""
    if not fmt.is_missing(row["debt_usd_bn"]):
        debt = f", including {fmt.usd_bn(row['debt_usd_bn'])} of structured debt{_nvidia(row)}"
    text = (
        f"**A round of {amount} was being raised** ({by}){debt} {cite(row['source_id'])}; it "
        "had not closed by this edition's date, so it is shown but counted in no total"
    )
    raised = total_raised(rounds)
    if raised > 0 and not fmt.is_missing(row["amount_usd_bn"]):
        text += (
            f". At that size it would add {fmt.percent(100 * row['amount_usd_bn'] / raised)} "
            f"to the {fmt.usd_bn(raised)} xAI had raised in closed rounds"
        )
    return text + "."


def _nvidia(row: pd.Series) -> str:
    """' tied to Nvidia purchases' when the round's stated use names Nvidia."""
    uses = str(value(row, "use_of_funds") or "")
    return " tied to Nvidia purchases" if "nvidia" in uses.lower() else ""


def _amount_sources(rows: pd.DataFrame) -> list[str]:
    """Sources of the amounts (not the valuations) of the given rounds."""
    columns = ["source_id", "equity_source_id", "debt_source_id", "unsplit_source_id"]
    return _unique(value for _, row in rows.iterrows() for value in row[columns])


def _cumulative_claim(data: Dataset) -> pd.Series | None:
    """The sources' own 'raised to date' figure for xAI (company_metrics), if loaded."""
    metrics = _table(data, "company_metrics")
    if metrics.empty:
        return None
    rows = canonical(
        metrics[(metrics["company_id"] == XAI) & (metrics["metric"] == "cumulative_funding")]
    )
    return rows.sort_values("fact_date").iloc[-1] if not rows.empty else None


def cumulative_sentence(data: Dataset, rounds: pd.DataFrame) -> str | None:
    """xAI's closed rounds added up, set against the reported total and against its peers."""
    closed = closed_rounds(rounds)
    if closed.empty:
        return None
    total = total_raised(rounds)
    sources = _amount_sources(closed)
    first = closed.iloc[0]
    text = (
        f"**xAI's closed rounds add up to {fmt.usd_bn(total)}** of equity and debt, "
        + (
            f"from {name_md(_round_phrase(first))} to {name_md(_round_phrase(closed.iloc[-1]))} "
            if len(closed) > 1
            else f"all from {name_md(_round_phrase(first))} "
        )
        + cite(*sources)
    )
    claim = _cumulative_claim(data)
    if claim is not None:
        reported = fmt.usd_bn(claim["value"], claim["value_qualifier"])
        text += f"; the press reports {reported} raised to date {cite(claim['source_id'])}"
        short = total < claim["value"] or (
            total == claim["value"] and claim["value_qualifier"] == "more_than"
        )
        if short:
            text += ", the rest coming from rounds neither source itemises"
    totals = capital_totals(cumulative_capital(data)).set_index("company")
    xai = _company_name(data, XAI)
    peers = [name for name in totals.index if name != xai]
    if peers and xai in totals.index:
        parts = [
            f"{_compare(total, totals.at[name, 'total_usd_bn'], name)} "
            f"({fmt.usd_bn(totals.at[name, 'total_usd_bn'])} since "
            f"{fmt.date(totals.at[name, 'first'], 'year')})"
            for name in peers
        ]
        peer_sources = _unique(s for name in peers for s in totals.at[name, "sources"])
        span = months_between(first["date"], closed.iloc[-1]["date"])
        months = f" in {fmt.months(span)} of rounds" if round(span) >= 1 else ""
        best = totals.loc[peers, "total_usd_bn"].max()
        so_what = (
            f"xAI has matched the best-funded lab's capital{months}"
            if total >= (1 - NEAR_EQUAL) * best
            else "xAI still trails the best-funded lab in capital raised"
        )
        text += f". That is {_join(parts)} in Epoch's records {cite(*peer_sources)}: {so_what}"
    return text + "."


def valuation_sentence(rounds: pd.DataFrame) -> str | None:
    """The step-ups, first to latest closed, and what is not counted."""
    step = valuation_step_up(rounds)
    if step is None:
        valued = rounds[rounds["stage"].isin(COUNTED) & rounds["valuation_usd_bn"].notna()]
        if valued.empty:
            return None
        row = valued.iloc[-1]
        return (
            f"**xAI's only closed-round valuation on record is {_valuation_text(row)}**, set at "
            f"{name_md(_round_phrase(row))} {cite(row['valuation_source_id'])}: too few rounds "
            "yet to measure a step-up."
        )
    first, last = step["first"], step["last"]
    text = (
        f"**xAI's post-money valuation rose {fmt.ratio(step['multiple'])} in "
        f"{fmt.months(step['months'])}**, from {fmt.usd_bn(first['valuation_usd_bn'])} at "
        f"{name_md(_round_phrase(first))} to {_valuation_text(last)} at "
        f"{name_md(_round_phrase(last))} "
        f"{cite(first['valuation_source_id'], last['valuation_source_id'])}"
    )
    merger = rounds[(rounds["stage"] == MERGER) & rounds["valuation_usd_bn"].notna()]
    if not merger.empty and last["includes_x"]:
        row = merger.iloc[0]
        text += f"; values from the {_month(row['date'])} merger on include X"
        if _x_value_source(row):
            text += (
                f", worth about {fmt.usd_bn(row['x_value_usd_bn'])} in that deal "
                f"{cite(_x_value_source(row))}"
            )
    talks = rounds[(rounds["stage"] == TALKS) & rounds["valuation_usd_bn"].notna()]
    if not talks.empty:
        row = talks.iloc[-1]
        disputed = ", a report Musk disputed," if row["disputed"] else ""
        text += (
            f". The {fmt.usd_bn(row['valuation_usd_bn'])} of the {_month(row['date'])} talks"
            f"{disputed} is not counted {cite(row['valuation_source_id'])}"
        )
    return (
        text + ". Each step-up lets xAI raise more money for each share it sells, which is what "
        "pays for its compute."
    )


def _x_value_source(merger: pd.Series) -> str | None:
    """Epoch's source for X's value in the merger, if Epoch's note on that round states it."""
    if fmt.is_missing(merger["epoch_round_key"]) or fmt.is_missing(merger["x_value_usd_bn"]):
        return None
    return EPOCH_SOURCE_ID if EPOCH_SOURCE_ID in _keys(merger["source_ids"]) else None


def debt_sentence(data: Dataset, rounds: pd.DataFrame) -> str | None:
    """Debt's share of the latest year that carried debt, and the Nvidia-linked debt reported."""
    closed = closed_rounds(rounds)
    parts = []
    with_debt = closed[closed["debt_usd_bn"].fillna(0) > 0]
    if not with_debt.empty:
        year = pd.Timestamp(with_debt.iloc[-1]["date"]).year
        in_year = closed[closed["date"].dt.year == year]
        debt, total = in_year["debt_usd_bn"].fillna(0).sum(), in_year["raised_usd_bn"].sum()
        sources = _unique(in_year["debt_source_id"].dropna())
        parts.append(
            f"**Debt was {fmt.percent(100 * debt / total)} of the {fmt.usd_bn(total)} xAI raised "
            f"in closed rounds in {year}** ({fmt.usd_bn(debt)}) {cite(*sources)}"
        )
    reports = _debt_reports(data, rounds)
    if not reports.empty:
        row = reports.iloc[-1]
        sized = not fmt.is_missing(row["amount_usd_bn"]) and row["amount_usd_bn"] > 0
        amount = fmt.usd_bn(row["amount_usd_bn"], row["amount_qualifier"]) if sized else ""
        debt = f"{fmt.usd_bn(row['debt_usd_bn'])} of structured debt{_nvidia(row)}"
        outlet = _outlet(data, row["source_id"]) or "a press report"
        canonical_row = rounds[rounds["round_id"] == row["claim_id"]]
        if not canonical_row.empty and canonical_row.iloc[0]["stage"] == CLOSED:
            closed_row = canonical_row.iloc[0]
            parts.append(
                f"{outlet} reported in {_month(row['published_date'])} that the round then being "
                f"raised{f', of {amount},' if sized else ''} included {debt} "
                f"{cite(row['source_id'])}; the "
                f"{name_md(closed_row['round_name'])} as announced mentions no debt "
                f"{cite(closed_row['source_id'])}, so this book counts it as equity and the "
                "split stays unconfirmed"
            )
        elif sized:
            share = 100 * row["debt_usd_bn"] / row["amount_usd_bn"]
            parts.append(
                f"the round being raised would be {fmt.percent(share)} debt "
                f"({fmt.usd_bn(row['debt_usd_bn'])} of {amount}, structured debt{_nvidia(row)}; "
                f"{outlet}, {_month(row['published_date'])}) {cite(row['source_id'])}"
            )
        else:
            parts.append(
                f"the round being raised would include {debt} ({outlet}, "
                f"{_month(row['published_date'])}) {cite(row['source_id'])}"
            )
    if not parts:
        return None
    return (
        "; ".join(parts) + ". Debt has to be serviced whatever Grok earns, and debt tied to chip "
        "purchases makes the supplier's terms part of xAI's financing."
    )


def _debt_reports(data: Dataset, rounds: pd.DataFrame) -> pd.DataFrame:
    """Curated xAI rows (any rank) that put a debt figure on a round not yet confirmed closed.

    They are the rows whose debt does not appear in the reconciled list as a closed round's debt.
    """
    funding = _table(data, "funding_rounds")
    if funding.empty:
        return funding
    rows = funding[(funding["company_id"] == XAI) & funding["debt_usd_bn"].notna()]
    rows = rows[rows["status"].isin(CURATED_NOT_CLOSED)]
    return rows.sort_values("published_date")


def _with_article(text: str) -> str:
    return ("an " if text[:1].lower() in "aeiou" else "a ") + text


def _investor_names(frame: pd.DataFrame) -> str:
    return _join([name_md(name) for name in frame["investor"]])


def investors_sentence(investors: pd.DataFrame) -> str | None:
    if investors.empty:
        return None
    strategic = investors[investors["investor_type"] == "Strategic"]
    financial = investors[investors["investor_type"] != "Strategic"]
    if strategic.empty:
        return (
            f"All {fmt.count(len(financial))} investors named in xAI's rounds are financial "
            f"investors: {_investor_names(financial)} {cite(*_unique(financial['source_id']))}."
        )
    groups = []
    for phrase, group in strategic.groupby("round_phrase", sort=False):
        names = []
        for _, row in group.iterrows():
            amount = (
                f", {fmt.usd_bn(row['amount_usd_bn'])}"
                if not fmt.is_missing(row["amount_usd_bn"])
                else ""
            )
            role = name_md(_with_article(row["relationship"]))
            names.append(f"{name_md(row['investor'])} ({role}{amount})")
        groups.append(f"{_join(names)} in {name_md(phrase)}")
    round_sources = [key for ids in strategic["round_source_ids"] for key in _keys(ids)]
    sources = cite(*_unique([*strategic["source_id"], *round_sources]))
    count = len(investors)
    opener = (
        f"**{fmt.count(len(strategic))} of the {fmt.count(count)} investors named in xAI's rounds "
        f"are strategic**"
        if count > len(strategic)
        else f"**The only investor{'s' if count > 1 else ''} named in this edition's data "
        f"{'are' if count > 1 else 'is'} strategic**"
    )
    roles = set(strategic["relationship"])
    so_what = []
    if roles & set(SUPPLIER_ROLES):
        so_what.append(
            "suppliers' money partly returns to them as xAI's purchases of their chips and "
            "networking"
        )
    if MUSK_COMPANY in roles:
        so_what.append("a Musk company's stake moves money within Musk's own group")
    if not so_what:
        so_what.append("strategic money comes with commercial ties")
    consequence = "; ".join(so_what)
    return (
        f"{opener}: {'; '.join(groups)} {sources}. {consequence[:1].upper()}{consequence[1:]}: "
        "the headline amounts overstate the independent outside money behind xAI."
    )


def financial_investors_sentence(investors: pd.DataFrame) -> str | None:
    financial = (
        investors[investors["investor_type"] == "Financial"] if not investors.empty else investors
    )
    if financial.empty:
        return None if investors.empty else "No financial investor is named in this edition's data."
    return (
        f"The financial investors named are {_investor_names(financial)} "
        f"{cite(*_unique(financial['source_id']))}: investment firms and state-backed funds "
        "whose return depends on xAI's value alone, not on selling it anything."
    )


def findings(data: Dataset) -> str:
    """Three to five key findings as a markdown bullet list, each with its citations."""
    rounds = xai_rounds(data)
    items = [
        latest_round_sentence(data, rounds),
        cumulative_sentence(data, rounds),
        valuation_sentence(rounds),
        debt_sentence(data, rounds),
        investors_sentence(xai_investors(data)),
    ]
    items = [item for item in items if item]
    if not items:
        return "- No xAI funding round had been published by this edition's date."
    return "\n".join(f"- {item}" for item in items)


def rounds_overview(rounds: pd.DataFrame) -> str:
    """What the reconciled list holds and what it counts."""
    if rounds.empty:
        return "No xAI financing event had been published by this edition's date."
    counts = rounds["stage"].value_counts()
    sources = _unique(key for ids in rounds["source_ids"] for key in _keys(ids))
    pieces = []
    for stage, singular, plural in (
        (CLOSED, "closed round", "closed rounds"),
        (MERGER, "merger that raised no new money", "mergers that raised no new money"),
        (RAISING, "round being raised", "rounds being raised"),
        (TALKS, "round reported in talks", "rounds reported in talks"),
    ):
        number = int(counts.get(stage, 0))
        if number:
            pieces.append(f"{fmt.count(number)} {singular if number == 1 else plural}")
    both = rounds[rounds["source_ids"].str.contains(";", regex=False)]
    first, last = _month(rounds.iloc[0]["date"]), _month(rounds.iloc[-1]["date"])
    events = "event" if len(rounds) == 1 else "events"
    text = (
        f"The list below holds {fmt.count(len(rounds))} xAI financing {events} "
        f"{f'from {first} to {last}' if first != last else f'in {first}'}: "
        f"{_join(pieces)} {cite(*sources)}."
    )
    if len(both) == 1:
        text += " One of them is confirmed by two sources and keeps both."
    elif len(both) > 1:
        text += (
            f" {fmt.count(len(both))} of them are confirmed by more than one source and keep "
            "every source."
        )
    not_counted = rounds[~rounds["stage"].isin(COUNTED)]
    if not not_counted.empty:
        text += " Rounds not closed are drawn faded and left out of every total."
    return text


def merger_sentence(rounds: pd.DataFrame) -> str | None:
    merger = rounds[rounds["stage"] == MERGER] if not rounds.empty else rounds
    if merger.empty:
        return None
    row = merger.iloc[0]
    text = (
        f"In {_month(row['date'])} xAI merged with X, formerly Twitter. The deal raised no new "
        f"money, so it adds nothing to the capital raised"
    )
    if not fmt.is_missing(row["valuation_usd_bn"]):
        value = row["valuation_usd_bn"]
        text += f", but it valued the combined company at {_valuation_text(row)}"
        x_value = row["x_value_usd_bn"]
        if _x_value_source(row) and not fmt.is_missing(x_value) and value > x_value:
            text += (
                f", of which X accounted for about {fmt.usd_bn(x_value)}, "
                f"leaving about {fmt.usd_bn(value - x_value)} for xAI itself"
            )
    return (
        text + f" {_row_cite(row)}. Every valuation after it is of xAI and X together, so the "
        "step-ups from then on are not a like-for-like comparison with 2024."
    )


def joined_rounds_sentence(data: Dataset, rounds: pd.DataFrame) -> str | None:
    """Rounds where the article and Epoch describe the same money differently."""
    if rounds.empty:
        return None
    joined = rounds[rounds["epoch_round_key"].notna() & (rounds["stage"] == CLOSED)]
    joined = joined[joined["source_ids"].str.contains(";", regex=False)]
    texts = []
    for _, row in joined.iterrows():
        if fmt.is_missing(row["debt_usd_bn"]) or row["debt_source_id"] == row["source_id"]:
            continue
        outlet = _outlet(data, row["source_id"]) or "A press report"
        epoch_source = row["debt_source_id"]
        reported = (
            f" of {fmt.usd_bn(row['reported_usd_bn'])}"
            if not fmt.is_missing(row["reported_usd_bn"])
            else ""
        )
        text = (
            f"In {_month(row['reported_on'])}, {outlet} reported an equity round{reported} "
            f"{cite(row['source_id'])}; Epoch AI records the same raise as "
            f"{fmt.usd_bn(row['equity_usd_bn'])} of equity plus {fmt.usd_bn(row['debt_usd_bn'])} "
            f"of debt, closing on {_when(row['date'])}"
        )
        if not fmt.is_missing(row["valuation_usd_bn"]):
            text += f" at a post-money valuation of {_valuation_text(row)}"
        text += (
            f" {cite(epoch_source)}. The book counts it once, as "
            f"{fmt.usd_bn(row['amount_usd_bn'])}."
        )
        texts.append(text)
    return " ".join(texts) or None


def spacex_sentence(investors: pd.DataFrame) -> str | None:
    """Strategic investors with a stated amount (SpaceX's commitment)."""
    if investors.empty:
        return None
    stated = investors[
        (investors["investor_type"] == "Strategic") & investors["amount_usd_bn"].notna()
    ]
    texts = []
    for _, row in stated.iterrows():
        sources = cite(row["source_id"], *_keys(row["round_source_ids"]))
        musk = row["relationship"] == MUSK_COMPANY
        texts.append(
            f"{name_md(row['investor'])}{', another Musk company,' if musk else ''} committed "
            f"{fmt.usd_bn(row['amount_usd_bn'])} to {name_md(row['round_phrase'])} {sources}"
            + (
                ", a move the report presented as deepening the integration between Musk's "
                "companies."
                if musk
                else "."
            )
        )
    return " ".join(texts) or None


def talks_sentence(rounds: pd.DataFrame) -> str | None:
    talks = rounds[rounds["stage"] == TALKS] if not rounds.empty else rounds
    texts = []
    for _, row in talks.iterrows():
        amount = (
            fmt.usd_bn(row["amount_usd_bn"])
            if not fmt.is_missing(row["amount_usd_bn"])
            else "an undisclosed amount"
        )
        valuation = (
            f" at a {_valuation_text(row)} valuation"
            if not fmt.is_missing(row["valuation_usd_bn"])
            else ""
        )
        disputed = "; Musk disputed the report" if row["disputed"] else ""
        texts.append(
            f"Epoch AI also lists a round of {amount}{valuation}, reported on "
            f"{_when(row['date'])} as in late discussions{disputed} {_row_cite(row)}. No source "
            "here confirms it closed, so it is drawn faded and not counted."
        )
    return " ".join(texts) or None


def series_e_sentence(data: Dataset, rounds: pd.DataFrame) -> str:
    """The latest round in full: amount, target, valuation (and alternatives), or 'being raised'."""
    latest = latest_round_sentence(data, rounds, with_uses=True)
    if latest is None:
        return "No xAI round had closed or was being raised by this edition's date."
    text = latest
    rows = rounds[rounds["stage"].isin((CLOSED, RAISING))]
    row = rows.iloc[-1]
    if row["stage"] == CLOSED and not fmt.is_missing(row["valuation_usd_bn"]):
        text += (
            f" The round valued xAI at {_valuation_text(row)} {cite(row['valuation_source_id'])}"
        )
        for alt_row in _valuation_alternatives(data, row["round_id"]).itertuples():
            same = (
                alt_row.valuation_usd_bn == row["valuation_usd_bn"]
                and alt_row.value_qualifier == row["valuation_qualifier"]
            )
            if alt_row.source_id == row["valuation_source_id"] or same:
                continue
            kind = (
                "an estimate made before the round was priced"
                if alt_row.status == "estimate"
                else "another report"
            )
            value = fmt.usd_bn(alt_row.valuation_usd_bn, alt_row.value_qualifier)
            text += f"; {kind} put it at {value} {cite(alt_row.source_id)}"
            break
        text += "."
    return text


def _valuation_alternatives(data: Dataset, round_id: object) -> pd.DataFrame:
    valuations = _table(data, "valuations")
    if valuations.empty:
        return valuations
    rows = valuations[(valuations["company_id"] == XAI) & (valuations["round_id"] == round_id)]
    return rows.sort_values("claim_rank")


def peers_valuation_sentence(data: Dataset, history: pd.DataFrame) -> str | None:
    """Latest closed valuations side by side, plus the peers' newer press valuations."""
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if xai not in latest.index:
        return None
    xai_value = latest.at[xai, "valuation_usd_bn"]
    peers = [name for name in latest.index if name != xai]
    if not peers:
        return None
    parts = [
        f"{name_md(name)} at {fmt.usd_bn(latest.at[name, 'valuation_usd_bn'])} "
        f"({_month(latest.at[name, 'date'])})"
        for name in peers
    ]
    text = (
        f"At their latest closed rounds in the data, xAI was valued at {fmt.usd_bn(xai_value)} "
        f"({_month(latest.at[xai, 'date'])}), {_join(parts)} "
        f"{cite(*_unique(latest.loc[[xai, *peers], 'source_id']))}"
    )
    press = _peer_press_valuations(data)
    if not press.empty:
        quoted = [
            f"{name_md(row.company)} at {fmt.usd_bn(row.valuation_usd_bn, row.value_qualifier)}"
            for row in press.itertuples()
        ]
        shares = [
            f"{fmt.percent(100 * xai_value / row.valuation_usd_bn)} of {name_md(row.company)}'s"
            for row in press.itertuples()
            if row.valuation_usd_bn > 0
        ]
        text += (
            f". Press reports of {_month(press['fact_date'].max())} put "
            f"{_join(quoted)} {cite(*_unique(press['source_id']))}; on those figures xAI's "
            f"valuation is {_join(shares)}"
        )
    return text + ". Closing the gap in value depends on revenue as much as on compute."


def _peer_press_valuations(data: Dataset) -> pd.DataFrame:
    valuations = _table(data, "valuations")
    if valuations.empty:
        return valuations
    rows = canonical(valuations[valuations["company_id"].isin(PEERS)])
    rows = rows.sort_values("fact_date").groupby("company_id").tail(1).copy()
    names = _company_names(data, rows["company_id"])
    rows["company"] = rows["company_id"].astype(str).map(names)
    return rows.sort_values("company")


def epoch_snapshot(data: Dataset) -> dict[str, object] | None:
    """When Epoch AI's funding rounds were taken, and their source; None without them."""
    source = data.sources.get("epoch2025aicompanies")
    if _table(data, "epoch_funding_rounds").empty or source is None:
        return None
    return {"date": source.accessed or source.published, "source_id": source.key}


def headline(data: Dataset) -> str:
    """The chapter's headline numbers, one per line, for the nbval check cell."""
    rounds = xai_rounds(data)
    lines = [
        f"events: {len(rounds)}; closed: {len(closed_rounds(rounds))}; "
        f"not closed: {int((~rounds['stage'].isin(COUNTED)).sum()) if not rounds.empty else 0}",
        f"xAI raised (closed): {total_raised(rounds):.1f} USD bn",
    ]
    step = valuation_step_up(rounds)
    if step is not None:
        lines.append(
            f"valuation: {step['first']['valuation_usd_bn']:.1f} -> "
            f"{step['last']['valuation_usd_bn']:.1f} USD bn ({step['multiple']:.1f}x)"
        )
    totals = capital_totals(cumulative_capital(data))
    for row in totals.itertuples():
        lines.append(f"cumulative {row.company}: {row.total_usd_bn:.1f} USD bn")
    investors = xai_investors(data)
    strategic = sorted(investors.loc[investors["investor_type"] == "Strategic", "investor"])
    lines.append(f"strategic investors: {', '.join(strategic) or 'none'}")
    return "\n".join(lines)
