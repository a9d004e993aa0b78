"""Valuation-to-revenue multiples: every pair of a valuation and a revenue figure, the
chart, the table and its sources, and the values of the multiples section and its key
finding.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import per_dataset as _per_dataset
from xaibook.analysis.competition.base import (
    QUALIFIER_DIRECTION,
    XAI,
    _estimators,
    _month,
    _short_usd,
    _value,
    figure_from,
    labels,
    short_name,
)
from xaibook.analysis.competition.revenue_figures import (
    REVENUE_COLUMNS,
    _basis_and_date,
    _latest_epoch_revenue,
    curated_revenue,
)
from xaibook.analysis.competition.valuation_figures import (
    _latest_figures,
    latest_valuations,
    shown_valuations,
)
from xaibook.chapter import sources_line
from xaibook.dataset import Dataset
from xaibook.formatting import date, qualifier_prefix, ratio, usd_bn
from xaibook.model import dates
from xaibook.model.valuations import EPOCH, NEWS

# Pairs of figures further apart than this are flagged: a fast-growing company's older revenue
# inflates its multiple.
STALE_PAIR_MONTHS = 3


# Row labels "xAI ÷ UBS ~$1bn, Jan 2026" go on two lines (company, then the revenue figure) so
# they fit the 200 px label column in the browser and in vl-convert's PNG alike.
MULTIPLE_LABEL_EXPR = "split(replace(datum.label, ' ÷ ', '|÷ '), '|')"
MULTIPLE_ROW_PX = 40


MULTIPLE_TOOLTIPS = (
    "company:N",
    "multiple_text:N",
    "valuation:N",
    "valuation_basis:N",
    "valuation_date:N",
    "revenue:N",
    "revenue_basis:N",
    "revenue_from:N",
    "revenue_date:N",
    "months_apart:Q",
)


def _multiple_qualifier(valuation_qualifier: object, revenue_qualifier: object) -> str:
    """A ratio of a 'more than' valuation to an 'about' revenue is 'about'; and so on."""
    top = QUALIFIER_DIRECTION.get(str(valuation_qualifier))
    bottom = QUALIFIER_DIRECTION.get(str(revenue_qualifier))
    if top is None or bottom is None:
        return "approx"
    if top == bottom == 0:
        return "exact"
    if top * bottom > 0:  # both bounds point the same way: the ratio is not bounded
        return "approx"
    direction = top - bottom
    return "more_than" if direction > 0 else "less_than"


MULTIPLE_COLUMNS = [  # what _multiple_row returns, in the download's column order
    "company_id",
    "company",
    "pair",
    "row_label",
    "multiple",
    "multiple_text",
    "multiple_qualifier",
    "valuation",
    "valuation_basis",
    "valuation_from",
    "valuation_date",
    "revenue",
    "revenue_basis",
    "revenue_from",
    "revenue_date",
    "months_apart",
    "source_id",
    "revenue_source_id",
]


RAW_MULTIPLE_COLUMNS = [
    "_multiple",
    "_valuation_usd_bn",
    "_valuation_qualifier",
    "_valuation_date",
    "_valuation_precision",
    "_revenue_usd_bn",
    "_revenue_qualifier",
    "_revenue_date",
    "_revenue_precision",
]


def revenue_multiples(data: Dataset, *, raw: bool = False) -> pd.DataFrame:
    """Valuation ÷ revenue for every company with both, one row per revenue basis.

    Each company's newest valuation is divided by each revenue figure the edition holds (the
    news reports' estimates and Epoch AI's newest run rate); where that valuation is a news
    report's, Epoch AI's own newest valuation ÷ its newest run rate is added, so one pair comes
    from a single source with dates close together. Dates of both figures stay on every row.
    With ``raw``, columns starting with "_" add the unrounded multiple and both figures' raw
    values (what the text template prints them from).
    """
    revenue = pd.concat(
        [f for f in (curated_revenue(data), _latest_epoch_revenue(data)) if not f.empty]
        or [pd.DataFrame(columns=REVENUE_COLUMNS)],
        ignore_index=True,
    )
    # Only a company with a revenue figure can have a multiple: reduce the board (one row per
    # valued company, tens of thousands in a large edition) to those few before pairing.
    board = latest_valuations(data)
    board = board[board["company_id"].isin(revenue["company_id"])]
    epoch_latest = _latest_figures(data, board["company_id"], source=EPOCH)
    epoch_latest = epoch_latest.set_index("company_id")
    revenue = revenue.assign(estimator=_estimators(revenue))
    words = labels("figure_from")
    rows = []
    for _, valuation in board.iterrows():
        company_revenue = revenue[revenue["company_id"] == valuation["company_id"]]
        pairs = [(valuation, r) for _, r in company_revenue.iterrows()]
        if valuation["figure_source"] == NEWS and valuation["company_id"] in epoch_latest.index:
            epoch_valuation = epoch_latest.loc[valuation["company_id"]].copy()
            epoch_valuation["company_id"] = valuation["company_id"]
            epoch_revenue_rows = company_revenue[company_revenue["figure_source"] == EPOCH]
            pairs += [(epoch_valuation, r) for _, r in epoch_revenue_rows.iterrows()]
        for v, r in pairs:
            if r["revenue_usd_bn"] <= 0:
                continue
            rows.append(_multiple_row(v, r, words))
    columns = [*MULTIPLE_COLUMNS, *RAW_MULTIPLE_COLUMNS] if raw else MULTIPLE_COLUMNS
    if not rows:
        return pd.DataFrame(columns=columns)
    result = pd.DataFrame(rows)[columns]
    result = result.drop_duplicates(["company_id", "multiple", "revenue_source_id", "revenue"])
    order = {c: i for i, c in enumerate(board["company_id"])}
    result = result.assign(_order=result["company_id"].map(order)).sort_values(
        ["_order", "multiple"], kind="stable"
    )
    return result.drop(columns="_order").reset_index(drop=True)


def _multiple_row(
    valuation: pd.Series, revenue: pd.Series, words: dict[str, str]
) -> dict[str, object]:
    """One valuation ÷ one revenue figure (``revenue["estimator"]`` is who made it, in words;
    ``words`` is the template's ``figure_from``)."""
    multiple = valuation["valuation_usd_bn"] / revenue["revenue_usd_bn"]
    qualifier = _multiple_qualifier(valuation["value_qualifier"], revenue["value_qualifier"])
    months_apart = round(abs(dates.months_between(revenue["plot_date"], valuation["fact_date"])))
    v_from = words[valuation["figure_source"]]
    r_from = revenue["estimator"]
    short_estimator = words["epoch_short"] if revenue["figure_source"] == EPOCH else r_from
    r_when = (
        f"{revenue['plot_date'].year}"
        if revenue["fact_date_precision"] == "year"
        else _month(revenue["plot_date"])
    )
    v_short = _short_usd(valuation["valuation_usd_bn"], valuation["value_qualifier"])
    r_short = _short_usd(revenue["revenue_usd_bn"], revenue["value_qualifier"])
    company = short_name(valuation["company"])
    return {
        "company_id": valuation["company_id"],
        "company": company,
        "pair": (
            f"{company}: {v_from} {v_short} ({_month(valuation['fact_date'])}) ÷ {r_from} "
            f"{r_short} ({_month(revenue['plot_date'])})"
        ),
        "row_label": f"{company} ÷ {short_estimator} {r_short}, {r_when}",
        "multiple": round(float(multiple), 1),
        "multiple_text": qualifier_prefix(qualifier) + ratio(multiple, 0),
        "multiple_qualifier": qualifier,
        "valuation": usd_bn(valuation["valuation_usd_bn"], valuation["value_qualifier"]),
        "valuation_basis": valuation["basis_text"],
        "valuation_from": v_from,
        "valuation_date": date(valuation["fact_date"], valuation["fact_date_precision"]),
        "revenue": usd_bn(revenue["revenue_usd_bn"], revenue["value_qualifier"]),
        "revenue_basis": revenue["basis"],
        "revenue_from": r_from,
        "revenue_date": date(revenue["plot_date"], revenue["fact_date_precision"]),
        "months_apart": months_apart,
        "source_id": valuation["source_id"],
        "revenue_source_id": revenue["source_id"],
        "_multiple": float(multiple),
        "_valuation_usd_bn": valuation["valuation_usd_bn"],
        "_valuation_qualifier": valuation["value_qualifier"],
        "_valuation_date": valuation["fact_date"],
        "_valuation_precision": valuation["fact_date_precision"],
        "_revenue_usd_bn": revenue["revenue_usd_bn"],
        "_revenue_qualifier": revenue["value_qualifier"],
        "_revenue_date": revenue["plot_date"],
        "_revenue_precision": revenue["fact_date_precision"],
    }


def revenue_sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """The revenue figures' sources, cited with the valuations' in a figure's sources line."""
    if frame.empty or "revenue_source_id" not in frame:
        return ()
    return tuple(dict.fromkeys(frame["revenue_source_id"].dropna()))


def multiples_sources_line(frame: pd.DataFrame) -> str:
    """Sources line under the multiples table: the valuations' and the revenue figures'."""
    if frame.empty:
        return sources_line([])
    return sources_line([*frame["source_id"], *frame["revenue_source_id"]])


def _ranges(frame: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """company_id -> (row with the lowest multiple, row with the highest)."""
    result = {}
    for company_id, rows in frame.groupby("company_id", sort=False):
        rows = rows.sort_values("multiple")
        result[company_id] = (rows.iloc[0], rows.iloc[-1])
    return result


def multiples_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """One dot per valuation-and-revenue pair, log scale; xAI's pairs highlighted."""
    words = labels("multiples_chart")
    chart = charts.chart(
        "point",
        frame,
        "multiple:Q",
        "row_label:N",
        title=title,
        words=words,
        color="company:N",
        highlight="xAI",
        tooltip=MULTIPLE_TOOLTIPS,
        source=words["source"],
    )
    chart.encoding.x.scale = alt.Scale(type="log")
    chart.encoding.y.axis = alt.Axis(labelExpr=MULTIPLE_LABEL_EXPR)
    if "row_label" in frame:
        rows = list(dict.fromkeys(frame["row_label"]))
        chart.encoding.y.sort = rows
        chart.height = MULTIPLE_ROW_PX * max(1, len(rows))
    return chart.encode(
        shape=alt.Shape(
            "valuation_from:N",
            title=words["shape"],
            scale=alt.Scale(
                domain=list(figure_from(pd.Series([NEWS, EPOCH]))), range=["circle", "square"]
            ),
        )
    )


def _figure_cells(
    frame: pd.DataFrame, figure: str, cell: Callable[[str, str, str, str], str]
) -> list[str]:
    """A table cell per row for ``figure`` ("valuation", "revenue"): ``cell`` of the figure's
    text and of its basis, where it is from and its date (the columns ``figure`` + "_basis",
    "_from", "_date")."""
    parts = [frame[figure + suffix] for suffix in ("", "_basis", "_from", "_date")]
    return [cell(*row) for row in zip(*parts, strict=True)]


def multiples_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The multiples with each figure's basis, source and date, for readers to check."""
    columns = labels("multiples_table")
    if frame.empty:
        keys = ("company", "multiple", "valuation", "revenue", "months")
        return pd.DataFrame({columns[key]: [] for key in keys})
    return pd.DataFrame(
        {
            columns["company"]: frame["company"],
            columns["multiple"]: frame["multiple_text"],
            columns["valuation"]: _figure_cells(
                frame, "valuation", lambda v, b, f, d: f"{v} ({b}; {f}; {d})"
            ),
            columns["revenue"]: _figure_cells(
                frame, "revenue", lambda v, b, f, d: f"{v} ({f}: {_basis_and_date(b, d)})"
            ),
            columns["months"]: frame["months_apart"].astype(int).astype(str),
        }
    )


@_per_dataset
def _multiple_figures(data: Dataset) -> pd.DataFrame:
    """revenue_multiples with the unrounded multiple and both figures' raw values."""
    return revenue_multiples(data, raw=True)


def _pair_values(row: pd.Series) -> dict[str, object]:
    """A valuation-and-revenue pair: its multiple and both figures, as the template prints them."""
    return {
        "multiple": float(row["_multiple"]),
        "qualifier": row["multiple_qualifier"],
        "valuation": {
            "value": _value(row["_valuation_usd_bn"]),
            "qualifier": _value(row["_valuation_qualifier"]),
            "date": _value(row["_valuation_date"]),
            "precision": _value(row["_valuation_precision"]),
        },
        "revenue": {
            "value": _value(row["_revenue_usd_bn"]),
            "qualifier": _value(row["_revenue_qualifier"]),
            "estimator": row["revenue_from"],
            "basis": _value(row["revenue_basis"]),
            "date": _value(row["_revenue_date"]),
            "precision": _value(row["_revenue_precision"]),
        },
    }


def multiples_standing(data: Dataset) -> dict[str, object]:
    """xAI's lowest and highest multiple and the highest of any peer (None where missing)."""
    ranges = _ranges(_multiple_figures(data))
    standing: dict[str, object] = {"low": None, "high": None, "peer_high": None}
    if XAI in ranges:
        standing["low"], standing["high"] = (_pair_values(r) for r in ranges[XAI])
        peers = [r[1] for c, r in ranges.items() if c != XAI]
        if peers:
            standing["peer_high"] = _pair_values(max(peers, key=lambda r: r["multiple"]))
    return standing


def multiples_finding(data: Dataset) -> dict[str, object]:
    """Key finding 2: xAI's multiples and how they were paired, against its peers' ranges.

    ``case`` is 'one' (a single pair), 'same_valuation' (one valuation against several revenue
    figures) or 'range'; ``closest`` is the pair closest in date when it is neither end.
    """
    frame = _multiple_figures(data)
    ranges = _ranges(frame)
    finding: dict[str, object] = {"case": None, "peers": [], "xai_highest": False}
    if XAI not in ranges:
        return finding
    low, high = ranges[XAI]
    xai_rows = frame[frame["company_id"] == XAI]
    if low["pair"] == high["pair"]:
        case = "one"
    elif low["valuation"] == high["valuation"] and low["valuation_date"] == high["valuation_date"]:
        case = "same_valuation"
    else:
        case = "range"
    closest = xai_rows.sort_values("months_apart", kind="stable").iloc[0]
    peers = [(c, r) for c, r in ranges.items() if c != XAI]
    peer_high = max((r[1] for _, r in peers), key=lambda r: r["multiple"]) if peers else None
    finding.update(
        case=case,
        low=_pair_values(low),
        high=_pair_values(high),
        closest=(
            _pair_values(closest) if closest["pair"] not in (low["pair"], high["pair"]) else None
        ),
        source_ids=[*xai_rows["source_id"], *xai_rows["revenue_source_id"]],
        peers=[
            {"name": r[0]["company"], "low": _pair_values(r[0]), "high": _pair_values(r[1])}
            for _, r in peers
        ],
        xai_highest=peer_high is not None and low["multiple"] > peer_high["multiple"],
    )
    return finding


def multiples(data: Dataset) -> dict[str, object]:
    """The multiples section: each company's lowest and highest pair (``one`` when they are
    the same pair) with its sources; xAI's lowest against the highest peer's; the pairs
    further apart than STALE_PAIR_MONTHS; the valued companies without a revenue figure."""
    frame = _multiple_figures(data)
    values: dict[str, object] = {
        "companies": [],
        "xai_against_peers": None,
        "stale": None,
        "missing": [],
        "n_other_missing": 0,
    }
    if frame.empty:
        return values
    ranges = _ranges(frame)
    for company_id, (low, high) in ranges.items():
        rows = frame[frame["company_id"] == company_id]
        values["companies"].append(
            {
                "name": low["company"],
                "low": _pair_values(low),
                "high": _pair_values(high),
                "one": low["pair"] == high["pair"],
                "source_ids": [*rows["source_id"], *rows["revenue_source_id"]],
            }
        )
    if XAI in ranges and len(ranges) > 1:
        xai_low = ranges[XAI][0]
        peer_high = max((r[1] for c, r in ranges.items() if c != XAI), key=lambda r: r["multiple"])
        values["xai_against_peers"] = {
            "xai_low": _pair_values(xai_low),
            "peer": peer_high["company"],
            "peer_high": _pair_values(peer_high),
            "above": bool(xai_low["multiple"] > peer_high["multiple"]),
        }
    stale = frame[frame["months_apart"] > STALE_PAIR_MONTHS]
    if not stale.empty:
        values["stale"] = {"n": len(stale), "pairs": len(frame), "months": STALE_PAIR_MONTHS}
    board = latest_valuations(data)
    without = board[~board["company_id"].isin(frame["company_id"])]
    shown = shown_valuations(without)  # ranks stay those of the whole board
    values["missing"] = [short_name(c) for c in shown["company"]]
    values["n_other_missing"] = len(without) - len(shown)
    return values
