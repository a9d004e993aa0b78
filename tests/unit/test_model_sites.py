"""xaibook.model.sites and the Epoch party masks of xaibook.model.names: values on the shipped
data and on small edits of it (empty tables, a company with no rows, ties)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from xaibook.data.dataset import Dataset, load_dataset
from xaibook.model import names, sites
from xaibook.model.claims import UndeclaredTableError

TABLES = (
    "companies",
    "sites",
    "company_metrics",
    "epoch_data_centers",
    "epoch_data_center_timelines",
)
COLOSSUS_1 = "xAI Colossus 1 Memphis Tennessee"
COLOSSUS_2 = "xAI Colossus 2 Memphis Tennessee"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(tables=TABLES)


def edited(data: Dataset, **tables: pd.DataFrame) -> Dataset:
    """A copy of ``data`` with some tables replaced (a new Dataset: the caches see new frames)."""
    return Dataset(
        data_dir=data.data_dir,
        tables={**data.tables, **tables},
        sources=data.sources,
        warnings=[],
        as_of=None,
    )


def empty(data: Dataset, name: str) -> pd.DataFrame:
    return data.tables[name].iloc[0:0]


def by_record(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["record_id"]: row for _, row in frame.iterrows()}


# 1. Curated sites ----------------------------------------------------------------------------


def test_sites_are_canonical_rows_in_record_order_with_their_flags(data):
    rows = sites.sites(data)
    assert list(rows["record_id"]) == sorted(rows["record_id"])
    # rank 2 of a claim whose rank 1 is in the same table is not read
    assert {"site-008", "site-014"}.isdisjoint(rows["record_id"])
    # rows without a claim all stand
    assert {"site-003", "site-010", "site-011", "site-012"} <= set(rows["record_id"])
    row = by_record(rows)
    flags = {key: {flag: bool(r[flag]) for flag in sites.FLAGS} for key, r in row.items()}
    # Colossus 1: xAI's, used by Anthropic
    assert flags["site-001"] == {
        "owned_by_xai": True,
        "used_by_xai": False,
        "musk_group": True,
        "leased_out": True,
        "is_xai_site": True,
    }
    # Colossus 2: xAI's own and used by xAI
    assert flags["site-002"]["owned_by_xai"] and flags["site-002"]["used_by_xai"]
    assert not flags["site-002"]["leased_out"]
    # the third data centre: owned by xAI, no tenant stated
    assert flags["site-004"]["owned_by_xai"] and not flags["site-004"]["used_by_xai"]
    assert not flags["site-004"]["leased_out"]
    # SpaceX's orbital data centres: Musk's group, not xAI's
    assert flags["site-009"] == {
        "owned_by_xai": False,
        "used_by_xai": False,
        "musk_group": True,
        "leased_out": False,
        "is_xai_site": True,
    }
    # Stargate: OpenAI's
    assert not any(flags["site-006"].values())


def test_xai_site_rows_and_leased_sites_are_subsets_of_sites(data):
    rows = sites.sites(data)
    assert list(sites.xai_site_rows(data)["record_id"]) == list(
        rows.loc[rows["is_xai_site"], "record_id"]
    )
    leased = sites.leased_sites(data)
    assert list(leased["record_id"]) == ["site-001"]
    assert list(leased["tenant_company_id"]) == ["anthropic"]


def test_musk_group_is_xai_and_the_companies_marked_musk(data):
    assert sites.musk_group(data) == {"xai", "spacex", "tesla", "x-corp"}
    no_companies = edited(data, companies=empty(data, "companies"))
    assert sites.musk_group(no_companies) == {"xai"}
    # without the companies table's flags SpaceX's site is no longer counted as xAI's
    assert "site-009" not in set(sites.xai_site_rows(no_companies)["record_id"])
    assert "site-001" in set(sites.xai_site_rows(no_companies)["record_id"])


def test_no_site_rows_give_empty_frames_with_the_flags(data):
    bare = edited(data, sites=empty(data, "sites"))
    for frame in (sites.sites(bare), sites.xai_site_rows(bare), sites.leased_sites(bare)):
        assert frame.empty
    assert set(sites.FLAGS) <= set(sites.sites(bare).columns)


def test_a_site_table_without_xai_has_no_xai_sites(data):
    frame = data.tables["sites"]
    others = frame[frame["owner_company_id"].isin(["openai", "meta", "google"])]
    rows = edited(data, sites=others)
    assert not sites.sites(rows).empty
    assert sites.xai_site_rows(rows).empty
    assert sites.leased_sites(rows).empty


def test_a_missing_tenant_is_not_a_lease(data):
    frame = data.tables["sites"].copy()
    frame.loc[frame["record_id"].eq("site-001"), "tenant_company_id"] = None
    assert sites.leased_sites(edited(data, sites=frame)).empty


def test_reading_an_undeclared_table_fails(data):
    only_sites = Dataset(
        data_dir=data.data_dir,
        tables={"sites": data.tables["sites"]},
        sources=data.sources,
        warnings=[],
        as_of=None,
    )
    with pytest.raises(UndeclaredTableError, match="companies"):
        sites.sites(only_sites)


# 2. Epoch's data centres ---------------------------------------------------------------------


def test_xai_data_centers_are_the_ones_epoch_says_xai_owns_linked_first(data):
    centers = sites.xai_data_centers(data)
    assert list(centers["handle"]) == [COLOSSUS_1, COLOSSUS_2]  # both linked; 498 MW > 276 MW
    assert centers["is_linked"].all()
    assert list(centers["site"]) == ["xAI Colossus 1", "xAI Colossus 2"]
    # a site no curated row links comes after the linked ones, whatever its power
    frame = data.tables["sites"]
    unlinked = frame[frame["epoch_data_center"].ne(COLOSSUS_2)]
    centers = sites.xai_data_centers(edited(data, sites=unlinked))
    assert list(centers["handle"]) == [COLOSSUS_1, COLOSSUS_2]
    assert list(centers["is_linked"]) == [True, False]
    unlinked = frame[frame["epoch_data_center"].ne(COLOSSUS_1)]
    centers = sites.xai_data_centers(edited(data, sites=unlinked))
    assert list(centers["handle"]) == [COLOSSUS_2, COLOSSUS_1]


def test_xai_data_centers_without_epoch_rows_or_companies(data):
    bare = sites.xai_data_centers(
        edited(data, epoch_data_centers=empty(data, "epoch_data_centers"))
    )
    assert bare.empty and {"site", "is_linked"} <= set(bare.columns)
    # with no companies table, xAI's Epoch name falls back to "xAI"
    no_companies = edited(data, companies=empty(data, "companies"))
    assert len(sites.xai_data_centers(no_companies)) == 2


def test_epoch_current_gives_the_first_row_of_each_known_handle(data):
    rows = sites.epoch_current(data, [COLOSSUS_2, None, np.nan, "no such site", COLOSSUS_2])
    assert list(rows) == [COLOSSUS_2]
    assert rows[COLOSSUS_2]["power_mw"] == pytest.approx(276)
    assert sites.epoch_current(data, []) == {}
    bare = edited(data, epoch_data_centers=empty(data, "epoch_data_centers"))
    assert sites.epoch_current(bare, [COLOSSUS_2]) == {}


def test_projections_are_the_last_entry_after_the_snapshot(data):
    ahead = sites.projections(data)
    assert list(ahead.columns) == sites.PROJECTION_COLUMNS
    assert ahead["data_center"].is_unique
    colossus = ahead[ahead["data_center"].eq(COLOSSUS_2)].iloc[0]
    assert colossus["date"] == pd.Timestamp("2026-02-17")
    assert colossus["power_mw"] == pytest.approx(1379)
    assert COLOSSUS_1 not in set(ahead["data_center"])  # its timeline ends before the snapshot
    got = sites.epoch_projected(data, [COLOSSUS_2, COLOSSUS_1])
    assert list(got) == [COLOSSUS_2]


def test_a_projection_without_power_is_skipped(data):
    timelines = data.tables["epoch_data_center_timelines"].copy()
    last = timelines.index[timelines["data_center"].eq(COLOSSUS_2)][-1]
    later = timelines.loc[[last]].assign(
        date=timelines.loc[last, "date"] + pd.Timedelta(days=30), power_mw=np.nan
    )
    later.index = [timelines.index.max() + 1]
    frame = pd.concat([timelines, later])
    ahead = sites.projections(edited(data, epoch_data_center_timelines=frame))
    assert ahead.set_index("data_center").loc[COLOSSUS_2, "date"] == pd.Timestamp("2026-02-17")
    bare = edited(data, epoch_data_center_timelines=empty(data, "epoch_data_center_timelines"))
    assert sites.projections(bare).empty
    assert list(sites.projections(bare).columns) == sites.PROJECTION_COLUMNS


# 3. Compute claims -----------------------------------------------------------------------------


def test_the_compute_claim_is_read_once_across_its_two_tables(data):
    claims = sites.compute_claims(data)
    # met-024 (company_metrics, rank 1) and site-005 (sites, rank 2) are one claim
    assert list(claims["record_id"]) == ["met-024"]
    claim = sites.latest_compute(data)
    assert claim["table"] == "company_metrics"
    assert claim["value"] == 1_000_000
    assert claim["value_qualifier"] == "more_than"
    assert claim["fact_date"] == pd.Timestamp("2025-12-31")
    assert claim["source_id"] == "hu2026xai"


def test_the_fleet_row_stands_in_when_the_metric_row_is_missing(data):
    metrics = data.tables["company_metrics"]
    without = edited(data, company_metrics=metrics[metrics["record_id"].ne("met-024")])
    claim = sites.latest_compute(without)
    assert claim["record_id"] == "site-005"
    assert claim["table"] == "sites"
    assert claim["value"] == 1_000_000 and claim["value_qualifier"] == "more_than"


def test_the_newest_compute_claim_wins_and_a_tie_goes_to_company_metrics(data):
    metrics = data.tables["company_metrics"]
    row = metrics[metrics["record_id"].eq("met-024")]
    older = row.assign(
        record_id="met-x1",
        claim_id="older-claim",
        value=200_000.0,
        fact_date=pd.Timestamp("2024-12-31"),
    )
    older.index = [metrics.index.max() + 1]
    both = edited(data, company_metrics=pd.concat([metrics, older]))
    assert list(sites.compute_claims(both)["record_id"]) == ["met-x1", "met-024"]
    assert sites.latest_compute(both)["record_id"] == "met-024"
    # the fleet row as a claim of its own, on the same date and publication as met-024
    frame = data.tables["sites"].copy()
    frame.loc[frame["record_id"].eq("site-005"), ["claim_id", "claim_rank"]] = ["fleet-claim", 1]
    tied = edited(data, sites=frame)
    assert list(sites.compute_claims(tied)["record_id"]) == ["site-005", "met-024"]
    assert sites.latest_compute(tied)["record_id"] == "met-024"
    # a later publication of the same date wins (a new frame: cached readings are by identity)
    frame = frame.copy()
    frame.loc[frame["record_id"].eq("site-005"), "published_date"] = pd.Timestamp("2026-02-01")
    assert sites.latest_compute(edited(data, sites=frame))["record_id"] == "site-005"


def test_no_compute_claim(data):
    bare = edited(
        data,
        company_metrics=empty(data, "company_metrics"),
        sites=empty(data, "sites"),
    )
    assert sites.compute_claims(bare).empty
    assert list(sites.compute_claims(bare).columns) == sites.COMPUTE_COLUMNS
    assert sites.latest_compute(bare) is None
    assert sites.latest_compute(data, "anthropic") is None  # a company with no rows


# 4. Epoch party masks ------------------------------------------------------------------------


def test_epoch_party_mask_matches_whole_names_and_tags():
    parties = pd.Series(
        ["xAI", "OpenAI #likely, Microsoft #confident", "xAIx", None, "Oracle, openai", ""],
        index=[10, 11, 12, 13, 14, 15],
    )
    assert list(names.epoch_party_mask(parties, "xAI")) == [True, False, False, False, False, False]
    openai = names.epoch_party_mask(parties, "OpenAI")
    assert list(openai.index) == list(parties.index)
    assert list(openai) == [False, True, False, False, False, False]  # any tag; Epoch's spelling
    tagged = names.epoch_party_mask(parties, "OpenAI", tags=("confident",))
    assert not tagged.any()
    assert names.epoch_party_mask(parties, "Microsoft", tags=("confident", "likely")).sum() == 1


def test_epoch_company_mask_uses_the_epoch_name_else_the_id(data):
    owners = pd.Series(["xAI", "Meta", "acme"])
    assert list(names.epoch_company_mask(data, owners, "xai")) == [True, False, False]
    assert list(names.epoch_company_mask(data, owners, "acme")) == [False, False, True]


def test_the_site_readings_stay_fast_at_scale(data):
    frame = data.tables["sites"]
    big = pd.concat([frame] * 5000, ignore_index=True)
    big["record_id"] = [f"s{i:07d}" for i in range(len(big))]
    big["claim_id"] = big["claim_id"].where(
        big["claim_id"].isna(), big["claim_id"] + big.index.astype(str)
    )
    scaled = edited(data, sites=big)
    start = time.perf_counter()
    rows = sites.sites(scaled)
    sites.leased_sites(scaled)
    sites.compute_claims(scaled)
    assert time.perf_counter() - start < 5
    assert len(rows) == len(big)
