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

A function moved to another mutated module (a module split or renamed) keeps its verdicts: they
follow it to the one module that now defines it, where mutmut checks its hash as usual. A
function that no module defines any more, or that two define, loses them.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants" / "src"
STATE = ROOT / "tools" / "mutation" / "state"
KEPT = ("exit_code_by_key", "hash_by_function_name")
MUTANT_SUFFIX = "__mutmut_"
CLASS_MARK = "\u01c1"  # mutmut's separator in a method's name: xǁClassǁmethod


def mutated_functions(root: Path = ROOT) -> dict[str, set[str]]:
    """Module name -> the functions mutmut mutates in it, in mutmut's mangled form, for every
    file listed in pyproject.toml's [tool.mutmut] only_mutate."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    functions = {}
    for listed in config["tool"]["mutmut"]["only_mutate"]:
        path = root / listed
        module = ".".join(Path(listed).with_suffix("").parts[1:])  # src/xaibook/x.py -> xaibook.x
        names = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(f"x_{node.name}")
            elif isinstance(node, ast.ClassDef):
                names.update(
                    f"x{CLASS_MARK}{node.name}{CLASS_MARK}{method.name}"
                    for method in node.body
                    if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
                )
        functions[module] = names
    return functions


def _relocated(saved: dict[str, dict], functions: dict[str, set[str]]) -> dict[str, dict]:
    """Saved verdicts by module (module -> kept meta), each function's moved to the module that
    defines it now."""
    moved: dict[str, dict] = defaultdict(lambda: {key: {} for key in KEPT})
    for module, data in saved.items():
        for function, digest in data["hash_by_function_name"].items():
            if function in functions.get(module, ()):
                home = module
            else:
                homes = [name for name, defined in functions.items() if function in defined]
                if len(homes) != 1:
                    continue
                home = homes[0]
            moved[home]["hash_by_function_name"][function] = digest
            prefix = f"{module}.{function}{MUTANT_SUFFIX}"
            for key, verdict in data["exit_code_by_key"].items():
                if key.startswith(prefix):
                    number = key[len(prefix) :]
                    moved[home]["exit_code_by_key"][f"{home}.{function}{MUTANT_SUFFIX}{number}"] = (
                        verdict
                    )
    return dict(moved)


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


def restore(
    mutants: Path = MUTANTS, state: Path = STATE, functions: dict[str, set[str]] | None = None
) -> list[Path]:
    """Write each saved verdict file into ``mutants`` where it has none yet (mutmut's own
    format, with empty timings). ``functions`` (module -> mangled function names, by default
    read from the code) tells where a moved function lives now."""
    saved = {
        path.name.removesuffix(".py.meta").replace("__", "."): json.loads(
            path.read_text(encoding="utf-8")
        )
        for path in sorted(state.glob("*.py.meta"))
    }
    if functions is None:
        functions = mutated_functions()
    written = []
    for module, data in sorted(_relocated(saved, functions).items()):
        target = mutants / (module.replace(".", "/") + ".py.meta")
        if target.exists():
            continue
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
