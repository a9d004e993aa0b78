"""What the chapter concludes: the closing section's flags (what would change these
conclusions), the key findings and the headline nbval checks.
"""

from __future__ import annotations

from xaibook import prose
from xaibook.analysis.infrastructure.base import (
    CAPEX_PARAMETER,
    DEFAULT_CAPEX_USD_BN_PER_GW,
    PLANNED_SITE_STATUSES,
    TEMPLATE,
    _first_source,
    _passed,
    _value,
    _values,
    xai_data_centers,
)
from xaibook.analysis.infrastructure.claims import claim_comparisons
from xaibook.analysis.infrastructure.clusters import (
    _standing_values,
    cluster_standing,
    hub_standing,
    ranked_clusters,
)
from xaibook.analysis.infrastructure.datacenters import capital_per_gw, capital_values
from xaibook.analysis.infrastructure.pricing import (
    ARTICLE_BASIS,
    EPOCH_BASIS,
    _priced_values,
    scenario,
)
from xaibook.analysis.infrastructure.timelines import build_speed, buildout, speed_peers
from xaibook.data.dataset import Dataset
from xaibook.model import names as model_names, sites as model_sites


def what_would_change_values(data: Dataset) -> dict[str, object]:
    """Which evidence would overturn this edition's conclusions: flags for what it holds (a
    ranked xAI cluster, a compute claim or only Epoch's estimate, a rented site, planned sites)
    and the capital-cost parameter's name."""
    comparisons = claim_comparisons(data)
    compute_claim = not comparisons.empty and bool(comparisons["quantity"].eq("compute").any())
    sites = model_sites.xai_site_rows(data)
    rented = not model_sites.leased_sites(data).empty
    planned = False
    if not sites.empty:
        planned = bool(sites["site_status"].isin(PLANNED_SITE_STATUSES).any())
    return {
        "ranked": cluster_standing(data) is not None or hub_standing(data) is not None,
        "compute_claim": compute_claim,
        "epoch_only": not compute_claim and not xai_data_centers(data).empty,
        "rented": rented,
        "planned": planned,
        "parameter": CAPEX_PARAMETER,
    }


def _rank_finding(data: Dataset) -> dict[str, object] | None:
    """Where xAI's largest cluster ranks (None if Epoch ranks no cluster at all); ``standing``
    is None when no xAI cluster is ranked, and ``largest`` is the leader then."""
    ranked = ranked_clusters(data)
    hub = hub_standing(data)
    if ranked.empty and hub is None:
        return None
    return {
        "hub": hub,
        "standing": _standing_values(data),
        "largest": None if ranked.empty else _values(ranked.iloc[0], "name", "h100e"),
        "source_id": _value(_first_source(ranked)),
    }


def _speed_finding(data: Dataset) -> dict[str, object] | None:
    """The fastest xAI build-out, the next one's pace, Epoch's largest projection."""
    speed = build_speed(buildout(data)).dropna(subset=["mw_per_month"])
    if speed.empty:
        return None
    projected = speed.dropna(subset=["projected_mw"])
    biggest = None
    if not projected.empty:
        row = projected.sort_values("projected_mw").iloc[-1]
        biggest = {
            **_values(row, "site", "projected_mw", "projected_date"),
            "passed": _passed(data, row["projected_date"]),
        }
    return {
        "fastest": _values(
            speed.iloc[0], "site", "start_mw", "latest_mw", "months", "mw_per_month", "source_id"
        ),
        "next": _values(speed.iloc[1], "site", "mw_per_month") if len(speed) > 1 else None,
        "peers": speed_peers(data),
        "projected": biggest,
    }


def _claims_finding(data: Dataset) -> dict[str, object] | None:
    """xAI's compute claim against Epoch's estimate (``claim``), or, with no claim, Epoch's
    measured total for xAI's sites (``measured``)."""
    comparisons = claim_comparisons(data)
    if not comparisons.empty:
        comparisons = comparisons[
            comparisons["quantity"].eq("compute") & comparisons["epoch"].gt(0)
        ]
    if not comparisons.empty:
        row = comparisons.iloc[0]
        claim = _values(
            row,
            "claim",
            "claim_qualifier",
            "claim_date",
            "claim_date_precision",
            "claim_source",
            "epoch_site",
            "epoch_sites",
            "epoch",
            "epoch_source",
        )
        gap = float(row["claim"] / row["epoch"])
        first, last = model_sites.estimate_date(data, row["epoch_handles"])
        return {
            "claim": {
                **claim,
                "gap": gap,
                "claims_more": gap >= 1,
                "epoch_first_date": _value(first),
                "epoch_last_date": _value(last),
            },
            "measured": None,
        }
    centers = xai_data_centers(data, limit=None)
    if centers.empty:
        return None
    first, last = model_sites.estimate_date(data, centers["handle"])
    return {
        "claim": None,
        "measured": {
            "first_date": _value(first),
            "last_date": _value(last),
            "h100e": float(centers["h100e"].sum()),
            "power_mw": float(centers["power_mw"].sum()),
            "sites": list(centers["site"]),
            "source_id": _value(_first_source(centers)),
        },
    }


def _rented_finding(data: Dataset) -> dict[str, object] | None:
    """An xAI-owned site another company uses; ``tops_ranking`` if it is the cluster that tops
    Epoch's ranking (its compute within 1% of xAI's first-ranked cluster)."""
    rented = model_sites.leased_sites(data)
    if rented.empty:
        return None
    row = rented.iloc[0]
    handle = row["epoch_data_center"]
    epoch = model_sites.epoch_current(data, [handle]).get(handle)
    standing = cluster_standing(data)
    tops_ranking = (
        epoch is not None
        and standing is not None
        and standing["rank"] == 1
        and abs(epoch["h100e"] - standing["h100e"]) <= 0.01 * standing["h100e"]
    )
    return {
        "site": _value(row["site_name"]),
        "tenant": model_names.company_name(data, row["tenant_company_id"]),
        **_values(row, "power_mw", "power_qualifier", "source_id"),
        "since": _value(row["fact_date"]),
        "since_precision": _value(row["fact_date_precision"]),
        "tops_ranking": bool(tops_ranking),
    }


def _capital_finding(data: Dataset, capex_usd_bn_per_gw: float) -> dict[str, object] | None:
    """Epoch's capital per GW (its modelling rate apart from its other figures:
    ``capital_values``), and the first planned site priced at the assumption."""
    epoch = capital_values(capital_per_gw(data, capex_usd_bn_per_gw))
    priced = scenario(data, capex_usd_bn_per_gw)
    # Announced xAI sites first (largest first), else Epoch's projections for xAI's sites.
    preference = priced["basis"].map({ARTICLE_BASIS: 0, EPOCH_BASIS: 1})
    sized = (
        priced.assign(_preference=preference)
        .dropna(subset=["_preference"])
        .sort_values(["_preference", "power_gw"], ascending=[True, False], kind="stable")
    )
    if epoch is None and sized.empty:
        return None
    return {
        "epoch": epoch,
        "priced": None
        if sized.empty
        else {
            "assumption_usd_bn_per_gw": float(capex_usd_bn_per_gw),
            **_priced_values(sized.iloc[0].to_dict()),
        },
    }


def key_findings(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, object]:
    """The values of the chapter's key findings (each None when the edition lacks its data)."""
    return {
        "rank": _rank_finding(data),
        "speed": _speed_finding(data),
        "claims": _claims_finding(data),
        "rented": _rented_finding(data),
        "capital": _capital_finding(data, capex_usd_bn_per_gw),
    }


def findings(data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW) -> str:
    """The key findings as the chapter's template writes them (the introduction quotes the
    first)."""
    return prose.render(TEMPLATE, "key_findings", f=key_findings(data, capex_usd_bn_per_gw))


def headline(data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW) -> str:
    """Deterministic summary of the chapter's headline numbers (checked by nbval)."""
    lines = []
    hub = hub_standing(data)
    if hub is None:
        lines.append("xAI site in Epoch's hub: none with compute")
    else:
        lines.append(
            f"xAI site rank {hub['rank']} of {hub['n']} in Epoch's hub: {hub['site']}, "
            f"{round(hub['h100e']):,} H100e, {hub['above_n']} larger"
        )
    standing = cluster_standing(data)
    if standing is None:
        lines.append("xAI cluster: none ranked")
    else:
        lines.append(
            f"xAI cluster rank {standing['rank']} of {standing['eligible']}: "
            f"{standing['name']}, {round(standing['h100e']):,} H100e, "
            f"{round(standing['ratio_to_rival'], 2)}x the next"
        )
    for row in build_speed(buildout(data)).to_dict("records"):
        lines.append(
            f"{row['site']}: {round(row['latest_mw'])} MW on {row['latest_date']:%Y-%m-%d}, "
            f"{round(row['mw_per_month'], 1)} MW a month"
        )
    for row in claim_comparisons(data).to_dict("records"):
        what = f"{row['site']}: power" if row["quantity"] == "power" else "xAI's compute, all sites"
        lines.append(f"{what}: claim {round(row['claim']):,}, Epoch {round(row['epoch']):,}")
    for row in scenario(data, capex_usd_bn_per_gw).to_dict("records"):
        lines.append(f"scenario {row['item']}: {round(row['capital_usd_bn'], 1)} USD bn")
    return "\n".join(lines)
