"""--as-of keeps rows published ON or before the date: a cut equal to a publication date keeps
that day's rows (a `<` written for `<=` would drop them, and no other test would notice)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from xaibook.data.dataset import AS_OF_EXEMPT, load_dataset


@pytest.fixture(scope="module")
def everything():
    return load_dataset()


def first_publication_days(everything) -> dict[pd.Timestamp, list[str]]:
    """Each table's earliest publication day: cut there, only that day's rows remain."""
    days: dict[pd.Timestamp, list[str]] = {}
    for table, frame in everything.tables.items():
        if table not in AS_OF_EXEMPT:
            days.setdefault(frame["published_date"].min(), []).append(table)
    return days


def test_a_cut_on_a_publication_day_keeps_that_days_rows(everything):
    for day, tables in first_publication_days(everything).items():
        cut = load_dataset(as_of=day.strftime("%Y-%m-%d"))
        for table, frame in cut.tables.items():
            if table in AS_OF_EXEMPT:
                continue
            whole = everything[table]
            expected = whole[whole["published_date"] <= day]
            assert len(frame) == len(expected), (table, day)
            pd.testing.assert_frame_equal(frame, expected)
        for table in tables:  # the day itself: rows published exactly then are kept
            assert (cut[table]["published_date"] == day).any(), (table, day)


@pytest.mark.parametrize(
    "as_of", ["2026-01-07", dt.date(2026, 1, 7), pd.Timestamp("2026-01-07 18:30")]
)
def test_every_form_of_the_date_keeps_rows_published_that_day(everything, as_of):
    day = pd.Timestamp("2026-01-07")
    whole = everything["funding_rounds"]
    assert (whole["published_date"] == day).any()  # the data still has such rows
    cut = load_dataset(tables=["funding_rounds", "companies"], as_of=as_of)
    kept = cut["funding_rounds"]
    assert set(kept["record_id"]) == set(whole.loc[whole["published_date"] <= day, "record_id"])


def test_no_claim_id_names_a_month_after_its_first_report(everything):
    """An as-of edition prints claim ids in its downloads and chart data, so an id must not
    carry a later fact: 36Kr's December report of a round being raised cannot be filed under
    the January Series E it became."""
    month_in_id = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])(?!\d)")
    for table, frame in everything.tables.items():
        if table in AS_OF_EXEMPT or "claim_id" not in frame:
            continue
        first_report = frame.groupby("claim_id")["published_date"].min()
        for claim_id, first in first_report.items():
            for year, month in month_in_id.findall(str(claim_id)):
                named = pd.Timestamp(int(year), int(month), 1)
                assert named <= first, (table, claim_id, first.date())


def test_an_early_edition_knows_only_the_companies_named_by_its_date():
    # 2025: the Series E's investors, UBS and CoreWeave were first named in 2026 and are not
    # in the register; xAI is, though its register row cites a 2026 article, because rows of
    # 2025 (its rounds) name it, and Meta is, because Epoch AI's data of December 2025 names it
    early = load_dataset(as_of="2025-12-31").tables["companies"]
    known = set(early["company_id"])
    assert {"xai", "openai", "anthropic", "meta"} <= known
    assert not {"coreweave", "ubs", "valor-equity-partners", "cursor"} & known
    named_later = early[early["published_date"] > pd.Timestamp("2025-12-31")]
    assert set(named_later["company_id"]) == {"xai", "meta"}
    # today every company is known
    assert len(load_dataset(as_of="2026-12-07").tables["companies"]) == len(
        load_dataset().tables["companies"]
    )
