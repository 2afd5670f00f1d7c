#!/usr/bin/env bash
# The clean-machine check of `make run` (issue 12): what `make run` installs
# (scripts/deps.sh run) must be enough on a machine that has nothing else,
# whatever this machine happens to have installed besides.
#
#   run_deps_check.sh SOURCE_DIR BIN_DIR PLUGINS_DIR
#
# 1. Runtime: every shared library that bin/reference-host and the plugin
#    .so files load (ldd) belongs (dpkg -S) to a package that is in
#    `deps.sh --list run` or that one of those depends on, recursively
#    (apt-cache depends --recurse: Depends and Pre-Depends only).
# 2. Build: a fresh build directory configured exactly as `make run` does
#    (scripts/run.sh --configure-only) references no file of a test-only
#    package (in `deps.sh --list test`, not in the run closure) — CMakeCache,
#    compile flags and link lines are read — and every file it references
#    that a package owns belongs to the run closure.
# Every failure names the library or file and its package. Exit 0 when clean.
set -euo pipefail
src=${1:?SOURCE_DIR}
bin=${2:?BIN_DIR}
plugins=${3:?PLUGINS_DIR}
tmp=$(mktemp -d "${EC_TEST_TMP:-/tmp}/run-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

mapfile -t run_pkgs < <(bash "$src/scripts/deps.sh" --list run)
mapfile -t test_pkgs < <(bash "$src/scripts/deps.sh" --list test)
[ ${#run_pkgs[@]} -gt 0 ] || { echo "FAIL: deps.sh --list run printed nothing"; exit 1; }

# The run closure: the listed packages, Debian's Essential ones (on every
# Debian system: coreutils, bash, dpkg, …) and everything they depend on.
mapfile -t essential < <(dpkg-query -W -f='${Package}\t${Essential}\n' | awk -F'\t' '$2 == "yes" { print $1 }')
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
	--no-replaces --no-enhances "${run_pkgs[@]}" "${essential[@]}" 2>/dev/null |
	grep -v '^ ' | grep -v '^<' | sed 's/:.*$//' | sort -u >"$tmp/closure"
for p in "${run_pkgs[@]}"; do echo "$p"; done >>"$tmp/closure"
sort -u -o "$tmp/closure" "$tmp/closure"
echo "run list: ${#run_pkgs[@]} packages; with the ${#essential[@]} Essential ones and all their dependencies: $(wc -l <"$tmp/closure")"
in_closure() { grep -qxF "$1" "$tmp/closure"; }

# Packages only the tests need: in the test list and not reachable from the run list.
: >"$tmp/test-only"
for p in "${test_pkgs[@]}"; do in_closure "$p" || echo "$p" >>"$tmp/test-only"; done
echo "test-only packages: $(tr '\n' ' ' <"$tmp/test-only")"
[ -s "$tmp/test-only" ] || fail "deps.sh --list test names no package beyond the run closure (libcppunit-dev expected)"

# owner PATH: the Debian package owning PATH (architecture dropped), or ""
# when none does. Debian 12 merged /lib into /usr/lib but dpkg records
# either spelling, so both are tried, for the path and for its target.
owner() {
	local path=$1 real candidates=() c out
	real=$(readlink -f "$path" 2>/dev/null || echo "$path")
	for c in "$path" "$real"; do
		candidates+=("$c")
		case "$c" in
		/usr/lib/* | /usr/lib64/* | /usr/bin/* | /usr/sbin/*) candidates+=("${c#/usr}") ;;
		/lib/* | /lib64/* | /bin/* | /sbin/*) candidates+=("/usr$c") ;;
		esac
	done
	for c in "${candidates[@]}"; do
		if out=$(dpkg -S "$c" 2>/dev/null); then
			# "pkg:arch: /path" or "pkg1, pkg2: /path" (diversions aside): first package.
			out=${out%%: /*}
			out=${out%%,*}
			echo "${out%%:*}"
			return
		fi
	done
	echo ""
}

# 1. What the running host loads.
objects=("$bin/reference-host")
for so in "$plugins"/*.so; do [ -e "$so" ] && objects+=("$so"); done
[ -x "$bin/reference-host" ] || fail "no $bin/reference-host: build it first"
[ ${#objects[@]} -ge 2 ] || fail "no plugin .so in $plugins"
libs=0
for obj in "${objects[@]}"; do
	[ -e "$obj" ] || continue
	while read -r line; do
		# "libx.so.1 => /path (0x…)", "/lib64/ld-linux-x86-64.so.2 (0x…)", "linux-vdso.so.1 (0x…)"
		case "$line" in
		*"=> not found"*) fail "$(basename "$obj") needs ${line%% *}, which is not found"; continue ;;
		*"=> /"*) path=${line#*=> }; path=${path%% (*} ;;
		/*) path=${line%% (*} ;;
		*) continue ;;
		esac
		# A library of the project's own build tree is not a package's.
		case "$path" in "$bin"/* | "$plugins"/*) continue ;; esac
		libs=$((libs + 1))
		pkg=$(owner "$path")
		if [ -z "$pkg" ]; then
			fail "$(basename "$obj") loads $path, which no Debian package owns (installed by hand?)"
		elif ! in_closure "$pkg"; then
			fail "$(basename "$obj") loads $path from package $pkg, which scripts/deps.sh run does not install (add it, or a package depending on it)"
		fi
	done < <(ldd "$obj")
done
echo "runtime: ${#objects[@]} objects, $libs library loads checked"
[ "$libs" -gt 5 ] || fail "ldd listed only $libs libraries: the check saw nothing"

# 2. What the run path's configure refers to.
build="$tmp/build"
bash "$src/scripts/run.sh" --configure-only "$build" >"$tmp/configure.log" 2>&1 ||
	{ cat "$tmp/configure.log"; fail "configuring as make run does failed"; }
if [ -f "$build/CMakeCache.txt" ]; then
	grep -q '^BUILD_TESTING:BOOL=OFF' "$build/CMakeCache.txt" || fail "make run's configure has BUILD_TESTING on"
	[ ! -d "$build/tests" ] || fail "make run's configure generated the test tree ($build/tests)"
	{
		cat "$build/CMakeCache.txt"
		find "$build" \( -name link.txt -o -name flags.make -o -name '*.pc' \) -exec cat {} +
	} | grep -o '/[A-Za-z0-9_./+-]*' | sort -u >"$tmp/paths"
	files=0
	while read -r path; do
		[ -f "$path" ] || continue
		case "$path" in "$src"/* | "$build"/* | "$tmp"/*) continue ;; esac
		pkg=$(owner "$path")
		[ -n "$pkg" ] || continue
		files=$((files + 1))
		if grep -qxF "$pkg" "$tmp/test-only"; then
			fail "make run's configure references $path of the test-only package $pkg"
		elif ! in_closure "$pkg"; then
			fail "make run's configure references $path of package $pkg, which scripts/deps.sh run does not install"
		fi
	done <"$tmp/paths"
	echo "configure: $files packaged files referenced and checked"
	[ "$files" -gt 5 ] || fail "the configure referenced only $files packaged files: the check saw nothing"
fi

if [ "$failures" -gt 0 ]; then
	echo "run_deps_check: $failures failure(s)"
	exit 1
fi
echo "run_deps_check: clean"
