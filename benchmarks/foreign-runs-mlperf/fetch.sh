#!/usr/bin/env bash
# Extracts the 33 public MLPerf Training result logs of protocol 19 (docs/VALIDATION.md) into OUTDIR, with manifest.json beside them.
# Usage: benchmarks/foreign-runs-mlperf/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of github.com/mlcommons/training_results_v5.1 (default: cloned into OUTDIR/.src; about 1 GB).
# The files are Apache-2.0-licensed (LICENSE.md at the manifest's commit, copied beside them as LICENSE).
# The runs were chosen by choose_runs.py (its rule in its docstring); the extraction is protocol 14's (benchmarks/foreign-runs/fetch.sh).
FOREIGN_RUNS_MANIFEST_DIR="$(cd "$(dirname "$0")" && pwd)" exec "$(dirname "$0")/../foreign-runs/fetch.sh" "$@"
