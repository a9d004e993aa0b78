"""The table registry (xaibook.data.tables): each Epoch export is declared once, with the
columns that date its rows, and everything else (loading, --as-of, the data dictionary)
follows from it."""

from __future__ import annotations

import pandas as pd
import pytest

from xaibook import paths
from xaibook.data import dataset, tables
from xaibook.data.datadoc import generated_markdown
from xaibook.data.schema import TABLE_MODELS


def _columns(table: str) -> set[str]:
    fields = TABLE_MODELS[table]._collect_fields().values()
    return {info.original_name for _annotation, info in fields}


@pytest.mark.parametrize("table", sorted(tables.EPOCH))
def test_every_declared_date_column_is_a_column_of_its_schema(table):
    declared = tables.EPOCH[table]
    for column in (declared.fact_date, declared.report_date):
        assert column is None or column in _columns(table), (table, column)
    # only a dated fact can make a row public when it happens
    assert not declared.known_when_it_happens or declared.fact_date


def test_every_table_has_a_schema_a_file_and_a_dictionary_entry():
    assert set(TABLE_MODELS) == set(tables.CURATED_TABLES) | set(tables.EPOCH)
    readme = generated_markdown()
    for table in (*tables.CURATED_TABLES, *tables.EPOCH):
        assert tables.table_file(paths.DATA_DIR, table).is_file(), table
        assert tables.table_file(paths.DATA_DIR, table).name in readme, table


SNAPSHOT = pd.Timestamp("2025-12-17")


def _dated(monkeypatch, declared: tables.EpochTable) -> pd.DataFrame:
    """Rows of a new Epoch table, dated by ``declared`` alone."""
    monkeypatch.setitem(tables.EPOCH, "epoch_new_table", declared)
    monkeypatch.setitem(tables.EPOCH_SOURCE_IDS, "epoch_new_table", declared.source_id)
    frame = pd.DataFrame(
        {
            "happened": pd.to_datetime(["2024-03-01", "2026-03-01", None, None]),
            "reported": pd.to_datetime([None, None, "2025-02-01", None]),
        }
    )
    return dataset._normalise_epoch("epoch_new_table", frame, SNAPSHOT)


def test_a_new_table_is_dated_by_its_declaration(monkeypatch):
    dated = _dated(
        monkeypatch,
        tables.EpochTable(
            "new.csv",
            "epoch2025aicompanies",
            fact_date="happened",
            report_date="reported",
            known_when_it_happens=True,
        ),
    )
    # a report date wins; else the fact's own date, never after the snapshot; else the snapshot
    assert list(dated["published_date"]) == [
        pd.Timestamp("2024-03-01"),
        SNAPSHOT,
        pd.Timestamp("2025-02-01"),
        SNAPSHOT,
    ]
    assert list(dated["fact_date"]) == [
        pd.Timestamp("2024-03-01"),
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2025-02-01"),
        SNAPSHOT,
    ]
    assert set(dated["source_id"]) == {"epoch2025aicompanies"}


def test_a_table_without_dates_is_known_by_the_snapshot(monkeypatch):
    dated = _dated(monkeypatch, tables.EpochTable("new.csv", "epoch2025datacenters"))
    assert set(dated["published_date"]) == {SNAPSHOT}
    assert set(dated["fact_date"]) == {SNAPSHOT}


def test_a_fact_that_is_not_public_when_it_happens_waits_for_the_snapshot(monkeypatch):
    dated = _dated(
        monkeypatch, tables.EpochTable("new.csv", "epoch2025datacenters", fact_date="happened")
    )
    assert set(dated["published_date"]) == {SNAPSHOT}
    assert dated["fact_date"].iloc[0] == pd.Timestamp("2024-03-01")
