#!/usr/bin/env bash
# Screenshots of the plugin's settings screen and status panel on real WordPress +
# WooCommerce, in a real browser (Debian's chromium through playwright-core), and one
# checks: a customer's order through the Store API (the block checkout) is delivered by the
# plugin's prompt delivery with the order and the product, every webhook's failure count 0;
# reactivation re-enables the webhooks and asks the sidecar to reconcile; uninstall leaves
# no webhook, key, option or scheduled action behind:
#   store wc10: WordPress 6.8.8 + WooCommerce 10.0.2 (../shared/vendor/),
#   store wc69: Debian's wordpress package (6.1.x) + WooCommerce 6.9.0,
# each in scenes idle, running (then ended, refreshed live without a reload), failed
# (FAILED items), sidecar-down and wrong-secret. The plugin is installed from the release
# zip (scripts/php-zip.sh), configured as a user would, and talks to a scene-driven stand-in
# of the sidecar's admin API (scripts/e2e/screenshots-sidecar.php) so each scene shows the
# same data on both stores; "sidecar down" is that process stopped.
#
# Usage: scripts/e2e/screenshots.sh [out-dir]   (default dist/screenshots)
# Ports: E2E_PORT_BASE (default 18500) + 31..34. Everything runs under a temporary
# directory (MariaDB on a private socket, PHP's built-in server with 4 workers) and is
# stopped and removed at the end. Needs: php (mysqli), mariadb-server, chromium, node, npm
# (playwright-core is installed once into ~/.cache/ocw-playwright).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/dist/screenshots}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
vendor="${OCW_VENDOR:-$root/../shared/vendor}"
base="${E2E_PORT_BASE:-18500}"
slug=oncloudwine-for-woocommerce
secret="ocw-screenshots-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pass="ocw-shots-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"

say() { printf 'screenshots: %s\n' "$*"; }
die() { printf 'screenshots: FAIL: %s\n' "$*" >&2; exit 1; }

for bin in php mariadbd mariadb-install-db mariadb node npm; do
	command -v "$bin" >/dev/null 2>&1 || die "$bin is missing (apt-get install php-cli php-mysql mariadb-server nodejs npm chromium)"
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "chromium is missing (apt-get install chromium)"
for f in wordpress-6.8.8.tar.xz woocommerce-10.0.2.tar.xz woocommerce-6.9.0.tar.xz; do
	[ -f "$vendor/$f" ] || die "$vendor/$f is missing (see ../shared/vendor/README.md)"
done
[ -f /usr/share/wordpress/wp-load.php ] || die "/usr/share/wordpress is missing (apt-get install wordpress)"

work="$(mktemp -d /tmp/ocw-shots.XXXXXX)"
pids=()
cleanup() {
	set +e
	# Each server runs in its own process group (setsid): PHP's built-in server forks workers.
	for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	if [ -f "$work/db.pid" ]; then
		kill "$(cat "$work/db.pid")" 2>/dev/null
		for _ in $(seq 1 100); do [ -f "$work/db.pid" ] || break; sleep 0.1; done
	fi
	rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # wait_for <what> <command...>: polls with a 60 s deadline
	local what="$1"; shift
	local deadline=$((SECONDS + 60))
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || die "timed out waiting for $what"
		sleep 0.2
	done
}

# playwright-core, once.
pw="${XDG_CACHE_HOME:-$HOME/.cache}/ocw-playwright"
if [ ! -d "$pw/node_modules/playwright-core" ]; then
	mkdir -p "$pw"
	(cd "$pw" && npm init -y >/dev/null && npm install --no-audit --no-fund playwright-core@1 >/dev/null)
fi

say "MariaDB on a private socket"
mariadb-install-db --no-defaults --datadir="$work/db" --auth-root-authentication-method=normal --skip-test-db >"$work/db-install.log" 2>&1 || die "mariadb-install-db failed (see $work/db-install.log)"
mariadbd --no-defaults --datadir="$work/db" --socket="$work/db.sock" --pid-file="$work/db.pid" --skip-networking \
	--user=root --skip-log-bin --innodb-buffer-pool-size=64M --log-error="$work/db.log" &
pids+=($!)
wait_for "MariaDB" mariadb --no-defaults -S "$work/db.sock" -uroot -e 'SELECT 1'
mariadb --no-defaults -S "$work/db.sock" -uroot -e "CREATE DATABASE wc10; CREATE DATABASE wc69; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wc10.* TO 'wp'@'localhost'; GRANT ALL ON wc69.* TO 'wp'@'localhost';"

"$root/scripts/php-zip.sh" "$work/$slug.zip" >/dev/null

cat >"$work/router.php" <<'PHP'
<?php
// PHP's built-in server as nginx's try_files $uri $uri/ /index.php?$args.
$ocw_file = $_SERVER['DOCUMENT_ROOT'] . parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( '/' !== parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) && ( is_file( $ocw_file ) || is_dir( $ocw_file ) ) ) {
	return false;
}
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
PHP

# build_store <name> <wc-version> <store-port> <sidecar-port>
build_store() {
	local name="$1" wc="$2" port="$3" sport="$4" dir="$work/$1/wordpress"
	for p in "$port" "$sport"; do
		if php -r '$s = @fsockopen( "127.0.0.1", (int) $argv[1] ); exit( $s ? 0 : 1 );' "$p"; then
			die "port $p is in use (set E2E_PORT_BASE to another base)"
		fi
	done
	say "store $name: WooCommerce $wc on http://127.0.0.1:$port"
	mkdir -p "$work/$name"
	if [ "$name" = wc10 ]; then
		tar -xJf "$vendor/wordpress-6.8.8.tar.xz" -C "$work/$name"
	else
		cp -rL /usr/share/wordpress "$dir"
		rm -f "$dir/.htaccess"
	fi
	tar -xJf "$vendor/woocommerce-$wc.tar.xz" -C "$dir/wp-content/plugins"
	(cd "$dir/wp-content/plugins" && php -r '$z = new ZipArchive(); $z->open($argv[1]); $z->extractTo("."); $z->close();' "$work/$slug.zip")
	cat >"$dir/wp-config.php" <<PHP
<?php
define( 'DB_NAME', '$name' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', 'localhost:$work/db.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', 'http://127.0.0.1:$port' );
define( 'WP_SITEURL', 'http://127.0.0.1:$port' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$work/$name/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );
define( 'FS_METHOD', 'direct' );
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$ocw_k ) {
	define( \$ocw_k, '$secret' . \$ocw_k );
}
\$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
	# The sidecar stand-in.
	echo idle >"$work/$name/scene"
	start_sidecar "$name" "$sport" "$wc"
	# Install WordPress, WooCommerce and the plugin as a user would end up with them.
	(cd "$dir" && HTTP_HOST="127.0.0.1:$port" php -r '
		define( "WP_INSTALLING", true );
		$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" );
		require "wp-load.php";
		require ABSPATH . "wp-admin/includes/upgrade.php";
		wp_install( "OnCloudWine wine shop", "admin", "admin@example.com", true, "", $argv[1] );
		update_option( "permalink_structure", "/%postname%/" );
		update_option( "timezone_string", "Europe/Paris" );
	' "$pass") >"$work/$name/install.log" 2>&1 || die "WordPress install failed on $name ($(tail -3 "$work/$name/install.log"))"
	(cd "$dir" && HTTP_HOST="127.0.0.1:$port" php -r '
		$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" );
		require "wp-load.php";
		require_once ABSPATH . "wp-admin/includes/plugin.php";
		$r = activate_plugin( "woocommerce/woocommerce.php" );
		if ( is_wp_error( $r ) ) { fwrite( STDERR, $r->get_error_message() ); exit( 1 ); }
	') >>"$work/$name/install.log" 2>&1 || die "WooCommerce activation failed on $name"
	(cd "$dir" && HTTP_HOST="127.0.0.1:$port" OCW_URL="http://127.0.0.1:$sport" OCW_SECRET="$secret" php -r '
		$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" );
		require "wp-load.php";
		require_once ABSPATH . "wp-admin/includes/plugin.php";
		WC_Install::install();
		update_option( "woocommerce_coming_soon", "no" );
		update_option( "woocommerce_onboarding_profile", array( "skipped" => true ) );
		delete_transient( "_wc_activation_redirect" );
		$r = activate_plugin( "oncloudwine-for-woocommerce/oncloudwine-for-woocommerce.php" );
		if ( is_wp_error( $r ) ) { fwrite( STDERR, $r->get_error_message() ); exit( 1 ); }
	') >>"$work/$name/install.log" 2>&1 || die "plugin activation failed on $name ($(tail -3 "$work/$name/install.log"))"
	PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$port" -t "$dir" "$work/router.php" >"$work/$name/server.log" 2>&1 &
	pids+=($!)
	wait_for "store $name" php -r 'exit( @file_get_contents( $argv[1] ) === false ? 1 : 0 );' "http://127.0.0.1:$port/wp-login.php"
}

declare -A sidecar_pid
start_sidecar() { # start_sidecar <name> <port> <wc-version>
	OCW_SCENE_FILE="$work/$1/scene" OCW_FAKE_SECRET="$secret" OCW_FAKE_WC_VERSION="$3" OCW_DELIVERY_LOG="$work/$1/deliveries" OCW_RECONCILE_LOG="$work/$1/reconciles" \
		setsid php -S "127.0.0.1:$2" "$root/scripts/e2e/screenshots-sidecar.php" >"$work/$1/sidecar.log" 2>&1 &
	sidecar_pid[$1]=$!
	pids+=($!)
	wait_for "sidecar stand-in of $1" php -r '$s = @fsockopen( "127.0.0.1", (int) $argv[1] ); exit( $s ? 0 : 1 );' "$2"
}
stop_sidecar() { # stop_sidecar <name>
	kill -- "-${sidecar_pid[$1]}" 2>/dev/null || kill "${sidecar_pid[$1]}" 2>/dev/null || true
	wait "${sidecar_pid[$1]}" 2>/dev/null || true
}

# connect <name> <store-port> <sidecar-port>: the settings form as a browser submits it
# (URL and secret typed), then Connect with a created key — through the plugin's own code.
connect() {
	local name="$1" port="$2" sport="$3"
	node --input-type=module -e '
		import { chromium } from "'"$pw"'/node_modules/playwright-core/index.mjs";
		const [url, pass, sidecar, secret] = process.argv.slice(1);
		const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
		const page = await browser.newPage();
		await page.goto(url + "/wp-login.php");
		await page.fill("#user_login", "admin");
		await page.fill("#user_pass", pass);
		await Promise.all([page.waitForNavigation(), page.click("#wp-submit")]);
		await page.goto(url + "/wp-admin/admin.php?page=wc-settings&tab=integration&section=oncloudwine");
		await page.fill("#woocommerce_oncloudwine_sidecar_url", sidecar);
		await page.fill("#woocommerce_oncloudwine_shared_secret", secret);
		await Promise.all([page.waitForNavigation(), page.click("button[value=oncloudwine_connect]")]);
		const notice = await page.textContent(".notice-success, .notice-error");
		console.log("screenshots: Connect: " + (notice || "").trim().replace(/\s+/g, " "));
		await browser.close();
		if (!/Connected/.test(notice || "")) process.exit(1);
	' "http://127.0.0.1:$port" "$pass" "http://127.0.0.1:$sport" "$secret" || die "Connect failed on $name"
}

# block_checkout <name> <store-port>: a customer's order through the Store API
# (wc/store/v1/checkout, what the block checkout posts), then the plugin's prompt
# deliveries must have reached the sidecar stand-in with the order and the product, not
# WordPress's rest_no_route (WooCommerce 9.2+ loads only the requested REST namespace).
block_checkout() {
	local name="$1" port="$2" dir="$work/$1/wordpress" url="http://127.0.0.1:$2" jar="$work/$1/customer.jar"
	local product
	product="$(cd "$dir" && HTTP_HOST="127.0.0.1:$port" php -r '
		$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" );
		require "wp-load.php";
		update_option( "woocommerce_cod_settings", array( "enabled" => "yes", "title" => "Cash on delivery", "enable_for_virtual" => "yes" ) );
		$p = new WC_Product_Simple();
		$p->set_name( "Block checkout Syrah" );
		$p->set_sku( "E2E-BLOCK-SYRAH" );
		$p->set_regular_price( "19.00" );
		$p->set_virtual( true );
		$p->set_manage_stock( true );
		$p->set_stock_quantity( 10 );
		$p->set_status( "publish" );
		echo $p->save();
	')" || die "product creation failed on $name"
	: >"$work/$name/deliveries"
	local nonce
	local tries=0
	nonce=""
	# The first Store API request of a fresh store can be slow on a loaded machine: retry.
	while [ -z "$nonce" ] && [ "$tries" -lt 10 ]; do
		tries=$((tries + 1))
		nonce="$(curl -s -m 60 -c "$jar" -b "$jar" -D - -o "$work/$name/cart.json" "$url/wp-json/wc/store/v1/cart" | tr -d '\r' | awk -F': ' 'tolower($1)=="nonce"{print $2}')" || true
	done
	[ -n "$nonce" ] || die "no Store API nonce from $name ($(head -c 300 "$work/$name/cart.json" 2>/dev/null))"
	curl -s -c "$jar" -b "$jar" -H "Nonce: $nonce" -H 'Content-Type: application/json' 		-d "{\"id\":$product,\"quantity\":1}" "$url/wp-json/wc/store/v1/cart/add-item" -o "$work/$name/add-item.json"
	local address='{"first_name":"Ada","last_name":"Lovelace","company":"","address_1":"1 Vine Street","address_2":"","city":"Bordeaux","state":"","postcode":"33000","country":"FR","email":"ada@example.com","phone":"0102030405"}'
	local code
	code="$(curl -s -c "$jar" -b "$jar" -H "Nonce: $nonce" -H 'Content-Type: application/json' -o "$work/$name/checkout.json" -w '%{http_code}' \
		-d "{\"billing_address\":$address,\"shipping_address\":$address,\"payment_method\":\"cod\"}" "$url/wp-json/wc/store/v1/checkout")"
	[ "$code" = 200 ] || die "Store API checkout answered $code on $name: $(head -c 300 "$work/$name/checkout.json")"
	local order
	order="$(php -r '$j = json_decode( file_get_contents( $argv[1] ), true ); echo (int) ( $j["order_id"] ?? 0 );' "$work/$name/checkout.json")"
	# The deliveries run at the end of the checkout request (after its response): poll the log.
	wait_for "the order's delivery on $name" grep -q '"order.created"' "$work/$name/deliveries"
	wait_for "the product's delivery on $name" grep -q '"product.updated"' "$work/$name/deliveries"
	php -r '
		$order = (int) $argv[2]; $product = (int) $argv[3]; $bad = 0;
		foreach ( file( $argv[1] ) as $line ) {
			$d = json_decode( $line, true );
			$b = $d["body"];
			if ( isset( $b["code"] ) && "rest_no_route" === $b["code"] ) { fwrite( STDERR, "screenshots: {$d["topic"]} delivered rest_no_route
" ); $bad = 1; continue; }
			if ( 0 === strpos( $d["topic"], "order." ) && ( $b["id"] ?? 0 ) !== $order ) { fwrite( STDERR, "screenshots: {$d["topic"]} without order $order
" ); $bad = 1; }
			if ( "product.updated" === $d["topic"] && ( $b["id"] ?? 0 ) === $product ) { printf( "screenshots: %s: product.updated delivered with stock_quantity %s
", $argv[4], var_export( $b["stock_quantity"] ?? null, true ) ); }
			if ( "order.created" === $d["topic"] ) { printf( "screenshots: %s: order.created delivered with order %d (%d line items)
", $argv[4], $b["id"] ?? 0, count( $b["line_items"] ?? array() ) ); }
		}
		exit( $bad );
	' "$work/$name/deliveries" "$order" "$product" "$name" || die "block checkout deliveries on $name carried no order/product (see above)"
	local failures
	failures="$(cd "$dir" && HTTP_HOST="127.0.0.1:$port" php -r '
		$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" );
		require "wp-load.php";
		$n = 0;
		foreach ( get_option( "oncloudwine_webhook_ids", array() ) as $id ) { $n += ( new WC_Webhook( $id ) )->get_failure_count(); }
		echo $n;
	')"
	[ "$failures" = 0 ] || die "webhook failure count is $failures on $name after the block checkout"
	say "$name: block checkout order $order delivered promptly; every webhook's failure count 0"
}

# wp_php <name> <store-port> <php>: PHP inside the store (wp-load.php).
wp_php() {
	(cd "$work/$1/wordpress" && HTTP_HOST="127.0.0.1:$2" php -r '$_SERVER["HTTP_HOST"] = getenv( "HTTP_HOST" ); require "wp-load.php"; require_once ABSPATH . "wp-admin/includes/plugin.php"; '"$3")
}

# reactivation <name> <store-port>: deactivating pauses the plugin's webhooks; activating
# again sets them active and asks the sidecar to reconcile (POST /v1/reconcile).
reactivation() {
	local name="$1" port="$2" plugin="$slug/$slug.php"
	: >"$work/$name/reconciles"
	local statuses
	statuses="$(wp_php "$name" "$port" 'deactivate_plugins( "'"$plugin"'" ); $s = array(); foreach ( get_option( "oncloudwine_webhook_ids", array() ) as $id ) { $s[] = ( new WC_Webhook( $id ) )->get_status(); } echo implode( ",", array_unique( $s ) );')"
	[ "$statuses" = paused ] || die "$name: after deactivation the webhooks are '$statuses', not paused"
	statuses="$(wp_php "$name" "$port" '$r = activate_plugin( "'"$plugin"'" ); if ( is_wp_error( $r ) ) { echo $r->get_error_message(); exit( 1 ); } $s = array(); foreach ( get_option( "oncloudwine_webhook_ids", array() ) as $id ) { $s[] = ( new WC_Webhook( $id ) )->get_status(); } echo implode( ",", array_unique( $s ) );')" || die "$name: reactivation failed: $statuses"
	[ "$statuses" = active ] || die "$name: after reactivation the webhooks are '$statuses', not active"
	[ -s "$work/$name/reconciles" ] || die "$name: reactivation did not ask the sidecar to reconcile"
	say "$name: deactivate paused the webhooks; reactivate set them active and asked the sidecar to reconcile"
}

# uninstall <name> <store-port>: deleting the plugin leaves no webhook, REST key, option or
# scheduled action (not even a canceled one) behind.
uninstall() {
	local name="$1" port="$2" plugin="$slug/$slug.php" left
	left="$(wp_php "$name" "$port" '
		deactivate_plugins( "'"$plugin"'" );
		$r = uninstall_plugin( "'"$plugin"'" );
		global $wpdb;
		$left = array(
			"options"  => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE \"%oncloudwine%\"" ),
			"webhooks" => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks WHERE name LIKE \"OnCloudWine:%\"" ),
			"keys"     => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys WHERE description LIKE \"OnCloudWine%\"" ),
			"actions"  => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}actionscheduler_actions WHERE hook = \"oncloudwine_repair_webhooks\"" ),
		);
		echo json_encode( $left );
	')"
	[ "$left" = '{"options":0,"webhooks":0,"keys":0,"actions":0}' ] || die "$name: uninstall left $left"
	say "$name: uninstall left nothing behind ($left)"
}

mkdir -p "$out"
# playwright-core resolves from the script's folder: link the cached install next to it.
ln -sfn "$pw/node_modules" "$work/node_modules"
cp "$root/scripts/e2e/screenshots.mjs" "$work/screenshots.mjs"
fail=0
n=0
for spec in "wc10 10.0.2 $((base + 31)) $((base + 32))" "wc69 6.9.0 $((base + 33)) $((base + 34))"; do
	set -- $spec
	# OCW_SHOTS_STORES="wc10" limits the run to some stores.
	case " ${OCW_SHOTS_STORES:-wc10 wc69} " in *" $1 "*) ;; *) continue ;; esac
	name="$1" wc="$2" port="$3" sport="$4"
	build_store "$name" "$wc" "$port" "$sport"
	connect "$name" "$port" "$sport"
	block_checkout "$name" "$port"
	reactivation "$name" "$port"
	run() { NODE_PATH="$pw/node_modules" node "$work/screenshots.mjs" "http://127.0.0.1:$port" admin "$pass" "$@" || fail=1; n=$((n + 1)); }
	echo idle >"$work/$name/scene";         run "$out/$name-idle.png"
	echo running >"$work/$name/scene";      run "$out/$name-running.png" "$work/$name/scene" done "$out/$name-running-ended-live.png"
	echo failed >"$work/$name/scene";       run "$out/$name-failed.png"
	echo wrong_secret >"$work/$name/scene"; run "$out/$name-wrong-secret.png"
	echo idle >"$work/$name/scene"
	stop_sidecar "$name";                   run "$out/$name-sidecar-down.png"
	uninstall "$name" "$port"
	if grep -E 'PHP (Fatal|Warning|Notice|Deprecated).*oncloudwine' "$work/$name/debug.log" 2>/dev/null; then
		say "PHP messages from the plugin on $name (above)"
		fail=1
	fi
done
say "$n captures in $out"
[ "$fail" = 0 ] || die "see the messages above"
