#!/usr/bin/env bash
# Mutation testing of the data loading, facts, cache, publish and parameter code (issue 9,
# point 11): mutmut mutates the files listed in pyproject.toml [tool.mutmut], runs the fast tests that
# cover each mutant, then score.py prints the score per file and fails below the minimum.
#
#   tools/mutation/run.sh            resume: only mutants of changed functions run again
#   tools/mutation/run.sh --fresh    start over (delete mutants/; ignore the kept verdicts)
#   tools/mutation/run.sh --recheck  resume, then run every survivor again: a mutant of a function
#                                    that did not change keeps its verdict, so one that survived
#                                    only meets tests written since when it is named
#
# Environment: PYTHON (default .venv/bin/python, which must have mutmut), MUTATION_JOBS
# (parallel mutants, default 2), MUTATION_MINIMUM (percent, default 90).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
if [[ ${1:-} == --fresh ]]; then
    rm -rf mutants
fi
# Tests that start `python -m xaibook.cli` must import the mutant too. The folder exists before
# Python starts: a sys.path entry that is missing at start-up is remembered as empty.
mkdir -p mutants/src
export PYTHONPATH="$PWD/tools/mutation:$PWD/mutants/src"
# Verdicts of earlier runs kept in the repository (state.py): mutmut keeps each one whose
# function is unchanged and runs the rest. `tools/mutation/state.py save` after a run keeps
# this run's for the next.
if [[ ${1:-} != --fresh ]]; then
    "$PYTHON" tools/mutation/state.py restore
fi

start=$SECONDS
"$PYTHON" -m mutmut run --max-children "${MUTATION_JOBS:-2}" | tr '\r' '\n' | tail -n 3
if [[ ${1:-} == --recheck ]]; then
    mapfile -t survivors < <("$PYTHON" tools/mutation/score.py --list-survivors)
    if ((${#survivors[@]})); then
        "$PYTHON" -m mutmut run --max-children "${MUTATION_JOBS:-2}" "${survivors[@]}" |
            tr '\r' '\n' | tail -n 3
    fi
fi
echo "mutmut run: $((SECONDS - start)) s"
"$PYTHON" tools/mutation/score.py --minimum "${MUTATION_MINIMUM:-90}"
