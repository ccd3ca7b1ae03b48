#!/usr/bin/env bash
# Private Redis and Postgres servers for the test suite.
#
# Sourced by scripts/test.sh; also usable by hand:
#   eval "$(bash scripts/services.sh start)"   # prints `export REDIS_URL=... DATABASE_URL=... NRK_SERVICES_DIR=...`
#   bash scripts/services.sh stop "$NRK_SERVICES_DIR"   # servers started by hand run until stopped
#   bash scripts/services.sh cleanup            # stop instances left behind by runs that died
#
# Every run gets its own state directory (/tmp/nrk-test.<pid>) holding the owner's pid, the servers' pid files,
# data and logs. Several runs can therefore share a machine (ports are probed upwards from 6399 / 54329), and a run
# that was killed (SIGKILL, closed terminal) is cleaned up by the next one, which finds its owner process gone.
# Servers we did not start are never touched.

NRK_STATE_ROOT="${TMPDIR:-/tmp}"
NRK_REDIS_BASE_PORT="${NRK_REDIS_PORT:-6399}"
NRK_PG_BASE_PORT="${NRK_PG_PORT:-54329}"
NRK_APT_UPDATED="${NRK_APT_UPDATED:-0}"

nrk_log() { printf '[services] %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, else through passwordless sudo (CI images sometimes run as a
# user with sudo); fails with a message naming the command otherwise.
nrk_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    nrk_log "need root to run: $* (install it yourself or run as root)"
    return 1
  fi
}

# apt-get install, running `apt-get update` at most once per run. Non-interactive: CI has no stdin.
nrk_apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    nrk_log "apt-get not found; install these packages yourself: $*"
    return 1
  fi
  if [ "$NRK_APT_UPDATED" != 1 ]; then
    nrk_log "apt-get update"
    nrk_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2 || return 1
    NRK_APT_UPDATED=1
  fi
  nrk_log "apt-get install -y $*"
  nrk_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null >&2
}

# Sets NRK_REDIS_BIN to the path of redis-server, installing Debian's package when it is missing.
# (Results go through globals, not stdout, so that the apt-get update flag survives: no subshell.)
nrk_find_redis_server() {
  NRK_REDIS_BIN="${REDIS_SERVER_BIN:-}"
  [ -n "$NRK_REDIS_BIN" ] && [ -x "$NRK_REDIS_BIN" ] && return 0
  NRK_REDIS_BIN="$(command -v redis-server 2>/dev/null || true)"
  if [ -z "$NRK_REDIS_BIN" ]; then
    nrk_apt_install redis-server || return 1
    NRK_REDIS_BIN="$(command -v redis-server 2>/dev/null || true)"
  fi
  [ -n "$NRK_REDIS_BIN" ]
}

# Exports KCAT_BIN (Debian's kcat, a librdkafka client): the embedded broker's tests prove librdkafka interop with it.
nrk_find_kcat() {
  KCAT_BIN="${KCAT_BIN:-$(command -v kcat 2>/dev/null || true)}"
  if [ -z "$KCAT_BIN" ]; then
    nrk_apt_install kcat || return 1
    KCAT_BIN="$(command -v kcat 2>/dev/null || true)"
  fi
  [ -n "$KCAT_BIN" ] && export KCAT_BIN
}

# Which "/"-separated field of "<root>/<version>/bin" holds the version, for sort.
nrk_pg_version_field() {
  local root="${NRK_PG_ROOT:-/usr/lib/postgresql}" slashes
  slashes="${root//[^\/]/}"
  echo $((${#slashes} + 2))
}

nrk_pg_bindir_lookup() {
  local dir
  # Newest /usr/lib/postgresql/<version>/bin first; PATH only as a fallback (Debian does not put them there).
  for dir in $(ls -d "${NRK_PG_ROOT:-/usr/lib/postgresql}"/*/bin 2>/dev/null | sort -t/ -k"$(nrk_pg_version_field)" -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      NRK_PG_BINDIR="$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    NRK_PG_BINDIR="$(dirname "$(readlink -f "$(command -v initdb)")")"
    return 0
  fi
  return 1
}

# Sets NRK_PG_BINDIR to the directory holding initdb and pg_ctl, installing Debian's postgresql package when needed.
nrk_find_pg_bindir() {
  nrk_pg_bindir_lookup && return 0
  nrk_apt_install postgresql || return 1
  nrk_pg_bindir_lookup
}

# True when something accepts TCP connections on 127.0.0.1:$1.
nrk_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

nrk_free_port() {
  local port="$1" last=$(($1 + 50))
  while [ "$port" -le "$last" ]; do
    if ! nrk_port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
  done
  nrk_log "no free port in $1..$last"
  return 1
}

nrk_pid_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# "<pid> <start time in clock ticks>": the start time tells a live owner from a new process that reused its pid.
nrk_process_id() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
  stat="${stat##*) }"
  # Field 22 of /proc/<pid>/stat; 20th after the ")" that ends the command name.
  echo "$1 $(echo "$stat" | awk '{print $20}')"
}

nrk_owner_alive() {
  local recorded pid stat
  recorded="$(cat "$1/owner" 2>/dev/null || true)"
  [ "$recorded" = manual ] && return 0
  pid="${recorded%% *}"
  nrk_pid_alive "$pid" && [ "$(nrk_process_id "$pid")" = "$recorded" ] || return 1
  # A killed owner whose parent has not reaped it yet is a zombie: dead, although kill -0 still succeeds.
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# True when pid $1 is alive and its command line contains $2: a pid file left by a dead run may name a pid that
# has since been reused by an unrelated process, which must not be killed.
nrk_pid_is() {
  nrk_pid_alive "$1" || return 1
  [ -r "/proc/$1/cmdline" ] || return 0
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"
}

nrk_stop_dir_redis() {
  local pid i
  pid="$(cat "$1/redis/redis.pid" 2>/dev/null || true)"
  if nrk_pid_is "$pid" redis-server; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do nrk_pid_alive "$pid" || break; sleep 0.1; done
    nrk_pid_alive "$pid" && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$1/redis/redis.pid"
}

# Stops the servers recorded in one state directory and removes it. Safe to call twice.
nrk_stop_dir() {
  local dir="$1" pid i
  [ -d "$dir" ] || return 0
  nrk_stop_dir_redis "$dir"
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    pid="$(head -n1 "$dir/pg/data/postmaster.pid" 2>/dev/null || true)"
    if nrk_pid_is "$pid" "$dir/pg/data"; then
      # SIGQUIT = immediate shutdown: the data directory is thrown away anyway.
      kill -QUIT "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do nrk_pid_alive "$pid" || break; sleep 0.1; done
      nrk_pid_alive "$pid" && kill -9 "$pid" 2>/dev/null
    fi
  fi
  rm -rf "$dir"
}

# Removes state directories whose owner process is gone (a previous run that was killed before its trap ran).
nrk_cleanup_stale() {
  local dir
  for dir in "$NRK_STATE_ROOT"/nrk-test.*; do
    [ -d "$dir" ] || continue
    nrk_owner_alive "$dir" && continue
    nrk_log "stopping servers left behind by an earlier run ($dir)"
    nrk_stop_dir "$dir"
  done
}

nrk_start_redis() {
  local dir="$1" bin port attempt i log="$1/redis/redis.log"
  nrk_find_redis_server || { nrk_log "redis-server is not available"; return 1; }
  bin="$NRK_REDIS_BIN"
  mkdir -p "$dir/redis"
  port=$((NRK_REDIS_BASE_PORT - 1))
  # A concurrent run can take the port between our probe and redis' bind: then try the next one.
  for attempt in 1 2 3 4 5; do
    port="$(nrk_free_port $((port + 1)))" || return 1
    rm -f "$log"
    "$bin" --port "$port" --bind 127.0.0.1 --dir "$dir/redis" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$log" >&2 || return 1
    for i in $(seq 1 100); do
      if grep -q 'Ready to accept connections' "$log" 2>/dev/null; then
        REDIS_URL="redis://127.0.0.1:$port"
        nrk_log "redis-server on $REDIS_URL"
        return 0
      fi
      grep -q -e 'Failed listening' -e 'Could not create server TCP' "$log" 2>/dev/null && break
      sleep 0.1
    done
    nrk_log "redis-server did not start on port $port (attempt $attempt); log:"
    cat "$log" >&2 2>/dev/null
    nrk_stop_dir_redis "$dir"
  done
  return 1
}

nrk_start_postgres() {
  local dir="$1" bindir port attempt run_pg=()
  nrk_find_pg_bindir || { nrk_log "Postgres (initdb/pg_ctl) is not available"; return 1; }
  bindir="$NRK_PG_BINDIR"
  mkdir -p "$dir/pg"
  # Postgres refuses to run as root: hand the directory to the `postgres` OS user (created by Debian's package).
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      nrk_log "user 'postgres' not found (install Debian's postgresql package)"
      return 1
    fi
    chmod 755 "$dir"
    chown postgres "$dir/pg"
    run_pg=(runuser -u postgres --)
  fi
  # Subshells run from a directory the postgres user can enter (the checkout may be under root's 0700 home).
  (
    cd "$dir/pg" || exit 1
    "${run_pg[@]}" "$bindir/initdb" -D "$dir/pg/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
      >"$dir/pg/initdb.log" 2>&1
  ) || { nrk_log "initdb failed:"; cat "$dir/pg/initdb.log" >&2; return 1; }
  port=$((NRK_PG_BASE_PORT - 1))
  # A concurrent run can take the port between our probe and the bind: then try the next one.
  for attempt in 1 2 3 4 5; do
    port="$(nrk_free_port $((port + 1)))" || return 1
    # Durability off: the cluster lives for one test run. max_connections covers several apps with pools at once.
    if (
      cd "$dir/pg" || exit 1
      "${run_pg[@]}" "$bindir/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" -w -t 60 \
        -o "-p $port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null 2>&1
    ); then
      DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
      nrk_log "postgres on $DATABASE_URL"
      return 0
    fi
    nrk_log "postgres did not start on port $port (attempt $attempt); log:"
    cat "$dir/pg/postgres.log" >&2
    grep -q 'Address already in use' "$dir/pg/postgres.log" 2>/dev/null || return 1
    rm -f "$dir/pg/postgres.log"
  done
  return 1
}

# Starts whatever is missing from the environment and exports REDIS_URL, DATABASE_URL, REDIS_SERVER_BIN, KCAT_BIN
# and NRK_SERVICES_DIR (the state directory to pass to nrk_stop_dir).
nrk_start_services() {
  nrk_cleanup_stale
  NRK_SERVICES_DIR="$NRK_STATE_ROOT/nrk-test.$$"
  nrk_stop_dir "$NRK_SERVICES_DIR"
  # Written under another name and renamed, so a concurrent run's cleanup never sees a directory without its owner.
  local tmp
  tmp="$(mktemp -d "$NRK_STATE_ROOT/.nrk-new.XXXXXX")" || return 1
  if [ "${NRK_OWNER:-}" = manual ]; then echo manual; else nrk_process_id "$$"; fi >"$tmp/owner"
  mv "$tmp" "$NRK_SERVICES_DIR" || return 1
  export NRK_SERVICES_DIR

  # Tests that take Redis down and bring it back start their own redis-server, even against an external REDIS_URL.
  if nrk_find_redis_server; then
    export REDIS_SERVER_BIN="$NRK_REDIS_BIN"
  elif [ -z "${REDIS_URL:-}" ]; then
    return 1
  else
    unset REDIS_SERVER_BIN
    nrk_log "redis-server not found: tests that restart Redis will fail"
  fi

  nrk_find_kcat || nrk_log "kcat not found and could not be installed: the librdkafka interop tests will fail"

  if [ -z "${REDIS_URL:-}" ]; then
    nrk_start_redis "$NRK_SERVICES_DIR" || return 1
  fi
  export REDIS_URL
  if [ -z "${DATABASE_URL:-}" ]; then
    nrk_start_postgres "$NRK_SERVICES_DIR" || return 1
  fi
  export DATABASE_URL
}

nrk_stop_services() {
  [ -n "${NRK_SERVICES_DIR:-}" ] && nrk_stop_dir "$NRK_SERVICES_DIR"
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      # This script exits right away, so nobody owns the servers: they run until `services.sh stop <dir>`.
      NRK_OWNER=manual nrk_start_services
      printf 'export REDIS_URL=%q DATABASE_URL=%q REDIS_SERVER_BIN=%q KCAT_BIN=%q NRK_SERVICES_DIR=%q\n' \
        "$REDIS_URL" "$DATABASE_URL" "${REDIS_SERVER_BIN:-}" "${KCAT_BIN:-}" "$NRK_SERVICES_DIR"
      ;;
    stop) nrk_stop_dir "${2:?usage: services.sh stop <NRK_SERVICES_DIR>}" ;;
    cleanup) nrk_cleanup_stale ;;
    *)
      echo "usage: services.sh start | stop <dir> | cleanup" >&2
      exit 2
      ;;
  esac
fi
