#!/usr/bin/env bash
# `make test`: installs what is missing, builds, starts a throw-away MariaDB
# on loopback, runs every test through CTest (C++ suites and node's test
# runner for HTTP and browser tests), stops MariaDB. Exit status is CTest's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
bash "$root/scripts/deps.sh" test
(cd "$root/tests/e2e" && { [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; })
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} -DBUILD_TESTING=ON \
	${SANITIZE:+-DEC_SANITIZE=$SANITIZE} >/dev/null
cmake --build "$build" -j"$jobs"

tmp=$(mktemp -d /tmp/ec-test.XXXXXX)
port=${MARIADB_PORT:-$(( 33000 + RANDOM % 2000 ))}
cleanup() { bash "$root/scripts/mariadb.sh" stop "$tmp/mariadb" || true; rm -rf "$tmp"; }
trap cleanup EXIT
bash "$root/scripts/mariadb.sh" start "$tmp/mariadb" "$port"
export EC_TEST_MYSQL="host=127.0.0.1;port=$port;user=root;password=;db=mysql;compress=false;auto-reconnect=false;character-set=utf8mb4"
export EC_TEST_TMP="$tmp"
cd "$build"
ctest --output-on-failure -j"${CTEST_JOBS:-2}" ${CTEST_ARGS:-}
