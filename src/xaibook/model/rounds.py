"""A company's financing rounds, reconciled once: the curated rounds and Epoch AI's, joined.

``rounds(data, company_id)`` is the one list every chapter reads. The curated rounds (the
canonical row of each claim) and Epoch AI's rounds of the company are joined where a curated row
names its Epoch row (``epoch_round_key``); a round both sources confirm appears once and keeps
both sources. The rules (they follow data/CURATION_NOTES.md):

* the curated canonical row supplies the amount, name, target and use of funds; the joined Epoch
  row fills in a missing equity or debt figure, and its close date (a day) wins over the
  article's date; Epoch rounds no curated row names are added as Epoch gives them;
* only closed rounds count as money raised; rounds in talks (Epoch's "Late discussions") or still
  being raised (a curated target or plan) are listed, marked, and counted in no total;
* a merger raised no new money: a closed event with an amount of zero;
* a round announced as an equity series with no split is counted as equity ("convention"); a
  round whose source gives only part of the split keeps the rest as not broken down; a debt
  figure that only a lower-ranked report of the same claim gives is kept apart, unconfirmed;
* labels and names never contain an Epoch Id's date or amount: every date shown is ``date``.
"""

from __future__ import annotations

import re

import pandas as pd

from xaibook import formatting as fmt
from xaibook.data.dataset import Dataset
from xaibook.model import names, valuations
from xaibook.model.cells import number, unique, value
from xaibook.model.claims import canonical, per_dataset, table

XAI = "xai"

CLOSED = "Closed"
MERGER = "Merger (no new money)"
RAISING = "Being raised (not closed)"
TALKS = "In talks (not closed)"
COUNTED = (CLOSED, MERGER)  # events whose money reached the company (a merger brought none)
EPOCH_CLOSED_STATUS = "closed"
CURATED_NOT_CLOSED = ("target", "plan")  # curated statuses of a round that has not closed

# Where a round's date comes from: Epoch's close date, Epoch's report date, the article's date,
# or the date of the report by which it had happened (the source gives no date of its own:
# "now combined with SpaceX").
CLOSE, REPORT, ARTICLE, REPORTED_BY = "close", "report", "article", "reported_by"
# Where its equity/debt split comes from (see the module docstring).
STATED, EPOCH, CONVENTION, NONE = "stated", "epoch", "convention", "none"
CONFIRMED_SPLITS = (STATED, EPOCH)

# X's value in the all-stock merger comes from Epoch's graph note on xAI's rounds ("Valuation
# includes value of X, formerly Twitter (~33B)"): the amount is read from that text.
X_VALUE_NOTE = re.compile(r"value of X\b[^()]*\(~?\$?(\d+(?:\.\d+)?)\s*B\)", re.IGNORECASE)
MAX_LABEL_NAME_CHARS = 24  # longer round names become "Equity and debt round" on chart axes
DISPUTED = valuations.DISPUTED  # "Musk disputes" in Epoch notes (one rule, with the valuations)
TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
EPOCH_DATE_PREFIX = re.compile(r"^(?:[A-Z][a-z]+\.?\s+)?\d{4}\s+")
EPOCH_DATE_SUFFIX = re.compile(r"\s+(?:[A-Z][a-z]+\.?\s+)?\d{4}$")  # "Amazon March 2024"
EPOCH_AMOUNT = re.compile(r"\s*\b\d+(?:\.\d+)?[BM]\b\s*")  # "24B", "18.4B", anywhere
# Epoch's notes hedge a valuation: the round's valuation is an uncertain report (one rule,
# kept with the valuations)
HEDGED_VALUATION = valuations.HEDGED_VALUATION
# Debt Epoch's notes give as planned but not raised ("10B in equity now, 3.5B in debt under
# negotiation"): kept apart from the round's money, which it is not part of.
PENDING_DEBT_NOTE = re.compile(r"(\d+(?:\.\d+)?)\s*B in debt under negotiation", re.IGNORECASE)

ROUND_COLUMNS = [
    "round_id",
    "company_id",
    "company",
    "claim_id",
    "date",
    "date_precision",
    "date_basis",
    "round_name",
    "label",
    "round_label",  # the same as label, kept for the chapters' older code
    "epoch_round_key",
    "stage",
    "counted",
    "amount_usd_bn",
    "amount_qualifier",
    "equity_usd_bn",
    "debt_usd_bn",
    "unsplit_usd_bn",
    "split_basis",
    "unconfirmed_debt_usd_bn",
    "unconfirmed_debt_source_id",
    "target_usd_bn",
    "raised_usd_bn",
    "valuation_usd_bn",
    "valuation_qualifier",
    "valuation_status",
    "includes_x",
    "disputed",
    "use_of_funds",
    "reported_usd_bn",
    "reported_on",
    "source_id",
    "equity_source_id",
    "debt_source_id",
    "unsplit_source_id",
    "valuation_source_id",
    "source_ids",
    "x_value_usd_bn",
    # added in issue 11 (new fields; the ones above keep their meanings):
    "secondary",  # a share sale between holders (Epoch type "Secondary"): values, raises nothing
    "valuation_uncertain",  # the valuation's source hedges it ("believed to be", "not certain")
    "pending_debt_usd_bn",  # debt the source says was still under negotiation (not in amount)
    "source_quote",  # the curated row's quote of its source (None for Epoch-only rows)
]


# 1. Reading each source ---------------------------------------------------------------------


def curated_rounds(data: Dataset, company_id: str) -> pd.DataFrame:
    """Every curated row of the company's rounds, all ranks."""
    rounds = table(data, "funding_rounds")
    if rounds.empty:
        return rounds
    return rounds[rounds["company_id"] == company_id]


def epoch_rounds(data: Dataset, company_id: str) -> pd.DataFrame:
    """Epoch AI's rounds of one company (its name in Epoch's files comes from companies.csv)."""
    rounds = table(data, "epoch_funding_rounds")
    if rounds.empty:
        return rounds
    return rounds[rounds["company"] == (names.epoch_name(data, company_id) or company_id)]


def _round_valuations(data: Dataset, company_id: str) -> dict[str, pd.Series]:
    """The news reports' valuation of each of the company's rounds (``valuations``, one row per
    claim), by the round's claim_id."""
    figures = valuations.news(data)
    mine = figures[(figures["company_id"] == company_id) & figures["round_id"].notna()]
    return {str(row["round_id"]): row for _, row in mine.sort_values("fact_date").iterrows()}


def _unconfirmed_debt(curated: pd.DataFrame, row: pd.Series) -> pd.Series | None:
    """The best-ranked lower-ranked target/plan row of ``row``'s claim that states a debt."""
    claim = value(row, "claim_id")
    if claim is None or "debt_usd_bn" not in curated:
        return None
    others = curated[
        (curated["claim_id"] == claim)
        & (curated["claim_rank"] > row["claim_rank"])
        & curated["debt_usd_bn"].notna()
        & curated["status"].isin(CURATED_NOT_CLOSED)
    ]
    return others.sort_values("claim_rank", kind="stable").iloc[0] if not others.empty else None


def _epoch_stage(row: pd.Series) -> str:
    status = str(value(row, "round_status") or "").strip().lower()
    if status != EPOCH_CLOSED_STATUS:
        return TALKS  # "Late discussions" or unknown: never counted as raised
    equity, debt = number(row, "equity_usd_bn"), number(row, "debt_usd_bn")
    no_money = not equity and not debt
    if no_money and "merger" in str(value(row, "round_key") or "").lower():
        return MERGER
    return CLOSED


def epoch_display_name(row: pd.Series) -> str:
    """'Series C' from Epoch's 'Dec 2024 Series C', 'Amazon' from 'Amazon March 2024': the Id's
    date and size go (the row's date and amount say them); a plain description if nothing is
    left but a size."""
    key = str(value(row, "round_key") or "").strip()
    name = EPOCH_DATE_SUFFIX.sub("", EPOCH_DATE_PREFIX.sub("", key))
    name = EPOCH_AMOUNT.sub(" ", name).strip()
    if name and name.lower() not in ("raise", "round"):
        return name[0].upper() + name[1:]
    kinds = str(value(row, "round_type") or "").lower()
    if "primary" in kinds and "debt" in kinds:
        # a debt part planned but not raised is ``pending_debt_usd_bn``, not in the name
        has_debt = number(row, "debt_usd_bn") is not None
        return "Equity and debt round" if has_debt else "Equity round"
    if "secondary" in kinds:
        return "Share sale (secondary)"
    if "debt" in kinds:
        return "Debt round"
    return "Equity round" if "primary" in kinds else "Round"


def _label(row: pd.Series) -> str:
    """A short axis label: 'Series E · Jan 2026', 'Equity and debt round · Sep 2025 (talks)'.

    Rounds not closed say so in the label too, so a chart reads right in black and white.
    """
    name = str(row["round_name"])
    if len(name) > MAX_LABEL_NAME_CHARS:
        has_equity = not fmt.is_missing(row["equity_usd_bn"]) and row["equity_usd_bn"] > 0
        has_debt = not fmt.is_missing(row["debt_usd_bn"]) and row["debt_usd_bn"] > 0
        name = {
            (True, True): "Equity and debt round",
            (True, False): "Equity round",
            (False, True): "Debt round",
        }.get((has_equity, has_debt), "Round")
    date = row["date"]
    when = f"{pd.Timestamp(date):%b %Y}" if not fmt.is_missing(date) else "undated"
    if row.get("date_basis") == REPORTED_BY:
        when = f"by {when}"  # the source reports it done, without a date of its own
    suffix = {RAISING: " (raising)", TALKS: " (talks)"}.get(row["stage"], "")
    return f"{name} · {when}{suffix}"


def _split(
    amount: float | None, equity: float | None, debt: float | None, instrument: object
) -> tuple[float | None, float | None, float | None, float | None]:
    """(amount, equity, debt, not broken down) so that the parts add up to the amount."""
    if equity is None and debt is None:
        if instrument == "equity":
            return amount, amount, None, None
        if instrument == "debt":
            return amount, None, amount, None
        return amount, None, None, amount
    known = (equity or 0.0) + (debt or 0.0)
    if amount is not None and amount > known:
        return amount, equity, debt, amount - known
    return known, equity, debt, None


def _secondary(epoch: pd.Series | None) -> bool:
    """Whether Epoch types the round as a secondary sale only (a tender: no money raised)."""
    if epoch is None:
        return False
    kinds = [k.strip().lower() for k in str(value(epoch, "round_type") or "").split(",")]
    return kinds == ["secondary"]


def _hedged(epoch: pd.Series | None) -> bool:
    return epoch is not None and bool(HEDGED_VALUATION.search(str(value(epoch, "notes") or "")))


def _pending_debt(epoch: pd.Series | None) -> float | None:
    if epoch is None or number(epoch, "debt_usd_bn") is not None:
        return None
    match = PENDING_DEBT_NOTE.search(str(value(epoch, "notes") or ""))
    return float(match.group(1)) if match else None


# 2. One record per round --------------------------------------------------------------------


def _from_curated(
    row: pd.Series,
    epoch: pd.Series | None,
    valuation: pd.Series | None,
    unconfirmed: pd.Series | None,
) -> dict:
    instrument = value(row, "instrument")
    source = value(row, "source_id")
    epoch_source = value(epoch, "source_id") if epoch is not None else None
    if instrument == "merger":
        stage = MERGER
    elif value(row, "status") in CURATED_NOT_CLOSED:
        stage = RAISING
    else:
        stage = CLOSED
    equity, equity_source = number(row, "equity_usd_bn"), source
    debt, debt_source = number(row, "debt_usd_bn"), source
    split_basis = STATED if equity is not None or debt is not None else NONE
    if epoch is not None:
        if equity is None and number(epoch, "equity_usd_bn") is not None:
            equity, equity_source = number(epoch, "equity_usd_bn"), epoch_source
            split_basis = EPOCH
        if debt is None and number(epoch, "debt_usd_bn") is not None:
            debt, debt_source = number(epoch, "debt_usd_bn"), epoch_source
            split_basis = EPOCH
    amount = number(row, "amount_usd_bn")
    if amount is None and stage == MERGER:
        amount = 0.0  # an all-stock merger brings no new money
    if split_basis == NONE and instrument in ("equity", "debt") and stage != MERGER:
        split_basis = CONVENTION  # a lettered series with no split counts as equity
    total, equity, debt, unsplit = _split(amount, equity, debt, instrument)
    name = TRAILING_PARENTHESIS.sub("", str(value(row, "round_name") or "Round")) or "Round"
    if debt and debt_source == epoch_source and instrument == "equity":
        name += ", plus debt"  # Epoch adds a debt tranche the article does not mention
    has_epoch_date = epoch is not None and value(epoch, "close_date") is not None
    date = value(epoch, "close_date") if has_epoch_date else value(row, "fact_date")
    precision = "day" if has_epoch_date else value(row, "fact_date_precision")
    if valuation is not None:
        worth = number(valuation, "valuation_usd_bn")
        worth_qualifier = value(valuation, "value_qualifier")
        worth_status, worth_source = value(valuation, "status"), value(valuation, "source_id")
    elif epoch is not None and number(epoch, "valuation_usd_bn") is not None:
        worth, worth_qualifier = number(epoch, "valuation_usd_bn"), None
        worth_status, worth_source = "reported", epoch_source
        if _hedged(epoch):
            worth_qualifier = "approx"
    else:
        worth = worth_qualifier = worth_status = worth_source = None
    uncertain = worth is not None and worth_source == epoch_source and _hedged(epoch)
    unconfirmed_debt = number(unconfirmed, "debt_usd_bn") if unconfirmed is not None else None
    if debt is not None:
        unconfirmed, unconfirmed_debt = None, None  # the round's own debt is on record
    return {
        "round_id": value(row, "claim_id"),
        "claim_id": value(row, "claim_id"),
        "date": date,
        "date_precision": precision,
        "date_basis": CLOSE if has_epoch_date else ARTICLE,
        "round_name": name,
        "epoch_round_key": value(epoch, "round_key") if epoch is not None else None,
        "stage": stage,
        "amount_usd_bn": total,
        "amount_qualifier": value(row, "amount_qualifier") if total == amount else None,
        "equity_usd_bn": equity,
        "debt_usd_bn": debt,
        "unsplit_usd_bn": unsplit,
        "split_basis": split_basis,
        "unconfirmed_debt_usd_bn": unconfirmed_debt,
        "unconfirmed_debt_source_id": (
            value(unconfirmed, "source_id") if unconfirmed is not None else None
        ),
        "target_usd_bn": number(row, "target_usd_bn"),
        "valuation_usd_bn": worth,
        "valuation_qualifier": worth_qualifier,
        "valuation_status": worth_status,
        "disputed": bool(epoch is not None and DISPUTED.search(str(value(epoch, "notes") or ""))),
        "use_of_funds": value(row, "use_of_funds"),
        "reported_usd_bn": amount,
        "reported_on": value(row, "published_date"),
        "source_id": source,
        "equity_source_id": equity_source if equity is not None else None,
        "debt_source_id": debt_source if debt is not None else None,
        "unsplit_source_id": source if unsplit is not None else None,
        "valuation_source_id": worth_source,
        "source_ids": "; ".join(unique([source, worth_source, epoch_source])),
        "secondary": instrument == "secondary" or _secondary(epoch),
        "valuation_uncertain": uncertain,
        "pending_debt_usd_bn": _pending_debt(epoch),
        "source_quote": value(row, "source_quote"),
    }


def _from_epoch(row: pd.Series) -> dict:
    source = value(row, "source_id")
    equity, debt = number(row, "equity_usd_bn"), number(row, "debt_usd_bn")
    amount = None if equity is None and debt is None else (equity or 0.0) + (debt or 0.0)
    worth = number(row, "valuation_usd_bn")
    closed_on = value(row, "close_date")
    return {
        "round_id": f"epoch:{value(row, 'round_key')}",
        "claim_id": None,
        "date": closed_on or value(row, "fact_date"),
        "date_precision": "day",
        "date_basis": CLOSE if closed_on is not None else REPORT,
        "round_name": epoch_display_name(row),
        "epoch_round_key": value(row, "round_key"),
        "stage": _epoch_stage(row),
        "amount_usd_bn": amount,
        "amount_qualifier": None,
        "equity_usd_bn": equity,
        "debt_usd_bn": debt,
        "unsplit_usd_bn": None,
        "split_basis": EPOCH if amount is not None else NONE,
        "unconfirmed_debt_usd_bn": None,
        "unconfirmed_debt_source_id": None,
        "target_usd_bn": None,
        "valuation_usd_bn": worth,
        "valuation_qualifier": "approx" if worth is not None and _hedged(row) else None,
        "valuation_status": "reported" if worth is not None else None,
        "disputed": bool(DISPUTED.search(str(value(row, "notes") or ""))),
        "use_of_funds": None,
        "reported_usd_bn": amount,
        "reported_on": value(row, "published_date"),
        "source_id": source,
        "equity_source_id": source if equity is not None else None,
        "debt_source_id": source if debt is not None else None,
        "unsplit_source_id": None,
        "valuation_source_id": source if worth is not None else None,
        "source_ids": "; ".join(unique([source])),
        "secondary": _secondary(row),
        "valuation_uncertain": worth is not None and _hedged(row),
        "pending_debt_usd_bn": _pending_debt(row),
        "source_quote": None,
    }


def _x_value_in_note(epoch: pd.DataFrame, round_key: object) -> float | None:
    """X's value at the merger as Epoch's graph note on that round states it, if it does."""
    if fmt.is_missing(round_key) or epoch.empty or "graph_note" not in epoch:
        return None
    notes = epoch.loc[epoch["round_key"] == round_key, "graph_note"].dropna()
    match = X_VALUE_NOTE.search(str(notes.iloc[0])) if not notes.empty else None
    return float(match.group(1)) if match else None


def _combination_record(data: Dataset, event: pd.Series) -> dict:
    """xAI's combination with another company (``valuations.combination``, the one record of
    it) as the last event of xAI's list: a merger that raised no money, dated by its report."""
    partner = names.company_name(data, valuations.COMBINED_WITH)
    source = value(event, "source_id")
    return {
        "round_id": value(event, "claim_id"),
        "claim_id": value(event, "claim_id"),
        "date": value(event, "fact_date"),
        "date_precision": value(event, "fact_date_precision"),
        "date_basis": REPORTED_BY,
        "round_name": f"Combination with {partner}",
        "stage": MERGER,
        "amount_usd_bn": 0.0,  # a combination of two companies brings no new money
        "split_basis": NONE,
        "reported_on": value(event, "published_date"),
        "source_id": source,
        "source_ids": source,
        "disputed": False,
        "secondary": False,
        "valuation_uncertain": False,
        "source_quote": value(event, "source_quote"),
    }


@per_dataset
def rounds(data: Dataset, company_id: str = XAI) -> pd.DataFrame:
    """One row per real financing event of the company, oldest first (see the module docstring).

    ``raised_usd_bn`` is what the event adds to the money raised (zero for rounds in talks or
    still being raised, and for a merger); ``source_ids`` lists every source behind the row.
    """
    curated = curated_rounds(data, company_id)
    epoch = epoch_rounds(data, company_id)
    worth = _round_valuations(data, company_id)
    records, joined = [], set()
    for _, row in canonical(curated).iterrows():
        key = value(row, "epoch_round_key")
        match = epoch[epoch["round_key"] == key] if key is not None and not epoch.empty else None
        epoch_row = match.iloc[0] if match is not None and not match.empty else None
        if epoch_row is not None:
            joined.add(key)
        valuation = worth.get(str(row["claim_id"]))
        unconfirmed = _unconfirmed_debt(curated, row)
        records.append(_from_curated(row, epoch_row, valuation, unconfirmed))
    if not epoch.empty:
        for _, row in epoch[~epoch["round_key"].isin(joined)].iterrows():
            records.append(_from_epoch(row))
    combined = valuations.combination(data) if company_id == XAI else None
    if combined is not None:
        records.append(_combination_record(data, combined))
    result = pd.DataFrame.from_records(records, columns=ROUND_COLUMNS)
    if result.empty:
        return result
    result["company_id"] = company_id
    result["company"] = names.company_name(data, company_id)
    result["date"] = pd.to_datetime(result["date"])
    result = result.sort_values(["date", "round_id"], kind="stable").reset_index(drop=True)
    result["counted"] = result["stage"].isin(COUNTED)
    result["raised_usd_bn"] = result["amount_usd_bn"].where(result["counted"], 0.0).fillna(0.0)
    mergers = result.loc[result["stage"] == MERGER, "date"]
    merged_on = mergers.min() if not mergers.empty else None
    result["includes_x"] = (
        result["valuation_usd_bn"].notna() & (result["date"] >= merged_on)
        if merged_on is not None and company_id == XAI
        else False
    )
    result["disputed"] = result["disputed"].astype(bool)
    result["secondary"] = result["secondary"].astype(bool)
    result["valuation_uncertain"] = result["valuation_uncertain"].astype(bool)
    result["label"] = [_label(row) for _, row in result.iterrows()]
    result["round_label"] = result["label"]
    result["x_value_usd_bn"] = [
        _x_value_in_note(epoch, key) if stage == MERGER else None
        for key, stage in zip(result["epoch_round_key"], result["stage"], strict=True)
    ]
    return result


# 3. Reading the list ------------------------------------------------------------------------


AMOUNT_SOURCE_COLUMNS = ("source_id", "equity_source_id", "debt_source_id", "unsplit_source_id")


def amount_sources(rounds: pd.DataFrame) -> list[str]:
    """The sources of the given rounds' amounts and their parts (not of their valuations),
    each once, in order: what a sentence giving a round's amount cites."""
    return unique(
        value for _, row in rounds.iterrows() for value in row[list(AMOUNT_SOURCE_COLUMNS)]
    )


def closed_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Rounds that raised money (closed, amount above zero)."""
    if rounds.empty:
        return rounds
    return rounds[(rounds["stage"] == CLOSED) & (rounds["raised_usd_bn"] > 0)]


def total_raised(rounds: pd.DataFrame) -> float:
    return float(rounds["raised_usd_bn"].sum()) if not rounds.empty else 0.0


def with_money(rounds: pd.DataFrame, stages: tuple[str, ...] = (CLOSED, RAISING)) -> pd.DataFrame:
    """Rounds at one of ``stages`` with an amount above zero (closed or being raised)."""
    if rounds.empty:
        return rounds
    return rounds[rounds["stage"].isin(stages) & rounds["amount_usd_bn"].fillna(0).gt(0)]


def latest(rounds: pd.DataFrame, stages: tuple[str, ...] = (CLOSED, RAISING)) -> pd.Series | None:
    """The newest round with money at one of ``stages``, or None."""
    found = with_money(rounds, stages)
    return found.iloc[-1] if not found.empty else None


def debt_share(rounds: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(debt, total) in USD bn: ``confirmed`` over closed rounds whose split a source states
    (or Epoch gives); ``with_unconfirmed`` adds the rounds whose debt is reported only (a
    lower-ranked report's debt, or a round still being raised). A key is absent when no round
    qualifies, and ``with_unconfirmed`` when it would add nothing."""
    money = with_money(rounds)
    if money.empty:
        return {}
    confirmed = (
        (money["stage"] == CLOSED)
        & money["split_basis"].isin(CONFIRMED_SPLITS)
        & money["unsplit_usd_bn"].isna()
    )
    reported = money["unconfirmed_debt_usd_bn"].notna() | (
        (money["stage"] == RAISING) & money["debt_usd_bn"].notna()
    )
    result = {}
    for key, chosen in (("confirmed", confirmed), ("with_unconfirmed", confirmed | reported)):
        if key == "with_unconfirmed" and not (reported & ~confirmed).any():
            continue
        picked = money[chosen]
        total = float(picked["amount_usd_bn"].sum())
        if total <= 0:
            continue
        debt = picked["debt_usd_bn"].fillna(0) + picked["unconfirmed_debt_usd_bn"].fillna(0)
        result[key] = (float(debt.sum()), total)
    return result


def round_phrase(row: pd.Series) -> str:
    """'the Series E of January 2026', 'the merger of March 2025', or 'the round of June 2025'
    for long descriptive names."""
    name, month = str(row["round_name"]), fmt.date(row["date"], "month")
    if row["stage"] == MERGER:
        return f"the merger of {month}"
    return f"the {name} of {month}" if len(name.split()) <= 2 else f"the round of {month}"
