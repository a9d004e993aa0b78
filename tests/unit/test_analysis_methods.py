"""The data & methods chapter: conflicts, sources and the dictionary as readers see them."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from xaibook import paths, prose
from xaibook.analysis import methods
from xaibook.analysis.common import labels
from xaibook.data.dataset import load_dataset
from xaibook.data.tables import CURATED_TABLES, EPOCH_TABLES, table_file


@pytest.fixture(scope="module")
def today():
    data = load_dataset()
    return data, methods.fact_counts(data), methods.conflicts(data)


def test_conflicts_table_keeps_every_value_and_marks_one_used(today):
    data, _, conflict_rows = today
    display = methods.conflicts_display(data, conflict_rows)
    column = labels("methods", "conflicts_columns")
    claim, value, source, used = (column[key] for key in ("record", "value", "source", "used"))
    yes = labels("methods", "conflicts_cells")["used"]["yes"]
    capex = display[display[claim] == "colossus-2-capex"]
    # 001's 数百亿美元 and 000's "hundreds of billions": magnitudes in words, said in words
    worded = prose.labels(paths.SHARED_TEXT_TEMPLATE, "magnitude_words")
    assert set(capex[value]) == {worded["tens_of_billions"], worded["hundreds_of_billions"]}
    assert capex.loc[capex[used] == yes, source].tolist() == [
        methods.source_name(data, "hu2026xai")
    ]
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
    # a plan (a GW-level cluster) against what Epoch estimates is built is no conflict of sources
    assert widest is None or "colossus-2-power" not in widest["quantity"]


def test_sources_table_lists_every_bibliography_entry_with_licence(today):
    data, counts, _ = today
    sources = methods.sources_table(data, counts)
    assert set(sources["source_id"]) == set(data.sources)  # every source is published by today
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
    cited = summary["articles"] + summary["summaries"] + summary["epoch_sets"]
    assert set(cited) == set(counts["source_id"])
    assert set(summary["epoch_sets"]) == {s for s in cited if s.startswith("epoch")}
    assert summary["disputed_quantities"] == conflict_rows["claim_id"].nunique() > 0
    assert summary["values_set_to_missing"] == len(data.warnings)
    text = passage("key_points", s=summary)
    for source_id in cited:
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


def test_a_summary_is_not_counted_as_an_article_of_its_own(today):
    # seed 000 (hu2026xai_en) is an English summary of 001 (hu2026xai): 4 articles, 1 summary
    data, counts, conflict_rows = today
    sources = methods.article_sources(data)
    assert sources["summaries"] == ["hu2026xai_en"]
    assert sources["originals"] == {"hu2026xai_en": "hu2026xai"}
    assert len(sources["articles"]) == 4 and "hu2026xai_en" not in sources["articles"]
    summary = methods.summary(data, counts, conflict_rows)
    assert summary["summaries"] == ["hu2026xai_en"] and len(summary["articles"]) == 4
    per_source = counts.groupby("source_id")["facts"].sum()
    assert summary["summary_facts"] == per_source["hu2026xai_en"] > 0
    values = methods.sources_text_values(data)
    assert (values["articles"], values["summaries"]) == (4, 1)
    # the introduction counts the same way (one helper)
    from xaibook.analysis import intro

    opening = intro.opening_values(data)
    assert (opening["articles"], opening["summaries"]) == (4, 1)


def test_an_early_edition_counts_and_lists_only_sources_published_by_its_date():
    data = load_dataset(as_of="2025-12-31")
    counts = methods.fact_counts(data)
    listed = methods.sources_table(data, counts)
    for key, source in data.sources.items():
        shown = key in set(listed["source_id"])
        if methods.source_kind(key) == methods.ARTICLE_KIND:
            assert shown == (source.published <= data.as_of.date())
    assert {"hu2026xai", "hu2026xai_en", "techcrunch2026neocloud"}.isdisjoint(listed["source_id"])
    values = methods.sources_text_values(data)
    assert (values["articles"], values["summaries"]) == (2, 0)
    assert values["held_as_summary"] == 1  # 36Kr's article, held as an English summary
    for macro in ("sources_text", "limits"):
        assert passage(macro, v=values)


def test_readers_see_names_not_ids_in_chart_titles_and_the_conflicts_table(today):
    data, counts, conflict_rows = today
    ids = set(data.sources) | set(conflict_rows["claim_id"])
    leader = methods.source_name(data, methods.leading_source(counts))
    drawn = methods.conflict_points(conflict_rows, data)
    titles = [
        prose.render_text(methods.TEMPLATE, "provenance_title", leader=leader),
        prose.render_text(
            methods.TEMPLATE, "conflicts_title", widest=methods.widest_conflict(drawn)
        ),
    ]
    display = methods.conflicts_display(data, conflict_rows)
    column = labels("methods", "conflicts_columns")
    shown = display.drop(columns=[column["record"]])  # the record column is the bookkeeping
    cells = [str(cell) for cell in shown.to_numpy().ravel()]
    for text in [*titles, *drawn["quantity"], *drawn["source"], *cells]:
        assert not any(key in text for key in ids), text
        assert not re.search(r"CURATION|met-\d|rank 1|Canonical|MISTRANSLATION", text), text
    assert set(display[column["record"]]) == set(conflict_rows["claim_id"])


def test_the_chapter_shows_a_short_dictionary_and_offers_the_full_one(tmp_path):
    header = labels("methods", "dictionary_columns")
    short = methods.reader_dictionary().rename(columns={v: k for k, v in header.items()})
    full = methods.dictionary_table()
    assert len(short) < len(full) / 5
    assert set(short["column"]) <= set(full["column"])
    assert {"status", "confidence", "claim_rank", "value_qualifier"} <= set(short["column"])
    assert short["meaning"].astype(bool).all()  # every column it shows is explained
    assert not short["values"].str.contains(r"\^|≤|≥|characters", regex=True).any()
    written = pd.read_csv(methods.write_dictionary(tmp_path))
    assert len(written) == len(full)


def test_the_sources_and_tables_tables_have_readers_headers(today):
    data, counts, _ = today
    for frame, name in (
        (methods.sources_table(data, counts), "sources_columns"),
        (methods.tables_overview(data), "tables_columns"),
    ):
        header = labels("methods", name)
        shown = methods.with_headers(frame, name)
        assert list(shown.columns) == [header[column] for column in frame.columns]


def test_the_timeline_title_gives_each_kind_of_source_its_own_peak():
    # Epoch's rows without a report date take the download month: one peak for all sources
    # would be that month, an artefact of the download, not when the evidence appeared
    timeline = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-12-01", "2025-12-01", "2026-01-01"]),
            "kind": ["Epoch AI data", "article", "article"],
            "facts": [2000, 5, 90],
            "source_id": ["e", "a", "a"],
        }
    )
    assert sorted(methods.busiest_months(timeline)) == [
        ("Epoch AI data", pd.Timestamp("2025-12-01")),
        ("article", pd.Timestamp("2026-01-01")),
    ]
    assert methods.busiest_months(timeline.iloc[0:0]) == []


def test_rows_dated_by_a_download_are_drawn_apart_and_give_no_peak(today):
    # Epoch rows without a report date take the day their file was downloaded: counted as
    # evidence of that month they made "most Epoch facts date from December 2025" a title
    data, counts, _ = today
    timeline = methods.publication_timeline(counts, methods.download_dates(data))
    kinds = labels("methods", "source_kinds")
    dated_by_download = timeline[timeline["kind"] == kinds["epoch_download_dated"]]
    assert set(dated_by_download["month"]) == {pd.Timestamp("2025-12-01")}
    assert timeline["facts"].sum() == counts["facts"].sum()
    peaks = dict(methods.busiest_months(timeline))
    assert kinds["epoch_download_dated"] not in peaks
    assert peaks[kinds["epoch"]] != pd.Timestamp("2025-12-01")


def test_the_bibliographys_notes_are_for_readers_and_the_curators_record_is_kept_apart(today):
    # the bibliography page shows each entry's note: no data keys or seed file names there;
    # the curators' record (annote) keeps them, and tells a summary from its original
    data, counts, _ = today
    keys = set(data.sources)
    for key, source in data.sources.items():
        assert "Seed file" not in source.note and ".txt" not in source.note, key
        assert not any(re.search(rf"\b{re.escape(k)}\b", source.note) for k in keys), key
    assert "Seed file" in data.sources["hu2026xai_en"].curation
    assert methods.article_sources(data)["originals"] == {"hu2026xai_en": "hu2026xai"}
    table = methods.sources_table(data, counts).set_index("source_id")
    assert table.loc["hu2026xai", "cited_as"] == methods.source_name(data, "hu2026xai")
    # a source's date at the precision the data hold it: TechCrunch's copy has no day
    assert table.loc["techcrunch2026neocloud", "published"] == "May 2026"
    assert table.loc["kr2025xai", "published"] == "8 December 2025"
