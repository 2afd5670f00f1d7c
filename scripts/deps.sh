#!/usr/bin/env bash
# Installs the Debian packages the build, the host and the tests need.
# Fast when everything is there: it only calls apt-get for what is missing.
#   deps.sh [run|test]          install what `make run` / `make test` need
#   deps.sh --list [run|test]   print that list, one package a line, install nothing
#                               (tests/install/run_deps_check.sh reads it)
set -euo pipefail
list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
what=${1:-run}
case "$what" in run | test) ;; *) echo "usage: deps.sh [--list] [run|test]" >&2; exit 2 ;; esac
pkgs=(cmake make g++ pkg-config libpoco-dev libmariadb-dev libsodium-dev libqrencode-dev libpng-dev
	libssl-dev sqlite3 libsqlite3-dev)
if [ "$what" = test ]; then
	pkgs+=(libcppunit-dev mariadb-server mariadb-client chromium zbar-tools librsvg2-bin curl)
	# CJK glyphs in the test Chromium's screenshots (else boxes).
	pkgs+=(fonts-noto-cjk)
	# The .deb test (tests/packaging/): cpack's shlibdeps, Debian's package checker.
	pkgs+=(dpkg-dev fakeroot file lintian)
	# The fuzz variant (scripts/fuzz.sh): clang, libFuzzer + sanitizer runtimes,
	# llvm-symbolizer for readable stack traces.
	pkgs+=(clang libclang-rt-14-dev llvm-14)
	# The tree's one C++ format, checked by the `format` test (scripts/check-format.sh).
	pkgs+=(clang-format-14)
	# Node.js may come from outside Debian (the machine image ships its own
	# node and npm); install Debian's only when there is none.
	command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
	command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi
if [ "$list" = 1 ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
		exit 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi
