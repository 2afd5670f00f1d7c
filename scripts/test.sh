#!/usr/bin/env bash
# `make test`: installs what is missing, starts a throw-away MariaDB on
# loopback, then runs three variants (the fuzz one needs no database):
#  1. normal: builds in build/ and runs every test through CTest (C++ suites
#     and node's test runner for HTTP and browser tests);
#  2. sanitized: when (1) passed, builds again in build-sanitize/ with
#     -DEC_SANITIZE=address,undefined and runs the C++ suites (host_unit,
#     plugin_unit, host_integration, plugin_integration) under ASan + UBSan.
#  3. fuzz: when (1) and (2) passed, scripts/fuzz.sh builds the libFuzzer
#     harnesses of tests/fuzz/ with clang in build-fuzz/, runs every kept
#     regression input and fuzzes each harness for FUZZ_SECONDS (40 here:
#     about 6-7 minutes with the build on 2 cores) from a copy of the
#     committed corpus. FUZZ=0 skips this variant.
# `make test SANITIZE=address,undefined` (SANITIZE set) runs only one variant:
# a sanitized build in build-sanitize/ with the C++ suites.
# Stops MariaDB. Exit status is non-zero when any variant fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc)}
cxx_suites='^(host_unit|plugin_unit|host_integration|plugin_integration)$'
bash "$root/scripts/deps.sh" test

tmp=$(mktemp -d /tmp/ec-test.XXXXXX)
port=${MARIADB_PORT:-$(( 33000 + RANDOM % 2000 ))}
cleanup() { bash "$root/scripts/mariadb.sh" stop "$tmp/mariadb" || true; rm -rf "$tmp"; }
trap cleanup EXIT
bash "$root/scripts/mariadb.sh" start "$tmp/mariadb" "$port"
export EC_TEST_MYSQL="host=127.0.0.1;port=$port;user=root;password=;db=mysql;compress=false;auto-reconnect=false;character-set=utf8mb4"
export EC_TEST_TMP="$tmp"

# run_variant NAME BUILD_DIR BUILD_TYPE SANITIZERS [ctest args...]
run_variant() {
	local name=$1 dir=$2 type=$3 san=$4 start status=0
	shift 4
	start=$SECONDS
	echo "=== make test [$name]: build in $dir (${type}${san:+, EC_SANITIZE=$san})"
	cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DBUILD_TESTING=ON -DEC_SANITIZE="$san" >/dev/null
	cmake --build "$dir" -j"$jobs"
	echo "=== make test [$name]: built in $(( SECONDS - start )) s; running ctest $*"
	(cd "$dir" && ctest --output-on-failure -j"${CTEST_JOBS:-2}" "$@") || status=$?
	if [ "$status" = 0 ]; then
		echo "=== make test [$name]: PASSED ($(( SECONDS - start )) s)"
	else
		echo "=== make test [$name]: FAILED ($(( SECONDS - start )) s)"
	fi
	return "$status"
}

# Sanitizer runtime options: leaks, UB and ASan errors all fail the test.
# Leaks inside the uninstrumented system libraries (POCO, libmariadb,
# libsqlite3) are suppressed by tests/sanitizers/lsan.supp, never ours.
sanitized() {
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
	run_variant "$1" "${SANITIZE_BUILD_DIR:-$root/build-sanitize}" "${SANITIZE_BUILD_TYPE:-RelWithDebInfo}" "$2" \
		-R "$cxx_suites" ${CTEST_ARGS:-}
}

if [ -n "${SANITIZE:-}" ]; then
	sanitized "sanitize=$SANITIZE" "$SANITIZE"
	exit
fi

(cd "$root/tests/e2e" && { [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; })
run_variant normal "${BUILD_DIR:-$root/build}" "${BUILD_TYPE:-Release}" "" ${CTEST_ARGS:-}
sanitized "sanitize=address,undefined" address,undefined

# The fuzz variant: its own clang build; needs no database.
fuzzed() {
	local start=$SECONDS status=0
	echo "=== make test [fuzz]: scripts/fuzz.sh in build-fuzz (${FUZZ_SECONDS:-40} s per harness)"
	FUZZ_SECONDS=${FUZZ_SECONDS:-40} bash "$root/scripts/fuzz.sh" || status=$?
	if [ "$status" = 0 ]; then
		echo "=== make test [fuzz]: PASSED ($(( SECONDS - start )) s)"
	else
		echo "=== make test [fuzz]: FAILED ($(( SECONDS - start )) s)"
	fi
	return "$status"
}
if [ "${FUZZ:-1}" != 0 ]; then
	fuzzed
fi
