#!/usr/bin/env bash
# Every PHP check of the plugin: php -l, PHPUnit (Debian's phpunit) over the plugin's classes
# with WordPress/WooCommerce doubles, phpcs with WordPress-Extra (WPCS 2.3.0 from
# ../shared/vendor/, Debian's php-codesniffer), the .pot being current, and the release zip
# holding only what a site needs. Installs nothing. The real-WordPress smoke test is separate:
# scripts/wp-smoke.sh (needs MariaDB and Debian's wordpress package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slug=oncloudwine-for-woocommerce
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== php -l"
"$root/scripts/php-lint.sh"

echo "== phpunit"
phpunit --configuration "$root/wp-plugin/phpunit.xml.dist"

echo "== phpcs (WordPress-Extra)"
wpcs_archive="${OCW_WPCS_ARCHIVE:-$root/../shared/vendor/wpcs-2.3.0.tar.xz}"
if [ ! -f "$wpcs_archive" ]; then
	echo "FAIL: WordPress Coding Standards 2.3.0 not found at $wpcs_archive (put wpcs-2.3.0.tar.xz there, or set OCW_WPCS_ARCHIVE)" >&2
	exit 1
fi
command -v phpcs >/dev/null 2>&1 || { echo "FAIL: phpcs not found (Debian package php-codesniffer)" >&2; exit 1; }
# Extracted once per archive into a cache; installed_paths given per run, so the machine's
# phpcs configuration is left alone.
wpcs_cache="${XDG_CACHE_HOME:-$HOME/.cache}/ocw-wpcs/$(sha256sum "$wpcs_archive" | cut -c1-16)"
if [ ! -d "$wpcs_cache/wpcs/WordPress" ]; then
	mkdir -p "$wpcs_cache.tmp.$$"
	tar -xJf "$wpcs_archive" -C "$wpcs_cache.tmp.$$"
	mkdir -p "$(dirname "$wpcs_cache")"
	mv "$wpcs_cache.tmp.$$" "$wpcs_cache" 2>/dev/null || rm -rf "$wpcs_cache.tmp.$$"
fi
(cd "$root/wp-plugin" && phpcs -q --runtime-set installed_paths "$wpcs_cache/wpcs" --standard=phpcs.xml.dist)
# Every phpcs:ignore / phpcs:disable says why (after " -- ").
if grep -rn 'phpcs:\(ignore\|disable\)' "$root/wp-plugin/$slug" --include='*.php' | grep -v -- ' -- ' >&2; then
	echo "FAIL: a phpcs:ignore or phpcs:disable above has no justification (add \" -- why\")" >&2
	exit 1
fi
echo "ok"

echo "== .pot is current"
"$root/scripts/php-pot.sh" "$tmp/fresh.pot" >/dev/null
strip() { grep -v '^# Copyright' "$1"; }
if ! diff <(strip "$root/wp-plugin/$slug/languages/$slug.pot") <(strip "$tmp/fresh.pot") >"$tmp/pot.diff"; then
	head -20 "$tmp/pot.diff" >&2
	echo "FAIL: languages/$slug.pot is stale; run scripts/php-pot.sh" >&2
	exit 1
fi
for s in 'Sidecar URL' 'Connect' 'Sync products' 'Default permalinks block the REST API.'; do
	grep -q "^msgid \"$s\"" "$root/wp-plugin/$slug/languages/$slug.pot" || { echo "FAIL: .pot lacks \"$s\"" >&2; exit 1; }
done
echo "ok"

echo "== headers agree"
main="$root/wp-plugin/$slug/$slug.php"
readme="$root/wp-plugin/$slug/readme.txt"
header() { grep -m1 -E "^[ *]*$1:" "$2" | sed -E "s/^[ *]*$1:[[:space:]]*//; s/[[:space:]]*$//"; }
version="$(header Version "$main")"
[ "$(header 'Stable tag' "$readme")" = "$version" ] || { echo "FAIL: readme.txt Stable tag differs from Version $version" >&2; exit 1; }
grep -q "define( 'OCW_VERSION', '$version' );" "$main" || { echo "FAIL: OCW_VERSION differs from Version $version" >&2; exit 1; }
for h in 'Requires Plugins' 'WC requires at least' 'WC tested up to' 'Requires PHP' 'Text Domain' 'Domain Path' 'Requires at least'; do
	[ -n "$(header "$h" "$main")" ] || { echo "FAIL: plugin header lacks $h" >&2; exit 1; }
done
for h in 'Requires at least' 'Tested up to' 'Requires PHP' 'Stable tag' 'License'; do
	[ -n "$(header "$h" "$readme")" ] || { echo "FAIL: readme.txt lacks $h" >&2; exit 1; }
done
[ "$(header 'Requires at least' "$main")" = "$(header 'Requires at least' "$readme")" ] || { echo "FAIL: Requires at least differs between plugin header and readme.txt" >&2; exit 1; }
grep -q '^== Description ==' "$readme" && grep -q '^== Changelog ==' "$readme" || { echo "FAIL: readme.txt sections" >&2; exit 1; }
echo "ok (version $version)"

echo "== zip holds only what a site needs"
"$root/scripts/php-zip.sh" "$tmp/$slug.zip" >/dev/null
if command -v unzip >/dev/null 2>&1; then
	unzip -Z1 "$tmp/$slug.zip" >"$tmp/list"
else
	python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$tmp/$slug.zip" >"$tmp/list"
fi
fail=0
for must in "$slug/$slug.php" "$slug/readme.txt" "$slug/uninstall.php" "$slug/languages/$slug.pot" "$slug/includes/class-ocw-plugin.php"; do
	grep -qx "$must" "$tmp/list" || { echo "FAIL: zip lacks $must" >&2; fail=1; }
done
if grep -v "^$slug/" "$tmp/list"; then echo "FAIL: entries outside $slug/" >&2; fail=1; fi
if grep -Ei '(^|/)(tests?|tools|vendor|node_modules)/|phpunit|phpcs|composer\.|package\.json|(^|/)\.|\.(md|sh|dist|xml|zip|log)$' "$tmp/list"; then
	echo "FAIL: dev files in the zip" >&2
	fail=1
fi
# Every shipped PHP file is either a class of includes/, an index.php guard, the main file or uninstall.php.
if grep '\.php$' "$tmp/list" | grep -Ev "^$slug/(includes/class-ocw-[a-z0-9-]+\.php|([a-z]+/)?index\.php|$slug\.php|uninstall\.php)$"; then
	echo "FAIL: unexpected PHP files in the zip" >&2
	fail=1
fi
[ "$fail" = 0 ] || exit 1
echo "ok ($(wc -l <"$tmp/list") files)"
