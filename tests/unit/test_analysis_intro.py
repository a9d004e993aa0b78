"""The introduction's key findings: each chapter's lead finding, linked to the chapter."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from xaibook.analysis import funding, intro
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import load_dataset

SCENARIO = {
    "monthly_spend_usd_bn": 1.0,
    "starting_cash_usd_bn": 20.0,
    "annual_revenue_growth_pct": 100.0,
    "new_funding_usd_bn_per_year": 0.0,
    "horizon_months": 36,
}


@pytest.fixture(scope="module")
def data():
    return load_dataset(tables=CHAPTERS_BY_SLUG["intro"].tables, as_of="2026-11-28")


def items(markdown: str) -> list[str]:
    return re.findall(r"^- .*?(?=^- |\Z)", markdown, flags=re.MULTILINE | re.DOTALL)


def test_one_item_per_chapter_each_linked_and_quoting_the_chapters_lead(data):
    text = intro.key_findings(data, SCENARIO, 40.0)
    found = items(text)
    assert len(found) == len(intro.CHAPTER_LINKS)
    for item, target in zip(found, intro.CHAPTER_LINKS.values(), strict=True):
        assert re.search(rf"\{{ref\}}`[^`<]+<{target}>`", item), item
    lead = intro.first_bullet(funding.findings(data))
    assert lead and lead in found[0]  # the chapter's own words, not escaped a second time


def test_a_chapter_with_no_finding_gets_a_plain_notice(data, monkeypatch):
    monkeypatch.setattr(funding, "findings", lambda _data: "")
    first = items(intro.key_findings(data, SCENARIO, 40.0))[0]
    notice = first.split("):", 1)[1].strip()
    assert notice and "{cite" not in notice and "None" not in notice


def test_the_opening_says_only_what_the_editions_date_allows():
    late = intro.opening_values(load_dataset(as_of="2026-12-07"))
    early = intro.opening_values(load_dataset(as_of="2025-12-31"))
    assert late["founded"] == early["founded"] == 2023  # no interval counted from a year
    # the rental of Colossus 1 was reported on 6 May 2026: unknown to an edition before it
    assert late["rented_since"] == pd.Timestamp("2026-05-06") and early["rented_since"] is None
    assert late["neocloud"] and not early["neocloud"]
    # the English summary of an article is not a further article; later articles are unknown
    assert (late["articles"], late["summaries"]) == (4, 1)
    assert (early["articles"], early["summaries"]) == (2, 0)
    # 36Kr's article is held only as an English summary of an original the book lacks
    assert late["held_as_summary"] == early["held_as_summary"] == 1
