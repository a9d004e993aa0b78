"""The data & methods chapter: conflicts, sources and the dictionary as readers see them."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from xaibook import paths, prose
from xaibook.analysis import methods
from xaibook.analysis.common import labels
from xaibook.dataset import load_dataset
from xaibook.tables import CURATED_TABLES, EPOCH_TABLES, table_file


@pytest.fixture(scope="module")
def today():
    data = load_dataset()
    return data, methods.fact_counts(data), methods.conflicts(data)


def test_conflicts_table_keeps_every_value_and_marks_one_used(today):
    _, _, conflict_rows = today
    display = methods.conflicts_display(conflict_rows)
    column = labels("methods", "conflicts_columns")
    claim, value, source, used = (column[key] for key in ("claim", "value", "source", "used"))
    yes = labels("methods", "conflicts_cells")["used"]["yes"]
    capex = display[display[claim] == "colossus-2-capex"]
    # 001's 数百亿美元 and 000's "hundreds of billions": magnitudes in words, said in words
    worded = labels("methods", "magnitude_words")
    assert set(capex[value]) == {worded["tens_of_billions"], worded["hundreds_of_billions"]}
    assert capex.loc[capex[used] == yes, source].tolist() == ["hu2026xai"]
    for _claim, group in display.groupby([claim, column["quantity"]]):
        assert (group[used] == yes).sum() == 1


def test_a_magnitude_in_words_gives_no_point_and_no_multiple(today):
    _, _, conflict_rows = today
    capex = conflict_rows[conflict_rows["claim_id"].eq("colossus-2-capex")]
    assert capex["magnitude"].notna().all()
    points = methods.conflict_points(conflict_rows)
    assert not points["claim_id"].eq("colossus-2-capex").any()  # no floor drawn as a value
    widest = methods.widest_conflict(points)
    assert widest is None or "colossus-2-capex" not in widest["quantity"]
    # a bound ("at least 1 GW") is not divided either: only point values make a multiple
    assert widest is None or "colossus-2-power" not in widest["quantity"]


def test_sources_table_lists_every_bibliography_entry_with_licence(today):
    data, counts, _ = today
    sources = methods.sources_table(data, counts)
    assert set(sources["source_id"]) == set(data.sources)
    epoch = sources[sources["kind"] == labels("methods", "source_kinds")["epoch"]]
    assert len(epoch) == 3 and epoch["licence"].str.contains("CC BY 4.0").all()  # Epoch's terms
    assert (sources["facts"] > 0).all()


def passage(macro: str, **values: object) -> str:
    """A passage of the chapter's text template, as ch.text glues it."""
    return prose.render(prose.template_file(paths.CHAPTERS_DIR / "methods.ipynb"), macro, **values)


def test_the_summary_counts_every_fact_by_kind_of_source(today):
    data, counts, conflict_rows = today
    summary = methods.summary(data, counts, conflict_rows)
    assert summary["facts"] == counts["facts"].sum() > 0
    assert summary["article_facts"] + summary["epoch_facts"] == summary["facts"]
    assert set(summary["articles"]) | set(summary["epoch_sets"]) == set(counts["source_id"])
    assert set(summary["epoch_sets"]) == {
        s for s in summary["articles"] + summary["epoch_sets"] if s.startswith("epoch")
    }
    assert summary["disputed_quantities"] == conflict_rows["claim_id"].nunique() > 0
    assert summary["values_set_to_missing"] == len(data.warnings)
    text = passage("key_points", s=summary)
    for source_id in summary["articles"] + summary["epoch_sets"]:
        assert source_id in text


def test_summary_cites_what_it_counts_and_survives_an_early_edition():
    data = load_dataset(as_of="2025-06-30")
    counts = methods.fact_counts(data)
    summary = methods.summary(data, counts, methods.conflicts(data))
    assert summary["articles"] == []  # techcrunch2026neocloud and the rest: not yet published
    text = passage("key_points", s=summary)
    assert "techcrunch2026neocloud" not in text and "nan" not in text
    drawn = methods.conflict_points(methods.conflicts(data))
    assert drawn.empty or len(drawn) >= 2
    assert methods.widest_conflict(drawn) is None or len(drawn) >= 2


def test_dictionary_covers_every_table():
    table = methods.dictionary_table()
    assert {"funding_rounds", "epoch_gpu_clusters"} <= set(table["table"])
    assert not table["column"].isna().any()


def test_timeline_counts_add_up(today):
    _, counts, _ = today
    timeline = methods.publication_timeline(counts)
    assert timeline["facts"].sum() == counts["facts"].sum() > 0
    assert pd.api.types.is_datetime64_any_dtype(timeline["month"])


def test_quality_notes_name_files_inside_the_data_folder_wherever_it_is(tmp_path, monkeypatch):
    # the shipped Epoch compute-spend export holds the report date '0202-07-30'
    data_dir = tmp_path / "somewhere" / "data"
    shutil.copytree(paths.DATA_DIR, data_dir)
    for working_dir in (tmp_path, data_dir / "epoch", paths.REPO_ROOT):
        monkeypatch.chdir(working_dir)
        markdown = passage("quality_notes", notes=methods.quality_notes(load_dataset(data_dir)))
        notes = re.sub(r"\\(.)", r"\1", markdown)  # as the page shows it
        assert "- warning: epoch/ai_companies_compute_spend.csv, row 9" in notes
        assert "'0202-07-30' is not valid" in notes
        assert "somewhere" not in notes and str(paths.REPO_ROOT) not in notes


def test_every_table_file_has_a_name_of_its_own():
    # quality notes find a warning's file by its name alone
    names = [table_file(paths.DATA_DIR, t).name for t in (*CURATED_TABLES, *EPOCH_TABLES)]
    assert len(set(names)) == len(names)
