#!/usr/bin/env bash
# The tree's one C++ format (issue 15): every .h/.cpp under plugin/,
# host-sdk/, tests/ and bench/ is exactly what clang-format 14 makes of it
# with the root .clang-format. Prints the files that differ and fails.
#   check-format.sh [--fix]   --fix rewrites them instead
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$fmt" ]; then
	echo "check-format: clang-format-14 is not installed (scripts/deps.sh test installs it)" >&2
	exit 1
fi
cd "$root"
mapfile -t files < <(find plugin host-sdk tests bench -path tests/e2e/node_modules -prune -o \
	-type f \( -name '*.h' -o -name '*.cpp' \) -print | LC_ALL=C sort)
if [ "${1:-}" = --fix ]; then
	"$fmt" -i "${files[@]}"
	exit 0
fi
bad=()
for f in "${files[@]}"; do
	"$fmt" "$f" | cmp -s - "$f" || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
	printf 'not formatted (run scripts/check-format.sh --fix): %s\n' "${bad[@]}" >&2
	exit 1
fi
echo "check-format: ${#files[@]} files formatted"
