#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang (ASan + UBSan) in
# build-fuzz/ and runs each of them:
#  1. once over every file of tests/fuzz/regressions/<harness>/ (inputs that
#     once crashed, leaked or hung: they must pass now);
#  2. for FUZZ_SECONDS (default 30) from a copy of tests/fuzz/corpus/<harness>/
#     in a temporary folder (the tree is never written), with the harness's
#     dictionary when it has one.
# Prints one summary line per harness (executions, exec/s, corpus size,
# result) and exits non-zero when any harness crashed, leaked, hung,
# broke an invariant or failed a regression input.
#
#   scripts/fuzz.sh                      all harnesses, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh     longer runs
#   scripts/fuzz.sh json_bodies csv_writer   only these
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_KEEP=1 keeps the work folder
# (grown corpus, crash inputs), JOBS (build parallelism).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-30}
jobs=${JOBS:-$(nproc)}
fuzz=$root/tests/fuzz
all=(json_bodies list_cursor query_string csv_writer invite_token host_payloads host_answers wechat_url json_writer)
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")

# The dictionary and the longest input that makes sense for each harness.
dict_of() {
	case $1 in
	json_bodies | host_payloads | host_answers | list_cursor) echo "$fuzz/dict/json.dict" ;;
	query_string) echo "$fuzz/dict/query.dict" ;;
	*) echo "" ;;
	esac
}
max_len_of() {
	case $1 in
	invite_token) echo 256 ;;
	wechat_url) echo 512 ;;
	list_cursor) echo 2200 ;; # ListCursor::MAX_LENGTH is 2048
	*) echo 4096 ;;
	esac
}

start=$SECONDS
work=$(mktemp -d /tmp/ec-fuzz.XXXXXX)
[ -n "${FUZZ_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
if ! { cmake -S "$fuzz" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build "$build" -j"$jobs"; } >"$work/build.log" 2>&1; then
	grep -E 'error|Error' "$work/build.log" | head -40 >&2 || tail -40 "$work/build.log" >&2
	echo "=== fuzz: the build failed" >&2
	exit 1
fi
for h in "${harnesses[@]}"; do
	[ -x "$build/fuzz_$h" ] || { echo "fuzz: no harness fuzz_$h in $build" >&2; exit 1; }
done
echo "=== fuzz: built in $(( SECONDS - start )) s; ${seconds} s per harness"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
summary=()
for h in "${harnesses[@]}"; do
	bin=$build/fuzz_$h
	log=$work/$h.log
	result=ok
	# 1. Regression inputs, each once.
	regressions=0
	mkdir -p "$work/corpus/$h" "$work/artifacts/$h"
	if [ -d "$fuzz/regressions/$h" ] && [ -n "$(ls -A "$fuzz/regressions/$h")" ]; then
		regressions=$(find "$fuzz/regressions/$h" -type f | wc -l)
		if ! "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/$h/regression-" \
			"$fuzz/regressions/$h"/* >"$work/$h.regressions.log" 2>&1; then
			result="REGRESSION FAILED"
			echo "--- fuzz $h: a regression input fails again:" >&2
			grep -E 'ERROR|FUZZ_CHECK|Running:|terminate|what\(\)' "$work/$h.regressions.log" | tail -20 >&2 || true
		fi
	fi
	# 2. Fuzzing from a copy of the committed corpus.
	cp -r "$fuzz/corpus/$h/." "$work/corpus/$h/"
	dict=$(dict_of "$h")
	status=0
	"$bin" -max_total_time="$seconds" -max_len="$(max_len_of "$h")" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/$h/" ${dict:+-dict="$dict"} \
		"$work/corpus/$h" >"$log" 2>&1 || status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	units=$(find "$work/corpus/$h" -type f | wc -l)
	if [ "$status" != 0 ]; then
		kind=$(ls "$work/artifacts/$h" 2>/dev/null | head -1 | cut -d- -f1)
		result="FAILED (${kind:-exit $status})"
		echo "--- fuzz $h: exit $status; the log ends:" >&2
		grep -E 'ERROR|FUZZ_CHECK|SUMMARY|terminate|what\(\)|#[0-9]+ 0x[0-9a-f]+ in ' "$log" | head -30 >&2 || tail -30 "$log" >&2
		for a in "$work/artifacts/$h"/*; do
			[ -e "$a" ] || continue
			echo "--- fuzz $h: input $(basename "$a") (base64; keep it in tests/fuzz/regressions/$h/ once fixed):" >&2
			base64 -w0 "$a" | head -c 4096 >&2
			echo >&2
		done
	elif [ "$result" = ok ]; then
		result="ok ($regressions regression inputs)"
	fi
	[[ $result == ok* ]] || failed=1
	summary+=("$(printf '%-14s %12s %9s %8s  %s' "$h" "${execs:-?}" "${rate:-?}" "$units" "$result")")
done

echo "=== fuzz summary (${seconds} s per harness, $(( SECONDS - start )) s in all)"
printf '%-14s %12s %9s %8s  %s\n' harness executions exec/s corpus result
printf '%s\n' "${summary[@]}"
[ -z "${FUZZ_KEEP:-}" ] || echo "fuzz: work folder kept: $work"
passed=0
for line in "${summary[@]}"; do [[ $line == *"  ok"* ]] && passed=$((passed + 1)); done
echo "fuzz: $passed passed, $(( ${#summary[@]} - passed )) failed"
exit $failed
