from __future__ import annotations

from xaibook import paths
from xaibook.data.datadoc import dictionary, updated_readme
from xaibook.data.schema import TABLE_MODELS


def test_data_readme_documents_the_current_schema():
    readme = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert updated_readme(readme) == readme, "run `python -m xaibook.data.datadoc` to update it"


def test_every_column_of_every_table_is_in_the_dictionary():
    for table, model in TABLE_MODELS.items():
        documented = set(dictionary(table)["column"])
        assert documented == set(model.to_schema().columns), table
