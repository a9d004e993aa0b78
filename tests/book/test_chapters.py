"""Static checks of the chapter notebooks: what the build and the readers rely on."""

from __future__ import annotations

import ast
import json
import re

import pytest

from xaibook import paths
from xaibook.chapters import CHAPTERS
from xaibook.params import PARAMETERS_BY_NAME

NOTEBOOKS = [chapter for chapter in CHAPTERS if (paths.REPO_ROOT / chapter.notebook_path).exists()]
# Figures a reader would take as data: money, power, GPU counts, percentages, multiples.
TYPED_FIGURE = re.compile(
    r"\$\s?\d|\d[\d,.]*\s?(?:%|MW\b|GW\b|bn\b|billion|trillion|million|H100e?\b|×)"
)
STATIC_CITATION = re.compile(r"\{cite(?::[a-z]+)?\}`")
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)


def cells(chapter) -> list[dict]:
    notebook = json.loads((paths.REPO_ROOT / chapter.notebook_path).read_text(encoding="utf-8"))
    return notebook["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_registered_chapter_has_its_notebook():
    missing = [c.notebook_path for c in CHAPTERS if c not in NOTEBOOKS]
    assert not missing, f"registered but missing: {missing}"


@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=lambda c: c.slug)
def test_one_hidden_parameters_cell_with_the_declared_names_and_defaults(chapter):
    tagged = [c for c in cells(chapter) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert "remove-cell" in tagged[0]["metadata"]["tags"]
    assigned = {}
    for node in ast.parse(source(tagged[0])).body:
        assert isinstance(node, ast.Assign), "the parameters cell only assigns defaults"
        assigned[node.targets[0].id] = ast.literal_eval(node.value)
    assert set(assigned) == set(chapter.parameters)
    for name, value in assigned.items():
        declared = PARAMETERS_BY_NAME[name].default
        if name in ("as_of", "data_dir"):
            assert value is None, f"{name} defaults to None (today / the repository's data)"
        else:
            assert value == declared, f"{name}: notebook default {value!r} != declared {declared!r}"


@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=lambda c: c.slug)
def test_prose_types_no_figures_and_cites_nothing_statically(chapter):
    for cell in cells(chapter):
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        # directive options and download links may name files; the prose itself may not
        prose = re.sub(r"\{download\}`[^`]*`|^:.*$", "", text, flags=re.MULTILINE)
        assert not TYPED_FIGURE.search(prose), f"typed figure in: {prose[:200]!r}"
        assert not STATIC_CITATION.search(text), "cite sources from the data (glued), not inline"


@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=lambda c: c.slug)
def test_committed_without_outputs_except_the_headline_check(chapter):
    checks = 0
    for cell in cells(chapter):
        if cell["cell_type"] != "code":
            continue
        if source(cell).startswith("# NBVAL_CHECK_OUTPUT"):
            checks += 1
            assert cell["outputs"], "the headline cell keeps its output for nbval"
            assert "remove-cell" in cell["metadata"].get("tags", [])
        else:
            assert not cell["outputs"], f"bulky output committed: {source(cell)[:80]!r}"
    assert checks == 1, "one `# NBVAL_CHECK_OUTPUT` headline cell per chapter"


def test_section_labels_are_unique_across_the_book():
    seen: dict[str, str] = {}
    for chapter in NOTEBOOKS:
        for cell in cells(chapter):
            if cell["cell_type"] == "markdown":
                for label in LABEL.findall(source(cell)):
                    assert label not in seen, f"{label} in {chapter.slug} and {seen[label]}"
                    seen[label] = chapter.slug
    assert any(label.startswith("ch-") for label in seen)
