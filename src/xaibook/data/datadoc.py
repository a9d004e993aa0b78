"""The data dictionary, written from the schema so the documentation cannot drift from it.

``python -m xaibook.data.datadoc`` rewrites the generated part of data/README.md; the methods
chapter shows the same tables; a test fails when data/README.md is out of date.
"""

from __future__ import annotations

import sys

import pandas as pd
import pandera.pandas as pa

from xaibook import paths
from xaibook.data.limits import resolution, text_limit
from xaibook.data.schema import RESOLUTION_CHECKS, TABLE_MODELS, TEXT_LENGTH_CHECKS
from xaibook.data.tables import CURATED_TABLES, EPOCH_TABLES, table_file

BEGIN = "<!-- BEGIN GENERATED DATA DICTIONARY (python -m xaibook.data.datadoc) -->"
END = "<!-- END GENERATED DATA DICTIONARY -->"
TYPE_NAMES = {
    "float64": "number",
    "Int64": "whole number",
    "datetime64[ns]": "date (YYYY-MM-DD)",
    "boolean": "true/false",
}
CHECK_WORDS = {
    "greater_than_or_equal_to": "≥ {min_value}",
    "less_than_or_equal_to": "≤ {max_value}",
    "greater_than": "> {min_value}",
    "isin": "one of: {allowed_values}",
    "str_matches": "matches `{pattern}`",
}


def _number(value: object) -> str:
    """1e14 as 100,000,000,000,000: bounds are read by people, not parsers."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float) and 0 < abs(value) < 1:
        return f"{value:.6f}".rstrip("0")  # 0.000001, not 1e-06
    return str(value).replace(" 00:00:00", "")


def _rule(check: pa.Check) -> str:
    words = CHECK_WORDS.get(check.name)
    if words is None:
        return check.name
    statistics = {
        key: ", ".join(value) if isinstance(value, list) else _number(value)
        for key, value in check.statistics.items()
    }
    return words.format(**statistics)


def _row_rules(schema: pa.DataFrameSchema, column: str) -> list[str]:
    """Checks on whole rows that judge ``column``: its range in each unit of the row."""
    rules = []
    for check in schema.checks:
        statistics = check.statistics or {}
        if statistics.get("column") == column and "ranges" in statistics:
            ranges = ", ".join(
                f"{unit} {_number(low)} to {_number(high)}"
                for unit, (low, high) in statistics["ranges"].items()
            )
            if check.name.endswith("_resolution"):
                ranges = ", ".join(
                    f"{unit} {_number(low)}" for unit, (low, _high) in statistics["ranges"].items()
                )
                rules.append(f"0 or at least, by {statistics['unit_column']}: {ranges}")
            else:
                rules.append(f"by {statistics['unit_column']}: {ranges}")
    return rules


def dictionary(table: str) -> pd.DataFrame:
    """One row per column of ``table``: name, type, required, rules, unit, meaning."""
    schema = TABLE_MODELS[table].to_schema()
    rows = []
    for name, column in schema.columns.items():
        meta = column.metadata or {}
        kind = TYPE_NAMES.get(str(column.dtype), "text")
        rules = [
            _rule(check)
            for check in column.checks
            if check.name not in TEXT_LENGTH_CHECKS | RESOLUTION_CHECKS
        ] + _row_rules(schema, name)
        if resolution(name) is not None:
            rules.append(f"0 or at least {_number(resolution(name))}")
        if kind == "text" and not any(check.name == "isin" for check in column.checks):
            rules.append(f"at most {text_limit(name):,} characters")
        if column.unique:
            rules.append("unique")
        if meta.get("references"):
            target = meta["references"]
            rules.append(
                "key in references.bib" if target == "bibliography" else f"refers to {target}"
            )
        if meta.get("on_invalid") == "warn":
            rules.append("invalid values become missing, with a warning")
        rows.append(
            {
                "column": name,
                "type": kind,
                "required": "optional column"
                if meta.get("optional")
                else ("may be empty" if column.nullable else "required"),
                "rules": "; ".join(rules),
                "unit": meta.get("unit", ""),
                "meaning": meta.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def _markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def generated_markdown() -> str:
    parts = [BEGIN, ""]
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        file = table_file(paths.DATA_DIR, table).relative_to(paths.REPO_ROOT)
        doc = (TABLE_MODELS[table].__doc__ or "").strip()
        parts += [f"### `{file}` ({table})", ""]
        if doc:
            parts += [doc, ""]
        parts += [_markdown_table(dictionary(table)), ""]
    parts.append(END)
    return "\n".join(parts)


def updated_readme(current: str) -> str:
    """data/README.md with its generated part replaced (appended if the markers are missing)."""
    generated = generated_markdown()
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + generated + tail
    return current.rstrip("\n") + "\n\n" + generated + "\n"


def main() -> int:
    readme = paths.DATA_DIR / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else ""
    readme.write_text(updated_readme(current), encoding="utf-8")
    print(f"wrote {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
