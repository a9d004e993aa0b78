"""The mutation run's verdicts kept in the repository (tools/mutation/state.py)."""

from __future__ import annotations

import json

from tools.mutation import state


def test_saved_verdicts_come_back_where_a_fresh_clone_has_none(tmp_path):
    mutants, kept = tmp_path / "mutants" / "src", tmp_path / "state"
    meta = mutants / "xaibook" / "dataset.py.meta"
    meta.parent.mkdir(parents=True)
    verdicts = {"xaibook.dataset.x_load__mutmut_1": 1, "xaibook.dataset.x_load__mutmut_2": None}
    meta.write_text(
        json.dumps({
            "exit_code_by_key": verdicts,
            "hash_by_function_name": {"load": "abc"},
            "type_check_error_by_key": {},
            "durations_by_key": {"xaibook.dataset.x_load__mutmut_1": 3.5},
            "estimated_durations_by_key": {},
        }),
        encoding="utf-8",
    )  # fmt: skip
    assert [p.name for p in state.save(mutants, kept)] == ["xaibook__dataset.py.meta"]
    # timings are the machine's, not the verdict's: not kept
    assert "durations_by_key" not in json.loads((kept / "xaibook__dataset.py.meta").read_text())

    fresh = tmp_path / "clone" / "mutants" / "src"
    assert state.restore(fresh, kept) == [fresh / "xaibook" / "dataset.py.meta"]
    restored = json.loads((fresh / "xaibook" / "dataset.py.meta").read_text())
    assert restored["exit_code_by_key"] == verdicts
    assert restored["hash_by_function_name"] == {"load": "abc"}
    # mutmut's loader needs every key it wrote
    assert set(restored) == {
        "exit_code_by_key", "hash_by_function_name", "type_check_error_by_key",
        "durations_by_key", "estimated_durations_by_key",
    }  # fmt: skip
    # a run already under way keeps its own, newer verdicts
    assert state.restore(mutants, kept) == []
    assert json.loads(meta.read_text())["durations_by_key"]
