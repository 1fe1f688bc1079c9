#!/usr/bin/env bash
# Runs a benchmark against local stores started like deploy/test.sh does. Not part of the test run. Every bench prints
# a table (throughput, p50/p95/p99/max, errors, and a baseline measured in the same run) and then one JSON line; the
# money benches reconcile the ledger at the end and exit 1 on drift. See bench/RESULTS.md for recorded runs.
# Usage: bench/run.sh ledger [accounts] [seconds] [concurrency] [uniform|hot]
#        bench/run.sh holds [accounts] [seconds] [concurrency]
#        bench/run.sh trades [pairs] [concurrency]
#        bench/run.sh reconcile [entries] [runs]
#        bench/run.sh grain-calls [seconds] [concurrency]
#        bench/run.sh http-transfers [users] [seconds] [connections]
#        bench/run.sh http-search [items] [seconds] [connections]
#        bench/run.sh search [items] [iterations] [concurrency]
#        bench/run.sh image [width] [height] [runs]
#        bench/run.sh export [ledgerEntries] [items] [photos] [runs]
#        bench/run.sh conversion [seconds] [concurrency]
# NEXCHANGE_DATA_DIR picks the data folder (and so the running stores and their secrets) as for deploy/run.sh.
set -euo pipefail
source "$(dirname "$0")/../deploy/lib.sh"
bench="${1:-ledger}"
shift || true

run() { dotnet run -c Release --project "$ROOT/bench/$1" -- "${@:2}"; }

# Photo processing needs no store: it runs before any is started.
if [ "$bench" = image ]; then run ImageBench "$@"; exit; fi

ensure_packages
start_postgres
start_redis
export_app_secrets
# A benchmark creates and migrates a database of its own: it connects as the owner role.
export NEXCHANGE__ConnectionStrings__PostgresOwner="$PG_OWNER_CONN"
export NEXCHANGE__App__PublicBaseUrl="${NEXCHANGE__App__PublicBaseUrl:-http://127.0.0.1:8080}"
# The sandbox price feed needs no outside source (a silo in the Production environment would default to HTTP).
export NEXCHANGE__Conversion__Feed="${NEXCHANGE__Conversion__Feed:-Sandbox}"
case "$bench" in
  ledger) run LedgerBench "$@" ;;
  holds) run LedgerBench holds "$@" ;;
  reconcile) run LedgerBench reconcile "$@" ;;
  trades) run LedgerBench trades "$@" ;;
  grain-calls) run GrainCallBench "$@" ;;
  # The HTTP benches' load generator is wrk (Debian), see bench/HttpBench/Wrk.cs.
  http-transfers) command -v wrk >/dev/null 2>&1 || apt_install wrk; run HttpBench transfers "$@" ;;
  http-search) command -v wrk >/dev/null 2>&1 || apt_install wrk; run HttpBench search "$@" ;;
  search) run SearchBench "$@" ;;
  export) run ExportBench "$@" ;;
  conversion) run ConversionBench "$@" ;;
  *) die "unknown benchmark '$bench' (known: ledger, holds, trades, reconcile, grain-calls, http-transfers, http-search, search, image, export, conversion)" ;;
esac
