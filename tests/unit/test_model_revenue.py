"""xaibook.model.revenue and xaibook.model.metrics: revenue figures with their kind, and metrics."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import edited, emptied
from xaibook.data.dataset import Dataset, load_dataset
from xaibook.model import metrics as m, revenue as r

TABLES = tuple(dict.fromkeys((*r.TABLES, *m.TABLES)))


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(tables=TABLES, as_of="2026-11-28")


@pytest.fixture(scope="module")
def mid_2025() -> Dataset:
    return load_dataset(tables=TABLES, as_of="2025-06-30")


def kinds(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["record_id"], frame["kind"], strict=True))


def test_every_figure_has_the_kind_of_what_it_measures(shipped):
    frame = r.revenue(shipped)
    assert set(frame["kind"]) <= {
        r.RUN_RATE,
        r.PERIOD_ANNUALIZED,
        r.INCL_X,
        r.STANDALONE,
        r.PERIOD_TOTAL,
        r.PRODUCT_LINE,
    }
    found = kinds(frame)
    assert found["met-001"] == r.RUN_RATE  # UBS
    assert found["met-003"] == r.STANDALONE  # 36Kr's 2025 without X
    assert found["met-004"] == r.INCL_X  # 36Kr's figure with X's advertising
    assert found["Q1 2025 208M"] == r.PERIOD_ANNUALIZED  # a quarter's revenue, x 4
    assert found["Nov 2024 100M"] == r.RUN_RATE
    assert found["Sep 2024 4B"] == r.RUN_RATE  # annual recurring revenue
    assert "met-002" not in found  # rank 2 of UBS's claim
    assert "700M ChatGPT 2023" not in found  # no annualized figure
    assert "June 2025 100M" not in found  # Mistral AI: not a company of the book
    assert "met-005" not in found  # spending, not revenue


def test_a_years_figure_is_plotted_at_the_end_or_the_middle_of_the_year(shipped):
    rows = r.revenue(shipped).set_index("record_id")
    assert rows.loc["met-020", "plot_date"] == pd.Timestamp("2025-12-31")  # a year's run rate
    assert rows.loc["met-003", "plot_date"] == pd.Timestamp("2025-07-01")  # a year's total
    assert rows.loc["met-001", "plot_date"] == rows.loc["met-001", "fact_date"]
    assert r.plot_date(pd.Timestamp("2024-03-05"), "month", "revenue") == pd.Timestamp("2024-03-05")


def test_epochs_annualized_figures_newest_first(shipped, mid_2025):
    rows = r.figures(shipped, "xai", r.ANNUALIZED, r.EPOCH)
    assert list(rows["record_id"]) == [
        "July 2025 500M",
        "Q1 2025 208M",
        "Jan 2025 178M",
        "Nov 2024 100M",
    ]
    assert r.latest(shipped, "xai", (r.RUN_RATE,), r.EPOCH)["revenue_usd_bn"] == 0.5
    # mid-2025 the newest annualized figure is the first quarter's (published 6 June 2025)
    early = r.latest(mid_2025, "xai", r.ANNUALIZED, r.EPOCH)
    assert (early["record_id"], early["revenue_usd_bn"]) == ("Q1 2025 208M", 0.208)
    assert r.latest(mid_2025, "xai", (r.RUN_RATE,), r.EPOCH)["record_id"] == "Nov 2024 100M"


def test_news_and_epoch_figures_are_kept_apart_by_source(shipped):
    news = r.figures(shipped, "xai", (r.RUN_RATE,), r.NEWS)
    assert list(news["record_id"]) == ["met-001"]
    both = r.figures(shipped, "xai", (r.RUN_RATE,))
    assert set(both["figure_source"]) == {r.NEWS, r.EPOCH}
    assert both.iloc[0]["record_id"] == "met-001"  # January 2026, the newest


def test_ties_go_to_the_later_published_figure(shipped):
    reports = shipped.tables["epoch_revenue_reports"].copy()
    july = reports["report_key"] == "July 2025 500M"
    reports.loc[reports["report_key"] == "Q1 2025 208M", "fact_date"] = reports.loc[
        july, "fact_date"
    ].iloc[0]
    reports.loc[july, "published_date"] = pd.Timestamp("2025-01-01")  # now published first
    data = edited(shipped, epoch_revenue_reports=reports)
    assert r.latest(data, "xai", r.ANNUALIZED, r.EPOCH)["record_id"] == "Q1 2025 208M"


def test_epoch_types_other_than_run_rates(shipped):
    assert r.epoch_kind("Annualized revenue") == r.RUN_RATE
    assert r.epoch_kind("Product/division revenue") == r.PRODUCT_LINE
    assert r.epoch_kind("Quarterly revenue") == r.PERIOD_ANNUALIZED
    assert r.epoch_kind(None) == r.PERIOD_ANNUALIZED
    reports = shipped.tables["epoch_revenue_reports"].copy()
    product = reports["report_key"] == "Claude Code near 1B"
    reports.loc[product, "annualized_revenue_usd_bn"] = 1.0
    reports.loc[reports["report_key"] == "Oct 2025 7B", "revenue_type"] = None
    found = kinds(r.revenue(edited(shipped, epoch_revenue_reports=reports)))
    assert found["Claude Code near 1B"] == r.PRODUCT_LINE
    assert found["Oct 2025 7B"] == r.PERIOD_ANNUALIZED


def test_empty_tables_and_a_company_without_figures(shipped):
    empty = emptied(shipped, "company_metrics", "epoch_revenue_reports")
    assert r.revenue(empty).empty and list(r.revenue(empty).columns) == r.COLUMNS
    assert r.latest(empty, "xai", r.ANNUALIZED) is None
    assert r.figures(shipped, "databricks", r.ANNUALIZED).empty
    assert r.latest(shipped, "nobody", (r.RUN_RATE,)) is None
    assert m.metric(empty, "xai", "monthly_spend").empty
    assert m.latest_metric(empty, "xai", "monthly_spend") is None


def test_metrics_one_row_per_claim_newest_first(shipped):
    rows = m.metric(shipped, "xai", "cumulative_funding")
    assert list(rows["record_id"]) == ["met-008"]  # met-009 is the same claim, rank 2
    spend = m.latest_metric(shipped, "xai", "monthly_spend")
    assert (spend["record_id"], spend["value"]) == ("met-005", 1.0)
    assert m.latest_metric(shipped, "openai", "monthly_spend") is None
    # two claims of the same day: the later-published first
    metrics = shipped.tables["company_metrics"]
    extra = metrics[metrics["record_id"] == "met-005"].assign(
        record_id="met-900",
        claim_id="xai-monthly-spend-other",
        value=2.0,
        published_date=pd.Timestamp("2025-12-09"),
    )
    data = edited(shipped, company_metrics=pd.concat([metrics, extra], ignore_index=True))
    assert list(m.metric(data, "xai", "monthly_spend")["record_id"]) == ["met-900", "met-005"]


def test_xais_revenue_says_whether_x_is_in_it_and_keeps_epochs_hedge(shipped):
    frame = r.revenue(shipped)
    rows = {row["record_id"]: row for _, row in frame.iterrows()}
    assert rows["met-004"]["x_basis"] == "incl_x"  # 36Kr, incl. X advertising
    assert rows["met-003"]["x_basis"] == "excl_x"  # 36Kr, standalone
    assert rows["met-001"]["x_basis"] == "x_not_stated"  # UBS does not say
    epoch = frame[(frame["company_id"] == "xai") & (frame["figure_source"] == "epoch")]
    assert (epoch["x_basis"] == "excl_x").all()  # Grok and the API, not X's advertising
    assert rows["July 2025 500M"]["value_qualifier"] == "less_than"  # "just south" of $500M
    assert rows["Jan 2025 178M"]["value_qualifier"] == "exact"  # hedge only in the quote
    assert frame.loc[frame["company_id"] != "xai", "x_basis"].isna().all()
