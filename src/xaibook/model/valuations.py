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
  report wins (it is the book's curated reading), then the earlier row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xaibook.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import names
from xaibook.model.claims import canonical, per_dataset, table

NEWS, EPOCH = "news", "epoch"  # figure_source: a curated news report, or Epoch AI
TABLES = ("companies", "valuations", "epoch_funding_rounds")

# Epoch AI's round statuses (lower case) kept as codes; any other status but "closed" is
# NOT_CLOSED. A closed round's code is its kind: secondary, debt, other or closed.
EPOCH_OPEN_STATUSES = ("late discussions", "early discussions", "announced", "rumored")
NOT_CLOSED = "not_closed"
EPOCH_BASES = (*EPOCH_OPEN_STATUSES, NOT_CLOSED, "secondary", "debt", "other", "closed")

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
]


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
        },
        columns=COLUMNS,
    )


def _epoch(data: Dataset) -> pd.DataFrame:
    frame, company_ids = names.known_company_rows(data, "epoch_funding_rounds", "valuation_usd_bn")
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(
        {
            "company_id": company_ids,
            "valuation_usd_bn": frame["valuation_usd_bn"].astype(float),
            "value_qualifier": "exact",
            "basis": None,
            "epoch_basis": _epoch_bases(frame["round_status"], frame["round_type"]),
            "figure_source": EPOCH,
            "is_closed": _is_closed(frame["round_status"]),
            "status": "reported",
            "round_id": None,
            "fact_date": frame["fact_date"],
            "fact_date_precision": "day",
            "source_id": frame["source_id"],
            "record_id": frame["round_key"],
            "claim_id": None,
        },
        columns=COLUMNS,
    )


@per_dataset
def valuations(data: Dataset) -> pd.DataFrame:
    """Every valuation figure: the news reports' (one per claim), then Epoch AI's, each in
    table order (see the module docstring)."""
    frames = [f for f in (_news(data), _epoch(data)) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    result = pd.concat(frames, ignore_index=True)
    result["is_closed"] = result["is_closed"].astype(bool)
    return result


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
) -> pd.DataFrame:
    """Each company's newest figure (``newest``), one row per company in company_id order:
    of ``companies`` (every company when None), from ``source`` (NEWS, EPOCH or both), of
    closed rounds only if ``closed_only``."""
    # the news figures alone need not read Epoch's rounds, which can number millions
    frame = news(data) if source == NEWS else valuations(data)
    keep = pd.Series(True, index=frame.index)
    if companies is not None:
        keep &= frame["company_id"].isin(list(companies))
    if source is not None:
        keep &= frame["figure_source"] == source
    if closed_only:
        keep &= frame["is_closed"]
    return newest(frame[keep]).reset_index(drop=True)


def for_round(data: Dataset, round_id: object, company_id: str = "xai") -> pd.DataFrame:
    """Every report of the valuation a round set, all ranks, best-ranked first."""
    rows = table(data, "valuations")
    if rows.empty:
        return rows
    rows = rows[(rows["company_id"] == company_id) & (rows["round_id"] == round_id)]
    return rows.sort_values("claim_rank", kind="stable")
