#!/usr/bin/env bash
# The HTTP benchmark of docs/PERFORMANCE.md, on one generated data set; called
# by bench/run.sh (make bench) once per database and size:
#   bench/http_bench.sh CONNECTOR CONNECTION_STRING LABEL TSV LOG
# The database must hold what ec_bench_generate wrote and nothing else of the
# host (a fresh copy of the SQLite file, a fresh MariaDB database): it
#   1. prepares it for the reference host (ec_bench_http_prep: host migrations,
#      org 1, a host user for every member, two logins, pending applications),
#   2. measures the raw SQL floor of the read pages (ec_bench_sql_floor),
#   3. starts the constant-response floor (ec_bench_const_server, the host's
#      HTTP server settings) and the reference host with the plugin on the
#      data (as `make run` does, on a random loopback port),
#   4. logs in the heavy member (bench.heavy) and the maintain-holder
#      (bench.maintain), follows cursors for the deep pages (not timed),
#      makes the heavy member's invitation link for the join case,
#   5. runs every case with wrk twice: one connection (-t1 -c1: latency)
#      and four (-t1 -c4: throughput), each BENCH_HTTP_SECONDS (5) long,
#      after a check that the request answers 2xx (reads and join) and
#      (reads only) one second of warm-up with wrk that is not recorded,
#   6. stops both servers (also on failure).
# TSV columns: label, case, connections, requests/s, p50 ms, p90 ms, p99 ms,
# max ms, requests, socket errors, non-2xx answers, load average (1 min) after,
# the non-2xx answers by status (writes only: "500x63,409x1"; "-" for none),
# the cores busy in the second before the run (quiet(): it waits up to 30 s
# for less than one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
connector=$1 cs=$2 label=$3 tsv=$4 log=$5
seconds=${BENCH_HTTP_SECONDS:-5}
deep_pages=${BENCH_DEEP_PAGES:-1000}
password='Bench-Password-2026!'
lua=$root/bench/http/bench.lua

work=$(mktemp -d /tmp/ec-bench-http.XXXXXX)
host_pid="" const_pid=""
stop_servers() {
	for pid in $host_pid $const_pid; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $host_pid $const_pid; do
		wait "$pid" 2>/dev/null || true
	done
	host_pid="" const_pid=""
	rm -rf "$work"
}
trap stop_servers EXIT

say() { echo "$*" | tee -a "$log"; }

say "== HTTP, $label: preparing the data for the host"
"$build/bin/ec_bench_http_prep" --connector "$connector" --db "$cs" --password "$password" --out-dir "$work" \
	| tee "$work/prep" | tee -a "$log"
# shellcheck disable=SC1090
. "$work/prep" # heavy, heavy_contacts, maintainer, members, live, apps, cards, edits

"$build/bin/ec_bench_sql_floor" --connector "$connector" --db "$cs" --label "$label" --heavy "$heavy" \
	--cards "$work/card-ids" --edits "$work/edit-ids" --deep-pages "$deep_pages" --tsv "$work/sql.tsv" | tee -a "$log"
awk -F'\t' -v OFS='\t' '{print $1, $2, "in-process", "", $4, "", $5, $7, $3, "", "", "", ""}' "$work/sql.tsv" >>"$tsv"

# The constant-response floor.
"$build/bin/ec_bench_const_server" >"$work/const.out" 2>&1 &
const_pid=$!
for _ in $(seq 50); do grep -q '^port=' "$work/const.out" 2>/dev/null && break; sleep 0.1; done
const_port=$(sed -n 's/^port=//p' "$work/const.out")

# The reference host with the plugin on the data.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		ss -ltn "sport = :$p" | grep -q LISTEN || { echo "$p"; return; }
	done
}
port=$(free_port)
db_set=(--set=db.connector="$connector" --set=db.connectionString="$cs")
# The create case makes thousands of contacts with a mobile and an email as one
# member: the per-member duplicate-check limit (issue 14) would answer 429; the
# join case sends thousands of landing forms from one address (127.0.0.1): so
# would the per-address limit of invitation submissions (10 per 10 minutes).
"$build/bin/reference-host" --config="$root/resources/config/reference-host.properties" \
	--set=http.port="$port" --set=data.dir="$work" --set=paths.root="$root" \
	--set=plugin.external-contacts.duplicateChecksPerMemberPer10Minutes=1000000 \
	--set=plugin.external-contacts.inviteSubmissionsPerAddressPer10Minutes=1000000 \
	--set=plugins.dir="$build/plugins" "${db_set[@]}" >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 300); do grep -q 'listening on' "$work/host.log" && break; sleep 0.1; done
grep -q 'listening on' "$work/host.log" || { cat "$work/host.log" >&2; echo "the host did not start" >&2; exit 1; }
base=http://127.0.0.1:$port
api=/api/plugins/external-contacts

login() { # login -> "cookie csrf"
	local jar=$work/jar.$1 body
	body=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$password\"}" "$base/api/session")
	echo "rh_session=$(awk '$6 == "rh_session" {print $7}' "$jar") $(jq -r .csrfToken <<<"$body")"
}
read -r heavy_cookie heavy_csrf < <(login bench.heavy)
read -r maint_cookie maint_csrf < <(login bench.maintain)

# Paths the wrk script cycles over (one line each).
q_common=$(jq -rn --arg q '科技' '$q|@uri')
echo "$api/contacts?scope=mine" >"$work/mine-first"
echo "$api/contacts?scope=all" >"$work/all-first"
echo "$api/contacts?scope=all&limit=1" >"$work/all-first-1"
echo "$api/contacts?scope=all&limit=100" >"$work/all-first-100"
echo "$api/contacts?scope=all&q=$q_common" >"$work/search-all"
echo "$api/groups?scope=all" >"$work/groups-all"
echo "$api/groups?scope=mine" >"$work/groups-mine"
echo "$api/contacts?scope=mine&q=$q_common" >"$work/search-mine"
node "$root/bench/http/follow.mjs" "$base" "$api/contacts?scope=all" "$maint_cookie" "$deep_pages" \
	>"$work/all-deep" 2>"$work/all-deep.n"
node "$root/bench/http/follow.mjs" "$base" "$api/contacts?scope=mine" "$heavy_cookie" "$deep_pages" \
	>"$work/mine-deep" 2>"$work/mine-deep.n"
sed "s|^|$api/contacts/|" "$work/card-ids" >"$work/cards"
sed "s|^\(.*\)$|$api/applications/\1/approve|" "$work/app-ids" >"$work/approve"
sed "s|^|$api/contacts/|" "$work/edit-ids" >"$work/edit"
echo "$api/contacts" >"$work/create"
echo "/" >"$work/const"
echo "/healthz" >"$work/healthz"
echo "/api/me" >"$work/me"
echo "/api/session" >"$work/session"
# The join case's link: the heavy member's, made by the plugin's route (so
# its token is hashed as the service hashes it), 30 days, no use limit (a
# link may be used any number of times; countUse only counts): every form of
# the run joins through it, as through a link posted in a group chat.
link=$(curl -sf -H "Cookie: $heavy_cookie" -H "X-CSRF-Token: $heavy_csrf" -H 'Content-Type: application/json' \
	-d '{"ttlHours":720,"maxUses":null}' "$base$api/invitations" | jq -r .token)
echo "/invite/$link" >"$work/join"
say "   deep pages: all $(cat "$work/all-deep.n"), mine $(cat "$work/mine-deep.n"); heavy member $heavy" \
	"($heavy_contacts contacts), maintain-holder $maintainer; $apps pending applications; $live live contacts"

# The machine's load of the moment: cores busy over one second (/proc/stat).
# The 1-minute load average stays above 1 for a minute after every
# four-connection run; this is what "quiet" means before a case.
busy_cores() {
	local u1 n1 s1 i1 w1 q1 sq1 st1 u2 n2 s2 i2 w2 q2 sq2 st2
	read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ </proc/stat
	sleep 1
	read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ </proc/stat
	local busy=$(((u2 + n2 + s2 + q2 + sq2 + st2) - (u1 + n1 + s1 + q1 + sq1 + st1)))
	local idle=$(((i2 + w2) - (i1 + w1)))
	awk -v b="$busy" -v i="$idle" -v n="$(nproc)" 'BEGIN { printf "%.2f", (b + i) ? b / (b + i) * n : 0 }'
}
# Waits (up to 30 s) until less than one core is busy; prints that load.
quiet() {
	local load tries=0
	while :; do
		load=$(busy_cores)
		awk -v l="$load" 'BEGIN { exit !(l < 1) }' && break
		tries=$((tries + 1))
		[ "$tries" -ge 30 ] && break
	done
	echo "$load"
}

# case NAME TARGET(host|const) WHO(heavy|maint|none) PATHS_FILE [METHOD BODY]
half=$((apps / 2))
salt=0
run_case() {
	local name=$1 target=$2 who=$3 paths=$4 method=${5:-GET} body=${6:-}
	local url=$base cookie="" csrf=""
	[ "$target" = const ] && url=http://127.0.0.1:$const_port
	case $who in
	heavy) cookie=$heavy_cookie csrf=$heavy_csrf ;;
	maint) cookie=$maint_cookie csrf=$maint_csrf ;;
	esac
	# The request must answer 2xx before it is timed (reads and join: another
	# write would use up an application id or an edit's version; a join leaves
	# one contact more, its mobile apart from the runs' with salt 00).
	if [ "$body" = join ]; then
		local status
		status=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $url" \
			--data-urlencode 'name=压测 Join check' --data-urlencode 'mobile=+86 1100' \
			--data-urlencode 'company=杭州星辰科技有限公司' --data-urlencode 'title=经理' "$url$(head -1 "$work/$paths")")
		case $status in 2*) ;; *) say "   $name: $status, not measured"; return ;; esac
	fi
	if [ "$method" = GET ]; then
		local status
		status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url$(head -1 "$work/$paths")")
		case $status in 2*) ;; *) say "   $name: $status, not measured"; return ;; esac
		# One second of warm-up (caches, pool sessions, the plugin's first calls), not recorded.
		BENCH_PATHS=$work/$paths BENCH_COOKIE=$cookie BENCH_THREADS=1 \
			wrk -t1 -c4 -d1s -s "$lua" "$url/" >/dev/null 2>&1 || true
	fi
	local conns first=0 count=0
	for conns in 1 4; do
		# create: every wrk run of this data set its own salt in the mobile numbers and emails
		# (a counter: two runs drawing the same random salt made 842 requests of a run 409s).
		salt=$((salt + 1))
		# approve, edit: the one-connection run takes the first half of the ids, the other the second
		# (edit: each half on its own, passed over again with the next version).
		case $paths@$conns in
		approve@4) first=$half ;;
		edit@1) count=$((edits / 2)) ;;
		edit@4) first=$((edits / 2)) count=$((edits - edits / 2)) ;;
		esac
		local out before
		before=$(quiet)
		out=$(BENCH_METHOD=$method BENCH_PATHS=$work/$paths BENCH_FIRST=$first BENCH_COUNT=$count BENCH_COOKIE=$cookie \
			BENCH_CSRF=$csrf BENCH_BODY=$body BENCH_SALT=$(printf '%02d' "$salt") BENCH_ORIGIN=$url BENCH_THREADS=1 \
			wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$lua" "$url/" 2>&1) || true
		local line load
		line=$(grep '^WRKRESULT' <<<"$out" || true)
		load=$(cut -d' ' -f1 /proc/loadavg)
		if [ -z "$line" ]; then
			say "   $name c$conns: wrk failed"
			echo "$out" >>"$log"
			continue
		fi
		# shellcheck disable=SC2086
		local $(sed 's/^WRKRESULT //' <<<"$line")
		printf '%-40s c%-2s %9.1f req/s  p50 %8.3f  p90 %8.3f  p99 %8.3f  max %8.3f ms  n=%-7s err=%s non2xx=%s (%s) busy before=%s load=%s\n' \
			"$name" "$conns" "$rps" "$p50_ms" "$p90_ms" "$p99_ms" "$max_ms" "$requests" "$errors" "$non2xx" "$statuses" \
			"$before" "$load" | tee -a "$log"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$conns" "$rps" "$p50_ms" \
			"$p90_ms" "$p99_ms" "$max_ms" "$requests" "$errors" "$non2xx" "$load" "$statuses" "$before" >>"$tsv"
	done
}

say "   wrk -t1 -c1 and -t1 -c4, ${seconds}s each, on loopback"
run_case "floor: constant response (bench server)" const none const
run_case "host: GET /healthz (DB ping)" host none healthz
run_case "host: GET /api/session (session check)" host heavy session
run_case "host: GET /api/me (session)" host heavy me
run_case "list mine first page, heavy member" host heavy mine-first
run_case "list all first page" host maint all-first
run_case "groups mine, heavy member" host heavy groups-mine
run_case "groups all" host maint groups-all
# The per-row cases: (limit=100 − limit=1) ÷ 99, less the SQL's own per-row cost.
run_case "list all first page, limit=1" host maint all-first-1
run_case "list all first page, limit=100" host maint all-first-100
run_case "list mine deep page, heavy member" host heavy mine-deep
run_case "list all deep page" host maint all-deep
run_case "search mine, heavy member, q=科技" host heavy search-mine
run_case "search all, q=科技" host maint search-all
run_case "card GET /contacts/{id}" host heavy cards
run_case "create POST /contacts" host heavy create POST create
# The invitation landing form an invited person submits: no session, the site's Origin.
run_case "join POST /invite/{token}" host none join POST join
run_case "edit PATCH /contacts/{id}" host maint edit PATCH edit
run_case "approve POST /applications/{id}/approve" host maint approve POST empty
# The host's log is kept next to the run's log.
cp "$work/host.log" "${log%.log}-host-${label// /-}.log"
if grep -q '\[Error\]\|\[Critical\]\|\[Fatal\]' "$work/host.log"; then
	say "   the host logged errors:"
	grep '\[Error\]\|\[Critical\]\|\[Fatal\]' "$work/host.log" | sort | uniq -c | sort -rn | head -5 | tee -a "$log"
fi
