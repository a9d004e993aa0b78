"""Funding chapter, xAI's investors: who they are (strategic or financial), their table and
the values the template writes its sentences about them from.
"""

from __future__ import annotations

import re

import pandas as pd

from xaibook.analysis.common import (
    canonical,
    labels as _labels,
    per_dataset as _per_dataset,
    table as _table,
)
from xaibook.analysis.funding.base import (
    EPOCH_SOURCE_ID,
    FINANCIAL,
    MUSK_COMPANY,
    STRATEGIC,
    SUPPLIER_ROLES,
    UNKNOWN_KIND,
    XAI,
    _amount_sources,
    _company_names,
    _keys,
    _money_cell,
    _round_ref,
    epoch_rounds,
    xai_rounds,
)
from xaibook.data.dataset import Dataset
from xaibook.model.cells import flag as _flag, number as _number, unique as _unique, value
from xaibook.model.names import source_citation
from xaibook.model.rounds import CLOSED


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
        "published",
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
                "published": row["published_date"],
            }
        )
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.sort_values(["investor_type", "date", "investor"], ascending=[False, True, True])


def _role(code: str) -> str:
    """An investor's relationship to xAI in the template's words (a kind it does not name is
    shown as it is)."""
    roles = _labels("funding", "investor_roles")
    return roles.get(code, code.replace("_", " "))


def investors_table(data: Dataset, investors: pd.DataFrame) -> pd.DataFrame:
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
            header["source"]: [source_citation(data, key) for key in investors["source_id"]],
        }
    ).reset_index(drop=True)


def _epoch_more(data: Dataset | None, investors: pd.DataFrame) -> list[dict]:
    """xAI's rounds whose Epoch AI notes name investors that the articles' list (investments)
    does not cover: the rounds, for the sentence that says the count leaves them out."""
    if data is None:
        return []
    epoch = epoch_rounds(data, XAI)
    if epoch.empty or "notes" not in epoch:
        return []
    rounds = xai_rounds(data)
    covered = set(investors["round_id"]) if not investors.empty else set()
    notes = epoch.set_index("round_key")["notes"].fillna("").astype(str)
    naming = notes[notes.str.contains(r"\binvestors?\b", case=False)]
    closed = rounds[(rounds["stage"] == CLOSED) & rounds["epoch_round_key"].isin(naming.index)]
    return [
        {
            "round": _round_ref(row),
            "source_id": EPOCH_SOURCE_ID,
            # the notes call some of them strategic ("Strategic investors NVIDIA and AMD")
            "strategic": bool(
                re.search(r"\bstrategic investors?\b", naming[row["epoch_round_key"]], re.I)
            ),
        }
        for _, row in closed.iterrows()
        if row["round_id"] not in covered
    ]


def investors(
    investors: pd.DataFrame, rounds: pd.DataFrame, data: Dataset | None = None
) -> dict | None:
    """Who the investors the articles name are: strategic ones grouped by round, with their
    role and any stated amount; the financial ones by name; and (given ``data``) the rounds
    whose Epoch AI notes name investors the articles do not. None if no investor is named."""
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
        "epoch_more": _epoch_more(data, investors),
    }


def financial_investors(investors: pd.DataFrame) -> dict | None:
    """The financial investors named (an empty list if only strategic ones are); None if no
    investor is named at all."""
    if investors.empty:
        return None
    financial = investors[investors["investor_type"] == FINANCIAL]
    return {"names": list(financial["investor"]), "source_ids": _unique(financial["source_id"])}


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
            # the equity part of the round the stake went into, and when the stake was reported
            "round_equity": (
                value(by_id.loc[row["round_id"]], "equity_usd_bn")
                if by_id is not None and row["round_id"] in by_id.index
                else None
            ),
            "reported": row["published"],
            # the stake's own source, and apart from it the sources of the round it is matched to
            # (Epoch's round notes do not name the investor: the match is the book's)
            "source_ids": [row["source_id"]],
            "round_source_ids": [
                key for key in _keys(row["round_source_ids"]) if key != row["source_id"]
            ],
        }
        for _, row in stated.iterrows()
    ]
