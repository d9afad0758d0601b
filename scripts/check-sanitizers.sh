#!/usr/bin/env bash
# The second test command: orm's suite under sanitizers, then its fuzzers.
#   1. ASan + UBSan (gcc): the whole ctest suite (dry, SQLite, MariaDB).
#   2. TSan (gcc): the pool and concurrency tests on SQLite and MariaDB.
#   3. libFuzzer (clang, with ASan + UBSan): each fuzz target for N seconds.
# Usage: scripts/check-sanitizers.sh [seconds per fuzzer, default 60]
# Environment: ORM_CHECK_STAGES ("asan tsan fuzz" by default) picks stages;
# ORM_ASAN_DIR, ORM_TSAN_DIR, ORM_FUZZ_DIR the build directories (default
# build-asan, build-tsan, build-fuzz); ORM_JOBS the build and ctest parallelism (2).
# Installs what it needs (scripts/setup.sh, scripts/setup-sanitizers.sh) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
stages=${ORM_CHECK_STAGES:-asan tsan fuzz}
asan_dir=${ORM_ASAN_DIR:-build-asan}
tsan_dir=${ORM_TSAN_DIR:-build-tsan}
fuzz_dir=${ORM_FUZZ_DIR:-build-fuzz}
jobs=${ORM_JOBS:-2}
# The tests ThreadSanitizer runs: every test that uses threads or the pool.
tsan_tests='pool|thread|killed|deadlock|SQLITE_BUSY|concurrency'

bash scripts/setup.sh
bash scripts/setup-sanitizers.sh

stage_start=$SECONDS
report() { echo "check-sanitizers: $1 passed in $((SECONDS - stage_start)) s"; stage_start=$SECONDS; }

for stage in $stages; do
  case $stage in
    asan)
      cmake -S . -B "$asan_dir" -DORM_SANITIZE=address,undefined -DORM_BUILD_SAMPLES=OFF
      cmake --build "$asan_dir" -j "$jobs"
      ctest --test-dir "$asan_dir" -j "$jobs" --output-on-failure
      report "ASan+UBSan, whole suite" ;;
    tsan)
      cmake -S . -B "$tsan_dir" -DORM_SANITIZE=thread -DORM_BUILD_SAMPLES=OFF
      cmake --build "$tsan_dir" -j "$jobs" --target orm_sqlite_tests orm_mysql_tests
      ctest --test-dir "$tsan_dir" -j "$jobs" --output-on-failure -R "^(sqlite|mysql)\..*($tsan_tests)"
      report "TSan, pool and concurrency tests" ;;
    fuzz)
      cmake -S . -B "$fuzz_dir" -DCMAKE_CXX_COMPILER=clang++ -DORM_BUILD_FUZZERS=ON \
            -DORM_SANITIZE=address,undefined -DORM_BUILD_TESTS=OFF -DORM_BUILD_SAMPLES=OFF -DORM_INSTALL=OFF
      cmake --build "$fuzz_dir" -j "$jobs" --target fuzz_url fuzz_row_decoding
      for fuzzer in fuzz_url fuzz_row_decoding; do
        # New inputs go to a scratch corpus; the committed seeds stay as they are.
        mkdir -p "$fuzz_dir/corpus/$fuzzer" "$fuzz_dir/artifacts"
        "$fuzz_dir/tests/fuzz/$fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
            -artifact_prefix="$fuzz_dir/artifacts/$fuzzer-" "$fuzz_dir/corpus/$fuzzer" "tests/fuzz/corpus/$fuzzer"
      done
      report "libFuzzer, $seconds s per target" ;;
    *) echo "check-sanitizers: unknown stage '$stage' (asan, tsan, fuzz)" >&2; exit 2 ;;
  esac
done
echo "check-sanitizers: all stages passed ($stages)"
