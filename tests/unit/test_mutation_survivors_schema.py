"""The schema's declaration helpers, called inside tests.

The schema calls ``_money``, ``_ref``, ``_named`` and ``_resolution_error`` while it is imported,
before any test runs, so a mutation run never saw a test exercise them (issue 9, point 11). The
tests in tests/data check the declarations through the loader; these check the helpers
themselves: what every money column, reference, column pattern and resolution message promises.
"""

from __future__ import annotations

import re

import pytest

from xaibook.data import schema
from xaibook.data.columns import _describe_check


def test_a_money_field_is_an_optional_non_negative_amount_in_usd_bn_below_the_ceiling():
    field = schema._money("amount raised", coerce=True)
    assert field.nullable is True
    assert field.coerce is True  # extra field options are passed on
    assert field.metadata == {"unit": "USD bn", "description": "amount raised"}
    bounds = {check.name: check.statistics for check in field.checks}
    assert bounds == {
        "greater_than_or_equal_to": {"min_value": 0},
        "less_than_or_equal_to": {"max_value": schema.MAX_USD_BN},
    }


def test_a_reference_names_its_target_and_keeps_its_other_metadata():
    assert schema._ref("companies.company_id") == {"references": "companies.company_id"}
    assert schema._ref("*.record_id", list_separator=";") == {
        "references": "*.record_id",
        "list_separator": ";",
    }


@pytest.mark.parametrize(
    ("columns", "matching", "not_matching"),
    [
        (("power_mw",), ["power_mw"], ["power_mw2", "apower_mw", "power", ""]),
        (
            ("Power (MW)", "Cost.usd"),
            ["Power (MW)", "Cost.usd"],
            ["Power MW", "Costxusd", "Power (MW) ", "Cost.usdCost.usd"],
        ),
    ],
)
def test_a_column_pattern_matches_exactly_the_named_columns(columns, matching, not_matching):
    pattern = re.compile(schema._named(columns))
    assert [name for name in matching if pattern.match(name)] == matching
    assert [name for name in not_matching if pattern.match(name)] == []


@pytest.mark.parametrize(
    ("minimum", "words"),
    [
        (schema.MIN_USD_BN, "at least 0.000001 unless 0"),
        (schema.MIN_POWER_MW, "at least 0.001 unless 0"),
        (1.0, "at least 1 unless 0"),
        (1_000.0, "at least 1,000 unless 0"),
    ],
)
def test_a_resolution_check_is_reported_as_a_minimum_unless_zero(minimum, words):
    assert _describe_check(schema._resolution_error(minimum)) == words


@pytest.mark.parametrize(
    ("check", "words"),
    [
        ("greater_than_or_equal_to(1990-01-01 00:00:00)", "at least 1990-01-01"),
        ("less_than_or_equal_to(2040-12-31 00:00:00)", "at most 2040-12-31"),
        ("greater_than_or_equal_to(0.01)", "at least 0.01"),
        ("less_than_or_equal_to(100000.0)", "at most 100,000"),
        ("less_than_or_equal_to(2.5)", "at most 2.5"),
    ],
)
def test_a_bound_is_reported_as_written_in_the_data_dictionary(check, words):
    assert _describe_check(check) == words
