#!/usr/bin/env bash
# Runs a benchmark against local stores started like deploy/test.sh does. Not part of the test run.
# Usage: bench/run.sh ledger [accounts] [seconds] [concurrency] [uniform|hot]
#        bench/run.sh trades [pairs] [concurrency]
#        bench/run.sh search [items] [iterations]
#        bench/run.sh image [width] [height] [runs]
#        bench/run.sh export [ledgerEntries] [items] [photos] [runs]
#        bench/run.sh conversion [seconds] [concurrency]
set -euo pipefail
source "$(dirname "$0")/../deploy/lib.sh"
ensure_packages
start_postgres
start_redis
export_app_secrets
# A benchmark creates and migrates a database of its own: it connects as the owner role.
export NEXCHANGE__ConnectionStrings__PostgresOwner="$PG_OWNER_CONN"
export NEXCHANGE__App__PublicBaseUrl="${NEXCHANGE__App__PublicBaseUrl:-http://127.0.0.1:8080}"
# Bench silos run as Production, where the price feed defaults to HTTP: the sandbox feed needs no outside source.
export NEXCHANGE__Conversion__Feed="${NEXCHANGE__Conversion__Feed:-Sandbox}"
case "${1:-ledger}" in
  ledger) shift || true
    dotnet run -c Release --project "$ROOT/bench/LedgerBench" -- "$@" ;;
  trades) shift || true
    dotnet run -c Release --project "$ROOT/bench/LedgerBench" -- trades "$@" ;;
  search) shift
    dotnet run -c Release --project "$ROOT/bench/SearchBench" -- "$@" ;;
  image) shift || true
    dotnet run -c Release --project "$ROOT/bench/ImageBench" -- "$@" ;;
  export) shift
    dotnet run -c Release --project "$ROOT/bench/ExportBench" -- "$@" ;;
  conversion) shift
    dotnet run -c Release --project "$ROOT/bench/ConversionBench" -- "$@" ;;
  *) die "unknown benchmark '$1' (known: ledger, trades, search, image, export, conversion)" ;;
esac
