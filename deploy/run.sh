#!/usr/bin/env bash
# Sets up and runs the whole system on loopback: PostgreSQL, Redis, migrations, silos, API nodes (one of each unless told).
# Usage: ./deploy/run.sh [--detach] [--no-build] [--silos N] [--apis N]    (data folder: $NEXCHANGE_DATA_DIR, default ./.data)
#   --detach    return once /health/ready answers on every API node
#   --no-build  use the Release build as it is (test.sh builds once, then its smoke check starts the system)
#   --silos N   N silos, joined through the Redis membership; silo i (from 0) uses the silo and gateway ports + i
#   --apis N    N API nodes; node i (from 0) listens on the port of NEXCHANGE_API_URL + i
set -euo pipefail
source "$(dirname "$0")/lib.sh"

detach=false build=true silos=1 apis=1
while [ $# -gt 0 ]; do
  case "$1" in
    --detach) detach=true ;;
    --no-build) build=false ;;
    --silos|--apis)
      [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || die "$1 takes a count from 1 to 99"
      if [ "$1" = --silos ]; then silos="$2"; else apis="$2"; fi
      shift ;;
    *) die "unknown option '$1' (known: --detach, --no-build, --silos N, --apis N)" ;;
  esac
  shift
done

API_URL="${NEXCHANGE_API_URL:-http://127.0.0.1:8080}"
API_URLS=("$API_URL")
if [ "$apis" -gt 1 ]; then
  [[ "$API_URL" =~ ^(https?://[^/:]+):([0-9]+)/?$ ]] || die "--apis needs NEXCHANGE_API_URL as scheme://host:port, not '$API_URL'"
  for i in $(seq 1 $((apis - 1))); do API_URLS+=("${BASH_REMATCH[1]}:$((BASH_REMATCH[2] + i))"); done
fi
SILO_PORT="${NEXCHANGE__Orleans__SiloPort:-11111}"
GATEWAY_PORT="${NEXCHANGE__Orleans__GatewayPort:-30000}"
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

# A re-run replaces the silos and API nodes it started before; the stores keep running.
stop_nodes
# The first silo and API node keep the names (pid file, log) of a single-node run: silo, api, then silo-2, api-2...
node_name() { if [ "$2" = 0 ]; then printf '%s' "$1"; else printf '%s-%s' "$1" "$(($2 + 1))"; fi; }
NODES=()
for i in $(seq 0 $((silos - 1))); do
  name="$(node_name silo "$i")"; NODES+=("$name")
  NEXCHANGE__Orleans__SiloPort=$((SILO_PORT + i)) NEXCHANGE__Orleans__GatewayPort=$((GATEWAY_PORT + i)) \
    start_process "$name" "$LOG_DIR/$name.log" dotnet "$SILO_DLL"
done
for i in $(seq 0 $((apis - 1))); do
  name="$(node_name api "$i")"; NODES+=("$name")
  start_process "$name" "$LOG_DIR/$name.log" dotnet "$API_DLL" --urls "${API_URLS[$i]}"
done

log "waiting for /health/ready on ${API_URLS[*]}"
for url in "${API_URLS[@]}"; do
  for i in $(seq 1 600); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then break; fi
    for p in "${NODES[@]}"; do
      kill -0 "$(cat "$RUN_DIR/$p.pid")" 2>/dev/null || { tail -n 40 "$LOG_DIR/$p.log" >&2; die "$p exited during start-up"; }
    done
    [ "$i" = 600 ] && { tail -n 20 "$LOG_DIR/api.log" >&2; die "$url not ready after 120 s"; }
    sleep 0.2
  done
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
$(for i in "${!API_URLS[@]}"; do [ "$i" = 0 ] || echo "  API $((i + 1))      ${API_URLS[$i]}/api/v1"; done
  for i in $(seq 0 $((silos - 1))); do echo "  Silo $((i + 1))     127.0.0.1:$((SILO_PORT + i)) (gateway $((GATEWAY_PORT + i)))"; done)
Stop with ./deploy/stop.sh$( $detach || echo " or Ctrl-C")
MSG

if $detach; then trap - INT TERM; exit 0; fi
trap '"$ROOT/deploy/stop.sh"; exit 0' INT TERM
all_running() { for p in "${NODES[@]}"; do kill -0 "$(cat "$RUN_DIR/$p.pid")" 2>/dev/null || return 1; done; }
while all_running; do sleep 1; done
log "a process exited; see $LOG_DIR"
"$ROOT/deploy/stop.sh"
exit 1
