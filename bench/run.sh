#!/usr/bin/env bash
# `make bench`: the QR and contact-list benchmarks of docs/PERFORMANCE.md.
#   1. installs what `make test` installs (scripts/deps.sh test),
#   2. builds the benchmarks (-DEC_BUILD_BENCH=ON) into build-bench/,
#      and runs ec_bench_qr first (QR renders against their floor, ~10 s),
#   3. generates the data sets: 1,000,000 contacts / 10,000 members and
#      10,000 contacts / 100 members, as SQLite files cached under
#      build-bench/data/ (kept between runs; delete them to regenerate)
#      and as databases of a throw-away MariaDB (scripts/mariadb.sh, on a
#      random loopback port, data dir under a temp dir, always regenerated),
#   4. runs ec_bench_contacts on all four (the store / service level),
#   5. runs the HTTP benchmark on all four (bench/http_bench.sh: wrk against a
#      reference host with the plugin, each case next to its floors: the raw
#      SQL of the same page, the host's cheapest routes, a constant-response
#      POCO server); SQLite on a throw-away copy of the cached file,
#   6. writes build-bench/results/ (log, TSV of the store cases, TSV of the
#      HTTP cases, a markdown table of both), stops MariaDB, removes its temp
#      dir (also on failure).
# wrk comes from Debian (apt-get install wrk, only when missing).
# Builds and data generation run under `nice -n 10`; the measurements do not.
# Environment: BENCH_RUNS (200), BENCH_WARMUP (20), BENCH_BUDGET (seconds a
# case may take, 30), BENCH_DEEP_PAGES (1000), BENCH_CONTACTS (1000000),
# BENCH_MEMBERS (10000), BENCH_ONLY (sqlite|mysql: one backend),
# BENCH_QR_SECONDS (3: seconds each QR case renders),
# BENCH_BUFFER_POOL (MariaDB innodb_buffer_pool_size in bytes, 2 GiB: the 1M set with its
# search index is ~1.5 GiB; keep it <= 2 GiB),
# BENCH_STORE (1; 0 skips ec_bench_contacts), BENCH_HTTP (1; 0 skips the HTTP benchmark),
# BENCH_HTTP_SECONDS (5: seconds of each wrk run), BENCH_SETS (large,small: which sets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
data=${BENCH_DATA_DIR:-$build/data}
results=$build/results
contacts=${BENCH_CONTACTS:-1000000}
members=${BENCH_MEMBERS:-10000}
only=${BENCH_ONLY:-}
bench_args=(--runs "${BENCH_RUNS:-200}" --warmup "${BENCH_WARMUP:-20}" --budget "${BENCH_BUDGET:-30}"
	--deep-pages "${BENCH_DEEP_PAGES:-1000}")

store=${BENCH_STORE:-1}
http=${BENCH_HTTP:-1}
want_sets=${BENCH_SETS:-large,small}

bash "$root/scripts/deps.sh" test
if [ "$http" = 1 ] && ! command -v wrk >/dev/null; then
	apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
nice -n 10 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DEC_BUILD_BENCH=ON >/dev/null
nice -n 10 cmake --build "$build" -j"$(nproc)" --target ec_bench_qr ec_bench_generate ec_bench_contacts \
	ec_bench_http_prep ec_bench_sql_floor ec_bench_const_server reference-host external_contacts
generate=$build/bin/ec_bench_generate
measure=$build/bin/ec_bench_contacts
mkdir -p "$data" "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$results/$stamp.tsv
http_tsv=$results/$stamp-http.tsv
log=$results/$stamp.log

# Data sets: name, contacts, members.
sets=()
case ",$want_sets," in *,large,*) sets+=("large $contacts $members") ;; esac
case ",$want_sets," in *,small,*) sets+=("small 10000 100") ;; esac

sqlite_file() { echo "$data/contacts-$2-$3.sqlite"; }

run_sqlite() {
	local name=$1 n=$2 m=$3 file
	file=$(sqlite_file "$name" "$n" "$m")
	if [ ! -f "$file" ]; then
		echo "== generating SQLite $file ($n contacts, $m members)" | tee -a "$log"
		rm -f "$file.tmp" "$file.tmp-wal" "$file.tmp-shm"
		local t0=$SECONDS
		nice -n 10 "$generate" --connector sqlite --db "$file.tmp" --contacts "$n" --members "$m" | tee -a "$log"
		mv "$file.tmp" "$file"
		echo "   SQLite generation: $((SECONDS - t0)) s" | tee -a "$log"
	else
		echo "== using cached $file" | tee -a "$log"
	fi
	if [ "$store" = 1 ]; then
		"$measure" --connector sqlite --db "$file" --label "sqlite $n" --tsv "$tsv" "${bench_args[@]}" | tee -a "$log"
	fi
	if [ "$http" = 1 ]; then
		# The host writes (sessions, created contacts, approvals): a throw-away copy.
		local copy=$data/http-copy.sqlite
		rm -f "$copy" "$copy-wal" "$copy-shm"
		cp "$file" "$copy"
		bash "$root/bench/http_bench.sh" sqlite "$copy" "sqlite $n" "$http_tsv" "$log"
		rm -f "$copy" "$copy-wal" "$copy-shm"
	fi
}

tmp=""
cleanup() {
	if [ -n "$tmp" ]; then
		bash "$root/scripts/mariadb.sh" stop "$tmp/mariadb" || true
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

run_mysql() {
	local name=$1 n=$2 m=$3 db
	db=ec_bench_$name
	mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot \
		-e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	local cs="host=127.0.0.1;port=$port;user=root;password=;db=$db;compress=false;auto-reconnect=false;character-set=utf8mb4"
	echo "== generating MariaDB $db ($n contacts, $m members)" | tee -a "$log"
	local t0=$SECONDS
	nice -n 10 "$generate" --connector mysql --db "$cs" --contacts "$n" --members "$m" | tee -a "$log"
	echo "   MariaDB generation: $((SECONDS - t0)) s" | tee -a "$log"
	if [ "$store" = 1 ]; then
		"$measure" --connector mysql --db "$cs" --label "mariadb $n" --tsv "$tsv" "${bench_args[@]}" | tee -a "$log"
	fi
	if [ "$http" = 1 ]; then
		bash "$root/bench/http_bench.sh" mysql "$cs" "mariadb $n" "$http_tsv" "$log"
	fi
}

{
	echo "# $(date -u) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
		"$(free -g | awk '/^Mem:/ {print $2}') GiB RAM, Debian $(cat /etc/debian_version)"
	echo "# SQLite $(sqlite3 --version | cut -d' ' -f1), $(mariadbd --version | sed 's/.*Ver //'), $(wrk -v 2>&1 | head -1 || true)"
	echo "# tree: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')," \
		"$(git -C "$root" status --short 2>/dev/null | grep -vc '^??' || true) modified tracked file(s) built as they are"
	echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"

echo "== QR codes (ec_bench_qr)" | tee -a "$log"
"$build/bin/ec_bench_qr" --seconds "${BENCH_QR_SECONDS:-3}" | tee -a "$log"

if [ "$only" != mysql ]; then
	for s in "${sets[@]}"; do
		# shellcheck disable=SC2086
		run_sqlite $s
	done
fi
if [ "$only" != sqlite ]; then
	# Under build-bench/, not /tmp, and with its own tmpdir (mariadbd takes
	# TMPDIR): a run once failed in migration 004 when a temp table file of
	# the server vanished from the shared /tmp.
	tmp=$(mktemp -d "$build/mariadb.XXXXXX")
	mkdir -p "$tmp/tmpdir"
	port=$((33000 + RANDOM % 2000))
	TMPDIR="$tmp/tmpdir" bash "$root/scripts/mariadb.sh" start "$tmp/mariadb" "$port"
	echo "# MariaDB tmpdir: $(mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot -N -e 'SELECT @@tmpdir')" | tee -a "$log"
	# scripts/mariadb.sh starts with the tests' 256M pool; the 1M-contact set
	# (~0.5 GiB of contacts and indexes, ~1 GiB of search tokens) gets room to
	# stay in memory, as a production server would give it. InnoDB resizes
	# the pool online.
	mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot \
		-e "SET GLOBAL innodb_buffer_pool_size = ${BENCH_BUFFER_POOL:-2147483648}"
	for s in "${sets[@]}"; do
		# shellcheck disable=SC2086
		run_mysql $s
	done
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
if [ -f "$http_tsv" ]; then
	python3 "$root/bench/http/report.py" "$http_tsv" "$tsv" >"$results/$stamp-http.md"
	tee -a "$log" <"$results/$stamp-http.md"
fi
echo "results: $log, $tsv, $http_tsv"
