#!/usr/bin/env bash
# Starts what the tests need (PostgreSQL, Redis, an S3-compatible server) like run.sh does, then runs every test of the solution.
# Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages
start_postgres
start_redis
start_s3
export NEXCHANGE_TEST_POSTGRES="$NEXCHANGE__ConnectionStrings__Postgres"
export NEXCHANGE_TEST_REDIS="$NEXCHANGE__ConnectionStrings__Redis"
export NEXCHANGE_TEST_DATA_DIR="$DATA_DIR/test"
mkdir -p "$NEXCHANGE_TEST_DATA_DIR"

build_solution
out="$LOG_DIR/test-output.log"
set +e
dotnet test "$ROOT/NeXChange.sln" -c Release -nologo --no-build "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' <(tr -d ',' <"$out")
[ "$status" = 0 ] || echo "test run failed (dotnet test exit code $status)"
exit "$status"
