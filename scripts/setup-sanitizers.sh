#!/usr/bin/env bash
# Installs what scripts/check-sanitizers.sh needs on top of scripts/setup.sh:
# clang and its runtime libraries (libFuzzer, and the sanitizer runtimes clang
# links). gcc's ASan/UBSan/TSan runtimes come with g++ (libasan8, libubsan1,
# libtsan2). Run as root on Debian bookworm. Idempotent.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

packages=(clang libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "scripts/setup-sanitizers.sh: everything is already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup-sanitizers.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"
echo "scripts/setup-sanitizers.sh: done"
