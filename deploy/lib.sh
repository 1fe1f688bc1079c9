# Shared by run.sh, test.sh and stop.sh: install and start the local stores under the data folder.
# Sourced, not executed. Everything binds to loopback; every process started here writes a pid file
# under $DATA_DIR/run so that stop.sh can end exactly what was started.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${NEXCHANGE_DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/logs"
PG_PORT="${NEXCHANGE_PG_PORT:-55432}"
REDIS_PORT="${NEXCHANGE_REDIS_PORT:-56379}"
S3_PORT="${NEXCHANGE_S3_PORT:-54569}"
PG_DB="nexchange"
PG_USER="nexchange"
mkdir -p "$RUN_DIR" "$LOG_DIR"

log() { printf '[nexchange] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

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

apt_install() {
  [ $# -gt 0 ] || return 0
  log "installing $* (apt)"
  [ -n "${APT_UPDATED:-}" ] || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/apt.log" >&2; die "apt-get install failed"; }
}

# initdb and pg_ctl refuse to run as root: run them as the postgres system user then.
pg_user_run() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

secret_file() { # name -> path of a random secret generated once per data folder
  local f="$DATA_DIR/secrets/$1"
  if [ ! -s "$f" ]; then
    mkdir -p "$DATA_DIR/secrets" && chmod 700 "$DATA_DIR/secrets"
    head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48 >"$f"
    chmod 600 "$f"
  fi
  printf '%s' "$f"
}

start_postgres() {
  local bin pgdata pw
  bin="$(pg_bin_dir)"
  pgdata="$DATA_DIR/postgres"
  pw="$(cat "$(secret_file postgres-password)")"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    log "initialising PostgreSQL in $pgdata"
    mkdir -p "$pgdata"
    cp "$DATA_DIR/secrets/postgres-password" "$RUN_DIR/.pwfile"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$pgdata" "$RUN_DIR/.pwfile"; chmod 700 "$pgdata"; fi
    pg_user_run "'$bin/initdb' -D '$pgdata' -U postgres --pwfile='$RUN_DIR/.pwfile' --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8" \
      >"$LOG_DIR/initdb.log" 2>&1 || { rm -f "$RUN_DIR/.pwfile"; cat "$LOG_DIR/initdb.log" >&2; die "initdb failed"; }
    rm -f "$RUN_DIR/.pwfile"
  fi
  if [ "$(id -u)" = 0 ]; then chown postgres "$LOG_DIR"; fi
  if ! pg_user_run "'$bin/pg_ctl' -D '$pgdata' status" >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    pg_user_run "'$bin/pg_ctl' -D '$pgdata' -l '$LOG_DIR/postgres.log' -w -t 60 start -o \"-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='$pgdata' -c max_connections=400 -c shared_buffers=256MB -c fsync=on\"" >/dev/null \
      || { tail -n 30 "$LOG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  export PGPASSWORD="$pw"
  # Quiet "already exists, skipping" notices of the idempotent set-up below.
  export PGOPTIONS="-c client_min_messages=warning"
  local psql=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]; then
    "${psql[@]}" -c "create role $PG_USER login createdb password '$pw'" >/dev/null
  fi
  # PostGIS is not a trusted extension: the superuser installs it into template1 (so every database created
  # later, the tests' included, has it) and into the application database.
  "${psql[@]}" -d template1 -c "create extension if not exists postgis" >/dev/null
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
    "${psql[@]}" -c "create database $PG_DB owner $PG_USER" >/dev/null
  fi
  "${psql[@]}" -d "$PG_DB" -c "create extension if not exists postgis" >/dev/null
  unset PGPASSWORD PGOPTIONS
  export NEXCHANGE__ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=$PG_USER;Password=$pw;Maximum Pool Size=40"
}

start_redis() {
  local dir="$DATA_DIR/redis"
  mkdir -p "$dir"
  if ! redis_ping; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    # AOF on: Orleans membership lives here, and a Redis that forgets it leaves silos unable to rejoin.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --appendonly yes --save '' \
      --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" >/dev/null \
      || die "Redis did not start (see $LOG_DIR/redis.log)"
    for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
    redis_ping || die "Redis did not answer on port $REDIS_PORT"
  fi
  export NEXCHANGE__ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

stop_redis() {
  if redis_ping; then log "stopping Redis"; redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
}

stop_postgres() {
  local bin pgdata="$DATA_DIR/postgres"
  bin="$(pg_bin_dir)"
  [ -n "$bin" ] && [ -s "$pgdata/PG_VERSION" ] || return 0
  if pg_user_run "'$bin/pg_ctl' -D '$pgdata' status" >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    pg_user_run "'$bin/pg_ctl' -D '$pgdata' -m fast -w stop" >/dev/null 2>&1 || true
  fi
}

# The JWT and media-URL signing keys are generated once per data folder, never committed.
export_app_secrets() {
  export NEXCHANGE__Jwt__SigningKey="${NEXCHANGE__Jwt__SigningKey:-$(cat "$(secret_file jwt-signing-key)")}"
  export NEXCHANGE__Storage__SigningKey="${NEXCHANGE__Storage__SigningKey:-$(cat "$(secret_file storage-signing-key)")}"
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
