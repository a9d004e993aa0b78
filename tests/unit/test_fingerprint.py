"""The data fingerprint printed on every page changes exactly when a data file changes."""

from __future__ import annotations

import hashlib
import re

from xaibook.fingerprint import data_fingerprint, file_digest


def make_data(root, bib_text="@misc{a, title={A}}\n"):
    data = root / "data"
    (data / "epoch").mkdir(parents=True)
    (data / "companies.csv").write_text("company_id,name\nxai,xAI\n")
    (data / "epoch" / "gpu_clusters.csv").write_text("name,h100_equivalents\nColossus,200000\n")
    bib = root / "references.bib"
    bib.write_text(bib_text)
    return data, bib


def test_short_hex_and_stable_for_same_bytes(tmp_path):
    data_one, bib_one = make_data(tmp_path / "one")
    data_two, bib_two = make_data(tmp_path / "two")  # same bytes elsewhere
    first = data_fingerprint(data_one, bib_one)
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert first == data_fingerprint(data_one, bib_one)
    assert first == data_fingerprint(data_two, bib_two)


def test_changes_with_any_data_file_or_the_bibliography(tmp_path):
    data, bib = make_data(tmp_path)
    before = data_fingerprint(data, bib)

    (data / "epoch" / "gpu_clusters.csv").write_text("name,h100_equivalents\nColossus,200001\n")
    after_edit = data_fingerprint(data, bib)
    assert after_edit != before

    (data / "sites.csv").write_text("site_id\nmemphis\n")  # a new file
    after_new = data_fingerprint(data, bib)
    assert after_new != after_edit

    (data / "sites.csv").rename(data / "places.csv")  # same bytes, other name
    assert data_fingerprint(data, bib) != after_new

    bib.write_text("@misc{b, title={B}}\n")
    assert data_fingerprint(data, bib) != data_fingerprint(data, bib.with_name("missing.bib"))


def test_dot_files_are_ignored(tmp_path):
    data, bib = make_data(tmp_path)
    before = data_fingerprint(data, bib)
    (data / ".DS_Store").write_bytes(b"\0junk")
    (data / ".git").mkdir()
    (data / ".git" / "HEAD").write_text("ref\n")
    assert data_fingerprint(data, bib) == before


def test_file_digest_is_sha256(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert file_digest(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
