#!/usr/bin/env bash
# Writes deploy/.env for deploy/compose.yaml: every password and key, generated once from /dev/urandom (48 letters and
# digits, as deploy/lib.sh's secret_file does), readable by the caller only. Re-running keeps the values already there
# and adds missing ones; to replace one, delete its line and run again (then `docker compose up -d` applies it).
# The file is in .gitignore: never commit it.
set -euo pipefail
umask 077
env_file="$(cd "$(dirname "$0")" && pwd)/.env"
touch "$env_file"
chmod 600 "$env_file"

add() { # NAME VALUE: appended unless the file already has NAME
  grep -q "^$1=" "$env_file" || printf '%s=%s\n' "$1" "$2" >>"$env_file"
}
random() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48; }

add COMPOSE_PROJECT_NAME nexchange
for name in POSTGRES_PASSWORD POSTGRES_OWNER_PASSWORD POSTGRES_APP_PASSWORD REDIS_PASSWORD S3_SECRET_KEY JWT_SIGNING_KEY; do
  add "NEXCHANGE_$name" "$(random)"
done
add NEXCHANGE_S3_ACCESS_KEY "nexchange-$(random | head -c 12)"
echo "secrets in $env_file; set NEXCHANGE_PRICE_FEED_URL and NEXCHANGE_PUBLIC_URL there too (README, Deploying)" >&2
