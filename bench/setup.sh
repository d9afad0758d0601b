#!/usr/bin/env bash
# Installs what the benchmarks need on top of scripts/setup.sh (Debian bookworm, run as root):
# libmariadb-dev (raw_libmariadb), libsoci-dev (soci_bench) and SQLAlchemy 1.4 with MySQLdb
# for Debian's /usr/bin/python3 (sqlalchemy_bench.py). Idempotent.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
here=$(cd "$(dirname "$0")" && pwd)

bash "$here/../scripts/setup.sh"

packages=(libmariadb-dev libsoci-dev python3-sqlalchemy python3-sqlalchemy-ext python3-mysqldb)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "bench/setup.sh: everything is already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bench/setup.sh: done"
