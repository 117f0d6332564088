#!/usr/bin/env bash
# Extracts the public Parameter Golf training logs of protocol 18 (docs/VALIDATION.md) into OUTDIR, with manifest.json beside them.
# Usage: benchmarks/foreign-runs-paramgolf/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of github.com/openai/parameter-golf (default: cloned into OUTDIR/.src).
# The files are MIT-licensed (Copyright (c) 2026 OpenAI); the licence is copied beside them.
# The extraction is protocol 14's (benchmarks/foreign-runs/fetch.sh) on this folder's manifest.
FOREIGN_RUNS_MANIFEST_DIR="$(cd "$(dirname "$0")" && pwd)" exec "$(dirname "$0")/../foreign-runs/fetch.sh" "$@"
