#!/usr/bin/env bash
# Sets up and runs the whole system on loopback: PostgreSQL, Redis, migrations, one silo, one API node.
# Usage: ./deploy/run.sh [--detach] [--no-build]    (data folder: $NEXCHANGE_DATA_DIR, default ./.data)
#   --detach    return once /health/ready answers
#   --no-build  use the Release build as it is (test.sh builds once, then its smoke check starts the system)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

detach=false build=true
for arg in "$@"; do
  case "$arg" in
    --detach) detach=true ;;
    --no-build) build=false ;;
    *) die "unknown option '$arg' (known: --detach, --no-build)" ;;
  esac
done

API_URL="${NEXCHANGE_API_URL:-http://127.0.0.1:8080}"
# Ctrl-C (or TERM) at any point, start-up included, stops everything this script started.
trap '"$ROOT/deploy/stop.sh"; exit 130' INT TERM
ensure_packages
start_postgres
start_redis
export_app_secrets
# A starter recall list, so that recall checks answer locally (no recall API is configured by default).
[ -f "$DATA_DIR/recalls.csv" ] || cp "$ROOT/deploy/recalls.example.csv" "$DATA_DIR/recalls.csv"
export NEXCHANGE__App__PublicBaseUrl="${NEXCHANGE__App__PublicBaseUrl:-$API_URL}"
# The local run is a development environment: the dev clock endpoint is on (SPEC.md 8.7), so timers can be tried
# without waiting days. The hosts refuse Dev:Endpoints in the Production environment, the default when none is named.
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Local}"
export NEXCHANGE__Dev__Endpoints="${NEXCHANGE__Dev__Endpoints:-true}"
if $build; then build_solution; fi

SILO_DLL="$ROOT/src/Silo/bin/Release/net10.0/NeXChange.Silo.dll"
API_DLL="$ROOT/src/Api/bin/Release/net10.0/NeXChange.Api.dll"
[ -f "$SILO_DLL" ] && [ -f "$API_DLL" ] || die "no Release build: run without --no-build"

log "applying migrations"
# Only the migrate step gets the owner's connection; the silo and the API run as the runtime role and never see it.
NEXCHANGE__ConnectionStrings__PostgresOwner="$PG_OWNER_CONN" dotnet "$SILO_DLL" migrate >"$LOG_DIR/migrate.log" 2>&1 \
  || { cat "$LOG_DIR/migrate.log" >&2; die "migrations failed"; }
# The local run's safe zones (a few hundred around large US cities); a re-run adds only what is missing.
dotnet "$SILO_DLL" seed-safe-zones >"$LOG_DIR/seed.log" 2>&1 || { cat "$LOG_DIR/seed.log" >&2; die "seeding safe zones failed"; }

# A re-run replaces the silo and API it started before; the stores keep running.
stop_process api
stop_process silo
start_process silo "$LOG_DIR/silo.log" dotnet "$SILO_DLL"
start_process api "$LOG_DIR/api.log" dotnet "$API_DLL" --urls "$API_URL"

log "waiting for $API_URL/health/ready"
for i in $(seq 1 120); do
  if curl -fsS "$API_URL/health/ready" >/dev/null 2>&1; then break; fi
  for p in silo api; do
    kill -0 "$(cat "$RUN_DIR/$p.pid")" 2>/dev/null || { tail -n 40 "$LOG_DIR/$p.log" >&2; die "$p exited during start-up"; }
  done
  [ "$i" = 120 ] && { tail -n 20 "$LOG_DIR/api.log" >&2; die "not ready after 120 s"; }
  sleep 1
done

cat <<MSG
NeXChange is running.
  API        $API_URL/api/v1
  OpenAPI    $API_URL/openapi/v1.json
  Docs       $API_URL/docs
  Dashboard  $API_URL/dashboard   (admin token required)
  Health     $API_URL/health/ready
  Outbox     $DATA_DIR/outbox   (verification and notification emails)
  Dev clock  POST $API_URL/api/v1/dev/clock/advance {"seconds": N}   (moves every trade timer)
  Logs       $LOG_DIR   (PostgreSQL: $PG_LOG)
Stop with ./deploy/stop.sh$( $detach || echo " or Ctrl-C")
MSG

if $detach; then trap - INT TERM; exit 0; fi
trap '"$ROOT/deploy/stop.sh"; exit 0' INT TERM
while kill -0 "$(cat "$RUN_DIR/silo.pid")" 2>/dev/null && kill -0 "$(cat "$RUN_DIR/api.pid")" 2>/dev/null; do sleep 1; done
log "a process exited; see $LOG_DIR"
"$ROOT/deploy/stop.sh"
exit 1
