"""Funding chapter, xAI's rounds in the text: the rounds table and the values the template
(chapters/funding.md.j2) writes its sentences about the rounds from.

Each function returns plain values (None for missing, dates as Timestamps, money in USD bn,
sources as lists of keys), or None / [] when this edition has nothing to say: the template
then prints its notice.
"""

from __future__ import annotations

import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.common import labels as _labels, table as _table
from xaibook.analysis.funding.base import (
    EPOCH_SOURCE_ID,
    NEAR_EQUAL,
    STAGE_CODES,
    XAI,
    _amount_cell,
    _amount_sources,
    _cell,
    _company_name,
    _compare,
    _keys,
    _money_cell,
    _outlet,
    _round_ref,
    _valuation,
    is_combination,
)
from xaibook.analysis.funding.figures import valuation_step_up
from xaibook.analysis.funding.peers import (
    capital_totals,
    cumulative_capital,
    epoch_snapshot,
    peer_credit_line,
    peer_talks,
)
from xaibook.data.dataset import Dataset
from xaibook.model import (
    metrics as model_metrics,
    names as model_names,
    valuations as model_valuations,
)
from xaibook.model.cells import unique as _unique, value
from xaibook.model.dates import months_between
from xaibook.model.names import source_citations
from xaibook.model.rounds import (
    CLOSED,
    CONVENTION,
    COUNTED,
    CURATED_NOT_CLOSED,
    MERGER,
    RAISING,
    REPORTED_BY,
    TALKS,
    closed_rounds,
    total_raised,
)
from xaibook.model.valuations import COMBINATION_CLAIM, COMBINED_WITH


def rounds_table(data: Dataset, rounds: pd.DataFrame) -> pd.DataFrame:
    """The reconciled round list as readers see it (text cells; '–' where nothing is known)."""
    columns = list(_labels("funding", "rounds_columns").values())
    rows = []
    for _, row in rounds.iterrows():
        worth = _valuation(row)
        worth = None if worth is None else worth | {"includes_x": bool(row["includes_x"])}
        valuation = _cell("valuation_cell", v=worth)
        status = _cell(
            "status_cell",
            stage=row["stage"],
            disputed=bool(row["disputed"]),
            combination=is_combination(row),
        )
        merger = row["stage"] == MERGER
        rows.append(
            [
                _cell(
                    "date_cell",
                    date=row["date"],
                    precision=row["date_precision"] or "day",
                    reported_by=row["date_basis"] == REPORTED_BY,
                ),
                row["round_name"],
                status,
                _amount_cell(row),
                None
                if merger
                else _cell(
                    "equity_cell",
                    equity=value(row, "equity_usd_bn"),
                    convention=row["split_basis"] == CONVENTION,
                ),
                None
                if merger
                else _cell(
                    "debt_cell",
                    debt=value(row, "debt_usd_bn"),
                    pending=value(row, "pending_debt_usd_bn"),
                ),
                _money_cell(row["target_usd_bn"]),
                valuation,
                source_citations(data, _keys(row["source_ids"])),
            ]
        )
    return pd.DataFrame(rows, columns=columns)


def rounds_records(rounds: pd.DataFrame) -> pd.DataFrame:
    """The model's record behind each row of ``rounds_table``, with the date, label and amount
    the row shows (for the chapter's records download)."""
    return pd.DataFrame(
        {
            "record_id": rounds["round_id"],
            "date": rounds["date"],
            "round_label": rounds["round_label"],
            "round_amount_usd_bn": rounds["amount_usd_bn"],
        }
    )


def _nvidia(row: pd.Series) -> bool:
    """Whether the round's stated use names Nvidia."""
    return "nvidia" in str(value(row, "use_of_funds") or "").lower()


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
            "estimated_by": value(alt_row, "estimated_by"),
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
        # issue 11: each side's date, the peers' money in talks, xAI's founding
        "to": last["date"],
        "founded": model_names.founded(data, XAI),
        "snapshot": None,
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
                    "to": totals.at[name, "last"],
                    "talks": peer_talks(data, name),
                    "credit_line": peer_credit_line(
                        data, name, total, totals.at[name, "total_usd_bn"]
                    ),
                }
                for name in peers
            ],
            "snapshot": epoch_snapshot(data),
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
    result["multiple_ex_x"] = None
    merger = rounds[(rounds["stage"] == MERGER) & rounds["valuation_usd_bn"].notna()]
    if not merger.empty and last["includes_x"]:
        row = merger.iloc[0]
        x_source = _x_value_source(row)
        x_value = value(row, "x_value_usd_bn") if x_source else None
        result["merger"] = {
            "date": row["date"],
            "x_value": x_value,
            "x_source_id": x_source,
        }
        # like for like: the latest value net of X's value in the merger, against a first
        # value that did not include X (X's later value is unknown: this is approximate)
        if x_value is not None and not first["includes_x"]:
            net = float(last["valuation_usd_bn"]) - float(x_value)
            if net > 0:
                result["multiple_ex_x"] = net / float(first["valuation_usd_bn"])
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
    """Debt's share of all closed rounds (``all_share``; a round whose split no source gives
    counts as equity) and of the latest year that carried debt (``year_share``, with how many
    rounds that year closed), and the latest debt reported for a round not (yet) confirmed
    closed with it. None if none is known."""
    closed = closed_rounds(rounds)
    result: dict = {"year_share": None, "all_share": None, "report": None}
    with_debt = closed[closed["debt_usd_bn"].fillna(0) > 0]
    if not with_debt.empty:
        year = pd.Timestamp(with_debt.iloc[-1]["date"]).year
        in_year = closed[closed["date"].dt.year == year]
        owed, total = in_year["debt_usd_bn"].fillna(0).sum(), in_year["raised_usd_bn"].sum()
        result["year_share"] = {
            "year": int(year),
            "rounds": len(in_year),
            "debt": float(owed),
            "total": float(total),
            "pct": float(100 * owed / total),
            "source_ids": _unique(in_year["debt_source_id"].dropna()),
        }
        # one year's share can be one deal's split: the headline states the share of all
        owed_all, total_all = closed["debt_usd_bn"].fillna(0).sum(), closed["raised_usd_bn"].sum()
        result["all_share"] = {
            "to": closed["date"].max(),
            "debt": float(owed_all),
            "total": float(total_all),
            "pct": float(100 * owed_all / total_all),
            # rounds counted as equity by convention, since no source gives their split
            "assumed": list(closed.loc[closed["split_basis"] == CONVENTION, "round_name"]),
            "source_ids": _unique(
                [*closed["debt_source_id"].dropna(), *closed["source_id"].dropna()]
            ),
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
            share = result["all_share"]
            if share is not None and closed_row["round_name"] in share["assumed"]:
                # debt's share of all closed rounds if the reported debt is part of that round
                report["all_share_pct"] = 100 * (share["debt"] + report["debt"]) / share["total"]
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


def rounds_overview(rounds: pd.DataFrame) -> dict | None:
    """What the reconciled list holds and what it counts."""
    if rounds.empty:
        return None
    counts = rounds["stage"].value_counts().to_dict()
    combined = 1 if combination_row(rounds) is not None else 0
    counts[MERGER] = counts.get(MERGER, 0) - combined
    stages = [
        {"stage": code, "count": int(counts.get(stage, 0))}
        for stage, code in STAGE_CODES.items()
        if counts.get(stage, 0)
    ]
    if combined:
        stages.append({"stage": "combination", "count": combined})
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


def talks(rounds: pd.DataFrame) -> list[dict]:
    """Rounds reported in talks: amount, valuation, when, whether disputed."""
    in_talks = rounds[rounds["stage"] == TALKS] if not rounds.empty else rounds
    return [
        {
            "amount": value(row, "amount_usd_bn"),
            "valuation": _valuation(row),
            "date": row["date"],
            "disputed": bool(row["disputed"]),
            "pending_debt": value(row, "pending_debt_usd_bn"),
            "source_ids": _keys(row["source_ids"]),
        }
        for _, row in in_talks.iterrows()
    ]


def combination_row(rounds: pd.DataFrame) -> pd.Series | None:
    """The event that ended xAI as a standalone company (``model.valuations.combination``, which
    the rounds model lists last), None in an edition that does not know of it."""
    if rounds.empty:
        return None
    rows = rounds[rounds["claim_id"] == COMBINATION_CLAIM]
    return None if rows.empty else rows.iloc[-1]


def combination(data: Dataset, rounds: pd.DataFrame) -> dict | None:
    """xAI's combination into another company (a merger after the X merger with no closed
    round after it): when it was reported, with whom, and xAI's last standalone valuation.
    None if this edition holds no such event (an edition before the report knows nothing of it).
    """
    row = combination_row(rounds)
    if row is None:
        return None
    before = rounds[
        rounds["stage"].isin(COUNTED)
        & rounds["valuation_usd_bn"].notna()
        & (rounds["date"] < row["date"])
    ]
    last_valuation = None
    if not before.empty:
        last = before.iloc[-1]
        last_valuation = _valuation(last) | {
            "round": _round_ref(last),
            "source_id": value(last, "valuation_source_id"),
        }
    last_round = None
    closed = closed_rounds(rounds)
    if not closed.empty:
        last = closed.iloc[-1]
        last_round = {
            "round": _round_ref(last),
            "amount": float(last["amount_usd_bn"]),
            "qualifier": value(last, "amount_qualifier"),
            "source_ids": _amount_sources(closed.tail(1)),
        }
    return {
        "round": _round_ref(row),
        "date": row["date"],
        "precision": row["date_precision"] or "month",
        "partner": model_names.company_name(data, COMBINED_WITH),
        "last_round": last_round,
        "outlet": _outlet(data, row["source_id"]),
        "quote": value(row, "source_quote"),
        "source_ids": _keys(row["source_ids"]),
        "last_valuation": last_valuation,
        "raised_total": total_raised(rounds),
    }
