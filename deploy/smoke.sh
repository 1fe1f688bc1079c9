#!/usr/bin/env bash
# Checks a real start-up for what another local user could reach: runs `run.sh --detach --no-build` (the Release
# build must exist; test.sh runs this right after building) on a throwaway data folder and on the ports next to the
# caller's, registers a user so that the outbox holds a message, checks, then stops everything and removes the folder.
# Prints one line per check, "smoke: passed <check>" or "smoke: FAILED <check>"; exits 1 when any failed.
set -euo pipefail
deploy="$(cd "$(dirname "$0")" && pwd)"

port_of() { local p="${1##*:}"; printf '%s' "${p%%/*}"; } # URL -> port

# One above each of the caller's ports: it runs beside the caller's stores and beside a run.sh of the same checkout.
export NEXCHANGE_PG_PORT=$((${NEXCHANGE_PG_PORT:-55432} + 1))
export NEXCHANGE_REDIS_PORT=$((${NEXCHANGE_REDIS_PORT:-56379} + 1))
export NEXCHANGE_API_URL="http://127.0.0.1:$(($(port_of "${NEXCHANGE_API_URL:-http://127.0.0.1:8080}") + 1))"
export NEXCHANGE__Orleans__SiloPort=$((${NEXCHANGE__Orleans__SiloPort:-11111} + 1))
export NEXCHANGE__Orleans__GatewayPort=$((${NEXCHANGE__Orleans__GatewayPort:-30000} + 1))
NEXCHANGE_DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/nexchange-smoke.XXXXXX")"
export NEXCHANGE_DATA_DIR
unset NEXCHANGE__Data__Dir NEXCHANGE__App__PublicBaseUrl
source "$deploy/lib.sh"

cleanup() {
  "$deploy/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
  [ "$PG_HOME" = "$DATA_DIR" ] || rm -rf "$PG_HOME"
}
trap cleanup EXIT

failed=0
check() { # description command...
  local what="$1"; shift
  if "$@"; then echo "smoke: passed $what"; else echo "smoke: FAILED $what"; failed=1; fi
}

started() {
  "$deploy/run.sh" --detach --no-build >"$LOG_DIR/run.out" 2>&1 || { tail -n 30 "$LOG_DIR/run.out" >&2; return 1; }
}

# The smoke account's password is drawn at random: nothing signs in with it, and no credential is written here.
registered() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$NEXCHANGE_API_URL/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"smoke@example.org\",\"password\":\"smoke $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')\",\"dateOfBirth\":\"1990-04-12\",\"zipCode\":\"10001\",\"city\":\"New York\"}")"
  [ "$code" = 201 ] && compgen -G "$DATA_DIR/outbox/*.eml" >/dev/null
}

private_files() {
  local open
  open="$(find "$DATA_DIR" "$PG_HOME" ! -type l -perm /077 -print | head -n 10)"
  [ -z "$open" ] || { sed 's/^/  open to group or others: /' <<<"$open" >&2; return 1; }
}

redis_refuses_anonymous() {
  [[ "$(env -u REDISCLI_AUTH redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1)" == NOAUTH* ]]
}

loopback_only() {
  local port addresses ok=0
  for port in "$PG_PORT" "$REDIS_PORT" "$(port_of "$NEXCHANGE_API_URL")" "$NEXCHANGE__Orleans__SiloPort" "$NEXCHANGE__Orleans__GatewayPort"; do
    addresses="$(ss -Hltn "sport = :$port" | awk '{ print $4 }')"
    if [ -z "$addresses" ] || grep -qv '^127\.0\.0\.1:' <<<"$addresses"; then
      log "port $port listens on: ${addresses:-nothing}"; ok=1
    fi
  done
  return $ok
}

# The silo and the API connect as the runtime role; the owner's and the superuser's passwords stay with the scripts.
runtime_role_only() {
  local name environment
  for name in silo api; do
    environment="$(tr '\0' '\n' <"/proc/$(cat "$RUN_DIR/$name.pid")/environ")" || return 1
    grep -q "^NEXCHANGE__ConnectionStrings__Postgres=.*Username=$PG_APP;" <<<"$environment" || { log "the $name does not connect as $PG_APP"; return 1; }
    ! grep -qF -e "$(secret postgres-owner-password)" -e "$(secret postgres-password)" <<<"$environment" \
      || { log "the $name's environment holds the owner's or the superuser's password"; return 1; }
  done
}

runtime_role_plain() {
  [ "$(pg_admin -d "$PG_DB" <<SQL
select r.rolcanlogin and not (r.rolsuper or r.rolcreatedb or r.rolcreaterole or r.rolinherit or r.rolbypassrls)
  and not exists (select from pg_database where datdba = r.oid)
  and not exists (select from pg_namespace where nspowner = r.oid)
  and not exists (select from pg_class where relowner = r.oid)
  and not exists (select from pg_proc where proowner = r.oid)
from pg_roles r where r.rolname = '$PG_APP';
SQL
)" = t ]
}

check "run.sh --detach starts the system" started
check "registration writes the verification email to the outbox" registered
check "nothing under the data folder or the cluster is open to group or others" private_files
check "Redis refuses a client without the password (NOAUTH)" redis_refuses_anonymous
check "PostgreSQL, Redis, API, silo and gateway listen on 127.0.0.1 only" loopback_only
check "the silo and the API hold the runtime role's connection only" runtime_role_only
check "the runtime role $PG_APP is a plain login role that owns nothing" runtime_role_plain
exit $failed
