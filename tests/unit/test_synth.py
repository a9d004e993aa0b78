"""The synthetic dataset generator: valid, the promised size, reproducible."""

from __future__ import annotations

import pandas as pd
import pytest

from tools import synth
from xaibook import paths
from xaibook.data import validate
from xaibook.data.tables import CURATED_TABLES, EPOCH_TABLES, table_file

FUNDING_ROWS = 500


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """The validator caches typed tables; keep synthetic ones out of the repository's cache."""
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "data"
    return out, synth.generate(paths.DATA_DIR, out, FUNDING_ROWS, seed=7)


def rows_in(data_dir, table: str) -> int:
    return len(pd.read_csv(table_file(data_dir, table), dtype=str, keep_default_na=False))


def test_the_synthetic_dataset_validates(generated):
    out, _ = generated
    assert validate.collect_problems(out) == []


def test_row_counts_are_as_promised(generated):
    out, counts = generated
    assert counts["epoch_funding_rounds"] == FUNDING_ROWS
    real = {table: rows_in(paths.DATA_DIR, table) for table in counts}
    assert counts == synth.target_rows(real, FUNDING_ROWS)
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        assert rows_in(out, table) == counts[table], table
    factor = FUNDING_ROWS / real["epoch_funding_rounds"]
    assert counts["companies"] == round(real["companies"] * factor)  # proportional
    assert counts["risks"] == real["risks"]  # the analysts' register does not grow


def test_real_rows_and_header_are_kept_byte_for_byte(generated):
    out, _ = generated
    for table in ("epoch_funding_rounds", "companies", "epoch_gpu_clusters"):
        real = table_file(paths.DATA_DIR, table).read_bytes()
        assert table_file(out, table).read_bytes().startswith(real), table


def test_tables_grow_proportionally_up_to_the_cap():
    real = {"epoch_funding_rounds": 36, "epoch_gpu_clusters": 786, "companies": 25, "risks": 13}
    targets = synth.target_rows(real, 1_000_000)
    assert targets["epoch_funding_rounds"] == 1_000_000
    assert targets["epoch_gpu_clusters"] == synth.SCALED_TABLE_MAX_ROWS
    assert targets["companies"] == synth.SCALED_TABLE_MAX_ROWS
    assert targets["risks"] == 13
    assert synth.target_rows(real, 360)["companies"] == 250


def test_same_seed_same_bytes_other_seed_other_bytes(generated, tmp_path):
    out, _ = generated
    synth.generate(paths.DATA_DIR, tmp_path / "again", FUNDING_ROWS, seed=7)
    synth.generate(paths.DATA_DIR, tmp_path / "other", FUNDING_ROWS, seed=8)
    file = table_file(out, "epoch_funding_rounds").relative_to(out)
    assert (tmp_path / "again" / file).read_bytes() == (out / file).read_bytes()
    assert (tmp_path / "other" / file).read_bytes() != (out / file).read_bytes()


def test_fewer_rows_than_the_real_data_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least"):
        synth.generate(paths.DATA_DIR, tmp_path / "small", 10)


def test_cells_with_commas_quotes_or_newlines_are_quoted():
    cells = synth._csv_cells(["plain", 'a "quote"', "a, comma", "two\nlines"], 4)
    assert cells == ["plain", '"a ""quote"""', '"a, comma"', '"two\nlines"']
    assert synth._csv_cells([1.5, float("nan")], 2) == ["1.5", ""]
    assert synth._csv_cells("day", 2) == ["day", "day"]
