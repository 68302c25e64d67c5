# A PostgreSQL server for the test suite's second pass (sourced by .ci/run).
#
# start_postgresql: sets EXPLOC_TEST_POSTGRESQL to a scratch database on a server that answers:
#   1. a server already running on localhost:5432 (its postgres account creates the role), or
#   2. the machine's cluster (Debian's pg_ctlcluster), started for the run, or
#   3. a throw-away cluster in a temporary folder (initdb + pg_ctl, fsync off: nothing to keep).
# Each step that fails hands over to the next; returns non-zero when none worked.
# stop_postgresql: stops and removes a throw-away cluster. The machine's cluster, once started, is
# left running: other jobs on the machine may have begun to use it meanwhile.

PG_CI_ROLE=exploc_ci
PG_CI_PASSWORD=exploc_ci
PG_CI_DATABASE=exploc_ci
PG_CI_TEMP_PORT=54329
_pg_started=""
_pg_temp=""

_pg_log() { echo "CI (PostgreSQL) : $*" >&2; }

_pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

# Run a command as the postgres user when we are root (the server refuses to run as root).
_as_postgres() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

_pg_ready() { # port
  local bindir
  bindir=$(_pg_bindir) || return 1
  "$bindir/pg_isready" -q -h localhost -p "$1" >/dev/null 2>&1
}

_pg_wait() { # port
  local i
  for i in $(seq 1 60); do
    _pg_ready "$1" && return 0
    sleep 0.5
  done
  return 1
}

# Create the role and its database; $1: port, then how to reach the server as an administrator.
# CREATEDB: every test gets a database of its own; CREATEROLE: the tests of ``exploc droits``
# create read-only roles (exploc_lecture_…) and drop them at the end.
_pg_scratch() {
  local port=$1 bindir
  shift
  bindir=$(_pg_bindir) || return 1
  "$@" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -c "
    DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_CI_ROLE') THEN
        CREATE ROLE $PG_CI_ROLE LOGIN CREATEDB CREATEROLE;
      END IF;
    END \$\$;
    ALTER ROLE $PG_CI_ROLE LOGIN CREATEDB CREATEROLE PASSWORD '$PG_CI_PASSWORD';" >/dev/null || return 1
  if [ -z "$("$@" "$bindir/psql" -X -qAt -p "$port" -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '$PG_CI_DATABASE'")" ]; then
    "$@" "$bindir/createdb" -p "$port" -O "$PG_CI_ROLE" "$PG_CI_DATABASE" || return 1
  fi
  local url="postgresql://$PG_CI_ROLE:$PG_CI_PASSWORD@localhost:$port/$PG_CI_DATABASE"
  "$bindir/psql" -X -qAt "$url" -c "SELECT 1" >/dev/null || return 1
  export EXPLOC_TEST_POSTGRESQL="postgresql+psycopg://$PG_CI_ROLE:$PG_CI_PASSWORD@localhost:$port/$PG_CI_DATABASE"
}

_pg_running_server() {
  _pg_ready 5432 || return 1
  _pg_log "serveur déjà en marche sur localhost:5432"
  _pg_scratch 5432 _as_postgres
}

_pg_machine_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  local line version name port status
  line=$(pg_lsclusters -h | awk '$1 == 15' | head -1)
  [ -n "$line" ] || line=$(pg_lsclusters -h | head -1)
  [ -n "$line" ] || return 1
  read -r version name port status _ <<<"$line"
  if [ "$status" != online ]; then
    _pg_log "démarrage du cluster $version/$name (port $port)"
    _as_postgres pg_ctlcluster "$version" "$name" start || return 1
    _pg_started="$version $name"
  fi
  _pg_wait "$port" || return 1
  _pg_scratch "$port" _as_postgres
}

_pg_temporary_cluster() {
  local bindir
  bindir=$(_pg_bindir) || return 1
  _pg_temp=$(mktemp -d "${TMPDIR:-/tmp}/exploc-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$_pg_temp" || return 1
  fi
  _pg_log "cluster jetable dans $_pg_temp (port $PG_CI_TEMP_PORT)"
  _as_postgres "$bindir/initdb" -D "$_pg_temp/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null || return 1
  _as_postgres "$bindir/pg_ctl" -D "$_pg_temp/data" -l "$_pg_temp/server.log" -w start -o \
    "-p $PG_CI_TEMP_PORT -c listen_addresses=localhost -k $_pg_temp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || return 1
  _pg_started="temp"
  _pg_scratch "$PG_CI_TEMP_PORT" _as_postgres env PGHOST=localhost PGUSER=postgres
}

start_postgresql() {
  _pg_running_server && return 0
  _pg_machine_cluster && return 0
  _pg_temporary_cluster && return 0
  _pg_log "aucun serveur PostgreSQL utilisable"
  return 1
}

stop_postgresql() {
  local bindir
  if [ "$_pg_started" = temp ]; then
    bindir=$(_pg_bindir)
    _as_postgres "$bindir/pg_ctl" -D "$_pg_temp/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$_pg_temp" ]; then
    rm -rf "$_pg_temp"
  fi
  _pg_started=""
}
