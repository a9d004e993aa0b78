"""The bench's pure parts: parsing build output, page sizes, ratios, thresholds, results."""

from __future__ import annotations

import json

from tools import bench

BUILD_OUTPUT = """\
parameters           0.0 s
validate data        2.4 s
stage book           0.6 s
  funding        cached     0.0 s
  competition    executed   4.9 s
  risk           executed  12.3 s  (stderr hidden in 1 cell(s))
execute chapters    13.0 s
render html          9.1 s
publish              0.1 s
built in 25.3 s
html: /tmp/out/html/index.html
"""

MEASURES = {
    "clean_build_s": 40.0,
    "plain_jupyter_book_s": 100.0,
    "noop_rebuild_s": 4.0,
    "one_table_rebuild_s": 20.0,
    "scale_100k_build_s": 50.0,
    "scale_1m_build_s": 400.0,
    "max_chapter_page_bytes": 150_000,
}
ONE_TABLE = {
    "table": "epoch_gpu_clusters",
    "expected": ["infrastructure", "methods"],
    "executed": ["infrastructure", "methods"],
}


def verdicts(checks):
    return [check["passed"] for check in checks]


def test_build_output_gives_steps_and_chapters():
    steps, chapters = bench.parse_build_output(BUILD_OUTPUT)
    assert steps == {
        "parameters": 0.0, "validate_data": 2.4, "stage_book": 0.6, "execute_chapters": 13.0,
        "render_html": 9.1, "publish": 0.1, "total": 25.3,
    }  # fmt: skip
    assert chapters == {
        "funding": {"status": "cached", "seconds": 0.0},
        "competition": {"status": "executed", "seconds": 4.9},
        "risk": {"status": "executed", "seconds": 12.3},
    }


def test_edition_json_chapters_are_preferred_when_they_carry_seconds(tmp_path):
    assert bench.edition_chapters(tmp_path) is None
    edition = {"chapters": [{"slug": "funding", "status": "executed", "seconds": 3.2}]}
    (tmp_path / "edition.json").write_text(json.dumps(edition))
    assert bench.edition_chapters(tmp_path) == {"funding": {"status": "executed", "seconds": 3.2}}
    (tmp_path / "edition.json").write_text(json.dumps({"chapters": [{"slug": "funding"}]}))
    assert bench.edition_chapters(tmp_path) is None


def test_plain_jupyter_book_log_gives_seconds_and_failures():
    log = (
        "/w/book/chapters/funding.ipynb: Executed notebook in 4.52 seconds [mystnb]\n"
        "/w/book/chapters/risk.ipynb: WARNING: Executing notebook failed: CellExecutionError"
        " [mystnb.exec]\n"
    )
    assert bench.parse_plain_output(log) == ({"funding": 4.52}, ["risk"])


def test_page_size_counts_the_page_and_its_own_files_only(tmp_path):
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "_static").mkdir()
    (html / "_downloads" / "abc").mkdir(parents=True)
    (html / "_images").mkdir()
    (html / "_sources" / "chapters").mkdir(parents=True)
    (html / "_static" / "vega-bundle.js").write_bytes(b"x" * 900)
    (html / "_downloads" / "abc" / "rounds.csv").write_bytes(b"x" * 100)
    (html / "_images" / "chart.png").write_bytes(b"x" * 50)
    (html / "_sources" / "chapters" / "funding.ipynb").write_bytes(b"x" * 70)
    (html / "searchindex.js").write_bytes(b"x" * 500)
    (html / "index.html").write_text("home")
    page = html / "chapters" / "funding.html"
    page.write_text(
        '<script src="../_static/vega-bundle.js"></script>'
        '<a href="../_downloads/abc/rounds.csv">data</a>'
        '<a href="../_downloads/abc/rounds.csv#again">same file once</a>'
        "<img src='../_images/chart.png'>"
        '<a href="../_sources/chapters/funding.ipynb">.ipynb</a>'
        '<script src="../searchindex.js"></script>'
        '<a href="../index.html">home</a><a href="https://example.org/x.csv">remote</a>'
        '<a href="#top">top</a><a href="../_downloads/missing.csv">gone</a>'
    )
    size = bench.page_size(html, page)
    html_bytes = page.stat().st_size
    assert size == {
        "html_bytes": html_bytes,
        "data_bytes": 150,
        "total_bytes": html_bytes + 150,
        "sources_bytes": 70,
        "files": ["_downloads/abc/rounds.csv", "_images/chart.png"],
    }
    assert bench.chapter_pages(html) == {"funding": size}


def test_ratios_and_all_checks_passing():
    ratios = bench.compute_ratios(MEASURES)
    assert ratios == {
        "clean_vs_plain": 0.4,
        "noop_vs_clean": 0.1,
        "one_table_vs_clean": 0.5,
        "scale_100k_vs_clean": 1.25,
        "scale_1m_vs_clean": 10.0,
    }
    checks = bench.evaluate(MEASURES, ONE_TABLE)
    assert len(checks) == 6 and all(verdicts(checks))


def test_each_threshold_fails_on_its_own():
    cases = {
        "plain_jupyter_book_s": 60.0,  # 40 / 60 = 0.67 > 0.6
        "noop_rebuild_s": 8.0,  # 0.2 > 0.15
        "scale_100k_build_s": 70.0,  # 1.75 > 1.5
        "scale_1m_build_s": None,  # did not build
        "max_chapter_page_bytes": 2_000_001,
    }
    for key, value in cases.items():
        checks = bench.evaluate({**MEASURES, key: value}, ONE_TABLE)
        assert verdicts(checks).count(False) == 1, key
    extra = {**ONE_TABLE, "executed": ["funding", "infrastructure", "methods"]}
    assert verdicts(bench.evaluate(MEASURES, extra)).count(False) == 1
    failed_build = {**ONE_TABLE, "executed": None}
    assert verdicts(bench.evaluate(MEASURES, failed_build)).count(False) == 1


def test_a_failed_clean_build_fails_every_ratio_without_crashing():
    checks = bench.evaluate({**MEASURES, "clean_build_s": None}, ONE_TABLE)
    assert verdicts(checks) == [False, False, True, False, True, True]
    assert bench.compute_ratios({**MEASURES, "clean_build_s": None})["noop_vs_clean"] is None


def test_scale_keys_name_the_size():
    assert bench.scale_key(100_000) == "scale_100k_build_s"
    assert bench.scale_key(1_000_000) == "scale_1m_build_s"
    assert bench.scale_key(2_500) == "scale_2500_build_s"


def test_results_json_has_the_issue_keys_and_a_readable_table(tmp_path):
    results = {
        **MEASURES,
        "ratios": bench.compute_ratios(MEASURES),
        "checks": bench.evaluate({**MEASURES, "noop_rebuild_s": 30.0}, ONE_TABLE),
        "chapter_seconds": {"clean": {"funding": {"status": "executed", "seconds": 4.9}}},
    }
    written = json.loads(bench.write_results(results, tmp_path / "bench").read_text())
    assert set(bench.REQUIRED_KEYS) <= set(written)
    assert all(isinstance(written[key], int | float) for key in bench.REQUIRED_KEYS)
    table = bench.format_table(written)
    assert "0.40 clean/plain" in table and "10.00 x clean" in table
    assert "funding 4.9 (executed)" in table
    assert "FAIL  no-change rebuild" in table and "PASS  every chapter page" in table


def test_appending_a_row_copy_changes_only_that_file(tmp_path):
    table = tmp_path / "clusters.csv"
    table.write_text('Name,Note\nColossus,"two\nlines"\n')
    bench.append_row_copy(table)
    assert (
        table.read_text()
        == 'Name,Note\nColossus,"two\nlines"\nColossus (bench copy),"two\nlines"\n'
    )


def test_the_page_check_fails_when_a_build_published_no_pages():
    [page_check] = [
        c for c in bench.evaluate(MEASURES, ONE_TABLE, ["scale_1m"]) if "page" in c["check"]
    ]
    assert not page_check["passed"]
    assert "not measured in scale_1m" in page_check["measured"]
