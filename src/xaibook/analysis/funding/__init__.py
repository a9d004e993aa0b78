"""Funding: how xAI pays for compute.

Everything in the chapter reads one reconciled list of xAI's financing events, ``xai_rounds``:
the curated rounds (the canonical row of each claim) and Epoch AI's rounds for xAI, joined
where a curated row names its Epoch row (``epoch_round_key``). A round that both sources
confirm therefore appears once and keeps both sources; the curated row supplies what the
articles say (SpaceX's stake, a target) and Epoch what they leave out (the debt tranche).

Rules the list follows, and the chapter's text repeats (its words are in chapters/funding.md.j2;
this module gives the values they are written from):

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

from xaibook import charts, formatting as fmt, paths, prose
from xaibook.analysis.common import (
    canonical,
    labels as _labels,
    per_dataset as _per_dataset,
    table as _table,
)
from xaibook.dataset import Dataset
from xaibook.model import (
    metrics as model_metrics,
    names,
    rounds as model_rounds,
    valuations as model_valuations,
)
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
    total_raised,
)
from xaibook.tables import EPOCH_SOURCE_IDS

XAI = "xai"
EPOCH_SOURCE_ID = EPOCH_SOURCE_IDS["epoch_funding_rounds"]
PEERS = ("openai", "anthropic")  # the labs whose Epoch rounds the chapter sets xAI against


# The parts of a round the round chart draws (codes; the template's ``round_parts`` names them).
EQUITY, DEBT, UNSPLIT, TARGET = "equity", "debt", "unsplit", "target"
NOT_CLOSED = "_not_closed"  # suffix of a part of a round in talks or being raised
# Parts of rounds that did not close get a light tint of their colour: a legend entry of their
# own, since Vega-Lite ignores custom opacity ranges on nominal fields.
_PART_COLORS = {
    EQUITY: charts.CATEGORY_COLORS[0],
    DEBT: charts.CATEGORY_COLORS[1],
    UNSPLIT: charts.MUTED_COLOR,
}
COMPONENT_COLORS = {
    **_PART_COLORS,
    **{part + NOT_CLOSED: charts.tint(color) for part, color in _PART_COLORS.items()},
    TARGET: charts.REFERENCE_COLOR,
}
NOT_CLOSED_OPACITY = 0.45
STAGE_SHAPES = {CLOSED: "circle", MERGER: "diamond", RAISING: "triangle-up", TALKS: "square"}
LABEL_LIMIT_PX = 260  # room for round labels on the rounds chart's y axis

# the stages as the text template names them (funding.md.j2's ``overview``), in reading order
STAGE_CODES = {CLOSED: "closed", MERGER: "merger", RAISING: "raising", TALKS: "talks"}
TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "funding.ipynb")

NEAR_EQUAL = 0.05  # two totals within 5% of each other are "about as much"
TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
# An investor's relationship to xAI is its kind in companies.csv (the template's
# ``investor_roles`` names each), or one of these codes; its type is strategic or financial.
MUSK_COMPANY, UNKNOWN_KIND = "musk_company", "unknown"
SUPPLIER_ROLES = ("chipmaker", "network_equipment", "cloud", "neocloud")
STRATEGIC, FINANCIAL = "strategic", "financial"

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


def _outlet(data: Dataset, source_id: object) -> str | None:
    """The publisher of a source as a reader knows it ("36Kr"), or None if uncertain."""
    source = data.sources.get(str(source_id)) if source_id else None
    if source is None or not source.publisher or "unconfirmed" in source.publisher:
        return None
    return TRAILING_PARENTHESIS.sub("", source.publisher).strip() or None


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


def _cell(macro: str, **values: object) -> str | None:
    """A table cell or chart label the text template writes (None where it writes nothing)."""
    return prose.render_text(TEMPLATE, macro, **values) or None


def _amount_cell(row: pd.Series) -> str | None:
    """A round's amount as its row and bar label show it (a merger's says it raised nothing)."""
    return _cell(
        "amount_cell",
        merger=row["stage"] == MERGER,
        amount=value(row, "amount_usd_bn"),
        qualifier=value(row, "amount_qualifier"),
    )


def rounds_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """The reconciled round list as readers see it (text cells; '–' where nothing is known)."""
    columns = list(_labels("funding", "rounds_columns").values())
    rows = []
    for _, row in rounds.iterrows():
        worth = _valuation(row)
        worth = None if worth is None else worth | {"includes_x": bool(row["includes_x"])}
        valuation = _cell("valuation_cell", v=worth)
        status = _cell("status_cell", stage=row["stage"], disputed=bool(row["disputed"]))
        merger = row["stage"] == MERGER
        rows.append(
            [
                _when(row["date"], row["date_precision"]),
                row["round_name"],
                status,
                _amount_cell(row),
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
        "round_id",
        "round_label",
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
        role = MUSK_COMPANY if _flag(musk.get(investor_id)) else kinds.get(investor_id)
        round_id = row["round_id"]
        known = round_id in rounds.index
        label = rounds.at[round_id, "round_label"] if known else round_id
        round_sources = _amount_sources(rounds.loc[[round_id]]) if known else []
        records.append(
            {
                "investor": names[investor_id],
                "investor_id": investor_id,
                "investor_type": STRATEGIC if _flag(row["is_strategic"]) else FINANCIAL,
                "relationship": str(role) if role else UNKNOWN_KIND,
                "round_id": round_id,
                "round_label": label,
                "date": row["fact_date"],
                "amount_usd_bn": _number(row, "amount_usd_bn"),
                "source_id": row["source_id"],
                "round_source_ids": "; ".join(round_sources),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.sort_values(["investor_type", "date", "investor"], ascending=[False, True, True])


def _role(code: str) -> str:
    """An investor's relationship to xAI in the template's words (a kind it does not name is
    shown as it is)."""
    roles = _labels("funding", "investor_roles")
    return roles.get(code, code.replace("_", " "))


def investors_table(investors: pd.DataFrame) -> pd.DataFrame:
    header = _labels("funding", "investors_columns")
    types = _labels("funding", "investor_types")
    return pd.DataFrame(
        {
            header["investor"]: investors["investor"],
            header["type"]: investors["investor_type"].map(types),
            header["relationship"]: [
                _role(code)[:1].upper() + _role(code)[1:] for code in investors["relationship"]
            ],
            header["round"]: investors["round_label"],
            header["amount"]: [_money_cell(value) for value in investors["amount_usd_bn"]],
            header["source"]: investors["source_id"],
        }
    ).reset_index(drop=True)


# 4. Peers: OpenAI and Anthropic from Epoch, xAI from the reconciled list ------------------------


@_per_dataset
def company_rounds(data: Dataset) -> pd.DataFrame:
    """Rounds of xAI and its peers: company, date, round, stage, capital, valuation, source."""
    columns = [
        "company",
        "record_id",
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
                    "record_id": rounds["round_id"],
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
        "record_id",
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
            "stage": row["stage"],
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
                    "component": part_names[EQUITY],
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
    tip = words["tooltip"]
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
    tooltip = [
        alt.Tooltip("round_label:N", title=tip["round"]),
        alt.Tooltip("stage:N", title=tip["status"]),
        alt.Tooltip("component:N", title=tip["part"]),
        alt.Tooltip("amount_usd_bn:Q", title=tip["amount"], format=",.1f"),
        alt.Tooltip("source_id:N", title=tip["source"]),
    ]
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


def valuation_chart(chart_data: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """xAI's post-money valuation per event: a line through closed events, talks as faded points."""
    words = _labels("funding", "valuation_chart")
    tip = words["tooltip"]
    x = alt.X(
        "date:T",
        title=words["x"],
        axis=alt.Axis(format=charts.DATE_AXIS_FORMAT),
        scale=alt.Scale(padding=40),  # room for the first and last labels
    )
    y = alt.Y("valuation_usd_bn:Q", title=words["y"])
    stages = set(chart_data["stage"]) if not chart_data.empty else set()
    tooltip = [
        alt.Tooltip("round_label:N", title=tip["round"]),
        alt.Tooltip("stage:N", title=tip["status"]),
        alt.Tooltip("valuation_label:N", title=tip["valuation"]),
        alt.Tooltip("includes_x:N", title=tip["includes_x"]),
        alt.Tooltip("source_id:N", title=tip["source"]),
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
            shape=alt.Shape(
                "stage:N", title=words["legend"], scale=charts.mapped_scale(STAGE_SHAPES, stages)
            ),
            opacity=_not_closed_opacity(),
            tooltip=tooltip,
        )
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
        "peers": [_compare(xai_total, totals.at[name, "total_usd_bn"], name) for name in peers],
    }


def cumulative_chart(
    chart_data: pd.DataFrame, title: str, subtitle: str | None, description: str
) -> alt.Chart:
    words = _labels("funding", "cumulative_chart")
    tip = words["tooltip"]
    companies = list(chart_data["company"]) if not chart_data.empty else []
    chart = charts.line_chart(
        chart_data,
        "date:T",
        "cumulative_usd_bn:Q",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=description,
        color="company:N",
        tooltip=[
            alt.Tooltip("company:N", title=tip["company"]),
            alt.Tooltip("round_name:N", title=tip["round"]),
            alt.Tooltip("date:T", title=tip["date"], format="%d %b %Y"),
            alt.Tooltip("capital_usd_bn:Q", title=tip["raised"], format=",.2f"),
            alt.Tooltip("cumulative_usd_bn:Q", title=tip["to_date"], format=",.1f"),
            alt.Tooltip("source_id:N", title=tip["source"]),
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
    """Who leads on the latest closed valuations, and by how much over xAI. None if xAI or
    every peer lacks one."""
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if latest.empty or xai not in latest.index or len(latest) < 2:
        return None
    leader = latest["valuation_usd_bn"].idxmax()
    return {
        "leader": leader,
        "xai_leads": leader == xai,
        "multiple": latest.at[leader, "valuation_usd_bn"] / latest.at[xai, "valuation_usd_bn"],
    }


def comparison_chart(history: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """Valuation at each round, log scale, one line per company through its closed rounds."""
    companies = list(history["company"]) if not history.empty else []
    stages = set(history["stage"]) if not history.empty else set()
    words = _labels("funding", "comparison_chart")
    tip = words["tooltip"]
    x = alt.X("date:T", title=words["x"], axis=alt.Axis(format=charts.DATE_AXIS_FORMAT))
    y = alt.Y("valuation_usd_bn:Q", title=words["y"], scale=alt.Scale(type="log"))
    color = alt.Color(
        "company:N", title=words["legend"], scale=charts.company_color_scale(companies)
    )
    tooltip = [
        alt.Tooltip("company:N", title=tip["company"]),
        alt.Tooltip("round_name:N", title=tip["round"]),
        alt.Tooltip("stage:N", title=tip["status"]),
        alt.Tooltip("date:T", title=tip["date"], format="%d %b %Y"),
        alt.Tooltip("valuation_label:N", title=tip["valuation"]),
        alt.Tooltip("source_id:N", title=tip["source"]),
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
            shape=alt.Shape(
                "stage:N", title=words["shape"], scale=charts.mapped_scale(STAGE_SHAPES, stages)
            ),
            opacity=_not_closed_opacity(),
            tooltip=tooltip,
        )
    )
    return charts.layer_chart(history, lines, points, title=title, description=description)


# 6. The values the chapter's text template (chapters/funding.md.j2) writes sentences from -----
#
# Each function returns plain values (None for missing, dates as Timestamps, money in USD bn,
# sources as lists of keys), or None / [] when this edition has nothing to say: the template
# then prints its notice.


def _keys(joined: object) -> list[str]:
    """Source keys from a '; '-joined cell (empty or missing: none)."""
    return [] if fmt.is_missing(joined) else [k for k in str(joined).split("; ") if k]


def _round_ref(row: pd.Series) -> dict:
    """What the template needs to name a round in a sentence (its ``round_phrase``)."""
    name = str(row["round_name"])
    kind = "merger" if row["stage"] == MERGER else "named" if len(name.split()) <= 2 else "round"
    return {"kind": kind, "name": name, "date": row["date"]}


def _valuation(row: pd.Series) -> dict | None:
    """A round's valuation (value, qualifier, whether an estimate), or None."""
    worth = value(row, "valuation_usd_bn")
    if worth is None:
        return None
    return {
        "value": float(worth),
        "qualifier": value(row, "valuation_qualifier"),
        "estimate": row["valuation_status"] == "estimate",
    }


def _nvidia(row: pd.Series) -> bool:
    """Whether the round's stated use names Nvidia."""
    return "nvidia" in str(value(row, "use_of_funds") or "").lower()


def _amount_sources(rows: pd.DataFrame) -> list[str]:
    """Sources of the amounts (not the valuations) of the given rounds."""
    columns = ["source_id", "equity_source_id", "debt_source_id", "unsplit_source_id"]
    return _unique(value for _, row in rows.iterrows() for value in row[columns])


def _compare(value: float, other: float, other_name: str) -> dict:
    """How xAI's ``value`` compares with a peer's ``other`` (the template's ``compare``)."""
    share = value / other if other > 0 else None
    if share is None:
        relation = "more"
    elif abs(share - 1) <= NEAR_EQUAL:
        relation = "about"
    else:
        relation = "above" if share > 1 else "below"
    return {
        "name": other_name,
        "relation": relation,
        "share": share,
        "share_pct": None if share is None else share * 100,
    }


def latest_round(data: Dataset, rounds: pd.DataFrame) -> dict | None:
    """The newest round closed or being raised: its size against its target, or what is
    known of it while it is raised. None if there is none."""
    if rounds.empty:
        return None
    latest = rounds[rounds["stage"].isin((CLOSED, RAISING))]
    if latest.empty:
        return None
    row = latest.iloc[-1]
    amount, target = value(row, "amount_usd_bn"), value(row, "target_usd_bn")
    target = float(target) if target is not None and target > 0 else None
    name = str(row["round_name"])
    result = {
        "stage": "raising" if row["stage"] == RAISING else "closed",
        "name": name,
        "long_name": len(name.split()) > 2,
        "date": row["date"],
        "date_precision": value(row, "date_precision") or "day",
        "amount": None if amount is None else float(amount),
        "amount_qualifier": value(row, "amount_qualifier"),
        "target": target,
        "multiple": amount / target if amount is not None and target else None,
        "uses": value(row, "use_of_funds"),
        "source_ids": _amount_sources(latest.tail(1)),
    }
    if row["stage"] == RAISING:
        raised = total_raised(rounds)
        share = 100 * amount / raised if raised > 0 and amount is not None else None
        result |= {
            "source_ids": _unique([row["source_id"]]),
            "outlet": _outlet(data, row["source_id"]),
            "debt": value(row, "debt_usd_bn"),
            "nvidia": _nvidia(row),
            "raised_total": raised if share is not None else None,
            "share_pct": share,
        }
    return result


def latest_valuation(data: Dataset, rounds: pd.DataFrame) -> dict | None:
    """The valuation the latest closed round set, and the first report that differs from it
    (an estimate made before the round was priced, or another report). None if not closed."""
    rows = rounds[rounds["stage"].isin((CLOSED, RAISING))] if not rounds.empty else rounds
    if rows.empty:
        return None
    row = rows.iloc[-1]
    worth = _valuation(row)
    if row["stage"] != CLOSED or worth is None:
        return None
    worth |= {"source_id": value(row, "valuation_source_id"), "other": None}
    for alt_row in model_valuations.for_round(data, row["round_id"], XAI).itertuples():
        same = (
            alt_row.valuation_usd_bn == row["valuation_usd_bn"]
            and alt_row.value_qualifier == row["valuation_qualifier"]
        )
        if alt_row.source_id == row["valuation_source_id"] or same:
            continue
        worth["other"] = {
            "value": float(alt_row.valuation_usd_bn),
            "qualifier": value(alt_row, "value_qualifier"),
            "estimate": alt_row.status == "estimate",
            "source_id": alt_row.source_id,
        }
        break
    return worth


def cumulative(data: Dataset, rounds: pd.DataFrame) -> dict | None:
    """xAI's closed rounds added up, against the reported total and against its peers."""
    closed = closed_rounds(rounds)
    if closed.empty:
        return None
    total = total_raised(rounds)
    first, last = closed.iloc[0], closed.iloc[-1]
    result: dict = {
        "total": total,
        "first": _round_ref(first),
        "last": _round_ref(last) if len(closed) > 1 else None,
        "source_ids": _amount_sources(closed),
        "claim": None,
        "peers": [],
        "peer_source_ids": [],
        "span_months": None,
        "matched": False,
    }
    claim = model_metrics.latest_metric(data, XAI, "cumulative_funding")
    if claim is not None:
        result["claim"] = {
            "value": float(claim["value"]),
            "qualifier": value(claim, "value_qualifier"),
            "source_id": claim["source_id"],
            "short": bool(
                total < claim["value"]
                or (total == claim["value"] and claim["value_qualifier"] == "more_than")
            ),
        }
    totals = capital_totals(cumulative_capital(data)).set_index("company")
    xai = _company_name(data, XAI)
    peers = [name for name in totals.index if name != xai]
    if peers and xai in totals.index:
        span = months_between(first["date"], last["date"])
        result |= {
            "peers": [
                _compare(total, totals.at[name, "total_usd_bn"], name)
                | {
                    "total": float(totals.at[name, "total_usd_bn"]),
                    "since": totals.at[name, "first"],
                }
                for name in peers
            ],
            "peer_source_ids": _unique(s for name in peers for s in totals.at[name, "sources"]),
            "span_months": span if round(span) >= 1 else None,
            "matched": bool(total >= (1 - NEAR_EQUAL) * totals.loc[peers, "total_usd_bn"].max()),
        }
    return result


def _x_value_source(merger: pd.Series) -> str | None:
    """Epoch's source for X's value in the merger, if Epoch's note on that round states it."""
    if fmt.is_missing(merger["epoch_round_key"]) or fmt.is_missing(merger["x_value_usd_bn"]):
        return None
    return EPOCH_SOURCE_ID if EPOCH_SOURCE_ID in _keys(merger["source_ids"]) else None


def valuation(rounds: pd.DataFrame) -> dict | None:
    """The step-up from the first to the latest closed valuation, what the later values
    include (X), and the valuation of talks left out. With one valuation only: ``single``."""
    step = valuation_step_up(rounds)
    if step is None:
        if rounds.empty:
            return None
        valued = rounds[rounds["stage"].isin(COUNTED) & rounds["valuation_usd_bn"].notna()]
        if valued.empty:
            return None
        row = valued.iloc[-1]
        single = _valuation(row) | {
            "round": _round_ref(row),
            "source_id": value(row, "valuation_source_id"),
        }
        return {"single": single}
    first, last = step["first"], step["last"]
    result: dict = {
        "single": None,
        "multiple": float(step["multiple"]),
        "months": float(step["months"]),
        "first": _valuation(first) | {"round": _round_ref(first)},
        "last": _valuation(last) | {"round": _round_ref(last)},
        "source_ids": _unique([first["valuation_source_id"], last["valuation_source_id"]]),
        "merger": None,
        "talks": None,
    }
    merger = rounds[(rounds["stage"] == MERGER) & rounds["valuation_usd_bn"].notna()]
    if not merger.empty and last["includes_x"]:
        row = merger.iloc[0]
        x_source = _x_value_source(row)
        result["merger"] = {
            "date": row["date"],
            "x_value": value(row, "x_value_usd_bn") if x_source else None,
            "x_source_id": x_source,
        }
    talks = rounds[(rounds["stage"] == TALKS) & rounds["valuation_usd_bn"].notna()]
    if not talks.empty:
        row = talks.iloc[-1]
        result["talks"] = {
            "value": float(row["valuation_usd_bn"]),
            "date": row["date"],
            "disputed": bool(row["disputed"]),
            "source_id": value(row, "valuation_source_id"),
        }
    return result


def debt(data: Dataset, rounds: pd.DataFrame) -> dict | None:
    """Debt's share of the latest year that carried debt, and the latest debt reported for a
    round not (yet) confirmed closed with it. None if neither is known."""
    closed = closed_rounds(rounds)
    result: dict = {"year_share": None, "report": None}
    with_debt = closed[closed["debt_usd_bn"].fillna(0) > 0]
    if not with_debt.empty:
        year = pd.Timestamp(with_debt.iloc[-1]["date"]).year
        in_year = closed[closed["date"].dt.year == year]
        owed, total = in_year["debt_usd_bn"].fillna(0).sum(), in_year["raised_usd_bn"].sum()
        result["year_share"] = {
            "year": int(year),
            "debt": float(owed),
            "total": float(total),
            "pct": float(100 * owed / total),
            "source_ids": _unique(in_year["debt_source_id"].dropna()),
        }
    reports = _debt_reports(data, rounds)
    if not reports.empty:
        row = reports.iloc[-1]
        amount = value(row, "amount_usd_bn")
        sized = amount is not None and amount > 0
        report = {
            "outlet": _outlet(data, row["source_id"]),
            "published": row["published_date"],
            "amount": float(amount) if sized else None,
            "qualifier": value(row, "amount_qualifier"),
            "debt": float(row["debt_usd_bn"]),
            "nvidia": _nvidia(row),
            "source_id": row["source_id"],
            "share_pct": 100 * row["debt_usd_bn"] / amount if sized else None,
        }
        canonical_row = rounds[rounds["round_id"] == row["claim_id"]]
        if not canonical_row.empty and canonical_row.iloc[0]["stage"] == CLOSED:
            closed_row = canonical_row.iloc[0]
            report |= {
                "case": "closed_without_debt",
                "closed_name": closed_row["round_name"],
                "closed_source_id": closed_row["source_id"],
            }
        else:
            report["case"] = "sized" if sized else "unsized"
        result["report"] = report
    return result if result["year_share"] or result["report"] else None


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


def investors(investors: pd.DataFrame, rounds: pd.DataFrame) -> dict | None:
    """Who the named investors are: strategic ones grouped by round, with their role and any
    stated amount; the financial ones by name. None if no investor is named."""
    if investors.empty:
        return None
    strategic = investors[investors["investor_type"] == STRATEGIC]
    financial = investors[investors["investor_type"] != STRATEGIC]
    by_id = rounds.set_index("round_id") if not rounds.empty else None
    groups = []
    for round_id, group in strategic.groupby("round_id", sort=False):
        known = by_id is not None and round_id in by_id.index
        groups.append(
            {
                "round": _round_ref(by_id.loc[round_id]) if known else None,
                "investors": [
                    {
                        "name": row["investor"],
                        "role": _role(row["relationship"]),
                        "amount": value(row, "amount_usd_bn"),
                    }
                    for _, row in group.iterrows()
                ],
            }
        )
    round_sources = [key for ids in strategic["round_source_ids"] for key in _keys(ids)]
    roles = set(strategic["relationship"])
    return {
        "count": len(investors),
        "strategic_count": len(strategic),
        "groups": groups,
        "source_ids": _unique([*strategic["source_id"], *round_sources]),
        "financial": list(financial["investor"]),
        "financial_source_ids": _unique(financial["source_id"]),
        "supplier": bool(roles & set(SUPPLIER_ROLES)),
        "musk": MUSK_COMPANY in roles,
    }


def financial_investors(investors: pd.DataFrame) -> dict | None:
    """The financial investors named (an empty list if only strategic ones are); None if no
    investor is named at all."""
    if investors.empty:
        return None
    financial = investors[investors["investor_type"] == FINANCIAL]
    return {"names": list(financial["investor"]), "source_ids": _unique(financial["source_id"])}


def key_findings(data: Dataset) -> dict:
    """The values of the key findings (the template's ``key_findings``), most important first."""
    rounds = xai_rounds(data)
    return {
        "latest": latest_round(data, rounds),
        "cumulative": cumulative(data, rounds),
        "valuation": valuation(rounds),
        "debt": debt(data, rounds),
        "investors": investors(xai_investors(data), rounds),
    }


def findings(data: Dataset) -> str:
    """The key findings as the chapter shows them (a Markdown list; the intro quotes its lead)."""
    return prose.render(TEMPLATE, "key_findings", f=key_findings(data))


def rounds_overview(rounds: pd.DataFrame) -> dict | None:
    """What the reconciled list holds and what it counts."""
    if rounds.empty:
        return None
    counts = rounds["stage"].value_counts()
    stages = [
        {"stage": code, "count": int(counts.get(stage, 0))}
        for stage, code in STAGE_CODES.items()
        if counts.get(stage, 0)
    ]
    return {
        "events": len(rounds),
        "first_month": rounds.iloc[0]["date"].to_period("M").to_timestamp(),
        "last_month": rounds.iloc[-1]["date"].to_period("M").to_timestamp(),
        "stages": stages,
        "source_ids": _unique(key for ids in rounds["source_ids"] for key in _keys(ids)),
        "multi_source": int(rounds["source_ids"].str.contains(";", regex=False).sum()),
        "any_not_counted": bool((~rounds["stage"].isin(COUNTED)).any()),
    }


def merger(rounds: pd.DataFrame) -> dict | None:
    """The X merger: its month, the valuation it set, and X's part of it where Epoch states it."""
    mergers = rounds[rounds["stage"] == MERGER] if not rounds.empty else rounds
    if mergers.empty:
        return None
    row = mergers.iloc[0]
    worth, x_value = _valuation(row), value(row, "x_value_usd_bn")
    split = worth is not None and _x_value_source(row) and x_value is not None
    split = bool(split and worth["value"] > x_value)
    return {
        "date": row["date"],
        "valuation": worth,
        "x_value": float(x_value) if split else None,
        "xai_value": worth["value"] - x_value if split else None,
        "source_ids": _keys(row["source_ids"]),
    }


def joined_rounds(data: Dataset, rounds: pd.DataFrame) -> list[dict]:
    """Rounds where the article and Epoch describe the same money differently."""
    if rounds.empty:
        return []
    joined = rounds[rounds["epoch_round_key"].notna() & (rounds["stage"] == CLOSED)]
    joined = joined[joined["source_ids"].str.contains(";", regex=False)]
    return [
        {
            "reported_on": row["reported_on"],
            "outlet": _outlet(data, row["source_id"]),
            "reported_amount": value(row, "reported_usd_bn"),
            "source_id": row["source_id"],
            "equity": value(row, "equity_usd_bn"),
            "debt": float(row["debt_usd_bn"]),
            "date": row["date"],
            "valuation": _valuation(row),
            "epoch_source_id": row["debt_source_id"],
            "amount": float(row["amount_usd_bn"]),
        }
        for _, row in joined.iterrows()
        if not fmt.is_missing(row["debt_usd_bn"]) and row["debt_source_id"] != row["source_id"]
    ]


def stated_stakes(investors: pd.DataFrame, rounds: pd.DataFrame) -> list[dict]:
    """Strategic investors with a stated amount (SpaceX's commitment)."""
    if investors.empty:
        return []
    stated = investors[
        (investors["investor_type"] == STRATEGIC) & investors["amount_usd_bn"].notna()
    ]
    by_id = rounds.set_index("round_id") if not rounds.empty else None
    return [
        {
            "name": row["investor"],
            "musk": row["relationship"] == MUSK_COMPANY,
            "amount": float(row["amount_usd_bn"]),
            "round": (
                _round_ref(by_id.loc[row["round_id"]])
                if by_id is not None and row["round_id"] in by_id.index
                else None
            ),
            "source_ids": _unique([row["source_id"], *_keys(row["round_source_ids"])]),
        }
        for _, row in stated.iterrows()
    ]


def talks(rounds: pd.DataFrame) -> list[dict]:
    """Rounds reported in talks: amount, valuation, when, whether disputed."""
    in_talks = rounds[rounds["stage"] == TALKS] if not rounds.empty else rounds
    return [
        {
            "amount": value(row, "amount_usd_bn"),
            "valuation": _valuation(row),
            "date": row["date"],
            "disputed": bool(row["disputed"]),
            "source_ids": _keys(row["source_ids"]),
        }
        for _, row in in_talks.iterrows()
    ]


def peer_valuations(data: Dataset, history: pd.DataFrame) -> dict | None:
    """Latest closed valuations side by side, plus the peers' newer press valuations."""
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if xai not in latest.index:
        return None
    peers = [name for name in latest.index if name != xai]
    if not peers:
        return None
    xai_value = float(latest.at[xai, "valuation_usd_bn"])
    press = _peer_press_valuations(data)
    return {
        "xai": {"value": xai_value, "date": latest.at[xai, "date"]},
        "peers": [
            {
                "name": name,
                "value": float(latest.at[name, "valuation_usd_bn"]),
                "date": latest.at[name, "date"],
            }
            for name in peers
        ],
        "source_ids": _unique(latest.loc[[xai, *peers], "source_id"]),
        "press": [
            {
                "name": row.company,
                "value": float(row.valuation_usd_bn),
                "qualifier": value(row, "value_qualifier"),
                "share_pct": (
                    100 * xai_value / row.valuation_usd_bn if row.valuation_usd_bn > 0 else None
                ),
            }
            for row in press.itertuples()
        ],
        "press_date": press["fact_date"].max() if not press.empty else None,
        "press_source_ids": _unique(press["source_id"]) if not press.empty else [],
    }


def _peer_press_valuations(data: Dataset) -> pd.DataFrame:
    """Each peer's newest news-report valuation (``xaibook.model.valuations``), by name."""
    rows = model_valuations.latest(data, PEERS, source=model_valuations.NEWS)
    rows["company"] = names.company_names(data, rows["company_id"])
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
    strategic = sorted(investors.loc[investors["investor_type"] == STRATEGIC, "investor"])
    lines.append(f"strategic investors: {', '.join(strategic) or 'none'}")
    return "\n".join(lines)
