"""Competition chapter: valuations side by side, revenue, multiples, positioning, neoclouds.

Every function takes the chapter's Dataset (or a frame another function here returned) and
returns a DataFrame, a chart or MyST markdown. Two kinds of figure meet in this chapter and are
never mixed silently:

* curated figures from the news reports (``valuations``, ``company_metrics``), one row per claim,
  each with its qualifier (about, more than, less than) and basis;
* Epoch AI's funding rounds (post-money valuations) and revenue reports, dated by Epoch.

Both come reconciled from ``xaibook.model.valuations`` and ``xaibook.model.revenue``; this
module words them and picks the figures it compares.

Every sentence names the figure's date and source, and says plainly when a figure is missing
from the edition (an early ``--as-of`` or a trimmed data copy).
"""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts, paths, prose
from xaibook.analysis.common import (
    canonical,
    labels as _chapter_labels,
    per_dataset as _per_dataset,
    table as _table,
)
from xaibook.chapter import sources_line
from xaibook.dataset import Dataset
from xaibook.formatting import (
    count,
    date,
    is_missing,
    percent,
    printable,
    qualifier_prefix,
    ratio,
    usd_bn,
)
from xaibook.model import (
    dates,
    names,
    revenue as model_revenue,
    sites as model_sites,
    valuations as model_valuations,
)
from xaibook.model.valuations import EPOCH, NEWS

XAI = "xai"
OPENAI = "openai"
COMBINED_ENTITY = "combined_entity"  # the basis of a valuation of xAI and X together
COREWEAVE = "coreweave"
LABS = ("openai", "anthropic", "xai")  # the labs Epoch AI tracks that the chapter compares
# Where a figure comes from (the ``figure_source`` of valuations and revenue figures): the
# model's codes NEWS and EPOCH, shown to readers as the template's ``figure_from`` words.
# The revenue figures the chapter compares (``xaibook.model.revenue`` kinds): every news
# report's figure, each with its basis (X's advertising included says so), and Epoch AI's
# annualized figures (its run rates and its annualized quarters; product lines left out).
NEWS_REVENUE_KINDS = (
    model_revenue.RUN_RATE,
    model_revenue.INCL_X,
    model_revenue.STANDALONE,
    model_revenue.PERIOD_TOTAL,
)
EPOCH_REVENUE_KINDS = model_revenue.ANNUALIZED
# Pairs of figures further apart than this are flagged: a fast-growing company's older revenue
# inflates its multiple.
STALE_PAIR_MONTHS = 3
EDGE_PADDING_PX = 10

# Direction of a qualifier: +1 the true value is higher, -1 lower, 0 exact, None only roughly.
QUALIFIER_DIRECTION = {
    "exact": 0,
    "more_than": 1,
    "at_least": 1,
    "less_than": -1,
    "up_to": -1,
    "approx": None,
}
SHORT_QUALIFIER = {"approx": "~", "more_than": ">", "at_least": "≥", "less_than": "<", "up_to": "≤"}
# The dimensions the sources describe, in the order the chapter shows them; their names are
# the template's ``dimension_titles``.
DIMENSIONS = (
    "alignment",
    "distribution",
    "cloud_partner",
    "chip_partner",
    "product",
    "benchmark",
    "usage",
    "business_model",
    "ipo",
)
# Dimensions the prose walks through (products and listing plans are in the table only).
PROSE_DIMENSIONS = (
    "alignment",
    "distribution",
    "cloud_partner",
    "chip_partner",
    "benchmark",
    "usage",
    "business_model",
)
# Row labels "xAI ÷ UBS ~$1bn, Jan 2026" go on two lines (company, then the revenue figure) so
# they fit the 200 px label column in the browser and in vl-convert's PNG alike.
MULTIPLE_LABEL_EXPR = "split(replace(datum.label, ' ÷ ', '|÷ '), '|')"
MULTIPLE_ROW_PX = 40
# Bounds that keep the chapter's charts, tables and sentences short at any data size. On the
# shipped data every company fits; with more companies the chapter says what it kept.
VALUATION_TOP_N = 10  # companies drawn and listed by valuation, besides the ones always shown
ALWAYS_SHOWN = (*LABS, COREWEAVE)  # the labs compared throughout, and the neocloud of section 6
POSITIONING_MAX_COMPANIES = 12  # xAI, the labs, CoreWeave, then those described most often
POSITIONING_MAX_CLAIMS = 6  # per company and dimension: the newest claims

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
REVENUE_COLUMNS = [
    "company_id",
    "company",
    "revenue_usd_bn",
    "value_qualifier",
    "basis",
    "figure_source",
    "estimator",
    "plot_date",
    "fact_date_precision",
    "status",
    "source_id",
    "record_id",
]


def _template() -> Path:
    """The chapter's text template, chapters/competition.md.j2."""
    return prose.template_file(paths.CHAPTERS_DIR / "competition.ipynb")


def labels(name: str) -> prose.Words:
    """Fixed words the chapter's text template sets (axis and tooltip titles, table headers,
    the words for the codes in the data)."""
    return _chapter_labels("competition", name)


def _words_for(name: str, codes: pd.Series) -> pd.Series:
    """The template's words (labels ``name``, a dict) for ``codes``; a code it has no words
    for is shown as it is."""
    return codes.map(labels(name)).fillna(codes.astype(str))


def figure_from(sources: pd.Series) -> pd.Series:
    """The words a reader sees for the ``figure_source`` codes NEWS and EPOCH."""
    return sources.map(labels("figure_from"))


def _estimator(figure_source: object, estimator: object, words: dict[str, str]) -> str:
    """Who made a revenue figure, in words: Epoch AI, or the news report's estimator
    (``words`` is the template's ``figure_from``)."""
    if figure_source == EPOCH:
        return words[EPOCH]
    return words["unattributed"] if is_missing(estimator) else str(estimator)


def _estimators(frame: pd.DataFrame) -> pd.Series:
    """_estimator for every revenue figure of ``frame``."""
    words = labels("figure_from")
    return pd.Series(
        [
            _estimator(s, e, words)
            for s, e in zip(frame["figure_source"], frame["estimator"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


# 1. Names ---------------------------------------------------------------------------------------


def _company_names(data: Dataset, company_ids: pd.Series) -> pd.Series:
    """Display names of ``company_ids``, the id itself for a company the book does not know."""
    return names.company_names(data, company_ids)


def short_name(text: object) -> str:
    """'Google (Alphabet; incl. ...)' -> 'Google': names read better in sentences."""
    return str(text).split(" (")[0].strip()


def _month(value: object) -> str:
    """'Jan 2026' for chart labels (prose uses formatting.date)."""
    return labels("unknown_date") if is_missing(value) else f"{pd.Timestamp(value):%b %Y}"


def _short_usd(value: float, qualifier: object = None) -> str:
    """Compact money for chart labels: '~$1bn', '<$76.7bn', '$1.5tn'."""
    prefix = SHORT_QUALIFIER.get(str(qualifier), "") if not is_missing(qualifier) else ""
    value = printable(value)
    if value >= 1000:
        return f"{prefix}${value / 1000:,.1f}tn".replace(".0tn", "tn")
    return f"{prefix}${value:,.1f}bn".replace(".0bn", "bn")


# 2. Valuations ----------------------------------------------------------------------------------


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
REVENUE_TOOLTIPS = ("series:N", "revenue:N", "what:N", "date:N")
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


def _tooltips(fields: tuple[str, ...], titles: dict[str, str]) -> list[alt.Tooltip]:
    """A chart's tooltips: ``fields`` (altair shorthands) titled with the template's words
    (``titles``, by field name)."""
    return [alt.Tooltip(field, title=titles[field.split(":")[0]]) for field in fields]


def valuation_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars, xAI highlighted; Epoch AI's figures drawn paler than news reports."""
    words = labels("valuation_chart")
    chart = charts.bar_chart(
        frame,
        "valuation_usd_bn:Q",
        "bar:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        color="company:N",
        highlight="xAI",
        tooltip=_tooltips(VALUATION_TOOLTIPS, words["tooltip"]),
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


# 3. Revenue -------------------------------------------------------------------------------------


TRAILING_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def revenue_basis(kind: str, period: object) -> str:
    """What a revenue figure measures, in a few words: 'annualized, incl. X advertising',
    'standalone revenue, 2025'. The period's trailing date in brackets is dropped (the date
    is shown separately)."""
    words = "" if is_missing(period) else TRAILING_PARENTHESIS.sub("", str(period)).strip()
    if "annualiz" in words.lower():
        return words
    return f"{kind}, {words}" if words else kind


def _revenue_figures(data: Dataset, source: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """The labs' revenue figures of ``kinds`` from ``source`` (``xaibook.model.revenue``)."""
    frame = model_revenue.revenue(data)
    keep = (
        (frame["figure_source"] == source)
        & frame["kind"].isin(list(kinds))
        & frame["company_id"].isin(LABS)
    )
    return frame[keep]


@_per_dataset
def curated_revenue(data: Dataset) -> pd.DataFrame:
    """The news reports' revenue figures for the labs, one row per claim, with the estimator."""
    frame = _revenue_figures(data, NEWS, NEWS_REVENUE_KINDS)
    if frame.empty:
        return pd.DataFrame(columns=REVENUE_COLUMNS)
    kinds = _words_for("revenue_kind", frame["metric"])
    result = pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "company": _company_names(data, frame["company_id"]),
            "revenue_usd_bn": frame["revenue_usd_bn"],
            "value_qualifier": frame["value_qualifier"],
            "basis": [revenue_basis(k, p) for k, p in zip(kinds, frame["period"], strict=True)],
            "figure_source": NEWS,
            "estimator": frame["estimated_by"].map(short_name, na_action="ignore"),
            "plot_date": frame["plot_date"],
            "fact_date_precision": frame["fact_date_precision"],
            "status": frame["status"],
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
        }
    )
    return result.sort_values("plot_date").reset_index(drop=True)


def _epoch_revenue_bases(revenue_type: pd.Series) -> pd.Series:
    """What each Epoch AI revenue figure measures: Epoch's revenue type in lower case, said to
    be annualized where the type does not say so (worked out once per distinct type)."""
    missing = labels("revenue_kind")["annualized_revenue"]
    kinds = revenue_type.astype(object).where(revenue_type.notna(), None)
    words = {}
    for kind in dict.fromkeys(kinds):
        text = missing if kind is None else str(kind).lower()
        words[kind] = (
            text if "annual" in text else prose.render_text(_template(), "annualized", kind=text)
        )
    return pd.Series([words[k] for k in kinds], index=revenue_type.index, dtype=object)


@_per_dataset
def epoch_revenue(data: Dataset) -> pd.DataFrame:
    """Epoch AI's annualized revenue figures for the labs (product-line figures left out)."""
    frame = _revenue_figures(data, EPOCH, EPOCH_REVENUE_KINDS)
    if frame.empty:
        return pd.DataFrame(columns=REVENUE_COLUMNS)
    result = pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "company": _company_names(data, frame["company_id"]),
            "revenue_usd_bn": frame["revenue_usd_bn"],
            "value_qualifier": "exact",
            "basis": _epoch_revenue_bases(frame["revenue_type"]),
            "figure_source": EPOCH,
            "estimator": None,
            "plot_date": frame["plot_date"],
            "fact_date_precision": "month",
            "status": "reported",
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
        }
    )
    return result.sort_values(["company_id", "plot_date"]).reset_index(drop=True)


def _basis_and_date(basis: str, when: str) -> str:
    """'annualized, current; January 2026', but 'standalone revenue, 2025' (no year twice)."""
    return basis if when in basis else f"{basis}; {when}"


def revenue_chart_data(data: Dataset) -> pd.DataFrame:
    """What figure 2 draws: Epoch AI's series per lab plus the news reports' estimates."""
    both = pd.concat(
        [f for f in (epoch_revenue(data), curated_revenue(data)) if not f.empty]
        or [pd.DataFrame(columns=REVENUE_COLUMNS)],
        ignore_index=True,
    )
    if both.empty:
        return pd.DataFrame(
            columns=["company", "plot_date", "revenue_usd_bn", "series", "estimator", "source_id"]
        )
    estimators = _estimators(both)
    series = [
        f"{short_name(c)} · {e}" if s == EPOCH else f"{short_name(c)} · {e}: {b}"
        for c, s, e, b in zip(
            both["company"], both["figure_source"], estimators, both["basis"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "company": both["company"].map(short_name),
            "plot_date": both["plot_date"],
            "revenue_usd_bn": both["revenue_usd_bn"],
            "revenue": [
                usd_bn(v, q)
                for v, q in zip(both["revenue_usd_bn"], both["value_qualifier"], strict=True)
            ],
            "what": both["basis"],
            "date": [
                date(d, p)
                for d, p in zip(both["plot_date"], both["fact_date_precision"], strict=True)
            ],
            "series": series,
            "estimator": estimators,
            "source_id": both["source_id"],
        }
    )


def _latest_epoch_revenue(data: Dataset) -> pd.DataFrame:
    newest = model_valuations.newest  # newest per company by fact_date, ties to the first row
    return newest(epoch_revenue(data).rename(columns={"plot_date": "fact_date"})).rename(
        columns={"fact_date": "plot_date"}
    )


def revenue_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Log-scale lines (Epoch AI) and differently shaped points (each estimator's figure)."""
    words = labels("revenue_chart")
    chart = charts.line_chart(
        frame,
        "plot_date:T",
        "revenue_usd_bn:Q",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        color="company:N",
        tooltip=_tooltips(REVENUE_TOOLTIPS, words["tooltip"]),
        source=words["source"],
    )
    chart.encoding.color = alt.Color(
        "company:N",
        title=words["color"],
        scale=charts.company_color_scale(frame.get("company", [])),
    )
    chart.encoding.y.scale = alt.Scale(type="log")
    chart.encoding.x.scale = alt.Scale(padding=EDGE_PADDING_PX)  # marks at the ends stay whole
    return chart.encode(
        detail="series:N",
        shape=alt.Shape("estimator:N", title=words["shape"]),
    )


# 4. Valuation-to-revenue multiples --------------------------------------------------------------


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
    chart = charts.scatter_chart(
        frame,
        "multiple:Q",
        "row_label:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        color="company:N",
        highlight="xAI",
        tooltip=_tooltips(MULTIPLE_TOOLTIPS, words["tooltip"]),
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
            columns["valuation"]: [
                f"{v} ({b}; {f}; {d})"
                for v, b, f, d in zip(
                    frame["valuation"],
                    frame["valuation_basis"],
                    frame["valuation_from"],
                    frame["valuation_date"],
                    strict=True,
                )
            ],
            columns["revenue"]: [
                f"{v} ({f}: {_basis_and_date(b, d)})"
                for v, b, f, d in zip(
                    frame["revenue"],
                    frame["revenue_basis"],
                    frame["revenue_from"],
                    frame["revenue_date"],
                    strict=True,
                )
            ],
            columns["months"]: frame["months_apart"].astype(int).astype(str),
        }
    )


# 5. Positioning ---------------------------------------------------------------------------------


POSITIONING_COLUMNS = [
    "company_id",
    "company",
    "dimension",
    "description",
    "status",
    "source_id",
    "published_date",
    "published_date_precision",
    "record_id",
]


def _positioning_companies(frame: pd.DataFrame) -> pd.Index:
    """The companies the positioning section keeps: xAI, the labs and CoreWeave, then the
    companies the sources describe most often, POSITIONING_MAX_COMPANIES in all."""
    claims = frame["company_id"].value_counts()
    first = claims.index[claims.index.isin(ALWAYS_SHOWN)]
    rest = claims[~claims.index.isin(ALWAYS_SHOWN)].rename("claims").reset_index()
    rest = rest.sort_values(["claims", "company_id"], ascending=[False, True], kind="stable")
    room = max(0, POSITIONING_MAX_COMPANIES - len(first))
    return first.append(pd.Index(rest["company_id"].head(room)))


@_per_dataset
def _positioning_scope(data: Dataset) -> pd.DataFrame:
    """Every company the sources position: its claims, its most claims on one dimension, and
    whether the section keeps it (see _positioning_companies)."""
    frame = _table(data, "competitors")
    if frame.empty:
        return pd.DataFrame({"company_id": [], "claims": [], "widest": [], "kept": []})
    cells = frame.groupby(["company_id", "dimension"], dropna=False).size()
    scope = cells.groupby(level="company_id").agg(["sum", "max"])
    scope = scope.rename(columns={"sum": "claims", "max": "widest"}).reset_index()
    return scope.assign(kept=scope["company_id"].isin(_positioning_companies(frame)))


@_per_dataset
def positioning(data: Dataset) -> pd.DataFrame:
    """The positioning claims, xAI first, then the other labs, then everyone else.

    Bounded at any data size: the companies of _positioning_companies only, and the newest
    POSITIONING_MAX_CLAIMS claims of each company on each dimension.
    """
    frame = _table(data, "competitors")
    if frame.empty:
        return pd.DataFrame(columns=POSITIONING_COLUMNS)
    frame = frame[frame["company_id"].isin(_positioning_companies(frame))]
    newest_first = frame.sort_values(
        ["published_date", "record_id"], ascending=[False, True], kind="stable"
    )
    rank = newest_first.groupby(["company_id", "dimension"], sort=False, dropna=False).cumcount()
    frame = frame.loc[rank[rank < POSITIONING_MAX_CLAIMS].index.sort_values()]
    company_order = {c: i for i, c in enumerate((XAI, *[c for c in LABS if c != XAI]))}
    dimension_order = {d: i for i, d in enumerate(DIMENSIONS)}
    frame = frame.assign(
        company=_company_names(data, frame["company_id"]),
        _company=frame["company_id"].map(company_order).fillna(len(company_order)),
        _dimension=frame["dimension"].map(dimension_order).fillna(len(dimension_order)),
    )
    frame = frame.sort_values(
        ["_company", "company", "_dimension", "published_date", "record_id"], kind="stable"
    )
    return frame[POSITIONING_COLUMNS].reset_index(drop=True)


def dimension_titles() -> dict[str, str]:
    """The names the chapter's text template gives the dimensions (its ``dimension_titles``),
    for the positioning table: one set of names for the text and the table."""
    return labels("dimension_titles")


def positioning_table(data: Dataset) -> pd.DataFrame:
    """Company × dimension: one row per pair holding every description the sources give for it
    (text as the data holds it), each followed by its source, kind of claim and month.

    Three columns and one row per pair keep the table readable on screen and in print.
    """
    frame = positioning(data)
    titles = dimension_titles()
    claim_types = labels("claim_types")
    columns = labels("positioning_table")
    rows = []
    for (_, dimension), group in frame.groupby(["company_id", "dimension"], sort=False):
        claims = [
            f"{r['description']} ({r['source_id']}; {claim_types.get(r['status'], r['status'])}; "
            f"{_month(r['published_date'])})"
            for _, r in group.iterrows()
        ]
        rows.append(
            {
                columns["company"]: short_name(group["company"].iloc[0]),
                columns["dimension"]: titles.get(dimension, str(dimension)),
                columns["claims"]: " • ".join(claims),
            }
        )
    keys = ("company", "dimension", "claims")
    return pd.DataFrame(rows, columns=[columns[key] for key in keys])


def positioning_sources(data: Dataset) -> str:
    """The sources line under the positioning table."""
    return sources_line(list(positioning(data)["source_id"]))


def _newest_claim(rows: pd.DataFrame) -> pd.Series:
    return rows.sort_values(
        ["published_date", "record_id"], ascending=[False, True], kind="stable"
    ).iloc[0]


# 6. The neocloud comparison ---------------------------------------------------------------------


def neocloud_comparison(data: Dataset) -> dict[str, object]:
    """xAI's and CoreWeave's valuations (from the same article where possible), the gap, xAI's
    compute, and the deal that prompted the comparison."""
    valuations = canonical(_table(data, "valuations"))
    metrics = canonical(_table(data, "company_metrics"))
    result: dict[str, object] = {
        "xai": None,
        "coreweave": None,
        "gap": None,
        "compute": None,
        "deal": None,
    }
    if valuations.empty:
        return result
    coreweave = valuations[valuations["company_id"] == COREWEAVE]
    if coreweave.empty:
        return result
    coreweave_row = coreweave.sort_values("fact_date").iloc[-1]
    result["coreweave"] = coreweave_row
    xai = valuations[valuations["company_id"] == XAI]
    same_source = xai[xai["source_id"] == coreweave_row["source_id"]]
    xai = same_source if not same_source.empty else xai
    if xai.empty:
        return result
    xai_row = xai.sort_values("fact_date").iloc[-1]
    result["xai"] = xai_row
    if coreweave_row["valuation_usd_bn"] > 0:
        gap = xai_row["valuation_usd_bn"] / coreweave_row["valuation_usd_bn"]
        qualifier = _multiple_qualifier(
            xai_row["value_qualifier"], coreweave_row["value_qualifier"]
        )
        result["gap"] = (gap, qualifier)
    result["compute"] = model_sites.latest_compute(data, XAI)
    if not metrics.empty:
        xai_metrics = metrics[metrics["company_id"] == XAI]
        deal = xai_metrics[
            (xai_metrics["metric"] == "deal_value")
            & (xai_metrics["source_id"] == coreweave_row["source_id"])
        ]
        if not deal.empty:
            result["deal"] = deal.sort_values("fact_date").iloc[-1]
    return result


def _latest_closed_epoch(data: Dataset, company_id: str) -> pd.Series | None:
    closed = model_valuations.latest(data, [company_id], source=EPOCH, closed_only=True)
    return _worded(data, closed).iloc[0] if not closed.empty else None


# 7. Values for the chapter's text template (chapters/competition.md.j2) ----------------------


def _value(value: object) -> object:
    """A value as a template takes it: None for a missing one, plain Python otherwise."""
    if is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _valuation_values(row: pd.Series) -> dict[str, object]:
    """One valuation as the template prints it: 'more than $230 billion (post-money, ...)'."""
    return {
        "name": short_name(row["company"]),
        "value": _value(row["valuation_usd_bn"]),
        "qualifier": _value(row["value_qualifier"]),
        "basis": _value(row["basis_text"]),
        "date": _value(row["fact_date"]),
        "precision": _value(row["fact_date_precision"]),
        "source_id": _value(row["source_id"]),
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


def revenue_standing(data: Dataset) -> dict[str, object]:
    """For the revenue chart's title: the lab with the highest newest Epoch AI figure and how
    many times xAI's it is (``xai`` is False without a positive Epoch figure for xAI)."""
    latest = _latest_epoch_revenue(data).set_index("company_id")
    standing: dict[str, object] = {"labs": not latest.empty, "xai": False, "top": None}
    if XAI in latest.index and latest.loc[XAI, "revenue_usd_bn"] > 0:
        standing["xai"] = True
        others = latest.drop(index=XAI).sort_values("revenue_usd_bn", ascending=False)
        if not others.empty:
            top = others.iloc[0]
            standing["top"] = {
                "name": short_name(top["company"]),
                "times": float(top["revenue_usd_bn"] / latest.loc[XAI, "revenue_usd_bn"]),
            }
    return standing


def _revenue_values(row: pd.Series) -> dict[str, object]:
    """One revenue figure as the template prints it: 'about $1 billion (UBS: ...; date)'."""
    return {
        "name": short_name(row["company"]),
        "value": _value(row["revenue_usd_bn"]),
        "qualifier": _value(row["value_qualifier"]),
        "estimator": _estimator(row["figure_source"], row["estimator"], labels("figure_from")),
        "basis": _value(row["basis"]),
        "date": _value(row["plot_date"]),
        "precision": _value(row["fact_date_precision"]),
        "source_id": _value(row["source_id"]),
    }


def revenue_finding(data: Dataset) -> dict[str, object]:
    """Key finding 3: xAI's newest Epoch AI revenue against the other labs', the news reports'
    estimates, and the highest figure for xAI when it is below every peer's."""
    latest = _latest_epoch_revenue(data).set_index("company_id")
    estimates = curated_revenue(data)
    estimates = estimates[estimates["company_id"] == XAI]
    others = latest.drop(index=XAI, errors="ignore").sort_values("revenue_usd_bn", ascending=False)
    finding: dict[str, object] = {
        "epoch": _revenue_values(latest.loc[XAI]) if XAI in latest.index else None,
        "others": [_revenue_values(r) for _, r in others.iterrows()],
        "estimates": [_revenue_values(r) for _, r in estimates.iterrows()],
        "best_below_peers": None,
    }
    xai_all = pd.concat(
        [
            f
            for f in (estimates, latest.loc[[XAI]] if XAI in latest.index else None)
            if f is not None
        ],
        ignore_index=True,
    )
    if not others.empty and not xai_all.empty:
        best = xai_all.sort_values("revenue_usd_bn").iloc[-1]
        if best["revenue_usd_bn"] < others["revenue_usd_bn"].min():
            finding["best_below_peers"] = _revenue_values(best)
    return finding


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


# Words for the dimensions the positioning finding names are in the template.
FINDING_DIMENSIONS = ("distribution", "alignment")


def positioning_finding(data: Dataset) -> dict[str, object]:
    """Key finding 4: xAI's newest claim on distribution and on alignment, else its first two
    claims; the peers' alignment claims, companies with the same description grouped."""
    frame = positioning(data)
    xai = frame[frame["company_id"] == XAI] if not frame.empty else frame
    finding: dict[str, object] = {"xai": not xai.empty, "traits": [], "claims": [], "peers": []}
    if xai.empty:
        return finding
    for dimension in FINDING_DIMENSIONS:
        rows = xai[xai["dimension"] == dimension]
        if not rows.empty:
            claim = _newest_claim(rows)
            finding["traits"].append(
                {
                    "dimension": dimension,
                    "description": claim["description"],
                    "source_id": claim["source_id"],
                }
            )
    finding["claims"] = [
        {"description": r["description"], "source_id": r["source_id"]}
        for _, r in xai.head(2).iterrows()
    ]
    peers = frame[(frame["company_id"] != XAI) & (frame["dimension"] == "alignment")]
    finding["peers"] = [
        {
            "names": [short_name(c) for c in dict.fromkeys(g["company"])],
            "description": description,
            "source_ids": list(g["source_id"]),
        }
        for description, g in peers.groupby("description", sort=False)
    ]
    return finding


def _neocloud_valuation(row: pd.Series) -> dict[str, object]:
    return {
        "value": _value(row["valuation_usd_bn"]),
        "qualifier": _value(row["value_qualifier"]),
        "basis": labels("valuation_basis").get(row["basis"], str(row["basis"])),
        "date": _value(row["fact_date"]),
        "precision": _value(row["fact_date_precision"]),
        "source_id": _value(row["source_id"]),
    }


def neocloud(data: Dataset) -> dict[str, object]:
    """neocloud_comparison's figures as the template prints them; ``compute.bound`` says how
    the valuation per H100e is bounded (more compute than stated: 'at_most' per unit)."""
    comparison = neocloud_comparison(data)
    xai, coreweave, compute, deal = (comparison[k] for k in ("xai", "coreweave", "compute", "deal"))
    values: dict[str, object] = {
        "coreweave": _neocloud_valuation(coreweave) if coreweave is not None else None,
        "xai": _neocloud_valuation(xai) if xai is not None else None,
        "gap": None,
        "compute": None,
        "deal": None,
    }
    if xai is None:
        return values
    if comparison["gap"] is not None:
        gap, qualifier = comparison["gap"]
        values["gap"] = {"multiple": float(gap), "qualifier": qualifier}
    if compute is not None and compute["value"] > 0:
        direction = QUALIFIER_DIRECTION.get(str(compute["value_qualifier"]))
        values["compute"] = {
            "value": _value(compute["value"]),
            "qualifier": _value(compute["value_qualifier"]),
            "date": _value(compute["fact_date"]),
            "precision": _value(compute["fact_date_precision"]),
            "source_id": _value(compute["source_id"]),
            "usd_per_h100e": float(xai["valuation_usd_bn"] * 1e9 / compute["value"]),
            "bound": {1: "at_most", -1: "at_least", 0: "exact"}.get(direction, "approx"),
        }
    if deal is not None:
        values["deal"] = {
            "name": _value(deal["period"]),
            "value": _value(deal["value"]),
            "qualifier": _value(deal["value_qualifier"]),
            "source_id": _value(deal["source_id"]),
        }
    return values


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
        values["merger"] = {
            "value": _value(row["valuation_usd_bn"]),
            "qualifier": _value(row["value_qualifier"]),
            "date": _value(row["fact_date"]),
            "precision": _value(row["fact_date_precision"]),
            "source_id": _value(row["source_id"]),
        }
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


def revenue(data: Dataset) -> dict[str, object]:
    """The revenue section: Epoch AI's newest figure per lab (highest first), each lab's growth
    over the year before it, and the news reports' estimates for xAI and for the others."""
    latest = _latest_epoch_revenue(data).sort_values("revenue_usd_bn", ascending=False)
    estimates = curated_revenue(data)
    return {
        "latest": [_revenue_values(r) for _, r in latest.iterrows()],
        "growth": _growth(data) if not latest.empty else [],
        "xai_estimates": [
            _revenue_values(r) for _, r in estimates[estimates["company_id"] == XAI].iterrows()
        ],
        "other_estimates": [
            _revenue_values(r) for _, r in estimates[estimates["company_id"] != XAI].iterrows()
        ],
    }


def _growth(data: Dataset) -> list[dict[str, object]]:
    """Per lab with two Epoch AI figures within a year of its newest: the growth multiple, the
    months between them and the earlier figure."""
    growth = []
    for _, rows in epoch_revenue(data).groupby("company_id", sort=False):
        rows = rows.sort_values("plot_date")
        last = rows.iloc[-1]
        window = rows[rows["plot_date"] >= last["plot_date"] - pd.DateOffset(years=1)]
        first = window.iloc[0]
        if first["record_id"] == last["record_id"] or first["revenue_usd_bn"] <= 0:
            continue
        growth.append(
            {
                "name": short_name(last["company"]),
                "multiple": float(last["revenue_usd_bn"] / first["revenue_usd_bn"]),
                "months": float(dates.months_between(first["plot_date"], last["plot_date"])),
                "from_value": float(first["revenue_usd_bn"]),
                "from_date": first["plot_date"],
            }
        )
    return growth


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


def _claims(rows: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {"description": r["description"], "source_id": r["source_id"]} for _, r in rows.iterrows()
    ]


def positioning_text(data: Dataset) -> dict[str, object]:
    """The positioning section: per dimension of PROSE_DIMENSIONS with claims, xAI's claims and
    its peers', companies the sources describe in the same words grouped; and what the section
    keeps of a large edition (``positioning_scope``)."""
    frame = positioning(data)
    dimensions = []
    for dimension in PROSE_DIMENSIONS if not frame.empty else ():
        rows = frame[frame["dimension"] == dimension]
        if rows.empty:
            continue
        groups: dict[tuple, dict[str, object]] = {}
        for company, group in rows[rows["company_id"] != XAI].groupby("company", sort=False):
            claims = _claims(group)
            key = tuple((c["description"], c["source_id"]) for c in claims)
            groups.setdefault(key, {"names": [], "claims": claims})["names"].append(
                short_name(company)
            )
        dimensions.append(
            {
                "dimension": dimension,
                "xai": _claims(rows[rows["company_id"] == XAI]),
                "peers": list(groups.values()),
            }
        )
    return {"any": not frame.empty, "dimensions": dimensions, "scope": positioning_scope(data)}


def positioning_scope(data: Dataset) -> dict[str, object]:
    """What the positioning section keeps: ``companies`` (how many the sources position) is
    None when it keeps them all, else ``kept`` names the labs and CoreWeave it keeps and
    ``others`` counts the rest; ``max_claims`` is None unless a company's claims on one
    dimension were cut to the newest POSITIONING_MAX_CLAIMS."""
    scope = _positioning_scope(data)
    kept = scope[scope["kept"].astype(bool)]  # an empty object column would select columns
    values: dict[str, object] = {"companies": None, "kept": [], "others": 0, "max_claims": None}
    if len(kept) < len(scope):
        order = list(dict.fromkeys((XAI, *ALWAYS_SHOWN)))
        always = sorted(set(kept["company_id"]) & set(order), key=order.index)
        values["companies"] = len(scope)
        values["kept"] = [short_name(c) for c in _company_names(data, pd.Series(always))]
        values["others"] = len(kept) - len(always)
    if (kept["widest"] > POSITIONING_MAX_CLAIMS).any():
        values["max_claims"] = POSITIONING_MAX_CLAIMS
    return values


def findings_values(data: Dataset) -> dict[str, object]:
    """What the key findings macro of chapters/competition.md.j2 takes."""
    return {
        "valuation": valuation_finding(data),
        "multiples": multiples_finding(data),
        "revenue": revenue_finding(data),
        "positioning": positioning_finding(data),
        "neocloud": neocloud(data),
    }


def passage(macro: str, /, **values: object) -> str:
    """A passage of the chapter's text template, as ch.text glues it (for the introduction,
    which leads with the first key finding, and for the tests)."""
    return prose.render(_template(), macro, **values)


def findings(data: Dataset) -> str:
    """The chapter's key findings: a markdown bullet list (the introduction reads the first)."""
    return passage("key_findings", **findings_values(data))


# 8. The headline check -------------------------------------------------------------------------


def headline(data: Dataset) -> str:
    """Deterministic lines for the notebook's NBVAL_CHECK_OUTPUT cell."""
    board = latest_valuations(data)
    words = labels("figure_from")
    lines = [
        "valuations: "
        + ", ".join(
            f"{r['company_id']}={r['valuation_usd_bn']:g}({words[r['figure_source']]})"
            for _, r in shown_valuations(board).iterrows()
        )
    ]
    standing = valuation_standing(board)
    rank = (
        f"ranks {prose.ordinal(standing['rank'])} of {count(standing['n'])}"
        if standing["rank"]
        else ""
    )
    share = (
        f"{percent(standing['share'])} of {standing['openai']}'s"
        if standing["share"] is not None
        else ""
    )
    lines.append(f"xai: {rank or 'no valuation'}; {share or 'no OpenAI comparison'}")
    frame = revenue_multiples(data)
    for company_id, (low, high) in _ranges(frame).items() if not frame.empty else []:
        lines.append(f"multiple {company_id}: {low['multiple']:g} to {high['multiple']:g}")
    comparison = neocloud_comparison(data)
    gap = comparison["gap"]
    lines.append(f"xai/coreweave: {round(gap[0], 2):g}" if gap else "xai/coreweave: none")
    lines.append(f"positioning rows: {len(positioning(data))}")
    return "\n".join(lines)
