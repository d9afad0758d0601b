#!/usr/bin/env bash
# Installs what scripts/check-sanitizers.sh needs on top of scripts/setup.sh:
# clang and its runtime libraries (libFuzzer, and the sanitizer runtimes clang
# links). gcc's ASan/UBSan/TSan runtimes come with g++ (libasan8, libubsan1,
# libtsan2). Run as root on Debian bookworm. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/setup.sh" clang libclang-rt-14-dev
