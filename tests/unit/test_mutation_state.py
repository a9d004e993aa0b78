"""The mutation run's verdicts kept in the repository (tools/mutation/state.py)."""

from __future__ import annotations

import json

from tools.mutation import state


def test_saved_verdicts_come_back_where_a_fresh_clone_has_none(tmp_path):
    mutants, kept = tmp_path / "mutants" / "src", tmp_path / "state"
    meta = mutants / "xaibook" / "data" / "dataset.py.meta"
    meta.parent.mkdir(parents=True)
    verdicts = {
        "xaibook.data.dataset.x_load__mutmut_1": 1,
        "xaibook.data.dataset.x_load__mutmut_2": None,
    }
    meta.write_text(
        json.dumps({
            "exit_code_by_key": verdicts,
            "hash_by_function_name": {"x_load": "abc"},
            "type_check_error_by_key": {},
            "durations_by_key": {"xaibook.data.dataset.x_load__mutmut_1": 3.5},
            "estimated_durations_by_key": {},
        }),
        encoding="utf-8",
    )  # fmt: skip
    assert [p.name for p in state.save(mutants, kept)] == ["xaibook__data__dataset.py.meta"]
    # timings are the machine's, not the verdict's: not kept
    saved = json.loads((kept / "xaibook__data__dataset.py.meta").read_text())
    assert "durations_by_key" not in saved

    fresh = tmp_path / "clone" / "mutants" / "src"
    assert state.restore(fresh, kept, {"xaibook.data.dataset": {"x_load"}}) == [
        fresh / "xaibook" / "data" / "dataset.py.meta"
    ]
    restored = json.loads((fresh / "xaibook" / "data" / "dataset.py.meta").read_text())
    assert restored["exit_code_by_key"] == verdicts
    assert restored["hash_by_function_name"] == {"x_load": "abc"}
    # mutmut's loader needs every key it wrote
    assert set(restored) == {
        "exit_code_by_key", "hash_by_function_name", "type_check_error_by_key",
        "durations_by_key", "estimated_durations_by_key",
    }  # fmt: skip
    # a run already under way keeps its own, newer verdicts
    assert state.restore(mutants, kept, {"xaibook.data.dataset": {"x_load"}}) == []
    assert json.loads(meta.read_text())["durations_by_key"]


def _kept(tmp_path, module: str, hashes: dict[str, str], verdicts: dict[str, int | None]):
    state_dir = tmp_path / "state"
    state_dir.mkdir(exist_ok=True)
    kept = {"exit_code_by_key": verdicts, "hash_by_function_name": hashes}
    (state_dir / f"{module.replace('.', '__')}.py.meta").write_text(json.dumps(kept))
    return state_dir


def test_verdicts_follow_a_function_moved_to_another_module(tmp_path):
    kept = _kept(
        tmp_path,
        "xaibook.data.dataset",
        {"x_load": "abc", "x_parse": "def", "x_gone": "123", "x_twice": "456"},
        {
            "xaibook.data.dataset.x_load__mutmut_1": 1,
            "xaibook.data.dataset.x_parse__mutmut_1": 0,
            "xaibook.data.dataset.x_parse__mutmut_12": 1,
            "xaibook.data.dataset.x_gone__mutmut_1": 1,
            "xaibook.data.dataset.x_twice__mutmut_1": 1,
        },
    )
    # dataset.py split: parse moved to data/typing.py; gone deleted; twice now in two modules
    functions = {
        "xaibook.data.dataset": {"x_load"},
        "xaibook.data.typing": {"x_parse", "x_twice"},
        "xaibook.data.other": {"x_twice"},
    }
    mutants = tmp_path / "mutants" / "src"
    written = state.restore(mutants, kept, functions)
    assert sorted(p.relative_to(mutants).as_posix() for p in written) == [
        "xaibook/data/dataset.py.meta",
        "xaibook/data/typing.py.meta",
    ]
    moved = json.loads((mutants / "xaibook/data/typing.py.meta").read_text())
    assert moved["hash_by_function_name"] == {"x_parse": "def"}
    assert moved["exit_code_by_key"] == {
        "xaibook.data.typing.x_parse__mutmut_1": 0,
        "xaibook.data.typing.x_parse__mutmut_12": 1,
    }
    stayed = json.loads((mutants / "xaibook/data/dataset.py.meta").read_text())
    assert stayed["exit_code_by_key"] == {"xaibook.data.dataset.x_load__mutmut_1": 1}


def test_the_mutated_functions_are_read_from_the_code_mutmut_mutates():
    functions = state.mutated_functions()
    assert "x_load_dataset" in functions["xaibook.data.dataset"]
    assert "x_check_table" in functions["xaibook.data.table_cache"]
    # a method in mutmut's mangled form
    assert any(name.startswith("x\u01c1") for names in functions.values() for name in names)
