#!/usr/bin/env bash
# Regenerates wp-plugin/oncloudwine-for-woocommerce/languages/oncloudwine-for-woocommerce.pot
# (with `wp i18n make-pot` when WP-CLI is installed, else with wp-plugin/tools/make-pot.php).
# Usage: scripts/php-pot.sh [output.pot]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plugin="$root/wp-plugin/oncloudwine-for-woocommerce"
out="${1:-$plugin/languages/oncloudwine-for-woocommerce.pot}"
if [[ "${OCW_POT_USE_WPCLI:-0}" == 1 ]] && command -v wp >/dev/null 2>&1; then
	wp i18n make-pot "$plugin" "$out" --domain=oncloudwine-for-woocommerce --allow-root
else
	php "$root/wp-plugin/tools/make-pot.php" "$plugin" "$out"
fi
