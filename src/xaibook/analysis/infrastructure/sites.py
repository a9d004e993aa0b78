"""The xAI sites table (article and Epoch values side by side), its caption and sources,
and the stated facts of each curated site row (the sites overview).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.common import table as _table
from xaibook.analysis.infrastructure.base import (
    FUTURE_SCOPES,
    MAX_TABLE_SITE_ROWS,
    PLANNED_SITE_STATUSES,
    _clean_parties,
    _value,
    _words,
    source_label,
    xai_data_centers,
)
from xaibook.dataset import Dataset
from xaibook.model import names as model_names, sites as model_sites

MAX_TABLE_EPOCH_ROWS = 5


MISSING_CELL = "–"


def _or_none(text: str) -> str | None:
    return None if text == fmt.MISSING else text


def xai_sites(data: Dataset) -> pd.DataFrame:
    """xAI's sites: canonical curated rows joined to their Epoch data centre, then the Epoch
    data centres of xAI that no curated row links (values, not yet formatted)."""
    sites = model_sites.xai_site_rows(data).head(MAX_TABLE_SITE_ROWS)
    centers = _table(data, "epoch_data_centers")
    rows = []
    linked: set[str] = set()
    current = model_sites.epoch_current(data, sites["epoch_data_center"]) if not sites.empty else {}
    for site in sites.to_dict("records"):
        epoch = current.get(site["epoch_data_center"])
        if epoch is not None:
            linked.add(str(site["epoch_data_center"]))
        rows.append(
            {
                "site": site["site_name"],
                "site_status": site["site_status"],
                "status": site["status"],
                "owner": model_names.company_name(data, site["owner_company_id"]),
                "tenant": model_names.company_name(data, site["tenant_company_id"]),
                "power_mw": site["power_mw"],
                "power_qualifier": site["power_qualifier"],
                "epoch_power_mw": None if epoch is None else epoch["power_mw"],
                "h100e": site["h100e"],
                "h100e_qualifier": site["h100e_qualifier"],
                "epoch_h100e": None if epoch is None else epoch["h100e"],
                "capex_usd_bn": site["capex_usd_bn"],
                "capex_qualifier": site["capex_qualifier"],
                "epoch_capital_usd_bn": None if epoch is None else epoch["capital_cost_usd_bn"],
                "source_id": site["source_id"],
                "epoch_source_id": None if epoch is None else epoch["source_id"],
            }
        )
    if not centers.empty:
        unlinked = xai_data_centers(data, limit=None)
        unlinked = unlinked[~unlinked["handle"].isin(linked)].head(MAX_TABLE_EPOCH_ROWS)
        for center in unlinked.to_dict("records"):
            rows.append(
                {
                    "site": center["site"],
                    "site_status": "existing",
                    "status": "estimate",
                    "owner": _clean_parties(pd.Series([center["owner"]])).iloc[0],
                    "tenant": _clean_parties(pd.Series([center["users"]])).iloc[0],
                    "power_mw": None,
                    "power_qualifier": None,
                    "epoch_power_mw": center["power_mw"],
                    "h100e": None,
                    "h100e_qualifier": None,
                    "epoch_h100e": center["h100e"],
                    "capex_usd_bn": None,
                    "capex_qualifier": None,
                    "epoch_capital_usd_bn": center["capital_cost_usd_bn"],
                    "source_id": None,
                    "epoch_source_id": center["source_id"],
                }
            )
    return pd.DataFrame(rows)


def _pair(article: str, epoch: str) -> str | None:
    """'about 300 MW / 498 MW': the article's value, then Epoch's; a dash where one is missing."""
    article, epoch = _or_none(article), _or_none(epoch)
    if article is None and epoch is None:
        return None
    return f"{article or MISSING_CELL} / {epoch or MISSING_CELL}"


def _pairs(
    rows: list[dict], show: Callable[..., str], value: str, qualifier: str, epoch_value: str
) -> list[str | None]:
    """``_pair`` per row: the article's ``value`` with its ``qualifier``, then Epoch's
    ``epoch_value``, each shown by ``show`` (a ``formatting`` function)."""
    return [_pair(show(r[value], r[qualifier]), show(r[epoch_value])) for r in rows]


def sites_table(data: Dataset) -> pd.DataFrame:
    """The xAI sites as readers see them: each quantity as 'article / Epoch', '–' if unstated.

    Epoch's values are its current estimates (capital cost in 2025 dollars); the article's
    source is named per row, Epoch's in the sources line under the table.
    """
    words = _words("sites_table")
    columns = words["columns"]
    sites = xai_sites(data)
    if sites.empty:
        return pd.DataFrame({columns["site"]: [words["empty"]]})
    rows = sites.to_dict("records")
    status_words = _words("status_words")
    table = pd.DataFrame(
        {
            "site": sites["site"],
            "status": [
                f"{_status_word(status_words, r['site_status'])} ({r['status']})" for r in rows
            ],
            "owner": [
                r["owner"]
                if not r["tenant"] or r["tenant"] == r["owner"]
                else f"{r['owner']} → {r['tenant']}"
                for r in rows
            ],
            "power": _pairs(rows, fmt.megawatts, "power_mw", "power_qualifier", "epoch_power_mw"),
            "h100e": _pairs(rows, fmt.h100e, "h100e", "h100e_qualifier", "epoch_h100e"),
            "capex": _pairs(
                rows, fmt.usd_bn, "capex_usd_bn", "capex_qualifier", "epoch_capital_usd_bn"
            ),
            "source": [source_label(data, r["source_id"]) or words["no_article"] for r in rows],
        }
    )
    return table[list(columns)].rename(columns=columns)


def _status_word(words: dict, code: object) -> str:
    """A site status as readers see it: the template's word, or the code with spaces."""
    return words.get(str(code), str(code).replace("_", " "))


def sites_caption_values(data: Dataset) -> dict[str, int]:
    """How many of the sites table's rows come from the articles and how many from Epoch."""
    sites = xai_sites(data)
    curated = int(sites["source_id"].notna().sum()) if not sites.empty else 0
    return {"articles": curated, "epoch": len(sites) - curated}


def sites_sources(data: Dataset) -> list[object]:
    sites = xai_sites(data)
    if sites.empty:
        return []
    return [*sites["source_id"].dropna(), *sites["epoch_source_id"].dropna()]


def _is_planned(sites: pd.DataFrame) -> pd.Series:
    return sites["site_status"].isin(PLANNED_SITE_STATUSES) | sites["scope"].isin(FUTURE_SCOPES)


def _site_fact_values(data: Dataset, site: dict) -> dict[str, object]:
    """The stated facts of one curated site row: status (``status_shown`` when the row's
    claim status adds to it, as in 'under construction (plan)'), power, compute, capex, another
    company using it, and the target date when the row is dated after its publication."""
    owner, tenant = site["owner_company_id"], site["tenant_company_id"]
    status, site_status = site["status"], site["site_status"]
    targeted = site["fact_date"] > site["published_date"]
    return {
        "site": _value(site["site_name"]),
        "site_status": _value(site_status),
        "status": _value(status),
        "status_shown": not (
            status == "reported" or (status == "plan" and site_status in ("planned", "announced"))
        ),
        **{
            field: _value(site[field])
            for field in (
                "power_mw",
                "power_qualifier",
                "h100e",
                "h100e_qualifier",
                "capex_usd_bn",
                "capex_qualifier",
                "source_id",
            )
        },
        "tenant": None
        if fmt.is_missing(tenant) or tenant == owner
        else model_names.company_name(data, tenant),
        "target_date": _value(site["fact_date"]) if targeted else None,
        "target_precision": _value(site["fact_date_precision"]),
    }


def sites_overview_values(data: Dataset) -> list[dict[str, object]]:
    """The facts the articles state about xAI's existing sites, one canonical row each (planned
    sites are told with the plans, ``plans_text``)."""
    sites = model_sites.xai_site_rows(data)
    sites = sites[~_is_planned(sites)].head(MAX_TABLE_SITE_ROWS)
    return [_site_fact_values(data, site) for site in sites.to_dict("records")]
