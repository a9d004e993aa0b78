"""The Dataset a chapter gets: its tables by name, a clear error for one not loaded, and a
copy that survives pickling (worker processes, caches).

Written to kill mutants of xaibook/dataset.py that survived the mutation run (tools/mutation).
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pandas as pd
import pytest

from xaibook.dataset import Dataset


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
