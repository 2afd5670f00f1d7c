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
#   4. runs ec_bench_contacts on all four, writes build-bench/results/,
#   5. stops MariaDB and removes its temp dir.
# Environment: BENCH_RUNS (200), BENCH_WARMUP (20), BENCH_BUDGET (seconds a
# case may take, 30), BENCH_DEEP_PAGES (1000), BENCH_CONTACTS (1000000),
# BENCH_MEMBERS (10000), BENCH_ONLY (sqlite|mysql: one backend),
# BENCH_QR_SECONDS (3: seconds each QR case renders),
# BENCH_BUFFER_POOL (MariaDB innodb_buffer_pool_size in bytes, 2 GiB: the 1M set with its
# search index is ~1.5 GiB; keep it <= 2 GiB).
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

bash "$root/scripts/deps.sh" test
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DEC_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target ec_bench_qr ec_bench_generate ec_bench_contacts
generate=$build/bin/ec_bench_generate
measure=$build/bin/ec_bench_contacts
mkdir -p "$data" "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$results/$stamp.tsv
log=$results/$stamp.log

# Data sets: name, contacts, members.
sets=("large $contacts $members" "small 10000 100")

sqlite_file() { echo "$data/contacts-$2-$3.sqlite"; }

run_sqlite() {
	local name=$1 n=$2 m=$3 file
	file=$(sqlite_file "$name" "$n" "$m")
	if [ ! -f "$file" ]; then
		echo "== generating SQLite $file ($n contacts, $m members)" | tee -a "$log"
		rm -f "$file.tmp" "$file.tmp-wal" "$file.tmp-shm"
		local t0=$SECONDS
		"$generate" --connector sqlite --db "$file.tmp" --contacts "$n" --members "$m" | tee -a "$log"
		mv "$file.tmp" "$file"
		echo "   SQLite generation: $((SECONDS - t0)) s" | tee -a "$log"
	else
		echo "== using cached $file" | tee -a "$log"
	fi
	"$measure" --connector sqlite --db "$file" --label "sqlite $n" --tsv "$tsv" "${bench_args[@]}" | tee -a "$log"
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
	"$generate" --connector mysql --db "$cs" --contacts "$n" --members "$m" | tee -a "$log"
	echo "   MariaDB generation: $((SECONDS - t0)) s" | tee -a "$log"
	"$measure" --connector mysql --db "$cs" --label "mariadb $n" --tsv "$tsv" "${bench_args[@]}" | tee -a "$log"
}

{
	echo "# $(date -u) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
		"$(free -g | awk '/^Mem:/ {print $2}') GiB RAM, Debian $(cat /etc/debian_version)"
	echo "# SQLite $(sqlite3 --version | cut -d' ' -f1), $(mariadbd --version | sed 's/.*Ver //')"
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
	tmp=$(mktemp -d /tmp/ec-bench.XXXXXX)
	port=$((33000 + RANDOM % 2000))
	bash "$root/scripts/mariadb.sh" start "$tmp/mariadb" "$port"
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
echo "results: $log and $tsv"
