"""Every CSV the project writes for readers goes through one writer (``text.to_safe_csv``):
chapter table and chart downloads and ``xaibook facts`` alike neutralise formulas and drop
bidirectional controls, and keep numbers as numbers."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from tests.conftest import run_cli
from xaibook import charts, paths
from xaibook.data import facts
from xaibook.text import BIDI_CONTROLS, FORMULA_PREFIXES, to_safe_csv

HOSTILE_TEXTS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "Grok \u202e7$ noillib",
    "\u2066isolated\u2069 \u200fmark\u200e \u061c",
]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert is_number(cell) or not cell.startswith(FORMULA_PREFIXES), cell
            assert not set(cell) & BIDI_CONTROLS, cell


@given(
    texts=st.lists(
        st.text(alphabet=st.sampled_from([*"=+-@\t\r\n,\"' ax1", *BIDI_CONTROLS]), max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_no_text_cell_can_start_a_formula_or_hold_bidi_controls(texts):
    frame = pd.DataFrame({"name": texts, "value_usd_bn": [-1.5] * len(texts)})
    rows = cells(to_safe_csv(frame))
    assert len(rows) == len(texts) + 1  # no cell split a row
    assert_safe(rows)
    assert [row[1] for row in rows[1:]] == ["-1.5"] * len(texts)  # numbers stay numbers


def test_chart_and_table_downloads_are_safe(tmp_path):
    frame = pd.DataFrame({"company\u202e": HOSTILE_TEXTS, "amount_usd_bn": range(-4, 4)})
    path = charts.write_chart_csv(frame, tmp_path / "x.csv")
    rows = cells(path.read_text(encoding="utf-8"))
    assert_safe(rows)
    assert rows[0] == ["company", "amount_usd_bn"]
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(-4, 4)]
    assert rows[7][0] == "Grok 7$ noillib"


@pytest.fixture
def hostile_facts(monkeypatch) -> pd.DataFrame:
    """The facts table of the shipped data with hostile text in its notes and entities."""
    real = facts.facts_table

    def with_hostile_text(dataset):
        table = real(dataset).head(len(HOSTILE_TEXTS)).copy()
        table["note"] = HOSTILE_TEXTS
        table["entity"] = list(reversed(HOSTILE_TEXTS))
        return table

    monkeypatch.setattr(facts, "facts_table", with_hostile_text)
    return with_hostile_text


def test_facts_csv_export_is_safe(hostile_facts):
    result = run_cli("facts", "--data", str(paths.DATA_DIR))
    assert result.returncode == 0, result.stderr
    rows = cells(result.stdout)
    assert len(rows) == len(HOSTILE_TEXTS) + 1
    assert_safe(rows)
    header = rows[0]
    notes = [row[header.index("note")] for row in rows[1:]]
    assert notes[0] == "'" + HOSTILE_TEXTS[0]  # neutralised, not lost


def test_facts_json_export_drops_bidi_controls_only(hostile_facts):
    result = run_cli("facts", "--data", str(paths.DATA_DIR), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records[0]["note"] == HOSTILE_TEXTS[0]  # JSON is not a spreadsheet: kept as written
    assert records[6]["note"] == "Grok 7$ noillib"
    assert not set(result.stdout) & BIDI_CONTROLS


def test_every_csv_writer_in_the_library_is_the_safe_one():
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(paths.PACKAGE_DIR.rglob("*.py"))
        # the developer tools that write copies of the data folder (tools/synth.py) are not
        # in the package: the data itself must stay byte for byte what its author wrote
        if path.name != "text.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writers.search(line) and not line.lstrip().startswith(("#", "In a chapter"))
    ]
    assert offenders == []
