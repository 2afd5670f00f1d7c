#!/usr/bin/env bash
# A throw-away MariaDB for tests: `mariadb.sh start DIR PORT` initializes a
# data dir under DIR, starts mariadbd on 127.0.0.1:PORT and waits until it
# answers; `mariadb.sh stop DIR` stops it. Never touches a system instance.
set -euo pipefail
cmd=$1
dir=$2
case "$cmd" in
start)
	port=$3
	mkdir -p "$dir"
	if [ ! -d "$dir/data/mysql" ]; then
		mariadb-install-db --user=root --datadir="$dir/data" --auth-root-authentication-method=normal \
			--skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
	fi
	mariadbd --user=root --datadir="$dir/data" --socket="$dir/mysql.sock" --port="$port" \
		--bind-address=127.0.0.1 --pid-file="$dir/mariadbd.pid" --skip-log-bin \
		--innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--log-error="$dir/error.log" >/dev/null 2>&1 &
	for _ in $(seq 1 120); do
		if mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
			exit 0
		fi
		sleep 0.5
	done
	echo "MariaDB did not start; see $dir/error.log" >&2
	tail -20 "$dir/error.log" >&2 || true
	exit 1
	;;
stop)
	if [ -f "$dir/mariadbd.pid" ]; then
		pid=$(cat "$dir/mariadbd.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.5; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	;;
*)
	echo "usage: mariadb.sh start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
