"""`xaibook validate`'s report: errors to stderr with a summary, warnings and the verdict to stdout.

Written to kill mutants of xaibook/validate.py that survived the mutation run (tools/mutation).
"""

from __future__ import annotations

from pathlib import Path

from xaibook.data import validate
from xaibook.data.problems import WARNING, Problem

ERROR_PROBLEM = Problem(file="data/sites.csv", line=3, row=2, column="power_mw", message="bad")
WARNING_PROBLEM = Problem(file="data/epoch/x.csv", line=2, message="odd", severity=WARNING)


def run(monkeypatch, capsys, problems: list[Problem]) -> tuple[int, str, str]:
    monkeypatch.setattr(validate, "collect_all", lambda data_dir: problems)
    code = validate.run_validate(Path("data"))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_valid_data_prints_its_warnings_and_the_verdict_to_stdout(monkeypatch, capsys):
    assert run(monkeypatch, capsys, [WARNING_PROBLEM]) == (
        0,
        f"{WARNING_PROBLEM}\ndata: valid (1 warning(s))\n",
        "",
    )


def test_refused_data_prints_each_error_and_a_count_to_stderr(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, [ERROR_PROBLEM, WARNING_PROBLEM])
    assert code == 1
    assert out == f"{WARNING_PROBLEM}\n"
    assert err == f"{ERROR_PROBLEM}\ndata: 1 error(s); the data was refused\n"
