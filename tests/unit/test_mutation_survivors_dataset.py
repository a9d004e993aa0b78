"""The Dataset a chapter gets: its tables by name, a clear error for one not loaded, and a
copy that survives pickling (worker processes, caches).

Written to kill mutants of xaibook/dataset.py that survived the mutation run (tools/mutation).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import pickle
from pathlib import Path

import pandas as pd
import pytest

from xaibook import paths
from xaibook.data import checks, table_cache
from xaibook.data.dataset import (
    Dataset,
    _normalise_epoch,
    check_dataset,
    epoch_confidence,
    load_dataset,
    parse_as_of,
)
from xaibook.errors import ParameterError


def small_dataset() -> Dataset:
    tables = {
        "companies": pd.DataFrame({"company_id": ["xai"], "name": ["xAI"]}),
        "funding_rounds": pd.DataFrame({"record_id": ["fr-1"]}),
    }
    return Dataset(data_dir=Path("data"), tables=tables, sources={}, warnings=[])


def test_a_table_not_loaded_is_an_attribute_error_naming_it_and_the_loaded_ones():
    data = small_dataset()
    assert data.companies is data["companies"]
    with pytest.raises(AttributeError) as raised:
        data["risks"]
    assert "'risks'" in str(raised.value)
    assert "companies, funding_rounds" in str(raised.value)
    assert not hasattr(data, "sites")  # hasattr and getattr(..., default) work


def test_a_dataset_survives_pickling_and_copying():
    data = small_dataset()
    for again in (pickle.loads(pickle.dumps(data)), copy.deepcopy(data), copy.copy(data)):
        assert again.company_names() == {"xai": "xAI"}
        assert list(again.tables) == ["companies", "funding_rounds"]


def test_epoch_confidence_words_are_put_on_the_books_scale():
    words = pd.Series(["Confident", "2#Likely ", "speculative", "UNCERTAIN", "maybe", None])
    assert epoch_confidence(words).tolist() == [
        "high",
        "medium",
        "low",
        "low",
        "unrated",
        "unrated",
    ]


SNAPSHOT = pd.Timestamp("2025-12-17")


def dates(*texts: str | None) -> pd.Series:
    return pd.to_datetime(pd.Series(texts, dtype="object"))


def test_an_epoch_round_is_published_when_reported_else_when_closed_else_at_the_download():
    rounds = pd.DataFrame(
        {
            "close_date": dates("2024-05-01", "2024-06-01", "2026-03-01", None),
            "report_date": dates("2024-05-10", None, None, None),
            "equity_usd": [6e9, None, 1e9, None],
            "epoch_confidence": ["Confident", "Likely", "Speculative", None],
        }
    )
    frame = _normalise_epoch("epoch_funding_rounds", rounds, SNAPSHOT)
    assert frame["published_date"].tolist() == list(
        dates("2024-05-10", "2024-06-01", "2025-12-17", "2025-12-17")
    )  # a close after the download is not yet known; nothing at all: the download day
    assert frame["fact_date"].tolist() == list(
        dates("2024-05-01", "2024-06-01", "2026-03-01", "2025-12-17")
    )
    assert frame["equity_usd_bn"].tolist()[0] == 6.0 and frame["equity_usd_bn"].isna()[1]
    assert frame["confidence"].tolist() == ["high", "medium", "low", "unrated"]
    assert set(frame["source_id"]) == {"epoch2025aicompanies"}


def test_epoch_revenue_and_spend_are_published_when_reported():
    revenue = pd.DataFrame(
        {
            "date": dates("2024-01-01", "2024-02-01", "2026-01-01", None),
            "report_date": dates("2024-03-01", None, None, "2024-04-01"),
            "revenue_usd": [1e9, 2e9, 3e9, 4e9],
        }
    )
    frame = _normalise_epoch("epoch_revenue_reports", revenue, SNAPSHOT)
    assert frame["published_date"].tolist() == list(
        dates("2024-03-01", "2024-02-01", "2025-12-17", "2024-04-01")
    )
    assert frame["fact_date"].tolist() == list(
        dates("2024-01-01", "2024-02-01", "2026-01-01", "2024-04-01")
    )  # a report without a date of its own is dated when it was published
    assert frame["revenue_usd_bn"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert set(frame["confidence"]) == {"medium"}  # no confidence column: Epoch's estimates
    spend = pd.DataFrame(
        {"date": dates("2023-12-31", None), "report_date": dates("2023-11-10", None)}
    )
    frame = _normalise_epoch("epoch_compute_spend", spend, SNAPSHOT)
    assert frame["published_date"].tolist() == list(dates("2023-11-10", "2025-12-17"))
    assert frame["fact_date"].tolist() == list(dates("2023-12-31", "2025-12-17"))


@pytest.mark.parametrize(
    ("table", "date_column", "source_id"),
    [
        ("epoch_data_center_timelines", "date", "epoch2025datacenters"),
        ("epoch_gpu_clusters", "first_operational_date", "epoch2025gpuclusters"),
        ("epoch_companies", "founding_date", "epoch2025aicompanies"),
        ("epoch_data_centers", None, "epoch2025datacenters"),
    ],
)
def test_other_epoch_rows_are_published_at_the_download_and_dated_by_their_own_date(
    table, date_column, source_id
):
    columns = {"certainty": ["Confirmed", None]}
    if date_column:
        columns[date_column] = dates("2024-09-01", None)
    frame = _normalise_epoch(table, pd.DataFrame(columns), SNAPSHOT)
    assert frame["published_date"].tolist() == [SNAPSHOT, SNAPSHOT]
    first = pd.Timestamp("2024-09-01") if date_column else SNAPSHOT
    assert frame["fact_date"].tolist() == [first, SNAPSHOT]
    assert frame["confidence"].tolist() == ["high", "unrated"]
    assert set(frame["source_id"]) == {source_id}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, None),
        ("  ", None),
        ("2025-06-30", pd.Timestamp("2025-06-30")),
        (" 2025-06-30 ", pd.Timestamp("2025-06-30")),
        (pd.Timestamp("2025-06-30 13:45"), pd.Timestamp("2025-06-30")),
        (dt.date(2025, 6, 30), pd.Timestamp("2025-06-30")),
    ],
)
def test_as_of_is_read_as_a_day(given, expected):
    assert parse_as_of(given) == expected


@pytest.mark.parametrize("given", ["2025-02-30", "30/06/2025", "0202-07-30"])
def test_an_as_of_that_is_not_a_day_is_refused_naming_it(given):
    with pytest.raises(ParameterError, match="as_of") as raised:
        parse_as_of(given)
    assert repr(given) in str(raised.value)


def damaged_valuations(tmp_path, monkeypatch, change) -> list:
    """Problems of a copy of the shipped valuations.csv after ``change(header, rows)``."""
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    source = paths.DATA_DIR / "valuations.csv"
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    change(rows[0], rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (data / "valuations.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return check_dataset(data, tables=["valuations"]).problems


def test_bad_cells_are_named_by_row_line_and_column_with_what_is_expected(tmp_path, monkeypatch):
    def damage(header, rows):
        for row, column, text in [
            (1, "valuation_usd_bn", "-5"),
            (2, "valuation_usd_bn", "1e20"),
            (3, "value_qualifier", "roughly"),
            (4, "valuation_usd_bn", "abc"),
            (5, "fact_date", "2025-02-30"),
        ]:
            rows[row][header.index(column)] = text

    problems = damaged_valuations(tmp_path, monkeypatch, damage)
    assert [(p.row, p.line, p.column, p.severity) for p in problems] == [
        (1, 2, "valuation_usd_bn", "error"),
        (2, 3, "valuation_usd_bn", "error"),
        (3, 4, "value_qualifier", "error"),
        (4, 5, "valuation_usd_bn", "error"),
        (5, 6, "fact_date", "error"),
    ]
    assert all(p.file.endswith("valuations.csv") for p in problems)
    below, above, word, text, day = problems
    assert below.message.startswith("'-5' is not allowed") and below.expected == "at least 0"
    assert above.message.startswith("'1e20'") and above.expected == "at most 100,000"
    assert word.expected.startswith("one of [") and "'up_to'" in word.expected
    assert text.message.startswith("'abc' is not valid") and text.expected.endswith("(USD bn)")
    assert "number" in text.expected
    assert day.message.startswith("'2025-02-30'") and "YYYY-MM-DD" in day.expected


def test_a_renamed_column_is_missing_and_unknown_each_naming_the_other(tmp_path, monkeypatch):
    def rename(header, rows):
        header[header.index("valuation_usd_bn")] = "valuation_usd_bm"

    problems = damaged_valuations(tmp_path, monkeypatch, rename)
    by_column = {p.column: p for p in problems}
    assert set(by_column) == {"valuation_usd_bn", "valuation_usd_bm"}
    missing, unknown = by_column["valuation_usd_bn"], by_column["valuation_usd_bm"]
    assert missing.line == unknown.line == 1
    assert "missing" in missing.message and "'valuation_usd_bm'" in missing.message
    assert "'valuation_usd_bn'" in missing.expected and "USD bn" in missing.expected
    assert "unknown column" in unknown.message and "'valuation_usd_bn'" in unknown.message


def test_a_dropped_and_an_extra_column_are_named_without_a_guess(tmp_path, monkeypatch):
    def swap(header, rows):
        header[header.index("basis")] = "zzz"

    problems = damaged_valuations(tmp_path, monkeypatch, swap)
    by_column = {p.column: p for p in problems}
    assert by_column["basis"].message == "required column is missing"
    assert by_column["basis"].expected == "a column named 'basis' holding text"
    assert by_column["zzz"].message == "unknown column"
    assert "data/README.md" in by_column["zzz"].expected


def test_an_empty_required_cell_is_shown_as_missing(tmp_path, monkeypatch):
    def empty(header, rows):
        rows[2][header.index("company_id")] = ""

    [problem] = damaged_valuations(tmp_path, monkeypatch, empty)
    assert (problem.row, problem.line, problem.column) == (2, 3, "company_id")
    assert problem.message == "missing is not allowed"
    assert "required" in problem.expected


def test_a_chapter_gets_only_the_tables_it_declares():
    data = load_dataset(tables=("companies", "sites"))
    assert sorted(data.tables) == ["companies", "sites"]
    with pytest.raises(AttributeError, match="'funding_rounds'"):
        _ = data.funding_rounds


def test_a_table_typed_by_a_worker_is_read_back_from_the_cache(tmp_path, monkeypatch):
    """Large datasets are typed in worker processes that only fill the cache (_fill_cache);
    the build then reads every table from there, never typing it twice."""
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "cache"))
    checks._fill_cache(paths.DATA_DIR, "sites")

    def typed_again(data_dir, table):
        raise AssertionError(f"{table} typed again")

    monkeypatch.setattr(table_cache, "_check_table_uncached", typed_again)
    frame, problems = table_cache.check_table(paths.DATA_DIR, "sites")
    assert problems == [] and len(frame) == len(pd.read_csv(paths.DATA_DIR / "sites.csv"))
