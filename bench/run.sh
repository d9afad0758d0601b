#!/usr/bin/env bash
# The one benchmark command (see bench/README.md):
#
#   bench/run.sh [--build-dir DIR] [--no-setup] [--reps R] [--rows N] [--stream-rows M]
#                [--only-impl a,b] [--only-workload W1a,W2] [--backend mysql|sqlite|both]
#                [--baseline-bin-dir OLD_BUILD/bench]   (an older build's orm, run interleaved)
#
# Installs the bench packages if missing (bench/setup.sh), builds every bench program
# with -O2 into DIR (default build-bench/), starts a throwaway MariaDB (stopped on exit)
# and a temporary SQLite file, then runs bench/run.py, which prints the tables and writes
# DIR/bench-results.md and DIR/bench-results.json. Exits non-zero only when some
# implementation returned wrong data or crashed (or the setup/build failed).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
setup=1
backend=both
forward=()
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --no-setup) setup=0; shift ;;
    --backend) backend=$2; forward+=("$1" "$2"); shift 2 ;;
    --reps|--rows|--stream-rows|--only-impl|--only-workload|--timeout|--baseline-bin-dir) forward+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)

if [ $setup -eq 1 ]; then
  bash "$root/bench/setup.sh"
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DORM_BUILD_BENCH=ON -DORM_BUILD_TESTS=OFF -DORM_BUILD_SAMPLES=OFF >/dev/null
cmake --build "$build" -j"${BENCH_JOBS:-2}"

work=$(mktemp -d /tmp/orm-bench.XXXXXX)
mysql_args=()
cleanup() {
  if [ -f "$work/mariadb/url" ] || [ -f "$work/mariadb/mariadbd.pid" ]; then
    bash "$root/tests/support/mariadb_server.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
child=
# On Ctrl-C or TERM: stop run.py (it stops the program it runs), then the EXIT trap stops the server.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait; exit 130' INT TERM
if [ "$backend" != sqlite ]; then
  bash "$root/tests/support/mariadb_server.sh" start "$work/mariadb"
  mysql_args=(--mysql-url "$(cat "$work/mariadb/url")")
fi

# In the background with `wait`, so that the traps above run at once on a signal.
/usr/bin/python3 "$root/bench/run.py" "${mysql_args[@]}" --sqlite-path "$work/bench.db" \
  --bin-dir "$build/bench" --json "$build/bench-results.json" --markdown "$build/bench-results.md" \
  "${forward[@]}" &
child=$!
status=0
wait "$child" || status=$?
child=
exit $status
