#!/usr/bin/env bash
# Installs what the benchmarks need on top of scripts/setup.sh (Debian bookworm, run as root):
# libsoci-dev (soci_bench) and SQLAlchemy 1.4 with MySQLdb for Debian's
# /usr/bin/python3 (sqlalchemy_bench.py), python3-matplotlib for the charts
# bench/run.py draws; libmariadb-dev (raw_libmariadb) comes
# with scripts/setup.sh. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../scripts/setup.sh" libsoci-dev python3-sqlalchemy python3-sqlalchemy-ext python3-mysqldb python3-matplotlib
