#!/bin/sh
# Run by deploy/compose.yaml's postgres-roles job as the superuser (PGHOST, PGUSER, PGPASSWORD) on every `up`: the
# owner role `nexchange` (migrations only), the runtime role `nexchange_app` (the silo and the API; owns nothing), their
# passwords, the database and PostGIS, like setup_postgres_roles in deploy/lib.sh. The SQL, passwords included, goes
# through stdin, never a command line; the generated passwords are letters and digits only.
set -eu
: "${NEXCHANGE_OWNER_PASSWORD:?}" "${NEXCHANGE_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 -qtA -d postgres >/dev/null <<SQL
select 'create role nexchange' where not exists (select from pg_roles where rolname = 'nexchange') \gexec
alter role nexchange login nocreatedb nosuperuser nocreaterole password '$NEXCHANGE_OWNER_PASSWORD';
select 'create role nexchange_app' where not exists (select from pg_roles where rolname = 'nexchange_app') \gexec
alter role nexchange_app login nosuperuser nocreatedb nocreaterole noinherit password '$NEXCHANGE_APP_PASSWORD';
select 'create database nexchange owner nexchange' where not exists (select from pg_database where datname = 'nexchange') \gexec
-- PostGIS is not a trusted extension: the superuser installs it into the application database.
\c nexchange
create extension if not exists postgis;
SQL
echo "postgres-roles: roles, database and PostGIS are set"
