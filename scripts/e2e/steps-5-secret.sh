# shellcheck shell=bash
# Step: Connect with a shared secret the sidecar does not know (issue 9 item 3).

e2e_step wrong-secret
# Issue 9 item 3: a secret the sidecar does not know is named as such, and no webhook is
# made or repaired with it. Run on a connected store, then the right secret is restored.
step_wrong_secret() {
	local id="$1" page="$E2E_DIR/tmp/settings-$1.html" out="$E2E_DIR/tmp/settings-saved-$1.html" r notice
	local wrong
	wrong="wrong-$(store_get "$id" secret)"
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "save=" "$out" "woocommerce_oncloudwine_shared_secret=$wrong" >/dev/null
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	r="$(form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "oncloudwine_button=oncloudwine_connect" "$out")"
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	notice="$(page_notices "$page" | grep -m1 'OnCloudWine:' || true)"
	local problems=()
	grep -qi 'shared secret does not match' <<<"$notice" || problems+=("Connect with a wrong secret says: ${notice:-nothing}")
	# The panel's notice (the Help tab explains the words, so the page may hold them).
	page_notices "$page" | grep -q '^Sidecar unreachable' && problems+=("the panel says \"Sidecar unreachable\" for a wrong secret")
	# Put the right secret back and connect again.
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "save=" "$out" "woocommerce_oncloudwine_shared_secret=$(store_get "$id" secret)" >/dev/null
	wp_get "$id" "$SETTINGS_PATH" "$page" >/dev/null
	form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "oncloudwine_button=oncloudwine_connect" "$out" >/dev/null
	local state
	state="$(plugin_state "$id")"
	jq_ok '[.webhooks[] | select(.status == "active")] | length == 6' <<<"$state" ||
		problems+=("after reconnecting with the right secret: $(jq -c '[.webhooks[] | {topic, status}]' <<<"$state")")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" wrong-secret "$(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" wrong-secret "a wrong secret is named as such; right secret restored, 6 webhooks active"
}
