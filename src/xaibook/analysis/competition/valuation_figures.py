"""Valuations: every company's figures from the news reports and Epoch AI worded, the
ranking, the chart, and the values of the valuations section and its key finding.

Like is compared with like: the ranking sets each company's newest closed funding round
(``xaibook.model.valuations.CLOSED_ROUND``) against the others'; newer figures on other bases
(talks, a secondary share sale that raises no money, a figure whose basis is not stated) are
shown beside it, each with its basis, never ranked with it. A figure a source gives only in
words is not drawn or ranked. Once the edition knows that xAI has been combined with SpaceX,
SpaceX is no longer a peer: its valuation and xAI's last one on its own are set out as such.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import per_dataset as _per_dataset
from xaibook.analysis.competition.base import (
    ALWAYS_SHOWN,
    LABS,
    XAI,
    _company_names,
    _figure,
    _month,
    _value,
    _words_for,
    chart_source,
    figure_from,
    labels,
    short_name,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import date, usd_bn
from xaibook.model import valuations as model_valuations
from xaibook.model.valuations import EPOCH, NEWS

OPENAI = "openai"
COMBINED_ENTITY = "combined_entity"  # the basis of a valuation of xAI and X together
VALUATION_TOP_N = 10  # companies drawn and listed by valuation, besides the ones always shown


VALUATION_COLUMNS = [
    "company_id",
    "company",
    "valuation_usd_bn",
    "value_qualifier",
    "basis_text",
    "figure_source",
    "is_closed",
    "round_kind",
    "x_basis",
    "in_words",
    "uncertain",
    "disputed",
    "fact_date",
    "fact_date_precision",
    "source_id",
    "record_id",
]
LEAD_KINDS = (model_valuations.CLOSED_ROUND,)  # the basis the ranking compares


def _worded(data: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Valuation figures of ``xaibook.model.valuations`` as the chapter shows them: with the
    company's name and the basis in the template's words (``valuation_basis`` for a news
    report's code, ``epoch_round_basis`` for an Epoch AI round's); Epoch's dates are shown as
    months."""
    if frame.empty:
        return pd.DataFrame(columns=VALUATION_COLUMNS)
    news = frame["figure_source"] == NEWS
    basis_text = pd.concat(
        [
            _words_for("valuation_basis", frame.loc[news, "basis"]),
            _words_for("epoch_round_basis", frame.loc[~news, "epoch_basis"]),
        ]
    ).reindex(frame.index)
    result = frame.assign(
        company=_company_names(data, frame["company_id"]),
        basis_text=basis_text,
        fact_date_precision=frame["fact_date_precision"].where(news, "month"),
    )
    # a newest figure (``model.valuations.latest``) also says when its price was set
    return result[[*VALUATION_COLUMNS, *(["priced_date"] if "priced_date" in result else [])]]


@_per_dataset
def _valuations(data: Dataset) -> pd.DataFrame:
    """Every valuation figure (``xaibook.model.valuations``), news reports first, worded."""
    return _worded(data, model_valuations.valuations(data))


def _latest_figures(
    data: Dataset,
    companies: object = None,
    source: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Each company's newest figure (``xaibook.model.valuations.latest``), worded."""
    if companies is not None:
        companies = list(companies)
    return _worded(data, model_valuations.latest(data, companies, source=source, kinds=kinds))


def combined_with(data: Dataset) -> str | None:
    """The company xAI has been combined with, once the edition holds the source saying so."""
    if model_valuations.combination(data) is None:
        return None
    return model_valuations.COMBINED_WITH


@_per_dataset
def latest_valuations(data: Dataset) -> pd.DataFrame:
    """Each company's newest closed-round valuation (LEAD_KINDS), news reports and Epoch AI
    together, highest first: the like-for-like ranking. The company xAI has been combined
    with is not a peer and is left out; so is a figure a source gives only in words.

    A news report and an Epoch row of the same date: the news report wins (it is the book's
    curated reading). ``rank`` is 1 for the most valuable company.
    """
    latest = _latest_figures(data, kinds=LEAD_KINDS)
    owner = combined_with(data)
    latest = latest[~latest["in_words"].astype(bool) & (latest["company_id"] != owner)]
    if latest.empty:
        return latest.assign(rank=pd.Series(dtype="int64"))
    latest = latest.sort_values(["valuation_usd_bn", "company"], ascending=[False, True])
    return latest.assign(rank=range(1, len(latest) + 1)).reset_index(drop=True)


def newer_figures(data: Dataset, board: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures on other bases than the ranking's, shown beside it: for each ranked company,
    its newest other figure from the news reports and from Epoch AI when newer than its
    closed round; for each company with no closed round (not the one xAI was combined with),
    its newest figure. Only the ranked companies the chapter shows (``shown_valuations``) and
    the VALUATION_TOP_N most valuable unranked ones are kept; figures given only in words are
    left out. In the ranking's order, then highest first."""
    board = latest_valuations(data) if board is None else board
    figures = model_valuations.valuations(data)
    figures = figures[~figures["in_words"].astype(bool)]
    others = figures[~figures["round_kind"].isin(LEAD_KINDS)]
    owner = combined_with(data)
    closed_date = board.set_index("company_id")["fact_date"]
    kept = []
    for source in (NEWS, EPOCH):
        newest = model_valuations.newest(others[others["figure_source"] == source])
        ranked_company = newest["company_id"].isin(closed_date.index)
        closed_on = newest["company_id"].map(closed_date)
        keep = (newest["company_id"] != owner) & (ranked_company | (source != EPOCH))
        keep &= ~(ranked_company & (newest["fact_date"] <= closed_on))
        kept.append(newest[keep])
    frame = pd.concat(kept) if kept else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=VALUATION_COLUMNS)
    frame = frame.reset_index(drop=True)
    # one figure stated twice (a news report repeating the value Epoch records for talks) is
    # one data point: Epoch's row, which gives its basis, stands for both
    same_as_epoch = frame.duplicated(["company_id", "valuation_usd_bn"], keep=False) & frame[
        "figure_source"
    ].eq(NEWS)
    frame = frame[~same_as_epoch].reset_index(drop=True)
    ranked = frame["company_id"].isin(closed_date.index)
    shown = frame["company_id"].isin(shown_valuations(board)["company_id"])
    frame, ranked = frame[shown | ~ranked], ranked[shown | ~ranked]
    unranked = frame[~ranked].sort_values("valuation_usd_bn", ascending=False, kind="stable")
    keep = unranked["company_id"].isin(ALWAYS_SHOWN) | (
        unranked["company_id"].isin(unranked["company_id"].head(VALUATION_TOP_N))
    )
    frame = _worded(data, pd.concat([frame[ranked], unranked[keep]]).reset_index(drop=True))
    order = {c: i for i, c in enumerate(board["company_id"])}
    frame = frame.assign(
        _ranked=frame["company_id"].map(order).fillna(len(order)),
    ).sort_values(["_ranked", "valuation_usd_bn"], ascending=[True, False], kind="stable")
    return frame.drop(columns="_ranked").reset_index(drop=True)


def shown_valuations(board: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``latest_valuations`` the chapter draws and names: the VALUATION_TOP_N most
    valuable companies, and xAI, OpenAI, Anthropic and CoreWeave wherever they rank."""
    if board.empty:
        return board
    keep = (board["rank"] <= VALUATION_TOP_N) | board["company_id"].isin(ALWAYS_SHOWN)
    return board[keep]


def valuation_chart_data(data: Dataset) -> pd.DataFrame:
    """What figure 1 draws: each ranked company's newest closed-round valuation, then the newer
    figures on other bases (``newer_figures``), each bar labelled with what the figure is and
    its month, ordered by the ranking."""
    board = shown_valuations(latest_valuations(data))
    rows = pd.concat(
        [f for f in (board.drop(columns="rank"), newer_figures(data)) if not f.empty]
        or [board.drop(columns="rank")],
        ignore_index=True,
    )
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "bar",
                "company",
                "valuation_usd_bn",
                "valuation",
                "basis",
                "figure_source",
                "date",
                "source_id",
            ]
        )
    order = board.set_index("company_id")["rank"]
    rows = rows.assign(
        _rank=rows["company_id"].map(order).fillna(len(order) + 1),
        _lead=(~rows["round_kind"].isin(LEAD_KINDS)).astype(int),
    ).sort_values(
        ["_rank", "_lead", "valuation_usd_bn"], ascending=[True, True, False], kind="stable"
    )
    sources = figure_from(rows["figure_source"])
    kinds = _words_for("round_kinds", rows["round_kind"])
    return pd.DataFrame(
        {
            "bar": [
                f"{short_name(c)}, {k}, {_month(d)}"
                for c, k, d in zip(rows["company"], kinds, rows["fact_date"], strict=True)
            ],
            "company": rows["company"],
            "valuation_usd_bn": rows["valuation_usd_bn"],
            "valuation": [
                usd_bn(v, q)
                for v, q in zip(rows["valuation_usd_bn"], rows["value_qualifier"], strict=True)
            ],
            "basis": rows["basis_text"],
            "figure_source": sources,
            "date": [
                date(d, p)
                for d, p in zip(rows["fact_date"], rows["fact_date_precision"], strict=True)
            ],
            "source_id": rows["source_id"],
        }
    ).reset_index(drop=True)


VALUATION_TOOLTIPS = ("company:N", "valuation:N", "basis:N", "date:N", "figure_source:N")


def valuation_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars, xAI highlighted; Epoch AI's figures drawn paler than news reports."""
    words = labels("valuation_chart")
    chart = charts.chart(
        "bar",
        frame,
        "valuation_usd_bn:Q",
        "bar:N",
        title=title,
        words=words,
        color="company:N",
        highlight="xAI",
        tooltip=VALUATION_TOOLTIPS,
        source=chart_source(words, frame["source_id"]),
    )
    sources = list(figure_from(pd.Series([NEWS, EPOCH])))
    chart = chart.encode(
        opacity=alt.Opacity(
            "figure_source:O",  # ordinal: Vega-Lite warns about opacity on an unsorted nominal
            sort=sources,
            title=words["opacity"],
            scale=alt.Scale(domain=sources, range=[1.0, 0.5]),
        )
    )
    if "bar" in frame:
        chart.encoding.y.sort = list(frame["bar"])
    return chart


def _valuation_values(row: pd.Series) -> dict[str, object]:
    """One valuation as the template prints it: 'more than $230 billion (post-money, ...)'."""
    return {
        **_figure(row, "valuation_usd_bn"),
        "name": short_name(row["company"]),
        "company_id": _value(row.get("company_id", row.name)),
        "basis": _value(row["basis_text"]),
        "kind": _value(row["round_kind"]),
        "record_id": _value(row["record_id"]),
        "epoch": row["figure_source"] == EPOCH,
        # since the March 2025 merger xAI's valuations include X: said wherever one is quoted
        "includes_x": row.get("x_basis") == model_valuations.INCL_X,
        # a round closed in stages keeps the price of its first: said when it is earlier
        "priced": _value(row.get("priced_date")),
        "uncertain": bool(row.get("uncertain", False)),
        "disputed": bool(row.get("disputed", False)),
    }


def valuation_standing(board: pd.DataFrame) -> dict[str, object]:
    """Where xAI ranks among the companies valued, and what the chart and text keep.

    ``rank`` is None without a valuation of xAI; ``share`` (xAI as a percentage of OpenAI) is
    None without a positive one of OpenAI; ``top_n`` is None when every company is shown.
    """
    standing: dict[str, object] = {
        "n": len(board),
        "rank": None,
        "share": None,
        "openai": None,
        "leader": short_name(board["company"].iloc[0]) if not board.empty else None,
        "top_n": None,
        "also": [],
    }
    if board.empty:
        return standing
    xai = board[board["company_id"] == XAI]
    openai = board[board["company_id"] == OPENAI]
    if not xai.empty:
        standing["rank"] = int(xai["rank"].iloc[0])
        if not openai.empty and openai["valuation_usd_bn"].iloc[0] > 0:
            value = 100 * xai["valuation_usd_bn"].iloc[0] / openai["valuation_usd_bn"].iloc[0]
            standing["share"] = float(value)
            standing["openai"] = short_name(openai["company"].iloc[0])
    shown = shown_valuations(board)
    if len(shown) < len(board):
        standing["top_n"] = VALUATION_TOP_N
        extra = shown[shown["rank"] > VALUATION_TOP_N]
        standing["also"] = [short_name(c) for c in extra["company"]]
    return standing


def combination_values(data: Dataset) -> dict[str, object] | None:
    """xAI's combination with SpaceX, once the edition knows it (None before): its date and
    source, xAI's last valuation before it (``xai_last``) and SpaceX's newest valuation
    (``owner``, None without one) with ``owner_predates``: whether it is older than the
    combination's source."""
    event = model_valuations.combination(data)
    if event is None:
        return None
    owner = model_valuations.COMBINED_WITH
    figures = model_valuations.valuations(data)
    figures = figures[~figures["in_words"].astype(bool)]
    xai = figures[(figures["company_id"] == XAI) & (figures["fact_date"] <= event["fact_date"])]
    xai = xai[xai["round_kind"].isin(LEAD_KINDS)]
    owners = model_valuations.newest(figures[figures["company_id"] == owner])
    xai_last = _worded(data, model_valuations.newest(xai))
    owner_row = _worded(data, owners)
    return {
        "date": _value(event["fact_date"]),
        "precision": _value(event["fact_date_precision"]),
        "source_id": _value(event["source_id"]),
        "name": short_name(_company_names(data, pd.Series([owner])).iloc[0]),
        "xai_last": _valuation_values(xai_last.iloc[0]) if not xai_last.empty else None,
        "owner": _valuation_values(owner_row.iloc[0]) if not owner_row.empty else None,
        "owner_predates": bool(
            not owners.empty and owners["fact_date"].iloc[0] < event["fact_date"]
        ),
    }


def valuation_finding(data: Dataset) -> dict[str, object]:
    """Key finding 1: xAI's newest closed-round valuation, its rank and share of OpenAI's on
    the same basis, the newer figures on other bases for the labs, the labs above xAI on
    closed rounds (``labs_above``) and on any newer figure (``labs_above_any``), and the
    combination with SpaceX (``combination_values``)."""
    board = latest_valuations(data)
    finding: dict[str, object] = {
        **valuation_standing(board),
        "xai": None,
        "openai_valuation": None,
        "leader_valuation": None,
        "newer": [],
        "labs_above": [],
        "labs_above_any": [],
        "combination": combination_values(data),
    }
    if board.empty:
        return finding
    finding["leader_valuation"] = _valuation_values(board.iloc[0])
    newer = newer_figures(data, board)
    newer = newer[newer["company_id"].isin(LABS)]
    finding["newer"] = [_valuation_values(r) for _, r in newer.iterrows()]
    xai = board[board["company_id"] == XAI]
    if xai.empty:
        return finding
    row = xai.iloc[0]
    finding["xai"] = _valuation_values(row)
    openai = board[board["company_id"] == OPENAI]
    if finding["share"] is not None:
        finding["openai_valuation"] = _valuation_values(openai.iloc[0])
    labs_above = board[board["company_id"].isin(LABS) & (board["rank"] < row["rank"])]
    finding["labs_above"] = [short_name(c) for c in labs_above["company"]]
    higher = newer[
        (newer["company_id"] != XAI) & (newer["valuation_usd_bn"] > row["valuation_usd_bn"])
    ]
    finding["labs_above_any"] = [
        short_name(c)
        for c in dict.fromkeys(higher["company"])
        if short_name(c) not in finding["labs_above"]
    ]
    return finding


def valuations(data: Dataset) -> dict[str, object]:
    """The valuations section: the closed-round ranking as drawn (``valuation_standing``),
    each shown company's closed-round figure, the newer figures on other bases, the
    news-against-Epoch comparison per lab, the xAI-and-X merger's valuation when no figure
    above already names it (None otherwise), and the combination with SpaceX."""
    board = latest_valuations(data)
    newer = newer_figures(data, board)
    values: dict[str, object] = {
        **valuation_standing(board),
        "shown": [_valuation_values(r) for _, r in shown_valuations(board).iterrows()],
        "newer": [_valuation_values(r) for _, r in newer.iterrows()],
        "comparisons": _epoch_comparisons(data),
        "merger": None,
        "combination": combination_values(data),
    }
    figures = model_valuations.valuations(data)
    merger = figures[
        (figures["figure_source"] == NEWS)
        & (figures["company_id"] == XAI)
        & (figures["basis"] == COMBINED_ENTITY)
    ]
    named = pd.concat([board["record_id"], newer["record_id"]])  # in a sentence above
    if not merger.empty and not named.isin(merger["record_id"]).any():
        row = merger.sort_values("fact_date").iloc[-1]
        values["merger"] = _figure(row, "valuation_usd_bn")
    return values


def _epoch_comparisons(data: Dataset) -> list[dict[str, object]]:
    """For each lab with an Epoch AI valuation: its newest news-report figure (None without
    one), Epoch AI's newest, which is newer ('news' wins a tie) and whether the values agree."""
    news = _latest_figures(data, LABS, source=NEWS).set_index("company_id")
    epoch = _latest_figures(data, LABS, source=EPOCH).set_index("company_id")
    comparisons = []
    for company_id in LABS:
        if company_id not in epoch.index:
            continue
        e_row = epoch.loc[company_id]
        n_row = news.loc[company_id] if company_id in news.index else None
        comparisons.append(
            {
                "name": short_name(e_row["company"]),
                "epoch": _valuation_values(e_row),
                "news": _valuation_values(n_row) if n_row is not None else None,
                "newer": (
                    NEWS
                    if n_row is not None and n_row["fact_date"] >= e_row["fact_date"]
                    else EPOCH
                ),
                "agree": n_row is not None
                and bool(n_row["valuation_usd_bn"] == e_row["valuation_usd_bn"]),
            }
        )
    return comparisons
