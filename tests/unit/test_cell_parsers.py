"""Cell parsers: Arrow's fast parse of number columns must type exactly as pandas does."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from xaibook.data import columns

NUMBER_LIKE = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", "1e3", "-2.5", "+5", ".5", "1.", "inf", "-inf", "nan", "NaN"]),
)
ANY_CELL = st.one_of(NUMBER_LIKE, st.text(max_size=6))


def by_pandas(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = pd.to_numeric(cells.where(cells != ""), errors="coerce").astype("float64")
    invalid = (cells != "") & (values.isna() | np.isinf(values))
    return values.where(~invalid), invalid


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NUMBER_LIKE, ANY_CELL), max_size=8))
def test_numbers_are_typed_as_pandas_types_them(texts):
    cells = pd.Series([t.strip() for t in texts], dtype="str")
    values, invalid = columns._parse_numbers(cells)
    expected_values, expected_invalid = by_pandas(cells)
    assert invalid.tolist() == expected_invalid.tolist()
    pd.testing.assert_series_equal(values, expected_values, check_names=False)


def test_a_column_of_numbers_takes_the_arrow_path():
    cells = pd.Series(["1", "", "2.5e3"], dtype="str")
    assert columns._arrow_numbers(cells).tolist()[::2] == [1.0, 2500.0]
    assert columns._arrow_numbers(pd.Series(["1", "x"], dtype="str")) is None
