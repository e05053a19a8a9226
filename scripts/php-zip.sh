#!/usr/bin/env bash
# Builds dist/oncloudwine-for-woocommerce.zip: the plugin folder as Plugins → Add New →
# Upload expects it (one top-level folder), with only what a site needs.
# Usage: scripts/php-zip.sh [output.zip]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slug=oncloudwine-for-woocommerce
out="${1:-$root/dist/$slug.zip}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$slug"
# Copy shipped files only: PHP, readme, translations, license. Anything else (tests,
# phpunit/phpcs configs, composer files, dotfiles, editor leftovers) stays out.
(
	cd "$root/wp-plugin/$slug"
	find . -type f \( -name '*.php' -o -name 'readme.txt' -o -name '*.pot' -o -name '*.po' -o -name '*.mo' -o -name '*.json' -o -name 'LICENSE*' \) \
		! -path '*/tests/*' ! -path '*/node_modules/*' ! -path '*/vendor/*' ! -name '.*' \
		! -name 'composer.json' ! -name 'package.json' ! -name 'phpunit*' ! -name 'phpcs*' \
		-print0 | while IFS= read -r -d '' f; do
		mkdir -p "$stage/$slug/$(dirname "$f")"
		cp "$f" "$stage/$slug/$f"
	done
)
rm -f "$out"
if command -v zip >/dev/null 2>&1; then
	(cd "$stage" && find "$slug" -type f | LC_ALL=C sort | zip -q -X "$out" -@)
elif php -r 'exit(class_exists("ZipArchive") ? 0 : 1);'; then
	php -r '$z = new ZipArchive(); $z->open($argv[1], ZipArchive::CREATE); $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($argv[2], FilesystemIterator::SKIP_DOTS)); $files = array(); foreach ($it as $f) { $files[] = substr($f->getPathname(), strlen($argv[2]) + 1); } sort($files); foreach ($files as $f) { $z->addFile($argv[2] . "/" . $f, $f); } $z->close();' "$out" "$stage"
else
	python3 - "$out" "$stage" <<'PY'
import os, sys, zipfile
out, stage = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in sorted(os.walk(stage)):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, stage))
PY
fi
echo "php-zip: wrote $out"
