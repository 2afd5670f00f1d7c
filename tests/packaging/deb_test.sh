#!/bin/bash
# deb_test.sh <build-dir> <source-dir>
#
# Proves that the .deb made by `cpack -G DEB` from a built tree installs and runs:
#   1. builds the package with cpack into a temp dir (never the source tree);
#   2. its files: everything a running host needs, nothing test-only, all root-owned;
#   3. its control data: Depends from shlibdeps (+ adduser, no -dev), maintainer
#      scripts (sh -n), then dpkg -i / upgrade / -r / -P into a scratch root with
#      stubbed adduser, chown, systemctl... (never this machine's users or /etc);
#   4. lintian: no E: tag;
#   5. systemd-analyze verify of the unit, when systemd-analyze can run here;
#   6. the extracted package's binary, with the packaged configuration (paths
#      redirected into the temp dir by --set), serves /healthz, a login, the
#      plugin's API and its public landing page.
# Uses $EC_TEST_TMP when set (a fresh subdirectory of it), else mktemp -d; removes it.
set -uo pipefail

BUILD=${1:?usage: deb_test.sh <build-dir> <source-dir>}
SRC=${2:?usage: deb_test.sh <build-dir> <source-dir>}
PKG=reference-host-external-contacts
NAME=reference-host

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
step() { echo "--- $*"; }

for tool in cpack dpkg dpkg-deb curl; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done
command -v lintian >/dev/null || fail "lintian is not installed (bash scripts/deps.sh test installs it)"
[ -f "$BUILD/CPackConfig.cmake" ] || fail "$BUILD/CPackConfig.cmake missing: configure the build first"

if [ -n "${EC_TEST_TMP:-}" ]; then
	mkdir -p "$EC_TEST_TMP"
	T=$(mktemp -d "$EC_TEST_TMP/deb.XXXXXX")
else
	T=$(mktemp -d)
fi
[ -n "$T" ] && [ -d "$T" ] || fail "cannot create a temp dir"
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$SERVER_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# --- 1. build the package ----------------------------------------------------
step "cpack -G DEB"
# cpack runs the build tree's preinstall target (the `all` build): a no-op on a built tree.
if ! (cd "$T" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/out") >"$T/cpack.log" 2>&1; then
	cat "$T/cpack.log"
	cat "$T"/out/_CPack_Packages/*/DEB/PreinstallOutput.log 2>/dev/null | tail -30
	fail "cpack -G DEB failed"
fi
shopt -s nullglob
debs=("$T"/out/*.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb in $T/out, found ${#debs[@]}"
DEB=${debs[0]}
echo "package: $(basename "$DEB"), $(stat -c %s "$DEB") bytes"

# --- 2. the files ----------------------------------------------------------
step "dpkg-deb -c"
dpkg-deb -c "$DEB" >"$T/contents.txt" || fail "dpkg-deb -c failed"
# Paths without the leading ".", directories without the trailing "/".
awk '{ p = $6; sub(/^\./, "", p); sub(/\/$/, "", p); if (p != "") print p }' "$T/contents.txt" | sort >"$T/paths.txt"

bad_owner=$(awk '$2 != "root/root" { print $2, $6 }' "$T/contents.txt")
[ -z "$bad_owner" ] || fail "files not owned by root/root: $bad_owner"

has() { grep -qxF "$1" "$T/paths.txt"; }
missing=()
need() { has "$1" || missing+=("$1"); }
need /usr/bin/reference-host
need /usr/lib/reference-host/plugins/libexternal_contacts.so
need /usr/lib/reference-host/plugins/external-contacts.json
need /usr/share/reference-host/reference-host.properties
need /lib/systemd/system/reference-host.service
need /usr/share/doc/$PKG/copyright
need /usr/share/doc/$PKG/changelog.gz
need /usr/share/doc/$PKG/README.Debian
need /usr/share/man/man1/reference-host.1.gz
# Every migration of both components in both dialects, every resource (but the
# development configuration) and every file of the web shell, as in the source tree.
while IFS= read -r f; do
	need "/usr/share/reference-host/$f"
done < <(cd "$SRC" && find sql resources host-sdk/reference-host/web -type f ! -path 'resources/config/*' | sort)
for d in host external-contacts; do
	for dialect in sqlite mysql; do
		grep -q "^/usr/share/reference-host/sql/$d/$dialect/[0-9]*_.*\.sql$" "$T/paths.txt" ||
			missing+=("/usr/share/reference-host/sql/$d/$dialect/*.sql")
	done
done
need /usr/share/reference-host/resources/security/common-passwords.txt
need /usr/share/reference-host/host-sdk/reference-host/web/index.html
need /usr/share/reference-host/host-sdk/reference-host/web/i18n/zh-CN.json
[ ${#missing[@]} -eq 0 ] || fail "the package lacks: ${missing[*]}"

# Nothing outside the package's own places: no test plugins, no CppUnit binaries,
# no headers or static libraries, no /etc (the configuration is not a conffile).
unexpected=$(grep -vE "^(/usr|/usr/bin|/usr/bin/reference-host|/usr/lib|/usr/lib/reference-host(/.*)?|/usr/share|/usr/share/reference-host(/.*)?|/usr/share/doc|/usr/share/doc/$PKG(/.*)?|/usr/share/man|/usr/share/man/man1|/usr/share/man/man1/reference-host\.1\.gz|/lib|/lib/systemd|/lib/systemd/system|/lib/systemd/system/reference-host\.service)$" "$T/paths.txt")
[ -z "$unexpected" ] || fail "unexpected files in the package: $unexpected"
test_only=$(grep -E '(/tests?/|test_|_test|unit|integration|\.a$|\.h$|/config/reference-host\.properties$|logrotate)' "$T/paths.txt")
[ -z "$test_only" ] || fail "test-only or development files in the package: $test_only"
plugins=$(grep -E '^/usr/lib/reference-host/plugins/[^/]+$' "$T/paths.txt" | tr '\n' ' ')
[ "$plugins" = "/usr/lib/reference-host/plugins/external-contacts.json /usr/lib/reference-host/plugins/libexternal_contacts.so " ] ||
	fail "the plugin directory should hold the plugin and its manifest only: $plugins"
echo "files ok ($(wc -l <"$T/paths.txt") entries)"

# --- 3. control data ---------------------------------------------------------
step "control"
dpkg-deb -e "$DEB" "$T/control" || fail "dpkg-deb -e failed"
dpkg-deb -I "$DEB" >"$T/info.txt" || fail "dpkg-deb -I failed"
field() { dpkg-deb -f "$DEB" "$1"; }
depends=$(field Depends)
echo "Depends: $depends"
[ -n "$depends" ] || fail "no Depends field: shlibdeps did not run"
# Package names only (alternatives split too), one per line.
dep_names=$(tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | sed '/^$/d')
for lib in libpocofoundation libpoconet libpocodata libpocodatasqlite libpocodatamysql libsodium23 libqrencode4 \
	libc6 libstdc++6 adduser; do
	found=
	while IFS= read -r d; do [[ "$d" == "$lib"* ]] && found=1; done <<<"$dep_names"
	[ -n "$found" ] || fail "Depends lacks $lib: $depends"
done
if grep -q -- '-dev$' <<<"$dep_names"; then fail "Depends names a -dev package: $depends"; fi
maintainer=$(field Maintainer)
grep -qE '<[^@>]+@[^>]+>' <<<"$maintainer" || fail "Maintainer has no email address: $maintainer"
[ "$(field Package)" = "$PKG" ] || fail "Package is $(field Package), expected $PKG"
[ -n "$(field Section)" ] && [ -n "$(field Priority)" ] || fail "Section or Priority missing"
[ -e "$T/control/conffiles" ] && fail "unexpected conffiles: $(cat "$T/control/conffiles")"
for s in postinst prerm postrm; do
	f="$T/control/$s"
	[ -f "$f" ] || fail "maintainer script $s missing"
	[ -x "$f" ] || fail "maintainer script $s is not executable"
	[ "$(head -n1 "$f")" = "#!/bin/sh" ] || fail "$s does not start with #!/bin/sh"
	grep -qx 'set -e' "$f" || fail "$s lacks set -e"
	grep -q '#DEBHELPER#' "$f" && fail "$s still holds #DEBHELPER#"
	sh -n "$f" || fail "$s: sh -n reports a syntax error"
	if command -v checkbashisms >/dev/null; then checkbashisms "$f" || fail "$s: checkbashisms"; fi
done

# Install, upgrade, remove and purge the package for real with dpkg, into a
# scratch root: --force-script-chrootless runs the maintainer scripts here with
# $DPKG_ROOT set (they prefix their paths with it and skip systemd), and the
# commands that would touch this machine's users or services are stubs on PATH
# that only record their calls. The scripts must keep honouring $DPKG_ROOT.
step "dpkg -i / upgrade / -r / -P into a scratch root"
R="$T/dpkgroot"
STUB="$T/stubs"
CALLS="$T/calls.log"
[ -n "$T" ] && [ -d "$T" ] || fail "no temp dir"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers" "$STUB"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available" "$CALLS"
{
	echo '#!/bin/sh'
	echo "if [ -e '$T/user-exists' ] && [ \"\$2\" = '$NAME' ]; then"
	echo "	echo '$NAME:x:999:999::/var/lib/$NAME:/usr/sbin/nologin'"
	echo '	exit 0'
	echo 'fi'
	echo 'exit 2'
} >"$STUB/getent"
for cmd in adduser deluser delgroup addgroup useradd userdel usermod groupadd groupdel chown \
	systemctl deb-systemd-helper deb-systemd-invoke systemd-sysusers invoke-rc.d update-rc.d; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$cmd" "$CALLS" >"$STUB/$cmd"
done
echo "touch '$T/user-exists'" >>"$STUB/adduser"
echo "rm -f '$T/user-exists'" >>"$STUB/deluser"
chmod +x "$STUB"/*
pkg_dpkg() { # dpkg args...
	echo "dpkg $*" >>"$T/dpkg.log"
	# --log: dpkg would otherwise log to this machine's /var/log/dpkg.log.
	PATH="$STUB:$PATH" dpkg --root="$R" --log="$T/dpkg-status.log" --force-not-root --force-script-chrootless \
		--force-depends "$@" >>"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg $* failed"; }
}
pkg_status() { dpkg --root="$R" -s "$PKG" 2>/dev/null | sed -n 's/^Status: //p'; }
CONF="$R/etc/$NAME/$NAME.properties"
DATA_DIR="$R/var/lib/$NAME"

pkg_dpkg -i "$DEB"
[ "$(pkg_status)" = "install ok installed" ] || fail "dpkg -i: status '$(pkg_status)'"
[ -x "$R/usr/bin/reference-host" ] || fail "dpkg -i did not unpack /usr/bin/reference-host"
grep -q "^adduser --system --group .*$NAME\$" "$CALLS" || fail "postinst did not add the system user: $(cat "$CALLS")"
[ -f "$CONF" ] || fail "postinst did not create /etc/$NAME/$NAME.properties"
[ "$(stat -c %a "$CONF")" = 640 ] || fail "/etc/$NAME/$NAME.properties has mode $(stat -c %a "$CONF"), expected 640"
grep -qx "chown root:$NAME $CONF.dpkg-new" "$CALLS" || fail "postinst did not give the configuration to root:$NAME: $(cat "$CALLS")"
cmp -s "$CONF" "$R/usr/share/reference-host/reference-host.properties" || fail "/etc configuration differs from the template"
[ "$(stat -c %a "$DATA_DIR")" = 700 ] || fail "/var/lib/$NAME has mode $(stat -c %a "$DATA_DIR"), expected 700"
grep -qx "chown $NAME:$NAME $DATA_DIR" "$CALLS" || fail "postinst did not give /var/lib/$NAME to $NAME: $(cat "$CALLS")"
dpkg --root="$R" -L "$PKG" | grep -q "^/etc" && fail "the package owns files in /etc (the configuration must not be a conffile)"

# Reinstalling (an upgrade) keeps the operator's configuration and the user.
echo "db.poolSize = 41 # operator" >>"$CONF"
: >"$CALLS"
pkg_dpkg -i "$DEB"
grep -q 'operator' "$CONF" || fail "an upgrade overwrote the operator's configuration"
grep -q '^adduser' "$CALLS" && fail "an upgrade called adduser for an existing user"

touch "$DATA_DIR/reference-host.db"
pkg_dpkg -r "$PKG"
[ "$(pkg_status)" = "deinstall ok config-files" ] || fail "dpkg -r: status '$(pkg_status)'"
[ -e "$R/usr/bin/reference-host" ] && fail "dpkg -r left /usr/bin/reference-host"
[ -f "$CONF" ] && [ -f "$DATA_DIR/reference-host.db" ] || fail "dpkg -r deleted configuration or data (only purge may)"
grep -q '^deluser' "$CALLS" && fail "dpkg -r removed the user (only purge may)"

pkg_dpkg -P "$PKG"
[ -z "$(pkg_status)" ] || fail "dpkg -P: status '$(pkg_status)'"
[ -e "$R/etc/$NAME" ] && fail "purge left /etc/$NAME"
[ -e "$DATA_DIR" ] && fail "purge left /var/lib/$NAME"
grep -q "^deluser --system .*$NAME" "$CALLS" || fail "purge did not remove the user: $(cat "$CALLS")"
leftover=$(cd "$R" && find . -mindepth 1 ! -path './var/lib/dpkg*' ! -path './var/lib' ! -path './var' ! -path './etc' | sort)
[ -z "$leftover" ] || fail "purge left files behind: $leftover"
echo "install, upgrade, remove, purge ok"

# --- 4. lintian ------------------------------------------------------------------
step "lintian"
lintian --tag-display-limit 0 --display-info "$DEB" >"$T/lintian.txt" 2>&1
grep -v 'running with root privileges is not recommended' "$T/lintian.txt"
if grep -q '^E:' "$T/lintian.txt"; then
	grep '^E:' "$T/lintian.txt" >&2
	fail "lintian reports errors"
fi

# --- 5. the systemd unit ---------------------------------------------------------
step "systemd unit"
X="$T/root"
mkdir -p "$X"
dpkg-deb -x "$DEB" "$X" || fail "dpkg-deb -x failed"
UNIT="$X/lib/systemd/system/$NAME.service"
for want in 'User=reference-host' 'StateDirectory=reference-host' 'StateDirectoryMode=0700' 'UMask=0077' \
	'ProtectSystem=strict' 'NoNewPrivileges=true' 'CapabilityBoundingSet=' 'MemoryDenyWriteExecute=true' \
	'SystemCallFilter=@system-service' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
	"ExecStart=/usr/bin/reference-host --config=/etc/$NAME/$NAME.properties"; do
	grep -qxF "$want" "$UNIT" || fail "the unit lacks '$want'"
done
if command -v systemd-analyze >/dev/null; then
	# Offline (no running systemd here). ExecStart= must name an executable file, so
	# verify a copy that points at the extracted binary; anything verify prints
	# (unknown keys, bad values: it still exits 0 for those) fails the test.
	mkdir -p "$T/unit"
	sed "s|^ExecStart=/usr/bin/reference-host|ExecStart=$X/usr/bin/reference-host|" "$UNIT" >"$T/unit/$NAME.service"
	systemd-analyze verify "$T/unit/$NAME.service" >"$T/verify.txt" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -qiE 'bus|not been booted|Failed to (connect|initialize)|Operation not permitted' "$T/verify.txt"; then
		echo "SKIP systemd-analyze verify cannot run here (exit $rc):"
		cat "$T/verify.txt"
	elif [ $rc -ne 0 ] || [ -s "$T/verify.txt" ]; then
		cat "$T/verify.txt"
		fail "systemd-analyze verify rejects the unit (exit $rc)"
	else
		echo "systemd-analyze verify: ok"
		systemd-analyze security --offline=true "$T/unit/$NAME.service" 2>/dev/null | grep 'Overall exposure' || true
	fi
else
	echo "SKIP systemd-analyze is not installed"
fi
# MemoryDenyWriteExecute=true forbids W+X mappings and making memory executable
# with mprotect: the binary and the plugin must have no text relocations and no
# executable stack (dlopen of a clean .so maps its segments from the file).
if command -v readelf >/dev/null; then
	for elf in "$X/usr/bin/reference-host" "$X/usr/lib/reference-host/plugins/libexternal_contacts.so"; do
		readelf -d "$elf" | grep -q TEXTREL && fail "$(basename "$elf") has text relocations (breaks MemoryDenyWriteExecute)"
		readelf -lW "$elf" | grep GNU_STACK | grep -q 'RWE' && fail "$(basename "$elf") wants an executable stack"
		file_out=$(file -b "$elf" 2>/dev/null || true)
		[[ "$file_out" == *"not stripped"* ]] && fail "$(basename "$elf") is not stripped"
	done
fi

# --- 6. run the packaged host ------------------------------------------------------
step "packaged host"
TEMPLATE="$X/usr/share/reference-host/reference-host.properties"
prop() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$TEMPLATE" | tail -n1; }
ROOT=$(prop paths.root)
PLUGINS=$(prop plugins.dir)
DATA=$(prop data.dir)
[ -d "$X$ROOT/sql/host/sqlite" ] || fail "paths.root = $ROOT: no sql/ there in the package"
[ -f "$X$PLUGINS/libexternal_contacts.so" ] || fail "plugins.dir = $PLUGINS: the plugin is not there in the package"
[ "$DATA" = "/var/lib/$NAME" ] || fail "data.dir = $DATA, expected /var/lib/$NAME (StateDirectory)"
BIN="$X/usr/bin/reference-host"
ARGS=(--config="$TEMPLATE" --set=data.dir="$T/data" --set=paths.root="$X$ROOT" --set=plugins.dir="$X$PLUGINS"
	--set=http.host=127.0.0.1 --set=http.secureCookies=false)
ORG="包测试组织"
LOGIN=pkgadmin
PASSWORD='Package-Test-2026!x'
"$BIN" "${ARGS[@]}" org create --name="$ORG" >"$T/cli.log" 2>&1 || { cat "$T/cli.log"; fail "reference-host org create failed"; }
echo "$PASSWORD" | "$BIN" "${ARGS[@]}" user create --login=$LOGIN --name=Packager --org="$ORG" --password-stdin --admin \
	>>"$T/cli.log" 2>&1 || { cat "$T/cli.log"; fail "reference-host user create failed"; }
# MemoryDenyWriteExecute for real: start the server with the kernel's
# PR_SET_MDWE (Linux >= 6.3; what systemd >= 253 also uses) so that loading the
# plugin with dlopen() must succeed without W+X memory. Skipped where unavailable.
MDWE=()
PY=$(command -v python3 || true)
if [ -n "$PY" ] && "$PY" -c 'import ctypes,sys; sys.exit(ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) != 0)' 2>/dev/null; then
	MDWE=("$PY" -c 'import ctypes,os,sys
if ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) != 0: sys.exit("prctl(PR_SET_MDWE) failed")
os.execv(sys.argv[1], sys.argv[1:])')
	echo "server runs with PR_SET_MDWE (MemoryDenyWriteExecute)"
else
	echo "SKIP PR_SET_MDWE is not available: the server runs without MemoryDenyWriteExecute"
fi
# Port 0: the kernel picks a free port, the host prints it.
"${MDWE[@]}" "$BIN" "${ARGS[@]}" --set=http.port=0 >"$T/server.log" 2>&1 &
SERVER_PID=$!
PORT=
for _ in $(seq 300); do
	PORT=$(sed -n 's|^Reference host listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/server.log")
	[ -n "$PORT" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/server.log"; fail "the packaged host exited at start"; }
	sleep 0.1
done
[ -n "$PORT" ] || { cat "$T/server.log"; fail "the packaged host did not start listening within 30 s"; }
BASE="http://127.0.0.1:$PORT"
echo "listening on $BASE"
grep -q "1 plugin(s) active" "$T/server.log" || { cat "$T/server.log"; fail "the plugin is not active"; }

get() { # path [curl args...] -> body in $T/body, status in $T/status, headers in $T/headers
	local path=$1
	shift
	curl -sS --max-time 10 -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$BASE$path" >"$T/status" ||
		fail "curl $path failed"
}
get /healthz
[ "$(cat "$T/status")" = 200 ] || fail "GET /healthz answered $(cat "$T/status"): $(cat "$T/body")"
grep -q '"db" *: *"ok"' "$T/body" || fail "GET /healthz: db not ok: $(cat "$T/body")"

get /api/session -c "$T/cookies" -H 'Content-Type: application/json' \
	--data "{\"login\":\"$LOGIN\",\"password\":\"$PASSWORD\"}"
[ "$(cat "$T/status")" = 200 ] || fail "POST /api/session answered $(cat "$T/status"): $(cat "$T/body")"
grep -q rh_session "$T/cookies" || fail "POST /api/session set no rh_session cookie"

get /api/plugins/external-contacts/contacts -b "$T/cookies"
[ "$(cat "$T/status")" = 200 ] || fail "GET /api/plugins/external-contacts/contacts answered $(cat "$T/status"): $(cat "$T/body")"
grep -qi '^content-type: application/json' "$T/headers" || fail "the contact list is not JSON: $(cat "$T/headers")"
grep -q '"items"' "$T/body" || fail "the contact list has no items: $(cat "$T/body")"

# The plugin's public landing page: an unknown token gets the plugin's HTML
# page (its own Content-Security-Policy), not the host's JSON 404.
get /invite/abc
status=$(cat "$T/status")
[ "$status" = 404 ] || [ "$status" = 410 ] || fail "GET /invite/abc answered $status, expected the plugin's 404 page"
grep -qi '^content-type: text/html' "$T/headers" || fail "GET /invite/abc is not the plugin's HTML page: $(cat "$T/headers") $(cat "$T/body")"
grep -qi '^content-security-policy:' "$T/headers" || fail "GET /invite/abc lacks the plugin's Content-Security-Policy"
grep -qi '<html' "$T/body" || fail "GET /invite/abc body is not HTML: $(head -c 300 "$T/body")"
echo "GET /healthz 200 db ok; POST /api/session 200; GET contacts 200 JSON; GET /invite/abc $status text/html (plugin page)"

# The web shell from paths.root.
get /
[ "$(cat "$T/status")" = 200 ] && grep -qi '<html' "$T/body" || fail "GET / did not serve the web shell ($(cat "$T/status"))"

kill "$SERVER_PID"
for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "the packaged host did not stop on SIGTERM within 10 s"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
grep -qiE '\[(fatal|critical|error)\]|"(level|priority)" *: *"(fatal|critical|error)"' "$T/server.log" &&
	{ cat "$T/server.log"; fail "the packaged host logged errors"; }
echo "PASS: $(basename "$DEB") installs files, scripts and unit correctly and runs"
