"""Valuations, reconciled once: the news reports' figures and Epoch AI's post-money valuations.

``valuations(data)`` is one row per figure: the canonical row of each claim of ``valuations``
(``figure_source`` NEWS) and every Epoch AI round of a company the book knows that states a
post-money valuation, talks included (``figure_source`` EPOCH). The rules:

* a news report's basis is its ``basis`` code (post_money, round_implied, reported, ...); an
  Epoch round's is ``epoch_basis``: its status when the round has not closed, else its kind
  (EPOCH_BASES). Chapters word both codes with their templates' ``valuation_basis`` and
  ``epoch_round_basis``; one code has one wording in every chapter;
* a news figure counts as closed (``is_closed``), an Epoch figure when Epoch's status is
  "closed";
* Epoch's figures keep the day Epoch dates them (the close date, else the report date); a
  chapter that shows months says so itself;
* the newest figure of a company is the one with the latest ``fact_date``; on a tie the news
  report wins (it is the book's curated reading), then the earlier row;
* ``round_kind`` says what a figure is, so that closed rounds are compared with closed rounds:
  CLOSED_ROUND (a funding round that closed and raised money), TALKS (a round Epoch lists as not
  closed), TENDER (a secondary share sale: no new money), MERGER (an all-stock deal), and, for
  a news report's figure not tied to a round, REPORTED (basis not stated), MARKET, ESTIMATE or
  ROUND_IMPLIED;
* ``x_basis`` (xAI's figures only, None for other companies) says whether the value of X is in
  the figure: INCL_X from the X merger's date on (Epoch's graph note "Valuation includes value
  of X" says so too), EXCL_X before it;
* ``in_words`` marks a news figure its source gives in words only (its quote holds no digit,
  e.g. "less than a third of that"): the value is the book's encoding, never to be printed as
  a number;
* an Epoch figure its notes hedge ("believed to be", "just south of") keeps the hedge as its
  qualifier (EPOCH_HEDGES), instead of "exact".
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import names
from xaibook.model.claims import canonical, per_dataset, table

NEWS, EPOCH = "news", "epoch"  # figure_source: a curated news report, or Epoch AI
TABLES = ("companies", "valuations", "epoch_funding_rounds")
COMBINATION_TABLES = ("timeline",)  # what ``combination`` reads

# Epoch AI's round statuses (lower case) kept as codes; any other status but "closed" is
# NOT_CLOSED. A closed round's code is its kind: secondary, debt, other or closed.
EPOCH_OPEN_STATUSES = ("late discussions", "early discussions", "announced", "rumored")
NOT_CLOSED = "not_closed"
EPOCH_BASES = (*EPOCH_OPEN_STATUSES, NOT_CLOSED, "secondary", "debt", "other", "closed")

# round_kind: what a figure is (see the module docstring).
CLOSED_ROUND, TALKS, TENDER, MERGER = "closed_round", "talks", "tender", "merger"
REPORTED, MARKET, ESTIMATE, ROUND_IMPLIED = "reported", "market", "estimate", "round_implied"
ROUND_KINDS = (CLOSED_ROUND, TALKS, TENDER, MERGER, REPORTED, MARKET, ESTIMATE, ROUND_IMPLIED)
EPOCH_ROUND_KINDS = {
    **dict.fromkeys((*EPOCH_OPEN_STATUSES, NOT_CLOSED), TALKS),
    "secondary": TENDER,
    "other": MERGER,
    "debt": CLOSED_ROUND,
    "closed": CLOSED_ROUND,
}
NEWS_ROUND_KINDS = {  # a news report's basis code -> round_kind (a round's own figure: see below)
    "combined_entity": MERGER,
    "market_cap": MARKET,
    "estimate": ESTIMATE,
    "round_implied": ROUND_IMPLIED,
}

# x_basis: whether xAI's figure includes the value of X (merged into xAI in March 2025).
XAI = "xai"
INCL_X, EXCL_X, X_NOT_STATED = "incl_x", "excl_x", "x_not_stated"
EPOCH_INCLUDES_X = re.compile(r"includes value of X\b", re.IGNORECASE)

# Hedges in Epoch's notes that qualify its figure, and the qualifier each gives; only Epoch's
# own words count, not the article it quotes after "Full quote" (which may hedge another figure).
EPOCH_HEDGES = (
    (re.compile(r"just south\W*of", re.IGNORECASE), "less_than"),
    (re.compile(r"believed to be", re.IGNORECASE), "approx"),
)
EPOCH_QUOTED = re.compile(r"full quote", re.IGNORECASE)
# A hedge on the row's own figure, in Epoch's words or in a report it quotes ("pushed
# Anthropic's valuation to the range of $350 billion"): the figure is then 'about' it. Only a
# hedge on the same amount counts; a quote may hedge another figure.
HEDGED_AMOUNT = re.compile(
    r"(?:approximately|about|around|roughly|in the range of|range of)\s+\$(?P<number>\d+(?:\.\d+)?)"
    r"\s*(?P<unit>billion|bn|b|trillion|tn|t)\b",
    re.IGNORECASE,
)
AMOUNT_UNIT_BN = {
    "billion": 1.0,
    "bn": 1.0,
    "b": 1.0,
    "trillion": 1000.0,
    "tn": 1000.0,
    "t": 1000.0,
}

# The timeline's claim that xAI has been combined with SpaceX (TechCrunch, May 2026), and the
# company it was combined with.
COMBINATION_CLAIM = "xai-spacex-combination"
COMBINED_WITH = "spacex"

COLUMNS = [
    "company_id",
    "valuation_usd_bn",
    "value_qualifier",
    "basis",  # news: the basis code of valuations.csv; None for Epoch
    "epoch_basis",  # Epoch: one of EPOCH_BASES; None for news
    "figure_source",
    "is_closed",
    "status",
    "round_id",
    "fact_date",
    "fact_date_precision",
    "source_id",
    "record_id",  # news: record_id; Epoch: its round key
    "claim_id",
    "round_kind",  # one of ROUND_KINDS
    "x_basis",  # xAI: INCL_X or EXCL_X; None for other companies
    "in_words",  # the source gives the figure in words only
    "uncertain",  # the source hedges it as uncertain ("believed to be", "not certain")
    "estimated_by",  # who made the estimate when the source relays another's; else None
    "disputed",  # the company disputes the report (Epoch's notes say so)
]


# Epoch's notes hedge a valuation ("what was believed to be a roughly $150 billion valuation
# ... but this is not certain"): the round's valuation is then an approximate, uncertain report.
HEDGED_VALUATION = re.compile(r"\bbelieved to be\b|\bnot certain\b", re.IGNORECASE)
# ... or record that the company disputes the report ("Elon Musk disputes")
DISPUTED = re.compile(r"\bdisput(?:es|ed)\b", re.IGNORECASE)


def epoch_qualifier(notes: object) -> str:
    """The qualifier of an Epoch figure: the first of EPOCH_HEDGES its notes use, else exact."""
    text = "" if is_missing(notes) else EPOCH_QUOTED.split(str(notes))[0]
    for pattern, qualifier in EPOCH_HEDGES:
        if pattern.search(text):
            return qualifier
    return "exact"


def epoch_qualifiers(notes: pd.Series) -> np.ndarray:
    """``epoch_qualifier`` of every row of a notes column, as whole-column string operations:
    at a million Epoch rows a call per row costs seconds."""
    text = notes.astype(object).where(notes.notna(), "").astype(str)
    own = text.str.split(EPOCH_QUOTED, n=1, regex=True).str[0]
    result = np.full(len(own), "exact", dtype=object)
    unset = np.ones(len(own), dtype=bool)
    for pattern, qualifier in EPOCH_HEDGES:
        found = own.str.contains(pattern, regex=True).to_numpy(dtype=bool) & unset
        result[found] = qualifier
        unset &= ~found
    return result


def hedges_own_amount(notes: pd.Series, values_usd_bn: pd.Series) -> np.ndarray:
    """Which rows' notes hedge the row's own amount ("approximately $500 billion" for a row of
    $500 billion), as booleans, for a table of any size."""
    text = notes.astype(object).where(notes.notna(), "").astype(str).reset_index(drop=True)
    values = pd.Series(values_usd_bn, dtype=float).reset_index(drop=True)
    hedged = np.zeros(len(text), dtype=bool)
    found = text.str.extractall(HEDGED_AMOUNT)
    if found.empty:
        return hedged
    amounts = found["number"].astype(float) * found["unit"].str.lower().map(AMOUNT_UNIT_BN)
    rows = found.index.get_level_values(0)
    same = np.isclose(amounts.to_numpy(), values.iloc[rows].to_numpy(), rtol=0.005)
    hedged[np.unique(rows[same])] = True
    return hedged


def stated_in_words(quote: object) -> bool:
    """A source's quote gives its figure in words only: it holds no digit ("likely worth
    billions of dollars"), so the value is the book's encoding, not the source's. A quote in
    another script (a Chinese amount such as 万亿, "a trillion") is a number word the book
    translates, not a hedge."""
    if is_missing(quote) or not str(quote).strip():
        return False
    return not _DIGIT_OR_OTHER_SCRIPT.search(str(quote))


# a digit, or a character beyond the Latin script's punctuation (curly quotes and dashes are
# below U+2E00): either makes a quote not "a figure in words"
_DIGIT_OR_OTHER_SCRIPT = re.compile("[0-9\u2e00-\U0010ffff]")


def stated_in_words_all(quotes: pd.Series) -> pd.Series:
    """``stated_in_words`` of every quote, at once (a table of any size)."""
    text = quotes.astype("string")
    present = text.notna() & text.str.strip().ne("")
    return (
        (present & ~text.str.contains(_DIGIT_OR_OTHER_SCRIPT, na=False)).fillna(False).astype(bool)
    )


def epoch_basis(status: object, round_type: object) -> str:
    """An Epoch AI round's basis code: its status when not closed, else its kind."""
    state = "" if is_missing(status) else str(status).strip().lower()
    if state and state != "closed":
        return state if state in EPOCH_OPEN_STATUSES else NOT_CLOSED
    kind = "" if is_missing(round_type) else str(round_type).lower()
    if "secondary" in kind:
        return "secondary"
    if "debt" in kind:
        return "debt"
    if kind == "other":
        return "other"
    return "closed"


def _epoch_bases(status: pd.Series, round_type: pd.Series) -> pd.Series:
    """epoch_basis for every row, worked out once per distinct (status, type) pair."""
    keys = pd.DataFrame(
        {
            "status": status.astype(object).where(status.notna(), ""),
            "type": round_type.astype(object).where(round_type.notna(), ""),
        },
        index=status.index,
    )
    pairs = keys.drop_duplicates()
    codes = pd.Series(
        [epoch_basis(s, t) for s, t in zip(pairs["status"], pairs["type"], strict=True)],
        index=pd.MultiIndex.from_frame(pairs),
        dtype=object,
    )
    return pd.Series(
        codes.reindex(pd.MultiIndex.from_frame(keys)).to_numpy(), index=status.index, dtype=object
    )


def _is_closed(status: pd.Series) -> pd.Series:
    """Epoch's round status is "closed" (any case), decided once per distinct status."""
    codes, uniques = pd.factorize(status)  # missing statuses get code -1: not closed
    closed = np.array([str(u).lower() == "closed" for u in uniques] + [False], dtype=bool)
    return pd.Series(closed[codes], index=status.index)


@per_dataset
def news(data: Dataset) -> pd.DataFrame:
    """The news reports' valuations alone (one row per claim), as in ``valuations``: what a
    round's own valuation is read from, without reading Epoch's many rows."""
    return _news(data)


def _news(data: Dataset) -> pd.DataFrame:
    frame = canonical(table(data, "valuations"))
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(
        {
            "company_id": frame["company_id"],
            "valuation_usd_bn": frame["valuation_usd_bn"].astype(float),
            "value_qualifier": frame["value_qualifier"],
            "basis": frame["basis"],
            "epoch_basis": None,
            "figure_source": NEWS,
            "is_closed": True,
            "status": frame["status"],
            "round_id": frame["round_id"],
            "fact_date": frame["fact_date"],
            "fact_date_precision": frame["fact_date_precision"],
            "source_id": frame["source_id"],
            "record_id": frame["record_id"],
            "claim_id": frame["claim_id"],
            "round_kind": [
                _news_round_kind(b, r)
                for b, r in zip(frame["basis"], frame["round_id"], strict=True)
            ],
            "x_basis": None,
            "in_words": stated_in_words_all(frame["source_quote"]).to_numpy(),
            "uncertain": False,  # a news report's own hedges are its qualifier
            "estimated_by": frame.get("estimated_by"),
            "disputed": False,
        },
        columns=COLUMNS,
    )


def _news_round_kind(basis: object, round_id: object) -> str:
    """A news figure's round_kind: by its basis, and CLOSED_ROUND for a round's own figure
    (a round_id with a post-money or unstated basis)."""
    if basis in NEWS_ROUND_KINDS:
        return NEWS_ROUND_KINDS[basis]
    return REPORTED if is_missing(round_id) else CLOSED_ROUND


def _epoch(data: Dataset) -> pd.DataFrame:
    frame, company_ids = names.known_company_rows(data, "epoch_funding_rounds", "valuation_usd_bn")
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    bases = _epoch_bases(frame["round_status"], frame["round_type"])
    return pd.DataFrame(
        {
            "company_id": company_ids,
            "valuation_usd_bn": frame["valuation_usd_bn"].astype(float),
            "value_qualifier": _epoch_valuation_qualifiers(frame),
            "basis": None,
            "epoch_basis": bases,
            "figure_source": EPOCH,
            "is_closed": _is_closed(frame["round_status"]),
            "status": "reported",
            "round_id": None,
            "fact_date": frame["fact_date"],
            "fact_date_precision": "day",
            "source_id": frame["source_id"],
            "record_id": frame["round_key"],
            "claim_id": None,
            "round_kind": bases.map(EPOCH_ROUND_KINDS),
            "x_basis": np.where(_says(frame["graph_note"], EPOCH_INCLUDES_X), INCL_X, None),
            "in_words": False,
            "uncertain": _says(frame["notes"], HEDGED_VALUATION),
            "disputed": _says(frame["notes"], DISPUTED),
        },
        columns=COLUMNS,
    )


def _epoch_valuation_qualifiers(frame: pd.DataFrame) -> np.ndarray:
    """Epoch's own hedge words, else 'about' where its notes hedge the valuation's amount."""
    qualifiers = epoch_qualifiers(frame["notes"])
    hedged = hedges_own_amount(frame["notes"], frame["valuation_usd_bn"])
    return np.where((qualifiers == "exact") & hedged, "approx", qualifiers)


def _says(notes: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    """Which of Epoch's notes (a missing one says nothing) match ``pattern``, as booleans."""
    text = notes.astype(object).fillna("").astype(str)
    return text.str.contains(pattern, regex=True).to_numpy(dtype=bool)


@per_dataset
def valuations(data: Dataset) -> pd.DataFrame:
    """Every valuation figure: the news reports' (one per claim), then Epoch AI's, each in
    table order (see the module docstring)."""
    frames = [f for f in (_news(data), _epoch(data)) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    result = pd.concat(frames, ignore_index=True)
    result["is_closed"] = result["is_closed"].astype(bool)
    result["in_words"] = result["in_words"].astype(bool)
    result["uncertain"] = result["uncertain"].fillna(False).astype(bool)
    result["disputed"] = result["disputed"].fillna(False).astype(bool)
    result["x_basis"] = _x_bases(result)
    return result


def x_merger_date(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The date of xAI's merger with X: its earliest MERGER figure in ``frame`` (a
    ``valuations`` frame), None when the edition holds none."""
    merger = frame[(frame["company_id"] == XAI) & (frame["round_kind"] == MERGER)]
    return None if merger.empty else merger["fact_date"].min()


def _x_bases(frame: pd.DataFrame) -> pd.Series:
    """x_basis of every figure: xAI's INCL_X on and after the X merger's date (or when Epoch's
    note says so), EXCL_X before; None for other companies."""
    merged = x_merger_date(frame)
    xai = frame["company_id"] == XAI
    after = frame["fact_date"] >= merged if merged is not None else pd.Series(False, frame.index)
    stated = frame["x_basis"] == INCL_X
    bases = pd.Series(None, index=frame.index, dtype=object)
    bases[xai] = EXCL_X
    bases[xai & (after | stated)] = INCL_X
    return bases


def combination(data: Dataset) -> pd.Series | None:
    """xAI's combination with SpaceX as the edition knows it: the timeline's best-ranked row of
    COMBINATION_CLAIM (its fact_date is the date by which it had happened), None in an edition
    before its source's date. Reads the ``timeline`` table."""
    rows = canonical(table(data, "timeline"))
    if rows.empty or "claim_id" not in rows:
        return None
    rows = rows[rows["claim_id"] == COMBINATION_CLAIM]
    return None if rows.empty else rows.sort_values("fact_date").iloc[0]


def newest(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest row of each company of ``frame`` (a ``valuations`` frame or a part of it):
    latest ``fact_date``, a tie going to the row that comes first (news before Epoch)."""
    if frame.empty:
        return frame
    ordered = frame.assign(_order=range(len(frame))).sort_values(
        ["company_id", "fact_date", "_order"], ascending=[True, False, True], kind="stable"
    )
    return ordered.drop_duplicates("company_id").drop(columns="_order")


def latest(
    data: Dataset,
    companies: tuple[str, ...] | list[str] | None = None,
    *,
    source: str | None = None,
    closed_only: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Each company's newest figure (``newest``), one row per company in company_id order:
    of ``companies`` (every company when None), from ``source`` (NEWS, EPOCH or both), of
    closed rounds only if ``closed_only`` (Epoch's status), of ``kinds`` (round_kind) only
    when given."""
    # the news figures alone need not read Epoch's rounds, which can number millions
    frame = news(data) if source == NEWS else valuations(data)
    keep = pd.Series(True, index=frame.index)
    if companies is not None:
        keep &= frame["company_id"].isin(list(companies))
    if source is not None:
        keep &= frame["figure_source"] == source
    if closed_only:
        keep &= frame["is_closed"]
    if kinds is not None:
        keep &= frame["round_kind"].isin(list(kinds))
    chosen = newest(frame[keep]).reset_index(drop=True)
    return chosen.assign(priced_date=_priced_dates(frame[keep], chosen))


def _priced_dates(frame: pd.DataFrame, chosen: pd.DataFrame) -> pd.Series:
    """For each row of ``chosen`` (one per company), the date its valuation was first set: the
    oldest of the company's figures in ``frame`` that carry the same valuation with no other
    valuation between them and it. OpenAI's $300 billion was priced when its round's first
    stage closed in March 2025, though its last stage closed in August."""
    if chosen.empty:
        return pd.Series(dtype="datetime64[ns]")
    dates = []
    by_company = dict(tuple(frame.groupby("company_id", sort=False)))
    for row in chosen.itertuples(index=False):
        history = by_company[row.company_id].sort_values("fact_date", ascending=False)
        same = history["valuation_usd_bn"].eq(row.valuation_usd_bn)
        run = same.cummin()  # newest first: the unbroken run of the same valuation
        dates.append(history.loc[run.to_numpy(), "fact_date"].min())
    return pd.Series(dates, index=chosen.index, dtype="datetime64[ns]")


def for_round(data: Dataset, round_id: object, company_id: str = "xai") -> pd.DataFrame:
    """Every report of the valuation a round set, all ranks, best-ranked first."""
    rows = table(data, "valuations")
    if rows.empty:
        return rows
    rows = rows[(rows["company_id"] == company_id) & (rows["round_id"] == round_id)]
    return rows.sort_values("claim_rank", kind="stable")
