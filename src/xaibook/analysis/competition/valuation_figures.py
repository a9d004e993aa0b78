"""Valuations: every company's figures from the news reports and Epoch AI worded, the
ranking, the chart, and the values of the valuations section and its key finding.
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
    figure_from,
    labels,
    short_name,
)
from xaibook.dataset import Dataset
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
    "fact_date",
    "fact_date_precision",
    "source_id",
    "record_id",
]


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
    return result[VALUATION_COLUMNS]


@_per_dataset
def _valuations(data: Dataset) -> pd.DataFrame:
    """Every valuation figure (``xaibook.model.valuations``), news reports first, worded."""
    return _worded(data, model_valuations.valuations(data))


def _latest_figures(
    data: Dataset, companies: object = None, source: str | None = None
) -> pd.DataFrame:
    """Each company's newest figure (``xaibook.model.valuations.latest``), worded."""
    if companies is not None:
        companies = list(companies)
    return _worded(data, model_valuations.latest(data, companies, source=source))


@_per_dataset
def latest_valuations(data: Dataset) -> pd.DataFrame:
    """Each company's newest valuation, news reports and Epoch AI together, highest first.

    A news report and an Epoch row of the same date: the news report wins (it is the book's
    curated reading). ``rank`` is 1 for the most valuable company.
    """
    latest = _latest_figures(data)
    if latest.empty:
        return latest.assign(rank=pd.Series(dtype="int64"))
    latest = latest.sort_values(["valuation_usd_bn", "company"], ascending=[False, True])
    return latest.assign(rank=range(1, len(latest) + 1)).reset_index(drop=True)


def shown_valuations(board: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``latest_valuations`` the chapter draws and names: the VALUATION_TOP_N most
    valuable companies, and xAI, OpenAI, Anthropic and CoreWeave wherever they rank."""
    if board.empty:
        return board
    keep = (board["rank"] <= VALUATION_TOP_N) | board["company_id"].isin(ALWAYS_SHOWN)
    return board[keep]


def valuation_chart_data(data: Dataset) -> pd.DataFrame:
    """What figure 1 draws: each company's newest news-report valuation and, for the labs,
    Epoch AI's newest post-money valuation next to it, ordered by the ranking."""
    board = latest_valuations(data)
    shown = sorted(set(shown_valuations(board)["company_id"]))
    news = _latest_figures(data, shown, source=NEWS)
    epoch = _latest_figures(data, shown, source=EPOCH)
    rows = pd.concat([f for f in (news, epoch) if not f.empty] or [news], ignore_index=True)
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "bar",
                "company",
                "valuation_usd_bn",
                "valuation",
                "figure_source",
                "source_id",
            ]
        )
    order = board.set_index("company_id")["rank"]
    rows = rows.assign(
        _rank=rows["company_id"].map(order),
        _news_first=(rows["figure_source"] != NEWS).astype(int),
    ).sort_values(["_rank", "_news_first"], kind="stable")
    sources = figure_from(rows["figure_source"])
    return pd.DataFrame(
        {
            "bar": [
                f"{short_name(c)}, {_month(d)}"
                if s == NEWS
                else f"{short_name(c)}, {w}, {_month(d)}"
                for c, s, w, d in zip(
                    rows["company"], rows["figure_source"], sources, rows["fact_date"], strict=True
                )
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
        source=words["source"],
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


def _latest_closed_epoch(data: Dataset, company_id: str) -> pd.Series | None:
    closed = model_valuations.latest(data, [company_id], source=EPOCH, closed_only=True)
    return _worded(data, closed).iloc[0] if not closed.empty else None


def _valuation_values(row: pd.Series) -> dict[str, object]:
    """One valuation as the template prints it: 'more than $230 billion (post-money, ...)'."""
    return {
        **_figure(row, "valuation_usd_bn"),
        "name": short_name(row["company"]),
        "basis": _value(row["basis_text"]),
        "epoch": row["figure_source"] == EPOCH,
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


def valuation_finding(data: Dataset) -> dict[str, object]:
    """Key finding 1: xAI's newest valuation, its rank and share of OpenAI's, the leader."""
    board = latest_valuations(data)
    finding: dict[str, object] = {
        **valuation_standing(board),
        "xai": None,
        "openai_valuation": None,
        "leader_valuation": None,
        "last_closed": None,
        "all_epoch": False,
        "labs_above": [],
    }
    if board.empty:
        return finding
    finding["leader_valuation"] = _valuation_values(board.iloc[0])
    xai = board[board["company_id"] == XAI]
    if xai.empty:
        return finding
    row = xai.iloc[0]
    finding["xai"] = _valuation_values(row)
    openai = board[board["company_id"] == OPENAI]
    if finding["share"] is not None:
        finding["openai_valuation"] = _valuation_values(openai.iloc[0])
    if row["figure_source"] == EPOCH and not bool(row["is_closed"]):
        closed = _latest_closed_epoch(data, XAI)
        if closed is not None:
            finding["last_closed"] = _valuation_values(closed)
    finding["all_epoch"] = bool((board["figure_source"] == EPOCH).all())
    labs_above = board[board["company_id"].isin(LABS) & (board["rank"] < row["rank"])]
    finding["labs_above"] = [short_name(c) for c in labs_above["company"]]
    return finding


def valuations(data: Dataset) -> dict[str, object]:
    """The valuations section: the ranking as drawn (``valuation_standing``), each shown
    company's newest figure, the news-against-Epoch comparison per lab, and the xAI-and-X
    merger's valuation when no figure above already names it (None otherwise)."""
    board = latest_valuations(data)
    values: dict[str, object] = {
        **valuation_standing(board),
        "shown": [_valuation_values(r) for _, r in shown_valuations(board).iterrows()],
        "comparisons": _epoch_comparisons(data),
        "merger": None,
    }
    figures = model_valuations.valuations(data)
    merger = figures[
        (figures["figure_source"] == NEWS)
        & (figures["company_id"] == XAI)
        & (figures["basis"] == COMBINED_ENTITY)
    ]
    named = model_valuations.latest(data, source=NEWS)["record_id"]  # in a sentence above
    if not board.empty and not merger.empty and not named.isin(merger["record_id"]).any():
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
