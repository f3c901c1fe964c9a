#!/bin/sh
# One-shot, idempotent: gives each service its own role and its own database. Run by the db-init job of
# docker-compose.yml on every `up`; safe on an existing volume, and it updates a changed password.
set -eu

create() {
  role=$1 password=$2 database=$3
  psql -v ON_ERROR_STOP=1 -v role="$role" -v password="$password" -v database="$database" <<'SQL'
select format('create role %I login', :'role')
 where not exists (select from pg_roles where rolname = :'role') \gexec
select format('alter role %I password %L', :'role', :'password') \gexec
select format('create database %I owner %I', :'database', :'role')
 where not exists (select from pg_database where datname = :'database') \gexec
SQL
  echo "database $database ready for role $role"
}

create "$CONTENT_DB_USER" "$CONTENT_DB_PASSWORD" majlis_content
create "$COMMENT_DB_USER" "$COMMENT_DB_PASSWORD" majlis_comments
