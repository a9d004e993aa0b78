"""The edition's data horizon: how recent its data are, which is not the day it was built."""

from __future__ import annotations

from xaibook.build.edition import _data_horizon

BIB = """
@misc{early, title={Early}, date={2025-03-01}}
@misc{late, title={Late}, date={2026-05-06}}
@misc{undated, title={Undated}}
@misc{epoch2025aicompanies, title={Data on AI Companies}, date={2025-12-01}, urldate={2025-12-17}}
@misc{epoch2025gpuclusters, title={Data on GPU Clusters}, date={2025-12-01}, urldate={2025-12-15}}
"""


def test_the_horizon_is_the_newest_article_by_the_edition_date_and_the_epoch_downloads(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert _data_horizon(bib, "2026-12-07") == {
        "newest_article": "2026-05-06",
        "epoch_downloaded_from": "2025-12-15",
        "epoch_downloaded_to": "2025-12-17",
    }
    # an article published after the edition's date is not in it; Epoch's download days are
    # said as they are (the edition holds only the rows reported by its date)
    assert _data_horizon(bib, "2025-06-30")["newest_article"] == "2025-03-01"
    assert _data_horizon(bib, "2025-01-01")["newest_article"] is None
    assert _data_horizon(tmp_path / "missing.bib", "2025-01-01") == {
        "newest_article": None,
        "epoch_downloaded_from": None,
        "epoch_downloaded_to": None,
    }


def test_a_broken_edition_box_template_is_named_not_a_traceback(tmp_path):
    import pytest

    from xaibook.build.edition import _render_stamp
    from xaibook.errors import BuildError

    words = tmp_path / "shared.md.j2"
    words.write_text("{% macro no_data(as_of) %}x{% endmacro %}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"shared\.md\.j2.*no macro 'edition_stamp'"):
        _render_stamp(words, built=None)


def test_the_edition_box_states_every_parameter_in_words_and_never_drops_a_new_one():
    import datetime as dt

    from xaibook import formatting, paths
    from xaibook.build.edition import _render_stamp
    from xaibook.params import PARAMETERS

    parameters = {p.name: p.default for p in PARAMETERS if p.name != "data_dir"}
    parameters.update(as_of="2026-12-07", new_funding_usd_bn_per_year=7.5, extra_knob=3.25)
    day = dt.date(2026, 12, 7)
    stamp = _render_stamp(
        paths.SHARED_TEXT_TEMPLATE, built=day, as_of=day, fingerprint="f" * 12,
        newest_article=None, epoch_from=None, epoch_to=None, parameters=parameters,
    ).replace("\\", "")  # fmt: skip
    for name in ("monthly_spend_usd_bn", "starting_cash_usd_bn", "new_funding_usd_bn_per_year",
                 "capex_usd_bn_per_gw"):  # fmt: skip
        assert formatting.usd_bn(parameters[name]) in stamp, name
    assert formatting.percent(parameters["annual_revenue_growth_pct"]) in stamp
    assert formatting.months(parameters["horizon_months"]) in stamp
    # the scenario's names are for -p, not for readers; one the words do not know yet is shown
    assert "_usd_bn" not in stamp
    assert "extra_knob = 3.25" in stamp


def test_an_editions_bibliography_lists_no_source_published_after_its_date(tmp_path):
    import datetime as dt

    from xaibook.data.bibliography import read_bibliography, write_published_by

    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    target = tmp_path / "staged.bib"
    assert write_published_by(bib, dt.date(2025, 12, 31), target) == ["late"]
    assert set(read_bibliography(target)[0]) == {
        "early", "undated", "epoch2025aicompanies", "epoch2025gpuclusters"
    }  # fmt: skip
    # an edition that knows every source gets the file byte for byte
    assert write_published_by(bib, dt.date(2026, 12, 7), target) == []
    assert target.read_bytes() == bib.read_bytes()


def test_the_introductions_parameter_table_names_each_in_words_with_its_build_option():
    import datetime as dt

    from xaibook import formatting, paths
    from xaibook.build.edition import _render_stamp
    from xaibook.params import PARAMETERS

    parameters = {p.name: p.default for p in PARAMETERS if p.name != "data_dir"}
    parameters.update(as_of="2025-12-31", output_format="html", extra_knob=3.25)
    table = _render_stamp(
        paths.SHARED_TEXT_TEMPLATE, "parameters_table", p=parameters, as_of=dt.date(2025, 12, 31)
    ).replace("\\", "")
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    assert len(rows) == len(parameters)  # one row each, none dropped
    shown = {row[0].lstrip("| "): row[1] for row in rows}
    assert shown["Starting cash"] == formatting.usd_bn(parameters["starting_cash_usd_bn"])
    assert shown["Data published by"] == "31 December 2025"
    assert shown["extra_knob"] == "3.25"  # a parameter the words do not know yet: by name
    # readers see words and values; the names appear only as the options that change them
    assert all("_" not in row[0] or row[0].lstrip("| ") == "extra_knob" for row in rows)
    assert "`-p starting_cash_usd_bn=…`" in table


def test_an_editions_bibliography_keeps_each_entry_as_written(tmp_path):
    # re-serialised by pybtex, "ai\_companies" came out as "ai\\_companies" on the page
    import datetime as dt

    from xaibook import paths
    from xaibook.data.bibliography import write_published_by

    target = tmp_path / "edition.bib"
    left_out = write_published_by(paths.BIBLIOGRAPHY_FILE, dt.date(2025, 12, 31), target)
    assert left_out and "techcrunch2026neocloud" in left_out
    written = target.read_text(encoding="utf-8")
    original = paths.BIBLIOGRAPHY_FILE.read_text(encoding="utf-8")
    assert "ai\\_companies" in written and "ai\\\\_companies" not in written
    kept = written.split("\n@")[1:]
    assert kept and all(f"@{entry}" in original for entry in kept)
