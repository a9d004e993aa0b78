"""Keep a mutation run's verdicts in the repository, so that a run survives its machine.

A full run takes many hours on a two-core machine, longer than one working session, and
mutmut keeps its verdicts only in ``mutants/``, which a fresh clone does not have. This module
copies each mutated file's verdicts (mutmut's ``*.py.meta``: the exit code of every mutant and
the hash of every function) to ``tools/mutation/state/`` and back.

  python tools/mutation/state.py save      mutants/ -> tools/mutation/state/ (then commit it)
  python tools/mutation/state.py restore   tools/mutation/state/ -> mutants/, where missing

``restore`` only writes a ``.meta`` that ``mutants/`` lacks, before mutmut generates the mutants:
mutmut then keeps each verdict whose function's hash is unchanged and runs every mutant of a
changed or new function again, so a verdict never outlives the code it was given for. Test
timings are not kept (mutmut measures them again).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants" / "src"
STATE = ROOT / "tools" / "mutation" / "state"
KEPT = ("exit_code_by_key", "hash_by_function_name")


def save(mutants: Path = MUTANTS, state: Path = STATE) -> list[Path]:
    """Write the verdicts of every ``*.py.meta`` under ``mutants`` to ``state``."""
    written = []
    state.mkdir(parents=True, exist_ok=True)
    for meta in sorted(mutants.rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        kept = {key: data.get(key, {}) for key in KEPT}
        target = state / meta.relative_to(mutants).as_posix().replace("/", "__")
        target.write_text(json.dumps(kept, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        written.append(target)
    return written


def restore(mutants: Path = MUTANTS, state: Path = STATE) -> list[Path]:
    """Write each saved verdict file into ``mutants`` where it has none yet (mutmut's own
    format, with empty timings)."""
    written = []
    for saved in sorted(state.glob("*.py.meta")):
        target = mutants / saved.name.replace("__", "/")
        if target.exists():
            continue
        data = json.loads(saved.read_text(encoding="utf-8"))
        meta = {
            "exit_code_by_key": data["exit_code_by_key"],
            "hash_by_function_name": data["hash_by_function_name"],
            "type_check_error_by_key": {},
            "durations_by_key": {},
            "estimated_durations_by_key": {},
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(meta), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "restore"))
    parser.add_argument("--mutants", type=Path, default=MUTANTS)
    parser.add_argument("--state", type=Path, default=STATE)
    args = parser.parse_args(argv)
    files = (save if args.action == "save" else restore)(args.mutants, args.state)
    print(f"{args.action}: {len(files)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
