"""Risk chapter, regulation, usage and governance: the timeline's regulatory events, rivals'
stances, usage figures and governance items.
"""

from __future__ import annotations

import pandas as pd

from xaibook.analysis.risk.base import (
    MAX_EVENTS,
    MAX_RIVALS,
    XAI,
    _company_name,
    _described_groups,
    _display_names,
    _or_none,
    _text_or_none,
)
from xaibook.analysis.risk.estimates import (
    _competitor_rows,
    _xai_investments,
    investment_round,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import (
    rounds as model_rounds,
    sites as model_sites,
    valuations as model_valuations,
)
from xaibook.model.cells import unique
from xaibook.model.claims import canonical_where, table as _table
from xaibook.model.names import short_name


def _timeline(
    data: Dataset, category: str, company_id: str | None = XAI, companies: object = None
) -> pd.DataFrame:
    """Canonical events of one category: one company's, or those of ``companies`` and events
    naming no company (``company_id=None``), oldest first."""
    events = _table(data, "timeline")
    if events.empty:
        return events
    mask = events["category"] == category
    if company_id is not None:
        mask &= events["company_id"] == company_id
    elif companies is not None:
        mask &= events["company_id"].isin(list(companies)) | events["company_id"].isna()
    events = canonical_where(events, mask)
    return events.sort_values(["fact_date", "record_id"], kind="stable")


def _newest_rivals(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, list[str], int]:
    """The rows of the ``limit`` companies with the newest statements (ties: first listed),
    in their original order; the companies kept; how many companies there were."""
    latest = rows.groupby("company_id", sort=False)["fact_date"].max()
    kept = list(latest.sort_values(ascending=False, kind="stable").index[:limit])
    return rows[rows["company_id"].isin(kept)], kept, len(latest)


def _dated_by_publication(fact_date: object, published: object, note: object) -> bool:
    """Whether the source shows only that the event happened by its publication date."""
    undated = not is_missing(note) and "on or before" in str(note)
    return undated and fact_date == published


def _event_values(row: object) -> dict[str, object]:
    """A timeline event: what, when (``by``: on or before that date; ``noted``: dated only by
    the report that states it, so a source's remark rather than an event on record), and its
    source."""
    by = _dated_by_publication(row.fact_date, row.published_date, row.note)
    return {
        "event": row.event,
        "date": row.fact_date,
        "precision": str(row.fact_date_precision),
        "by": by,
        "noted": not by and row.fact_date == row.published_date,
        "source_id": row.source_id,
    }


def regulation_values(data: Dataset) -> dict[str, object]:
    """xAI's alignment stance (``cited_groups``); the rivals' stances, one entry per wording
    with the rivals using it (the ``MAX_RIVALS`` with the newest statements, of
    ``rivals_total``); the newest ``MAX_EVENTS`` regulatory events of xAI, those rivals or no
    one company (of ``events_total``); and what the stance protects."""
    rivals = _competitor_rows(data, None, "alignment")
    rivals = rivals[rivals["company_id"] != XAI] if not rivals.empty else rivals
    shown: list[str] = []
    stances, total = [], 0
    if not rivals.empty:
        rivals, shown, total = _newest_rivals(rivals, MAX_RIVALS)
        names_of = dict(zip(shown, _display_names(data, shown), strict=True))
        stances = [
            {
                "names": [short_name(names_of[c]) for c in dict.fromkeys(rows["company_id"])],
                "description": description,
                "source_ids": list(rows["source_id"]),
            }
            for description, rows in rivals.groupby("description", sort=False)
        ]
    events = _timeline(data, "regulation", company_id=None, companies=[XAI, *shown])
    return {
        "stance": _described_groups(_competitor_rows(data, XAI, "alignment")),
        "rivals": stances,
        "rivals_shown": len(shown),
        "rivals_total": total,
        "events": [_event_values(row) for row in events.tail(MAX_EVENTS).itertuples()],
        "events_total": len(events),
        "benchmark": _described_groups(_competitor_rows(data, XAI, "benchmark")),
    }


def usage_values(data: Dataset) -> dict[str, object]:
    """What the sources say of Grok's usage (``cited_groups``), and xAI's sites leased to
    another company (site, power, tenant, source)."""
    leased = [
        {
            "site": row.site_name,
            "power_mw": _or_none(row.power_mw),
            "power_qualifier": _text_or_none(row.power_qualifier),
            "tenant": _company_name(data, row.tenant_company_id),
            "date": row.fact_date,
            "precision": str(row.fact_date_precision),
            "source_id": row.source_id,
        }
        for row in model_sites.leased_sites(data).itertuples()
    ]
    return {"usage": _described_groups(_competitor_rows(data, XAI, "usage")), "leased": leased}


def governance_items(data: Dataset) -> list[dict[str, object]]:
    """Related-party dealings across Musk's companies, oldest investment first, each with its
    ``kind``: investment (investor, amount, the xAI round's amount and month, or the
    investment's own date when the round is unknown), event (``_event_values``), pay (a pay
    package within Musk's group) or claim (a business-model row about Musk's group)."""
    items: list[dict[str, object]] = []
    group = model_sites.musk_group(data)
    musk = group - {XAI}
    related = _xai_investments(data, lambda f: f["investor_company_id"].isin(musk))
    if not related.empty:
        rounds = model_rounds.rounds(data, XAI).set_index("round_id")
        for row in related.sort_values("fact_date").itertuples():
            round_ = rounds.loc[row.round_id] if row.round_id in rounds.index else None
            items.append(
                {
                    "kind": "investment",
                    "investor": _company_name(data, row.investor_company_id),
                    "amount": _or_none(row.amount_usd_bn),
                    # the round as the model records it (its record_id and amount among them)
                    "round": investment_round(data, row.round_id),
                    "round_amount": _or_none(round_["amount_usd_bn"])
                    if round_ is not None
                    else None,
                    "round_qualifier": _text_or_none(round_["amount_qualifier"])
                    if round_ is not None
                    else None,
                    # the round's date (the model's), else the investment's own
                    "date": round_["date"] if round_ is not None else row.fact_date,
                    "precision": "month" if round_ is not None else row.fact_date_precision,
                    "reported": row.published_date,
                    "strategic": False,  # every investor here is one of Musk's own companies
                    # the investment's source, and the sources of the round's amount and date
                    "source_ids": unique(
                        [
                            row.source_id,
                            *(
                                model_rounds.amount_sources(rounds.loc[[row.round_id]])
                                if round_ is not None
                                else []
                            ),
                        ]
                    ),
                }
            )
    # the merger with X as the rounds model records it (one date, every source), not as the
    # timeline's report of it, which dates it only by that report
    xai_rounds = model_rounds.rounds(data, XAI)
    mergers = xai_rounds[
        xai_rounds["stage"].eq(model_rounds.MERGER)
        & xai_rounds["claim_id"].ne(model_valuations.COMBINATION_CLAIM)
    ]
    for row in mergers.itertuples():
        items.append(
            {
                "kind": "merger",
                "name": row.round_name,
                "valuation": _or_none(row.valuation_usd_bn),
                "qualifier": _text_or_none(row.valuation_qualifier),
                "date": row.date,
                "precision": row.date_precision or "day",
                "source_ids": [k for k in str(row.source_ids).split("; ") if k],
            }
        )
    for row in _timeline(data, "corporate").itertuples():
        if row.claim_id in set(mergers["claim_id"]):
            continue
        items.append({"kind": "event", **_event_values(row)})
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        # pay packages within Musk's group of companies (the related party), not everyone's
        pay = canonical_where(
            metrics,
            (metrics["metric"] == "compensation_package")
            & metrics["company_id"].isin(group | {XAI}),
        )
        for row in pay.itertuples():
            items.append(
                {
                    "kind": "pay",
                    "company": _company_name(data, row.company_id),
                    "period": _text_or_none(row.period),
                    "value": _or_none(row.value),
                    "qualifier": _text_or_none(row.value_qualifier),
                    "source_id": row.source_id,
                }
            )
    models = _competitor_rows(data, XAI, "business_model")
    if not models.empty:
        # the business-model rows about Musk's group, not about neocloud economics
        about_musk = models[models["description"].str.contains("Musk", case=False, na=False)]
        for row in about_musk.itertuples():
            items.append({"kind": "claim", "text": row.description, "source_id": row.source_id})
    return items
