#!/usr/bin/env bash
# `make run`: installs what is missing, builds (Release), starts the
# reference host with the plugin on SQLite under ./var/, seeding demo data
# on first start, and prints the URL and the demo logins.
#
#   run.sh --configure-only DIR   only configure DIR exactly as `make run` does
#                                 (tests/install/run_deps_check.sh uses it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
port=${PORT:-8080}
configure_only=0
if [ "${1:-}" = --configure-only ]; then
	configure_only=1
	build=${2:?run.sh --configure-only DIR}
fi
bash "$root/scripts/deps.sh" run
# Only what runs: no test tree (CppUnit, node are test-only packages), no benchmarks.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DEC_BUILD_BENCH=OFF >/dev/null
[ "$configure_only" = 1 ] && exit 0
cmake --build "$build" -j"$(nproc)" --target reference-host external_contacts
mkdir -p "$root/var"
exec "$build/bin/reference-host" --config="$root/resources/config/reference-host.properties" \
	--set=http.port="$port" --set=data.dir="$root/var" --set=paths.root="$root" \
	--set=plugins.dir="$build/plugins" --seed-demo --set=plugin.external-contacts.demoContacts=true
