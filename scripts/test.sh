#!/usr/bin/env bash
# `npm test`: the whole suite, with everything it needs.
#
#   npm test                                   # type check, lint, every jest project
#   npm test -- test/app/orders.e2e-spec.ts    # extra arguments go to jest
#
# Starts a private redis-server and Postgres cluster unless REDIS_URL / DATABASE_URL are set (installing Debian's
# packages when the binaries are missing), runs the type check, lint and jest, stops the servers, and prints one
# line `N passed, M failed` last. A type check or lint failure counts as one failure each; so does every test file
# that failed outside a test (did not compile, threw on import, failed in a hook). Exits non-zero when anything
# failed or when no test ran.
#
# Environment: KAFKA_BROKERS, REDIS_URL, DATABASE_URL (use these instead of starting the embedded / private ones),
# JEST_WORKERS (default 1, see below), NRK_TEST_TIMEOUT_S (jest's whole-run limit, default 1020).
set -uo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
. scripts/services.sh

RESULTS=.tmp/jest-results.json
SUMMARY=.tmp/test-summary.txt
mkdir -p .tmp
rm -f "$RESULTS" "$SUMMARY"

extra_failed=0
extra_notes=()

finish() {
  local passed="$1" failed="$2" note
  nrk_stop_services
  trap - EXIT
  for note in "${extra_notes[@]}"; do echo "FAILED: $note"; done
  [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && echo "FAILED: no test ran"
  local line="$passed passed, $failed failed"
  echo "$line" >"$SUMMARY"
  # .ci/run prints the line itself, after npm has finished (NRK_SUMMARY_BY_CALLER=1).
  [ "${NRK_SUMMARY_BY_CALLER:-}" = 1 ] || echo "$line"
  if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
  exit 0
}

jest_pid=
jest_group=
watchdog_pid=
# Stops jest (its own process group) and the watchdog; the EXIT trap then stops the servers.
on_signal() {
  [ -n "$jest_pid" ] && kill -TERM -- "$jest_group" 2>/dev/null
  [ -n "$watchdog_pid" ] && kill "$watchdog_pid" 2>/dev/null
  exit "$1"
}

# Servers must not outlive the run, whatever ends it.
trap 'nrk_stop_services' EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

if ! nrk_start_services; then
  extra_notes+=("could not start Redis/Postgres (see [services] lines above)")
  finish 0 1
fi

echo "== type check (tsc --noEmit)"
if ! npx tsc -p tsconfig.json --noEmit; then
  extra_failed=$((extra_failed + 1))
  extra_notes+=("type check (npx tsc -p tsconfig.json --noEmit)")
fi

echo "== lint (eslint)"
if ! npx eslint .; then
  extra_failed=$((extra_failed + 1))
  extra_notes+=("lint (npm run lint)")
fi

echo "== format (prettier --check)"
if ! npx prettier --check . >/dev/null; then
  npx prettier --list-different .
  extra_failed=$((extra_failed + 1))
  extra_notes+=("format (npm run format:check; fix with npm run format)")
fi

# One jest worker by default: e2e files run their own brokers, Nest apps and sometimes child processes; two such
# files side by side on a 2-core CI machine starve each other's heartbeats and session timers, which turns into
# rebalances and timeouts that have nothing to do with the code under test. Serial is slower but deterministic.
workers="${JEST_WORKERS:-1}"
if [ "$workers" = 1 ]; then worker_args=(--runInBand); else worker_args=("--maxWorkers=$workers"); fi

echo "== jest (REDIS_URL=$REDIS_URL DATABASE_URL=$DATABASE_URL KAFKA_BROKERS=${KAFKA_BROKERS:-embedded})"
# jest runs in its own session (setsid: its pid is its process group id) so that the whole tree, workers and
# child processes included, can be stopped at once: on Ctrl-C / SIGTERM (see on_signal) and by the watchdog
# after NRK_TEST_TIMEOUT_S, which keeps one hung test from eating the whole CI budget. --forceExit: a leaked
# handle must not hang the run either (the test that leaks it still shows it when run alone).
limit="${NRK_TEST_TIMEOUT_S:-1020}"
timed_out=.tmp/jest-timed-out
rm -f "$timed_out"
if command -v setsid >/dev/null 2>&1; then
  setsid node_modules/.bin/jest --ci --json --outputFile="$RESULTS" "${worker_args[@]}" --forceExit "$@" &
  jest_pid=$!
  jest_group="-$jest_pid"
else
  # No util-linux (macOS): jest itself is signalled, and stops its workers.
  node_modules/.bin/jest --ci --json --outputFile="$RESULTS" "${worker_args[@]}" --forceExit "$@" &
  jest_pid=$!
  jest_group="$jest_pid"
fi
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$limit" &
  sleeper=$!
  wait "$sleeper"
  echo "jest still running after ${limit}s: stopping it" >&2
  touch "$timed_out"
  kill -TERM -- "$jest_group" 2>/dev/null
  sleep 15 &
  sleeper=$!
  wait "$sleeper"
  kill -KILL -- "$jest_group" 2>/dev/null
) </dev/null &
watchdog_pid=$!
wait "$jest_pid"
jest_code=$?
jest_pid=
kill "$watchdog_pid" 2>/dev/null
wait "$watchdog_pid" 2>/dev/null
watchdog_pid=
if [ -e "$timed_out" ]; then
  extra_notes+=("jest was stopped after ${limit}s (NRK_TEST_TIMEOUT_S)")
fi

counts="$(node scripts/jest-summary.js "$RESULTS" "$jest_code")"
passed="${counts%% *}"
failed="${counts##* }"
finish "$passed" $((failed + extra_failed))
