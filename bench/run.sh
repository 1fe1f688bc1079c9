#!/usr/bin/env bash
# Runs a benchmark against local stores started like deploy/test.sh does. Not part of the test run.
# Usage: bench/run.sh ledger [accounts] [seconds] [concurrency]
#        bench/run.sh search [items] [iterations]
set -euo pipefail
source "$(dirname "$0")/../deploy/lib.sh"
ensure_packages
start_postgres
start_redis
case "${1:-ledger}" in
  ledger) shift || true
    dotnet run -c Release --project "$ROOT/bench/LedgerBench" -- "$@" ;;
  search) shift
    dotnet run -c Release --project "$ROOT/bench/SearchBench" -- "$@" ;;
  *) die "unknown benchmark '$1' (known: ledger, search)" ;;
esac
