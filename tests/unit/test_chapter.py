"""The chapter context: citations, sources lines, and honest notices for empty data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from xaibook import chapter as chapter_module, charts
from xaibook.chapter import ChapterContext, cite, sources_line
from xaibook.data.dataset import Dataset
from xaibook.text import BIDI_CONTROLS, escape_markdown


@pytest.fixture
def glued(monkeypatch, tmp_path):
    """Record what a chapter glues instead of writing notebook outputs."""
    import myst_nb

    records: dict[str, object] = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=False: records.update({name: value})
    )
    monkeypatch.chdir(tmp_path)
    return records


def context() -> ChapterContext:
    data = Dataset(data_dir=None, tables={}, sources={}, warnings=[])
    return ChapterContext(
        slug="funding", data=data, as_of=pd.Timestamp("2025-12-31"), output_format="html"
    )


def test_cite_deduplicates_skips_missing_and_refuses_markup():
    assert cite("a", None, "b", "a", float("nan")) == "{cite:p}`a,b`"
    assert cite() == ""
    with pytest.raises(ValueError):
        cite("x`} <script>")
    assert "{cite" not in sources_line([]) and sources_line([]).strip()
    assert "{cite:p}`a,b`" in sources_line(["a", None, "b", "a"])


def test_empty_chart_becomes_a_titled_notice_with_no_sources(glued):
    ctx = context()
    empty = pd.DataFrame({"x": [], "source_id": []})
    chart = alt.Chart(empty).mark_bar().encode(x="x:Q").properties(title=["Two", "lines"])
    ctx.figure("fig-empty", chart, empty)
    notice = glued["fig-empty"].to_dict()
    assert notice["title"] == "Two lines"
    assert "31 December 2025" in notice["description"]
    assert glued["fig-empty-sources"].data == f"{ctx.no_data_text} {sources_line([])}"
    assert "{cite" not in glued["fig-empty-sources"].data


def test_the_no_data_notice_dates_the_edition_as_the_text_does():
    ctx = ChapterContext(
        slug="funding",
        data=Dataset(data_dir=None, tables={}, sources={}, warnings=[]),
        as_of=pd.Timestamp("2025-12-05"),
        output_format="html",
    )
    assert "5 December 2025" in ctx.no_data_text and "05 December" not in ctx.no_data_text


def test_empty_table_says_so_and_still_offers_a_csv(glued):
    ctx = context()
    ctx.table("tbl-empty", pd.DataFrame({"a": []}), caption="Rounds")
    notice = glued["tbl-empty"].data
    assert "Rounds" in notice and ctx.no_data_text.rstrip(".") in notice
    assert (chapter_module.downloads_dir("funding") / "tbl-empty.csv").exists()


def test_gluing_one_name_twice_is_refused(glued):
    ctx = context()
    ctx.markdown("x", "one")
    with pytest.raises(ValueError, match="twice"):
        ctx.markdown("x", "two")


def test_text_from_data_reaches_no_output_with_bidi_controls(glued):
    """Glued markdown, tables, charts and their CSV downloads, all from one hostile name."""
    hostile = "Grok \u202e7$ noillib \u2066x\u2069"
    charts.use_book_theme_and_renderer("html")
    try:
        ctx = context()
        frame = pd.DataFrame(
            {"company": [hostile, "=1+1"], "value_usd_bn": [1.0, -2.0], "source_id": ["a", "b"]}
        )
        ctx.markdown("finding", escape_markdown(hostile) + " \u202e")
        ctx.table("tbl", frame, caption="Rounds")
        chart = alt.Chart(frame).mark_bar().encode(x="value_usd_bn:Q", y="company:N")
        ctx.figure("fig", chart.properties(title=hostile, description=hostile), frame)
        outputs = [
            glued["finding"].data,
            *glued["tbl"]._repr_mimebundle_().values(),
            *glued["fig"]._repr_mimebundle_().values(),
        ]
        downloads = chapter_module.downloads_dir("funding")
        outputs += [(downloads / f"{name}.csv").read_text("utf-8") for name in ("tbl", "fig")]
    finally:
        alt.renderers.enable("default")
        alt.theme.enable("default")
    for output in outputs:
        assert not set(output) & BIDI_CONTROLS, output
    assert "Grok 7$ noillib x" in outputs[1]  # the text stays, only the controls go
    assert "'=1+1" in outputs[-1] and "-2.0" in outputs[-1]  # formula neutralised, number kept


def test_a_chapter_that_reads_a_table_it_did_not_declare_fails_instead_of_saying_no_data():
    from xaibook.analysis import infrastructure
    from xaibook.chapter import open_chapter
    from xaibook.chapters import CHAPTERS_BY_SLUG
    from xaibook.model.claims import UndeclaredTableError, table

    assert "epoch_gpu_clusters" not in CHAPTERS_BY_SLUG["funding"].tables
    funding_data = open_chapter("funding", as_of="2025-12-31").data
    with pytest.raises(UndeclaredTableError, match="'epoch_gpu_clusters' was not loaded"):
        infrastructure.ranked_clusters(funding_data)
    # a declared table with no rows by the edition's date is data ("no data"), not an error
    early = open_chapter("funding", as_of="2000-01-01").data
    assert table(early, "funding_rounds").empty


def test_the_records_a_passage_names_are_listed_with_the_fields_they_carry():
    from xaibook.chapter import records_in

    values = {
        "r": {
            "record_id": "round-1",
            "date": pd.Timestamp("2026-01-06"),
            "round_amount_usd_bn": 20,
            "round_label": "Series E · Jan 2026",
            "name": "Series E",  # not a record field: not listed
        },
        "others": [{"record_id": "round-2", "date": None, "round_amount_usd_bn": 5.5}],
        "no_id": {"date": pd.Timestamp("2020-01-01")},
    }
    assert records_in(values, "p") == [
        {"record_id": "round-1", "field": "date", "value": "2026-01-06", "shown_in": "p"},
        {
            "record_id": "round-1",
            "field": "round_label",
            "value": "Series E · Jan 2026",
            "shown_in": "p",
        },
        {
            "record_id": "round-1",
            "field": "round_amount_usd_bn",
            "value": "20.000",
            "shown_in": "p",
        },
        {"record_id": "round-2", "field": "round_amount_usd_bn", "value": "5.500", "shown_in": "p"},
    ]


def test_a_tables_records_join_the_chapters_records_download(glued):
    ctx = context()
    table = pd.DataFrame({"Round": ["Series E"]})
    records = pd.DataFrame(
        {"record_id": ["round-1"], "date": [pd.Timestamp("2026-01-06")], "other": ["x"]}
    )
    ctx.table("tbl-rounds", table, caption="Rounds", records=records)
    written = pd.read_csv(ctx.records_file, dtype=str)
    assert written.to_dict("records") == [
        {"record_id": "round-1", "field": "date", "value": "2026-01-06", "shown_in": "tbl-rounds"}
    ]
