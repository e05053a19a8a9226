#!/usr/bin/env bash
# `php -l` on every PHP file of the plugin, its tests and tools; also refuses syntax that
# PHP 7.4 (the plugin's minimum) does not parse, in the shipped plugin.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail=0
count=0
while IFS= read -r -d '' f; do
	count=$((count + 1))
	if ! out="$(php -l "$f" 2>&1)"; then
		echo "$out" >&2
		fail=1
	fi
done < <(find "$root/wp-plugin" -name '*.php' -print0)

# PHP 8-only constructs the 7.4 parser rejects (or functions 7.4 lacks).
plugin="$root/wp-plugin/oncloudwine-for-woocommerce"
if grep -rnE '\?->|\bmatch\s*\(|\bstr_(contains|starts_with|ends_with)\s*\(|\bfn\s*\([^)]*\)\s*:\s*[a-z]|\b(public|private|protected)\s+(readonly\s+)?[A-Za-z_|?]+\s*\|\s*[A-Za-z_]+\s+\$|\):\s*(mixed|static|never)\b|#\[' "$plugin" --include='*.php'; then
	echo "php-lint: PHP 8-only syntax in the plugin (it must run on PHP 7.4)" >&2
	fail=1
fi
echo "php-lint: $count files checked"
exit "$fail"
