"""Funding chapter, the peers: OpenAI's and Anthropic's rounds from Epoch AI beside xAI's, the
capital each has raised over time, their valuations, and the date of Epoch's snapshot.
"""

from __future__ import annotations

import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.common import per_dataset as _per_dataset, table as _table
from xaibook.analysis.funding.base import (
    PEERS,
    XAI,
    _amount_sources,
    _company_name,
    _compare,
    _valuation,
    xai_rounds,
)
from xaibook.data.dataset import Dataset
from xaibook.model import names, rounds as model_rounds, valuations as model_valuations
from xaibook.model.cells import unique as _unique, value
from xaibook.model.rounds import CLOSED, COUNTED, closed_rounds


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
        "secondary",
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
                    "secondary": rounds["secondary"],
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


# Debt that Epoch records for a closed round but whose source describes a credit facility:
# borrowing the company may draw, not money it raised (OpenAI's $4 billion of October 2024)
CREDIT_LINE = r"credit[- ]facilit|revolving"


def peer_credit_line(
    data: Dataset, company: str, xai_total: float, peer_total: float
) -> dict | None:
    """A peer's debt in closed rounds that Epoch's note or sources call a credit facility: the
    amount, the round's date and ``without``, xAI's ``xai_total`` compared (``_compare``) with
    the peer's ``peer_total`` less that amount; None if it has none. ``company`` is its name."""
    ids = {_company_name(data, c): c for c in PEERS}
    epoch = _table(data, "epoch_funding_rounds")
    if company not in ids or epoch.empty:
        return None
    own = epoch[names.epoch_company_mask(data, epoch["company"], ids[company])]
    text = own["notes"].fillna("").astype(str) + " " + own["source_urls"].fillna("").astype(str)
    lines = own[
        own["debt_usd_bn"].fillna(0).gt(0)
        & own["round_status"].astype(str).str.lower().eq("closed")
        & text.str.contains(CREDIT_LINE, case=False, regex=True)
    ]
    if lines.empty:
        return None
    amount = float(lines["debt_usd_bn"].sum())
    return {
        "amount": amount,
        "date": lines["close_date"].max(),
        "source_id": lines["source_id"].iloc[0],
        "without": _compare(xai_total, peer_total - amount, company),
    }


def peer_talks(data: Dataset, company: str) -> dict | None:
    """A peer's rounds Epoch lists as in discussion (not closed): how many, how much in all,
    and the newest report date; None if it has none with an amount. ``company`` is its name."""
    ids = {_company_name(data, c): c for c in PEERS}
    if company not in ids:
        return None
    rounds = model_rounds.rounds(data, ids[company])
    talks = rounds[(rounds["stage"] == model_rounds.TALKS) & rounds["amount_usd_bn"].gt(0)]
    if talks.empty:
        return None
    return {
        "count": len(talks),
        "amount": float(talks["amount_usd_bn"].sum()),
        "latest": talks["date"].max(),
        "source_ids": _unique(talks["source_id"]),
        # each entry by Epoch's own name for it: a round's last tranche and a staged
        # commitment are not alike
        "entries": [
            {
                "name": row.round_name
                if fmt.is_missing(row.epoch_round_key)
                else row.epoch_round_key,
                "amount": float(row.amount_usd_bn),
                "date": row.date,
            }
            for row in talks.sort_values("date").itertuples()
        ],
    }


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
    """Each company's newest valuation set by a closed round that sold new shares (a merger
    counts; a share sale between holders, a tender, does not: it raised no money)."""
    closed = history[history["stage"].isin(COUNTED) & ~history["secondary"].astype(bool)]
    return closed.sort_values("date").groupby("company", sort=False).tail(1)


def _latest_secondary(history: pd.DataFrame, company: str, after: object) -> dict | None:
    """The company's newest share-sale valuation after ``after``, or None."""
    rows = history[
        (history["company"] == company)
        & history["secondary"].astype(bool)
        & history["stage"].isin(COUNTED)
        & (history["date"] > pd.Timestamp(after))
    ]
    if rows.empty:
        return None
    row = rows.sort_values("date").iloc[-1]
    return {
        "value": float(row["valuation_usd_bn"]),
        "date": row["date"],
        "source_id": row["source_id"],
        "record_id": row["record_id"],
        "valuation_usd_bn": float(row["valuation_usd_bn"]),
    }


def peer_valuations(data: Dataset, history: pd.DataFrame) -> dict | None:
    """Latest primary-round valuations side by side (closed rounds that sold new shares), each
    peer's newer share-sale valuation, and the peers' newer press valuations with their basis:
    in talks where Epoch lists a round in discussion at that value, else not stated."""
    latest = _latest_closed_valuations(history).set_index("company")
    xai = _company_name(data, XAI)
    if xai not in latest.index:
        return None
    peers = [name for name in latest.index if name != xai]
    if not peers:
        return None
    xai_value = float(latest.at[xai, "valuation_usd_bn"])
    press = _peer_press_valuations(data)
    talks = history[history["stage"] == model_rounds.TALKS]
    return {
        "xai": _xai_valuation(data, latest.at[xai, "record_id"])
        | {"value": xai_value, "date": latest.at[xai, "date"]},
        "peers": [
            {
                "name": name,
                "value": float(latest.at[name, "valuation_usd_bn"]),
                "date": latest.at[name, "date"],
                "ratio": float(latest.at[name, "valuation_usd_bn"]) / xai_value,
                "secondary": _latest_secondary(history, name, latest.at[name, "date"]),
            }
            for name in peers
        ],
        "source_ids": _unique(latest.loc[[xai, *peers], "source_id"]),
        "press": [
            {
                "name": row.company,
                "value": float(row.valuation_usd_bn),
                "qualifier": value(row, "value_qualifier"),
                "in_talks": _in_talks(talks, row.company, row.valuation_usd_bn),
            }
            for row in press.itertuples()
        ],
        "press_date": press["fact_date"].max() if not press.empty else None,
        "press_source_ids": _unique(press["source_id"]) if not press.empty else [],
    }


def _xai_valuation(data: Dataset, record_id: object) -> dict:
    """How xAI's round states its valuation: qualifier, estimate, uncertain (``_valuation``)."""
    rounds = xai_rounds(data)
    row = rounds[rounds["round_id"] == record_id]
    found = _valuation(row.iloc[0]) if not row.empty else None
    return found or {"qualifier": None, "estimate": False, "uncertain": False}


def _in_talks(talks: pd.DataFrame, company: str, worth: float) -> dict | None:
    """The round Epoch lists in discussion at about ``worth`` (within 5%), if any."""
    mine = talks[(talks["company"] == company) & talks["valuation_usd_bn"].notna()]
    near = mine[(mine["valuation_usd_bn"] - worth).abs() <= 0.05 * worth]
    if near.empty:
        return None
    row = near.sort_values("date").iloc[-1]
    return {"date": row["date"], "source_id": row["source_id"]}


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
