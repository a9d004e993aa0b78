"""The execution cache: keys change with exactly what a chapter depends on; entries are whole."""

from __future__ import annotations

import pytest

from xaibook.cache import ExecutionCache, chapter_key


@pytest.fixture
def inputs(tmp_path):
    data = tmp_path / "data"
    (data / "epoch").mkdir(parents=True)
    (data / "companies.csv").write_text("company_id\nxai\n")
    (data / "sites.csv").write_text("site_id\ncolossus\n")
    (data / "epoch" / "gpu_clusters.csv").write_text("name\nColossus\n")
    notebook = tmp_path / "funding.ipynb"
    notebook.write_text('{"cells": []}')
    return data, notebook


def key(data, notebook, parameters=None, tables=("companies", "epoch_gpu_clusters")):
    return chapter_key("funding", notebook, parameters or {"as_of": "2025-06-30"}, tables, data)


def test_same_inputs_same_key(inputs):
    data, notebook = inputs
    assert key(data, notebook) == key(data, notebook)
    assert len(key(data, notebook)) == 64
    # the order tables are declared in does not matter
    assert key(data, notebook, tables=("epoch_gpu_clusters", "companies")) == key(data, notebook)


def test_key_changes_with_notebook_parameters_and_declared_tables(inputs):
    data, notebook = inputs
    before = key(data, notebook)

    notebook.write_text('{"cells": [1]}')
    after_notebook = key(data, notebook)
    assert after_notebook != before

    assert key(data, notebook, {"as_of": "2025-07-01"}) != after_notebook

    (data / "epoch" / "gpu_clusters.csv").write_text("name\nColossus 2\n")  # declared
    assert key(data, notebook) != after_notebook


def test_key_ignores_tables_the_chapter_does_not_declare(inputs):
    data, notebook = inputs
    before = key(data, notebook)
    (data / "sites.csv").write_text("site_id\nmemphis\n")  # not declared by this chapter
    (data / "risks.csv").write_text("risk_id\nfunding\n")
    assert key(data, notebook) == before


def test_key_sees_a_declared_table_appear(inputs):
    data, notebook = inputs
    before = key(data, notebook, tables=("companies", "risks"))  # risks.csv missing so far
    (data / "risks.csv").write_text("risk_id\nfunding\n")
    assert key(data, notebook, tables=("companies", "risks")) != before


def test_store_then_restore_brings_back_notebook_and_downloads(tmp_path):
    cache = ExecutionCache(tmp_path / "cache")
    executed = tmp_path / "run" / "funding.ipynb"
    downloads = tmp_path / "run" / "downloads" / "funding"
    downloads.mkdir(parents=True)
    executed.write_text('{"executed": true}')
    (downloads / "rounds.csv").write_text("round,amount_usd_bn\nE,20\n")

    target = tmp_path / "staging" / "chapters" / "funding.ipynb"
    target_downloads = target.parent / "downloads" / "funding"
    assert not cache.restore("k" * 64, target, target_downloads)  # a miss touches nothing
    assert not target.exists()

    cache.store("k" * 64, executed, downloads)
    assert cache.restore("k" * 64, target, target_downloads)
    assert target.read_text() == '{"executed": true}'
    assert (target_downloads / "rounds.csv").read_text() == "round,amount_usd_bn\nE,20\n"
    # no temporary folder left behind; storing the same key again is a no-op
    cache.store("k" * 64, executed, downloads)
    assert [entry.name for entry in (tmp_path / "cache").iterdir()] == ["k" * 64]


def test_a_failed_store_leaves_no_entry(tmp_path):
    cache = ExecutionCache(tmp_path / "cache")
    with pytest.raises(FileNotFoundError):
        cache.store("k" * 64, tmp_path / "missing.ipynb", tmp_path / "downloads")
    assert list((tmp_path / "cache").iterdir()) == []
    assert not cache.restore("k" * 64, tmp_path / "x.ipynb", tmp_path / "dl")


def test_key_changes_with_references_bib_for_chapters_that_cite(inputs, tmp_path):
    data, notebook = inputs
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{a, title={A}}\n")
    citing, silent = ("companies", "bibliography"), ("companies",)

    def keys() -> dict:
        return {
            t: chapter_key("f", notebook, {}, t, data, bibliography=bib) for t in (citing, silent)
        }

    before = keys()
    bib.write_text("@misc{a, title={A, corrected}}\n")
    after = keys()
    assert after[citing] != before[citing]
    assert after[silent] == before[silent]


def test_every_registered_chapter_is_keyed_on_references_bib(inputs, tmp_path, monkeypatch):
    # every chapter shows its sources from the bibliography, so each must be re-run when it changes
    from xaibook.chapters import CHAPTERS
    from xaibook.data.tables import BIBLIOGRAPHY
    from xaibook.params import notebook_parameters, resolve_parameters

    data, notebook = inputs
    bib = tmp_path / "references.bib"
    monkeypatch.setattr("xaibook.paths.BIBLIOGRAPHY_FILE", bib)
    resolved = resolve_parameters(__import__("argparse").Namespace(param=[], data=data))
    for chapter in CHAPTERS:
        assert BIBLIOGRAPHY in chapter.tables, chapter.slug
        parameters = notebook_parameters(resolved, chapter)
        bib.write_text("@misc{a, title={A}}\n")
        before = chapter_key(chapter.slug, notebook, parameters, chapter.tables, data)
        bib.write_text("@misc{a, title={B}}\n")
        assert chapter_key(chapter.slug, notebook, parameters, chapter.tables, data) != before
