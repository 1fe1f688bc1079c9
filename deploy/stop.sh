#!/usr/bin/env bash
# Stops everything run.sh / test.sh started under the data folder.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
stop_nodes
stop_s3
stop_redis
stop_postgres
