"""The xAI sites table (article and Epoch values side by side), its caption and sources,
and the stated facts of each curated site row (the sites overview).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from xaibook import formatting as fmt, prose
from xaibook.analysis.common import table as _table
from xaibook.analysis.infrastructure.base import (
    FUTURE_SCOPES,
    MAX_TABLE_SITE_ROWS,
    PLANNED_SITE_STATUSES,
    TEMPLATE,
    _capex_values,
    _clean_parties,
    _value,
    _words,
    xai_data_centers,
)
from xaibook.analysis.infrastructure.datacenters import is_modelled_cost
from xaibook.data.dataset import Dataset
from xaibook.model import metrics as model_metrics, names as model_names, sites as model_sites
from xaibook.model.names import source_citation

MAX_TABLE_EPOCH_ROWS = 5


MISSING_CELL = "–"


def _or_none(text: str) -> str | None:
    return None if text == fmt.MISSING else text


def _site_capex(data: Dataset, site: dict) -> dict[str, object] | None:
    """A site's capex as the article of this row states it: the row's own figure, else the
    site's capex claim in company_metrics (``<site_id>-capex``, which may be a magnitude in
    words) when the same article states it (a later article about the site does not)."""
    if not fmt.is_missing(site["capex_usd_bn"]):
        return {
            "value": _value(site["capex_usd_bn"]),
            "value_max": None,
            "qualifier": _value(site["capex_qualifier"]),
            "magnitude": None,
            "estimated_by": None,
            "record_id": _value(site["record_id"]),
        }
    claim = model_metrics.site_capex(data, site["site_id"])
    if claim is None or claim["source_id"] != site["source_id"]:
        return None
    return _capex_values(claim)


def _first(rows: list[dict], field: str) -> object:
    """The first stated value of a field across one site's rows (record order)."""
    for row in rows:
        if not fmt.is_missing(row[field]):
            return row[field]
    return None


def xai_sites(data: Dataset) -> pd.DataFrame:
    """xAI's sites, one row per site: the canonical curated rows of a site (several articles
    may describe one site, each at its own date) merged and joined to the site's Epoch data
    centre, then the Epoch data centres of xAI that no curated row links (values, not yet
    formatted). ``statuses`` lists each article's status with its publication date, oldest
    first; a quantity is the first row's that states it."""
    sites = model_sites.xai_site_rows(data)
    centers = _table(data, "epoch_data_centers")
    rows = []
    linked: set[str] = set()
    groups: dict[object, list[dict]] = {}
    for site in sites.to_dict("records"):
        key = site["site_id"] if not fmt.is_missing(site["site_id"]) else site["record_id"]
        groups.setdefault(key, []).append(site)
    groups = dict(list(groups.items())[:MAX_TABLE_SITE_ROWS])
    handles = [_first(group, "epoch_data_center") for group in groups.values()]
    current = model_sites.epoch_current(data, handles) if groups else {}
    estimated = model_sites.estimate_dates(data)
    for group, handle in zip(groups.values(), handles, strict=True):
        epoch = current.get(handle)
        if epoch is not None:
            linked.add(str(handle))
        site = group[0]
        dated = sorted(group, key=lambda row: row["published_date"])
        rows.append(
            {
                "site": site["site_name"],
                "site_status": dated[-1]["site_status"],
                "statuses": [
                    {
                        "site_status": row["site_status"],
                        "status": row["status"],
                        "date": row["published_date"],
                        "precision": row["published_date_precision"],
                    }
                    for row in dated
                ],
                "owner": model_names.company_name(data, site["owner_company_id"]),
                "tenant": model_names.company_name(data, _first(dated[::-1], "tenant_company_id")),
                "power_mw": _first(group, "power_mw"),
                "power_qualifier": _first(group, "power_qualifier"),
                "epoch_power_mw": None if epoch is None else epoch["power_mw"],
                "h100e": _first(group, "h100e"),
                "h100e_qualifier": _first(group, "h100e_qualifier"),
                "epoch_h100e": None if epoch is None else epoch["h100e"],
                "capex": next((capex for row in group if (capex := _site_capex(data, row))), None),
                "epoch_capital_usd_bn": None if epoch is None else epoch["capital_cost_usd_bn"],
                "epoch_date": None if epoch is None else estimated.get(handle),
                "source_id": site["source_id"],
                "source_ids": list(dict.fromkeys(row["source_id"] for row in dated)),
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
                    "statuses": [
                        {
                            "site_status": "existing",
                            "status": "estimate",
                            "date": estimated.get(center["handle"]),
                            "precision": "month",
                        }
                    ],
                    "owner": _clean_parties(pd.Series([center["owner"]])).iloc[0],
                    "tenant": _clean_parties(pd.Series([center["users"]])).iloc[0],
                    "power_mw": None,
                    "power_qualifier": None,
                    "epoch_power_mw": center["power_mw"],
                    "h100e": None,
                    "h100e_qualifier": None,
                    "epoch_h100e": center["h100e"],
                    "capex": None,
                    "epoch_capital_usd_bn": center["capital_cost_usd_bn"],
                    "epoch_date": estimated.get(center["handle"]),
                    "source_id": None,
                    "source_ids": [],
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
    """The xAI sites as readers see them, one row per site: each quantity as 'article / Epoch',
    '–' if unstated; the status as each article gave it, dated.

    Epoch's values are its estimates at the date its timeline gives (capital cost in 2025
    dollars); the articles' sources are named per row, Epoch's in the sources line under the
    table.
    """
    words = _words("sites_table")
    columns = words["columns"]
    sites = xai_sites(data)
    if sites.empty:
        return pd.DataFrame({columns["site"]: [words["empty"]]})
    rows = sites.to_dict("records")
    table = pd.DataFrame(
        {
            "site": sites["site"],
            "status": [prose.render_text(TEMPLATE, "site_statuses", v=r["statuses"]) for r in rows],
            "owner": [
                r["owner"]
                if not r["tenant"] or r["tenant"] == r["owner"]
                else f"{r['owner']} → {r['tenant']}"
                for r in rows
            ],
            "power": _pairs(rows, fmt.megawatts, "power_mw", "power_qualifier", "epoch_power_mw"),
            "h100e": _pairs(rows, fmt.h100e, "h100e", "h100e_qualifier", "epoch_h100e"),
            "capex": [
                _pair(
                    prose.render_text(TEMPLATE, "stated_capex", c=r["capex"])
                    if r["capex"]
                    else fmt.MISSING,
                    fmt.usd_bn(r["epoch_capital_usd_bn"])
                    + (
                        f" ({words['modelled']})"
                        if is_modelled_cost(data, r["epoch_capital_usd_bn"], r["epoch_power_mw"])
                        else ""
                    ),
                )
                for r in rows
            ],
            "source": [
                "; ".join(source_citation(data, s) for s in r["source_ids"]) or words["no_article"]
                for r in rows
            ],
        }
    )
    return table[list(columns)].rename(columns=columns)


def _status_word(words: dict, code: object) -> str:
    """A site status as readers see it: the template's word, or the code with spaces."""
    return words.get(str(code), str(code).replace("_", " "))


def sites_caption_values(data: Dataset) -> dict[str, object]:
    """How many of the sites table's rows come from the articles and how many from Epoch, and
    the dates of Epoch's estimates shown."""
    sites = xai_sites(data)
    curated = int(sites["source_id"].notna().sum()) if not sites.empty else 0
    dates = sites["epoch_date"].dropna() if not sites.empty else pd.Series(dtype=object)
    return {
        "articles": curated,
        "epoch": len(sites) - curated,
        "first_date": _value(dates.min()) if not dates.empty else None,
        "last_date": _value(dates.max()) if not dates.empty else None,
    }


def sites_sources(data: Dataset) -> list[object]:
    sites = xai_sites(data)
    if sites.empty:
        return []
    listed = [s for ids in sites["source_ids"] for s in ids]
    return [*listed, *sites["epoch_source_id"].dropna()]


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
                "source_id",
            )
        },
        "capex": _site_capex(data, site),
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
