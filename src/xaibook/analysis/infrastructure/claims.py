"""Claimed versus estimated: the articles' power and compute claims for xAI beside Epoch's
estimates, and each comparison's verdict for the template.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.infrastructure.base import (
    MAX_LISTED,
    XAI,
    _passed,
    _value,
    xai_data_centers,
)
from xaibook.data.dataset import Dataset
from xaibook.data.limits import IN_WORDS_QUALIFIER
from xaibook.model import sites as model_sites


def claim_comparisons(data: Dataset) -> pd.DataFrame:
    """Article claims about xAI's power and compute next to Epoch's estimates, one row each.

    ``quantity`` is ``power`` (in MW, of the curated ``site``) or ``compute`` (in H100e, of
    all xAI's sites; ``site`` None). ``epoch`` is Epoch's current estimate, of ``epoch_site``
    (one site) or of the sites listed in ``epoch_sites`` (xAI's compute, all sites);
    ``projected`` what Epoch's timelines reach after its snapshot (for compute: each xAI
    site's last projection, or its current value if it has none).
    """
    rows: list[dict[str, object]] = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        with_power = sites[sites["power_mw"].notna() & sites["epoch_data_center"].notna()]
        with_power = with_power.head(MAX_LISTED)
        current = model_sites.epoch_current(data, with_power["epoch_data_center"])
        projected = model_sites.epoch_projected(data, with_power["epoch_data_center"])
        for site in with_power.to_dict("records"):
            epoch = current.get(site["epoch_data_center"])
            if epoch is None:
                continue
            ahead = projected.get(site["epoch_data_center"])
            rows.append(
                {
                    "quantity": "power",
                    "site": site["site_name"],
                    "claim": site["power_mw"],
                    "claim_qualifier": site["power_qualifier"],
                    "claim_status": site["status"],
                    "claim_date": site["fact_date"],
                    "claim_date_precision": site["fact_date_precision"],
                    "claim_source": site["source_id"],
                    "epoch": epoch["power_mw"],
                    "epoch_site": epoch["title"] or epoch["handle"],
                    "epoch_sites": None,
                    "epoch_handles": [site["epoch_data_center"]],
                    "epoch_source": epoch["source_id"],
                    "projected": np.nan if ahead is None else ahead["power_mw"],
                    "projected_date": pd.NaT if ahead is None else ahead["date"],
                }
            )
    centers = xai_data_centers(data, limit=None)
    claim = model_sites.latest_compute(data, XAI)
    if claim is not None and not centers.empty:
        ahead = model_sites.projections(data).set_index("data_center")
        future = centers["handle"].map(ahead["h100e"])
        rows.append(
            {
                "quantity": "compute",
                "site": None,
                "claim": claim["value"],
                "claim_qualifier": claim["value_qualifier"],
                "claim_status": claim["status"],
                "claim_date": claim["fact_date"],
                "claim_date_precision": claim["fact_date_precision"],
                "claim_source": claim["source_id"],
                "epoch": centers["h100e"].sum(),
                "epoch_site": None,
                "epoch_sites": list(centers["site"]),
                "epoch_handles": list(centers["handle"]),
                "epoch_source": centers["source_id"].iloc[0],
                "projected": future.fillna(centers["h100e"]).sum()
                if future.notna().any()
                else np.nan,
                "projected_date": centers["handle"].map(ahead["date"]).max(),
            }
        )
    return pd.DataFrame(rows)


def _verdict(row: dict) -> tuple[str, float | None]:
    """What the gap between an article's figure and Epoch's estimate means, as a code, and the
    claim's multiple of Epoch's estimate (None where there is none): no_epoch, zero_claim,
    agree (within ten per cent), below, above_projected (the claim is at or below Epoch's
    projection), above, or in_words (the source names a class, "gigawatt-class", not a
    figure)."""
    claim, epoch, projected = row["claim"], row["epoch"], row["projected"]
    if fmt.is_missing(epoch) or epoch <= 0:
        return "no_epoch", None
    if claim <= 0:  # no multiple of a zero claim: give the two figures
        return "zero_claim", None
    if row["claim_qualifier"] == IN_WORDS_QUALIFIER:  # a class in words: nothing to divide
        return "in_words", None
    gap = float(claim / epoch)
    if 0.9 <= gap <= 1.1:
        return "agree", gap
    if gap < 1:
        return "below", gap
    if not fmt.is_missing(projected) and projected >= claim:
        return "above_projected", gap
    return "above", gap


CLAIM_FIELDS = (
    "quantity",
    "site",
    "claim",
    "claim_qualifier",
    "claim_status",
    "claim_date",
    "claim_date_precision",
    "claim_source",
    "epoch",
    "epoch_site",
    "epoch_sites",
    "epoch_handles",
    "epoch_source",
    "projected",
    "projected_date",
)


def claims_text_values(data: Dataset) -> list[dict[str, object]]:
    """Each article claim beside Epoch's estimate, with its verdict code and multiple
    (``gap``, claim ÷ Epoch) and ``reported`` when the claim's status is a plain report."""
    rows = []
    for row in claim_comparisons(data).to_dict("records"):
        verdict, gap = _verdict(row)
        first, last = model_sites.estimate_date(data, row["epoch_handles"])
        rows.append(
            {
                **{field: _value(row[field]) for field in CLAIM_FIELDS},
                "epoch_first_date": _value(first),
                "epoch_last_date": _value(last),
                "projected_passed": _passed(data, row["projected_date"]),
                "reported": row["claim_status"] == "reported",
                "verdict": verdict,
                "gap": gap,
                "inverse_gap": None if not gap else 1 / gap,
            }
        )
    return rows
