#!/usr/bin/env bash
# Starts what the tests need (PostgreSQL, Redis, an S3-compatible server; Chromium for the dashboard's browser test; the
# schemas deploy/compose.yaml and deploy/k8s are checked against) like run.sh does, builds, runs the start-up smoke
# checks (smoke.sh: file modes, Redis password, loopback, Postgres roles), then every test of the solution.
# Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages
ensure_test_packages
start_postgres
start_redis
start_s3
ensure_schemas
build_solution

smoke_out="$LOG_DIR/smoke.log"
out="$LOG_DIR/test-output.log"
set +e
"$ROOT/deploy/smoke.sh" | tee "$smoke_out"
smoke_status=${PIPESTATUS[0]}

# The owner role creates and migrates a database per test fixture; the hosts under test connect as the runtime role.
export NEXCHANGE_TEST_POSTGRES="$PG_OWNER_CONN"
export NEXCHANGE_TEST_POSTGRES_RUNTIME="$NEXCHANGE__ConnectionStrings__Postgres"
export NEXCHANGE_TEST_REDIS="$NEXCHANGE__ConnectionStrings__Redis"
export NEXCHANGE_TEST_DATA_DIR="$DATA_DIR/test"
mkdir -p "$NEXCHANGE_TEST_DATA_DIR"
dotnet test "$ROOT/NeXChange.sln" -c Release -nologo --no-build "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
smoke_failed="$(grep -c '^smoke: FAILED' "$smoke_out")"
[ "$smoke_status" = 0 ] || [ "$smoke_failed" -gt 0 ] || smoke_failed=1 # it stopped before its checks
# One closing line for the whole run: the smoke checks and the tests, summed over the test assemblies.
awk -v p="$(grep -c '^smoke: passed' "$smoke_out")" -v f="$smoke_failed" \
  '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
   END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' <(tr -d ',' <"$out")
set -e
[ "$smoke_status" = 0 ] || echo "SMOKE CHECKS FAILED (smoke.sh exit code $smoke_status; see the 'smoke: FAILED' lines above)"
[ "$status" = 0 ] || echo "test run failed (dotnet test exit code $status)"
[ "$smoke_status" = 0 ] || exit 1
exit "$status"
