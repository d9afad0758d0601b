#!/usr/bin/env bash
# Installs everything orm needs to build, test and run its samples on a fresh
# Debian bookworm machine. Run as root. Idempotent: a second run changes nothing.
#
# The one wrinkle: Boost.PFR needs Boost >= 1.75 (libboost1.81-dev), but the
# Connector/C++ dev package depends on libboost-dev (1.74), and the two Boost
# versions conflict. We build a tiny local package, orm-boost-provides, that
# "Provides: libboost-dev" and depends on libboost1.81-dev, so apt resolves
# Connector/C++'s dependency with Boost 1.81.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Extra Debian packages given as arguments are installed too (bench/setup.sh,
# scripts/setup-sanitizers.sh use this).
packages=(g++ cmake make pkg-config libboost1.81-dev libsqlite3-dev sqlite3
          catch2 mariadb-server mariadb-client libmariadb-dev nlohmann-json3-dev openssl "$@")

missing=()
for p in "${packages[@]}" orm-boost-provides libmysqlcppconn-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "scripts/setup.sh: everything is already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"

if ! dpkg-query -W -f='${Status}' orm-boost-provides 2>/dev/null | grep -q "install ok installed"; then
  work=$(mktemp -d)
  mkdir -p "$work/pkg/DEBIAN"
  cat > "$work/pkg/DEBIAN/control" <<CONTROL
Package: orm-boost-provides
Version: 1.81.0
Architecture: all
Maintainer: orm developers <orm@localhost>
Depends: libboost1.81-dev
Provides: libboost-dev (= 1.81.0)
Conflicts: libboost-dev
Replaces: libboost-dev
Description: lets libmysqlcppconn-dev use Boost 1.81 (for Boost.PFR)
 Satisfies the libboost-dev dependency of libmysqlcppconn-dev with
 libboost1.81-dev, which conflicts with Debian's libboost-dev (1.74).
CONTROL
  dpkg-deb --build "$work/pkg" "$work/orm-boost-provides.deb" >/dev/null
  dpkg -i "$work/orm-boost-provides.deb"
  rm -rf "$work"
fi

apt-get install -y -qq --no-install-recommends libmysqlcppconn-dev
echo "scripts/setup.sh: done"
