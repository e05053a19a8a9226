#!/usr/bin/env bash
# Real-WordPress smoke test of the plugin, with WooCommerce absent.
#
# Uses Debian's `wordpress` package (/usr/share/wordpress) and MariaDB: creates a throw-away
# database and a Debian host config (/etc/wordpress/config-ocw-smoke.localhost.php), installs
# WordPress, serves it with PHP's built-in server on 127.0.0.1, logs in as the admin,
# activates the plugin (built into dist form by scripts/php-zip.sh) from the Plugins screen,
# and asserts the "needs WooCommerce" notice renders with no fatal error. Then it checks the
# same through wp-load.php + do_action('admin_notices'), deactivates and uninstalls the
# plugin. Idempotent; cleans up everything it created (and stops MariaDB if it started it).
#
# Needs (as root on Debian): php-cli php-mysql wordpress mariadb-server curl unzip.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slug=oncloudwine-for-woocommerce
wp_dir=/usr/share/wordpress
host=ocw-smoke.localhost
db=ocw_smoke
db_user=ocw_smoke
debian_config="/etc/wordpress/config-$host.php"
deadline_s=30

say() { printf 'wp-smoke: %s\n' "$*"; }
die() { printf 'wp-smoke: FAIL: %s\n' "$*" >&2; exit 1; }

for bin in php mysql mysqladmin curl unzip; do
	command -v "$bin" >/dev/null 2>&1 || die "$bin is missing (apt-get install php-cli php-mysql mariadb-server curl unzip)"
done
[ -f "$wp_dir/wp-load.php" ] || die "$wp_dir missing (apt-get install wordpress)"
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' || die "PHP has no mysqli (apt-get install php-mysql)"
[ -w /etc/wordpress ] || die "/etc/wordpress is not writable: run as root"

tmp="$(mktemp -d /tmp/ocw-wp-smoke.XXXXXX)"
server_pid=""
fake_pid=""
started_db=""

cleanup() {
	set +e
	for pid in "$server_pid" "$fake_pid"; do
		if [ -n "$pid" ]; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		fi
	done
	mysql -uroot -e "DROP DATABASE IF EXISTS $db; DROP USER IF EXISTS '$db_user'@'localhost';" 2>/dev/null
	rm -f "$debian_config"
	if [ -n "$started_db" ]; then
		if [ "$started_db" = service ]; then
			service mariadb stop >/dev/null 2>&1
		else
			mysqladmin -uroot shutdown 2>/dev/null
		fi
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() { # wait_for <description> <command...>: polls with a deadline
	local what="$1"
	shift
	local end=$((SECONDS + deadline_s))
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || die "timed out waiting for $what"
		sleep 0.2
	done
}

# ---- MariaDB.
if ! mysqladmin -uroot ping >/dev/null 2>&1; then
	say "starting MariaDB"
	if command -v service >/dev/null 2>&1 && service mariadb start >/dev/null 2>&1; then
		started_db=service
	else
		mkdir -p /run/mysqld
		chown mysql:mysql /run/mysqld 2>/dev/null || true
		(mysqld_safe --user=mysql >"$tmp/mysqld.log" 2>&1 &)
		started_db=mysqld_safe
	fi
	wait_for "MariaDB" mysqladmin -uroot ping
fi
mysql -uroot -e 'SELECT 1' >/dev/null 2>&1 || die "MariaDB runs but root cannot log in through the unix socket (mysql -uroot)"
db_pass="$(php -r 'echo bin2hex(random_bytes(12));')"
mysql -uroot <<SQL
DROP DATABASE IF EXISTS $db;
DROP USER IF EXISTS '$db_user'@'localhost';
CREATE DATABASE $db DEFAULT CHARACTER SET utf8mb4;
CREATE USER '$db_user'@'localhost' IDENTIFIED BY '$db_pass';
GRANT ALL PRIVILEGES ON $db.* TO '$db_user'@'localhost';
SQL

# ---- Content dir with the plugin as the release zip ships it.
free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'; }
port="$(free_port)"
url="http://$host:$port"
content="$tmp/wp-content"
mkdir -p "$content/plugins" "$content/uploads"
ln -s "$wp_dir/wp-content/themes" "$content/themes"
"$root/scripts/php-zip.sh" "$tmp/$slug.zip" >/dev/null
unzip -q "$tmp/$slug.zip" -d "$content/plugins"
[ -f "$content/plugins/$slug/$slug.php" ] || die "the zip did not unpack to $slug/$slug.php"

salt() { php -r 'echo bin2hex(random_bytes(32));'; }
cat >"$debian_config" <<PHP
<?php
// Written by scripts/wp-smoke.sh; removed when it ends.
define( 'DB_NAME', '$db' );
define( 'DB_USER', '$db_user' );
define( 'DB_PASSWORD', '$db_pass' );
define( 'DB_HOST', 'localhost' );
define( 'WP_CONTENT_DIR', '$content' );
define( 'WP_CONTENT_URL', '$url/wp-content' );
define( 'WP_HOME', '$url' );
define( 'WP_SITEURL', '$url' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$tmp/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1' );
define( 'AUTH_KEY', '$(salt)' );
define( 'SECURE_AUTH_KEY', '$(salt)' );
define( 'LOGGED_IN_KEY', '$(salt)' );
define( 'NONCE_KEY', '$(salt)' );
define( 'AUTH_SALT', '$(salt)' );
define( 'SECURE_AUTH_SALT', '$(salt)' );
define( 'LOGGED_IN_SALT', '$(salt)' );
define( 'NONCE_SALT', '$(salt)' );
\$table_prefix = 'ocwsmoke_';
PHP

# PHP run inside the site (the Debian config is chosen by HTTP_HOST).
wp_php() { # wp_php <php code after wp-load>
	local code="$1"
	cat >"$tmp/run.php" <<PHP
<?php
\$_SERVER['HTTP_HOST']   = '$host:$port';
\$_SERVER['SERVER_NAME'] = '$host';
\$_SERVER['REQUEST_URI'] = '/';
$code
PHP
	php -d display_errors=stderr "$tmp/run.php"
}

# ---- Install WordPress.
admin_pass="$(php -r 'echo bin2hex(random_bytes(10));')"
say "installing WordPress $(php -r "include '$wp_dir/wp-includes/version.php'; echo \$wp_version;") into $db"
wp_php "define( 'WP_INSTALLING', true );
require '$wp_dir/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
\$r = wp_install( 'OCW Smoke', 'admin', 'admin@example.com', false, '', '$admin_pass' );
update_option( 'permalink_structure', '/%postname%/' );
echo 'installed user ' . \$r['user_id'] . PHP_EOL;" >"$tmp/install.out" 2>&1 || { cat "$tmp/install.out" >&2; die "wp_install failed"; }

# ---- Serve it.
php -S "127.0.0.1:$port" -t "$wp_dir" >"$tmp/server.log" 2>&1 &
server_pid=$!
curl_wp() { curl -sS --max-time 20 --resolve "$host:$port:127.0.0.1" -b "$tmp/cookies" -c "$tmp/cookies" "$@"; }
wait_for "the PHP server" curl_wp -o /dev/null "$url/wp-login.php"

# ---- Log in.
curl_wp -o /dev/null "$url/wp-login.php"
code="$(curl_wp -o "$tmp/login.html" -w '%{http_code}' --data-urlencode "log=admin" --data-urlencode "pwd=$admin_pass" \
	--data-urlencode "testcookie=1" --data-urlencode "redirect_to=$url/wp-admin/" "$url/wp-login.php")"
[ "$code" = 302 ] || die "login answered $code (expected 302)"
grep -q 'wordpress_logged_in' "$tmp/cookies" || die "no login cookie"

# ---- Activate the plugin from the Plugins screen, as an admin would.
curl_wp -o "$tmp/plugins.html" "$url/wp-admin/plugins.php"
grep -q 'OnCloudWine for WooCommerce' "$tmp/plugins.html" || die "the plugin is not listed on the Plugins screen"
activate="$(grep -o "plugins.php?action=activate&amp;plugin=$slug%2F$slug.php[^\"']*" "$tmp/plugins.html" | head -1 | sed 's/&amp;/\&/g')"
[ -n "$activate" ] || die "no Activate link for the plugin"
code="$(curl_wp -o /dev/null -w '%{http_code}' "$url/wp-admin/$activate")"
[ "$code" = 302 ] || die "activation answered $code (expected 302 back to the Plugins screen)"

curl_wp -o "$tmp/after.html" -w '%{http_code}' "$url/wp-admin/plugins.php?activate=true" >"$tmp/after.code"
[ "$(cat "$tmp/after.code")" = 200 ] || die "Plugins screen answered $(cat "$tmp/after.code") after activation"
if grep -Eqi 'Fatal error|critical error|Parse error|plugin could not be activated' "$tmp/after.html"; then
	grep -Ei -m3 'Fatal error|critical error|Parse error|could not be activated' "$tmp/after.html" >&2
	die "fatal error on the Plugins screen"
fi
grep -q 'Plugin activated' "$tmp/after.html" || die "WordPress did not confirm the activation"
grep -q 'OnCloudWine for WooCommerce needs WooCommerce, which is not active' "$tmp/after.html" || die "the missing-WooCommerce notice is not on the Plugins screen"
grep -q 'plugin-install.php?s=woocommerce' "$tmp/after.html" || die "the notice does not link to installing WooCommerce"
curl_wp -o "$tmp/dashboard.html" -w '%{http_code}' "$url/wp-admin/" >"$tmp/dash.code"
[ "$(cat "$tmp/dash.code")" = 200 ] || die "dashboard answered $(cat "$tmp/dash.code")"
grep -q 'OnCloudWine for WooCommerce needs WooCommerce' "$tmp/dashboard.html" || die "the notice is not on the dashboard"
say "Plugins screen: activated, notice shown, no fatal error"

# ---- WooCommerce older than 6.0 (a stub that only defines WC_VERSION): the "update" notice.
mkdir -p "$content/plugins/woocommerce"
cat >"$content/plugins/woocommerce/woocommerce.php" <<'PHP'
<?php
/**
 * Plugin Name: WooCommerce
 * Version: 5.9.0
 * Description: Stub for scripts/wp-smoke.sh: only defines WC_VERSION.
 */
define( 'WC_VERSION', '5.9.0' );
PHP
wp_php "require '$wp_dir/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( 1 );
\$r = activate_plugin( 'woocommerce/woocommerce.php' );
if ( is_wp_error( \$r ) ) { fwrite( STDERR, \$r->get_error_message() ); exit( 1 ); }
echo 'ok';" >"$tmp/stub.out" 2>&1 || { cat "$tmp/stub.out" >&2; die "could not activate the WooCommerce stub"; }
curl_wp -o "$tmp/old.html" -w '%{http_code}' "$url/wp-admin/plugins.php" >"$tmp/old.code"
[ "$(cat "$tmp/old.code")" = 200 ] || die "Plugins screen answered $(cat "$tmp/old.code") with WooCommerce 5.9.0"
grep -Eqi 'Fatal error|critical error' "$tmp/old.html" && die "fatal error with WooCommerce 5.9.0"
grep -q 'needs WooCommerce 6.0 or newer; this site runs WooCommerce 5.9.0' "$tmp/old.html" || die "no \"too old\" notice with WooCommerce 5.9.0"
wp_php "require '$wp_dir/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( '5.9.0' !== WC_VERSION || null !== OCW_Plugin::instance() || class_exists( 'OCW_Webhooks', false ) ) { fwrite( STDERR, 'plugin loaded with WooCommerce 5.9.0' ); exit( 1 ); }
deactivate_plugins( 'woocommerce/woocommerce.php' );
echo 'ok';" >"$tmp/stub.out" 2>&1 || { cat "$tmp/stub.out" >&2; die "could not deactivate the WooCommerce stub"; }
rm -rf "$content/plugins/woocommerce"
say "WooCommerce 5.9.0: update notice shown, nothing else loaded"

# ---- The read routes through the real REST server, their SQL on MariaDB.
wp_php "\$ocw_wp_dir = '$wp_dir';
require '$root/wp-plugin/tests/smoke/routes-on-mariadb.php';" >"$tmp/routes.out" 2>&1 || { cat "$tmp/routes.out" >&2; die "catalog/stock routes on MariaDB"; }
tail -n1 "$tmp/routes.out" | grep -q '^ok$' || { cat "$tmp/routes.out" >&2; die "routes check did not finish"; }
say "catalog and stock routes: real REST server, SQL on MariaDB, paging and limits ok"

# ---- The sidecar-host filter and the client through WordPress's real HTTP API.
fake_port="$(free_port)"
dead_port="$(free_port)"
OCW_FAKE_SECRET="$(printf 'f%.0s' $(seq 40))" php -S "127.0.0.1:$fake_port" "$root/wp-plugin/tests/smoke/fake-sidecar.php" >"$tmp/fake.log" 2>&1 &
fake_pid=$!
wait_for "the fake sidecar" curl -s -o /dev/null "http://127.0.0.1:$fake_port/healthz"
wp_php "\$ocw_wp_dir = '$wp_dir'; \$ocw_fake_port = $fake_port; \$ocw_dead_port = $dead_port;
require '$root/wp-plugin/tests/smoke/http-on-wordpress.php';" >"$tmp/http.out" 2>&1 || { cat "$tmp/http.out" >&2; die "sidecar host filter / client on real WordPress"; }
tail -n1 "$tmp/http.out" | grep -q '^ok$' || { cat "$tmp/http.out" >&2; die "http check did not finish"; }
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null || true; fake_pid=""
say "sidecar host filter: only its host+port pass wp_http_validate_url; ping, bearer, redirect refusal, $(head -n1 "$tmp/http.out")"

# ---- Optional: time the routes on a large catalog (scripts/wp-smoke-bench.sh).
if [ "${OCW_SMOKE_BENCH:-0}" = 1 ]; then
	wp_php "\$ocw_wp_dir = '$wp_dir';
require '$root/wp-plugin/tests/smoke/bench-routes.php';" >"$tmp/bench.out" 2>&1 || { cat "$tmp/bench.out" >&2; die "route benchmark"; }
	grep -v '^ok$' "$tmp/bench.out" | grep -v '^bench: ' | sed 's/^/wp-smoke: bench: /'
	grep '^bench: ' "$tmp/bench.out" || true
fi

# ---- Same through wp-load.php: active, nothing but the notice hooked, then deactivate + uninstall.
wp_php "require '$wp_dir/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( 1 );
if ( ! is_plugin_active( '$slug/$slug.php' ) ) { fwrite( STDERR, 'not active' ); exit( 1 ); }
if ( null !== OCW_Plugin::instance() || class_exists( 'OCW_Webhooks', false ) ) { fwrite( STDERR, 'plugin loaded without WooCommerce' ); exit( 1 ); }
ob_start(); do_action( 'admin_notices' ); \$html = ob_get_clean();
if ( false === strpos( \$html, 'needs WooCommerce' ) ) { fwrite( STDERR, 'no notice: ' . \$html ); exit( 1 ); }
update_option( 'woocommerce_oncloudwine_settings', array( 'sidecar_url' => 'http://127.0.0.1:8787' ) );
// WooCommerce was active once and is off now: its webhook and Action Scheduler tables (the
// columns the plugin touches) still hold the plugin's six webhooks, a foreign one and the repair.
global \$wpdb;
\$wh = \$wpdb->prefix . 'wc_webhooks';
\$as = \$wpdb->prefix . 'actionscheduler_actions';
\$wpdb->query( \"CREATE TABLE \$wh (webhook_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, status varchar(200) NOT NULL, name text NOT NULL, PRIMARY KEY (webhook_id))\" );
\$wpdb->query( \"CREATE TABLE \$as (action_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, hook varchar(191) NOT NULL, status varchar(20) NOT NULL, PRIMARY KEY (action_id))\" );
\$ids = array();
foreach ( array( 'product.created', 'product.updated', 'product.deleted', 'product.restored', 'order.created', 'order.updated' ) as \$topic ) {
	\$wpdb->insert( \$wh, array( 'status' => 'active', 'name' => 'OnCloudWine: ' . \$topic ) );
	\$ids[ \$topic ] = (int) \$wpdb->insert_id;
}
\$wpdb->insert( \$wh, array( 'status' => 'active', 'name' => 'Zapier' ) );
\$wpdb->insert( \$as, array( 'hook' => 'oncloudwine_repair_webhooks', 'status' => 'pending' ) );
\$wpdb->insert( \$as, array( 'hook' => 'woocommerce_cleanup_draft_orders', 'status' => 'pending' ) );
update_option( 'oncloudwine_webhook_ids', \$ids );
deactivate_plugins( '$slug/$slug.php' );
if ( is_plugin_active( '$slug/$slug.php' ) ) { fwrite( STDERR, 'still active' ); exit( 1 ); }
\$states = \$wpdb->get_col( \"SELECT CONCAT( name, '=', status ) FROM \$wh ORDER BY webhook_id\" );
if ( 6 !== count( preg_grep( '/^OnCloudWine: .*=paused$/', \$states ) ) || ! in_array( 'Zapier=active', \$states, true ) ) { fwrite( STDERR, 'deactivation without WooCommerce: ' . implode( ', ', \$states ) ); exit( 1 ); }
\$actions = \$wpdb->get_col( \"SELECT CONCAT( hook, '=', status ) FROM \$as ORDER BY action_id\" );
if ( array( 'oncloudwine_repair_webhooks=canceled', 'woocommerce_cleanup_draft_orders=pending' ) !== \$actions ) { fwrite( STDERR, 'repair not canceled: ' . implode( ', ', \$actions ) ); exit( 1 ); }
uninstall_plugin( '$slug/$slug.php' );
if ( false !== get_option( 'woocommerce_oncloudwine_settings' ) || false !== get_option( 'oncloudwine_webhook_ids' ) ) { fwrite( STDERR, 'options left after uninstall' ); exit( 1 ); }
\$left = \$wpdb->get_col( \"SELECT name FROM \$wh\" );
if ( array( 'Zapier' ) !== \$left ) { fwrite( STDERR, 'webhooks left after uninstall: ' . implode( ', ', \$left ) ); exit( 1 ); }
\$wpdb->query( \"DROP TABLE \$wh, \$as\" );
echo 'ok';" >"$tmp/php.out" 2>&1 || { cat "$tmp/php.out" >&2; die "wp-load.php check failed"; }
tail -n1 "$tmp/php.out" | grep -q 'ok$' || { cat "$tmp/php.out" >&2; die "wp-load.php check did not finish"; }
say "wp-load.php: notice via admin_notices; deactivation pauses, uninstall deletes the webhooks (WooCommerce off, in its tables); clean"

if [ -s "$tmp/debug.log" ] && grep -Ei 'PHP (Fatal|Parse) error|oncloudwine' "$tmp/debug.log" >&2; then
	die "errors in debug.log"
fi
if grep -Ei 'PHP (Fatal|Parse) error' "$tmp/server.log" >&2; then
	die "errors in the PHP server log"
fi
say "ok"
