#!/usr/bin/env bash
# Compile cost of one translation unit that maps 30 tables of 16 columns with a
# session unit of work and a filtered query per table (thirty_tables.cpp):
# wall time and peak compiler memory for g++ and clang++, -O2 -std=c++20, each
# compiled REPS times (default 3; docs claims use 7); prints the median of each.
# Then links the g++ object against BUILD_DIR's orm and runs it on SQLite.
#   bash bench/compile_cost/measure.sh [BUILD_DIR] [REPS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
reps=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for cxx in g++ clang++; do
  : > "$work/times"; : > "$work/mem"
  for ((r = 0; r < reps; r++)); do
    /usr/bin/time -f "%e %M" -o "$work/one" "$cxx" -std=c++20 -O2 -I"$root/include" -c "$here/thirty_tables.cpp" -o "$work/$cxx.o"
    read -r secs kib < "$work/one"
    echo "$secs" >> "$work/times"; echo "$kib" >> "$work/mem"
  done
  t=$(median < "$work/times"); m=$(median < "$work/mem")
  printf '%-8s wall %6.1f s (median of %d: %s)   peak memory %5d MiB\n' "$cxx" "$t" "$reps" "$(tr '\n' ' ' < "$work/times")" "$((${m%.*} / 1024))"
done

# The program must also link and do its work (30 rows found).
if [ -f "$build/liborm.a" ]; then
  g++ "$work/g++.o" -o "$work/thirty_tables" -L"$build" -lorm -lorm_sqlite -lorm_mysql -lorm_mariadb -lorm_core \
      -lsqlite3 -lmysqlcppconn -lmariadb -lpthread
  (cd "$work" && ./thirty_tables "sqlite:///$work/cc.db") && echo "thirty_tables: ran, 30 rows found"
else
  echo "measure.sh: $build/liborm.a not found; build orm first to link and run the program" >&2
fi
