# shellcheck shell=bash
# Steps: the plugin zip installed and activated through wp-admin, then Connect as an
# administrator presses it (issue 10, steps 1 and 2; issue 9 item 3).

PLUGIN_SLUG=oncloudwine-for-woocommerce
PLUGIN_FILE="$PLUGIN_SLUG/$PLUGIN_SLUG.php"
SETTINGS_PATH="/wp-admin/admin.php?page=wc-settings&tab=integration&section=oncloudwine"

# plugin_state <id>: the plugin's rows in the database (php/state.php), JSON.
plugin_state() { php_file "$1" "$E2E_LIB/php/state.php"; }

# page_notice <html file>: the text of WordPress admin notices on a page, one per line.
page_notices() {
	php -r '$d = new DOMDocument(); libxml_use_internal_errors(true); $d->loadHTML("<?xml encoding=\"utf-8\"?>" . file_get_contents($argv[1]));
	foreach ((new DOMXPath($d))->query("//div[contains(concat(\" \", @class, \" \"), \" notice \") or contains(@class, \"updated\") or contains(@class, \"error\")]") as $n) { echo trim(preg_replace("/\s+/", " ", $n->textContent)), "\n"; }' "$1"
}

# plugins_screen_link <id> <action> : the href of a row action of the plugin on the Plugins
# screen (activate, deactivate, delete), entities decoded, absolute.
plugins_screen_link() {
	local id="$1" action="$2" html="$E2E_DIR/tmp/plugins-$1.html" href
	[ "$(wp_get "$id" /wp-admin/plugins.php "$html")" = 200 ] || return 1
	href="$(php -r '$d = new DOMDocument(); libxml_use_internal_errors(true); $d->loadHTML(file_get_contents($argv[1]));
	foreach ($d->getElementsByTagName("a") as $a) { $h = $a->getAttribute("href"); $q = parse_url($h, PHP_URL_QUERY); parse_str((string) $q, $v);
	$p = isset($v["plugin"]) ? $v["plugin"] : (isset($v["checked"][0]) ? $v["checked"][0] : "");
	$act = isset($v["action"]) ? $v["action"] : "";
	if ($p === $argv[2] && ($act === $argv[3] || ($argv[3] === "delete" && $act === "delete-selected"))) { echo $h; exit; } }' "$html" "$PLUGIN_FILE" "$action")"
	[ -n "$href" ] || return 1
	case "$href" in http*) echo "$href" ;; *) echo "$(store_get "$id" url)/wp-admin/$href" ;; esac
}

# plugins_screen_do <id> <activate|deactivate>: follows the row link; succeeds on its 302.
plugins_screen_do() {
	local id="$1" href code
	href="$(plugins_screen_link "$id" "$2")" || return 1
	code="$(wp_curl "$id" -o "$E2E_DIR/tmp/plugins-action-$id.html" -w '%{http_code}' "$href")"
	[ "$code" = 302 ]
}

e2e_step install
step_install() {
	local id="$1" zip="$E2E_PLUGIN_ZIP" page="$E2E_DIR/tmp/upload-$1.html" spec
	wp_login "$id" || {
		step_fail "$id" install "cannot log in as the administrator through wp-login.php"
		return
	}
	[ "$(wp_get "$id" '/wp-admin/plugin-install.php?tab=upload' "$page")" = 200 ] || {
		step_fail "$id" install "Plugins → Add New → Upload did not answer 200"
		return
	}
	# The upload form as a browser sends it: its hidden fields, the zip as pluginzip.
	spec="$(php "$E2E_LIB/php/form.php" "$page" "$(store_get "$id" url)/wp-admin/plugin-install.php" action:upload-plugin "install-plugin-submit=")" || {
		step_fail "$id" install "no upload form on Plugins → Add New"
		return
	}
	local action body args=() pair
	action="$(head -1 <<<"$spec")"
	body="$(tail -n +2 <<<"$spec")"
	IFS='&' read -r -a pairs <<<"$body"
	for pair in "${pairs[@]}"; do
		args+=(--form-string "$(php -r 'echo urldecode($argv[1]);' "${pair%%=*}")=$(php -r 'echo urldecode($argv[1]);' "${pair#*=}")")
	done
	local result="$E2E_DIR/tmp/upload-result-$id.html" code
	code="$(wp_curl "$id" -o "$result" -w '%{http_code}' "${args[@]}" -F "pluginzip=@$zip;type=application/zip" "$action")"
	if [ "$code" != 200 ] || ! grep -q 'Plugin installed successfully' "$result"; then
		step_fail "$id" install "upload answered $code: $(grep -o 'Installation failed[^<]*\|Destination folder already exists[^<]*' "$result" | head -1)"
		return
	fi
	local activate
	activate="$(grep -o 'href="[^"]*action=activate[^"]*'"$PLUGIN_SLUG"'[^"]*"' "$result" | head -1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')"
	[ -n "$activate" ] || activate="$(plugins_screen_link "$id" activate)"
	case "$activate" in http*) ;; *) activate="$(store_get "$id" url)/wp-admin/$activate" ;; esac
	code="$(wp_curl "$id" -o /dev/null -w '%{http_code}' "$activate")"
	local after="$E2E_DIR/tmp/plugins-after-$id.html"
	wp_get "$id" '/wp-admin/plugins.php?activate=true' "$after" >/dev/null
	if [ "$code" != 302 ] || ! grep -q 'Plugin activated' "$after"; then
		step_fail "$id" install "activation answered $code; notices: $(page_notices "$after" | head -2 | tr '\n' ' ')"
		return
	fi
	if grep -Eqi 'Fatal error|critical error' "$after"; then
		step_fail "$id" install "the Plugins screen shows a fatal error after activation"
		return
	fi
	local version
	version="$(php_eval "$id" "require_once ABSPATH . 'wp-admin/includes/plugin.php'; echo is_plugin_active( '$PLUGIN_FILE' ) ? get_plugin_data( WP_PLUGIN_DIR . '/$PLUGIN_FILE' )['Version'] : 'inactive';")"
	if [ "$version" = inactive ] || [ -z "$version" ]; then
		step_fail "$id" install "WordPress does not report the plugin active"
		return
	fi
	step_pass "$id" install "dist zip uploaded through Plugins → Add New → Upload, activated from its link (version $version)"
}

e2e_step connect
step_connect() {
	local id="$1" page="$E2E_DIR/tmp/settings-$1.html" out="$E2E_DIR/tmp/settings-saved-$1.html" r
	local sidecar="http://127.0.0.1:$(store_get "$id" sidecar_port)"
	[ "$(wp_get "$id" "$SETTINGS_PATH" "$page")" = 200 ] || {
		step_fail "$id" connect "the settings screen did not answer 200"
		return
	}
	# Save the settings form as typed in a browser.
	r="$(form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "save=" "$out" \
		"woocommerce_oncloudwine_sidecar_url=$sidecar" "woocommerce_oncloudwine_shared_secret=$(store_get "$id" secret)")"
	case "$r" in 200* | 302*) ;; *)
		step_fail "$id" connect "saving the settings answered $r"
		return
		;;
	esac
	# Press Connect (its formaction and the plugin's nonce) with the key fields empty.
	[ "$(wp_get "$id" "$SETTINGS_PATH" "$page")" = 200 ] || return
	local t0 t1
	t0="$(now_ms)"
	r="$(form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "oncloudwine_button=oncloudwine_connect" "$out")"
	t1="$(now_ms)"
	case "$r" in 302*) ;; *)
		step_fail "$id" connect "Connect answered $r (expected a redirect back to the settings screen)"
		return
		;;
	esac
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	local notice
	notice="$(page_notices "$page" | grep -m1 'OnCloudWine:' || true)"
	local status
	status="$(sidecar_api "$id" GET /v1/status)"
	local conn wc
	conn="$(jq -r '.connection.status' <<<"$status")"
	wc="$(jq -r '.connection.wc_version' <<<"$status")"
	local problems=()
	[ "$conn" = ACTIVE ] || problems+=("sidecar connection $conn: $(jq -c '.connection.last_error' <<<"$status")")
	[ "$wc" = "$(store_get "$id" wc)" ] || problems+=("sidecar reports WooCommerce $wc, the store runs $(store_get "$id" wc)")
	grep -q 'ACTIVE' <<<"$notice" || problems+=("the notice says: ${notice:-nothing}")
	local state
	state="$(plugin_state "$id")"
	local hooks
	hooks="$(jq -c --arg u "$sidecar/v1/webhooks/woocommerce" '[.webhooks[] | select(.status == "active" and .delivery_url == $u)] | map(.topic) | sort' <<<"$state")"
	[ "$hooks" = '["order.created","order.updated","product.created","product.deleted","product.restored","product.updated"]' ] ||
		problems+=("active webhooks at $sidecar: $hooks; all: $(jq -c '[.webhooks[] | {topic, status, delivery_url}]' <<<"$state")")
	jq_ok '(.webhooks | length) == 6' <<<"$state" || problems+=("$(jq '.webhooks | length' <<<"$state") webhooks named OnCloudWine (expected 6)")
	jq_ok '.key_by_option.permissions == "read_write"' <<<"$state" || problems+=("REST key: $(jq -c '.key_by_option' <<<"$state")")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" connect "$(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" connect "ACTIVE with WooCommerce $wc in $((t1 - t0)) ms; 6 webhooks active at $sidecar; REST key read_write"
}
