# shellcheck shell=bash
# Steps: deactivate pauses the webhooks; reactivate makes them active again and the change
# made meanwhile reaches OnCloudWine; deleting the plugin in wp-admin (its uninstall.php)
# leaves no webhook, REST key, option or scheduled action (issue 10 step 7, issue 9 item 2).

LIFECYCLE_SKU=E2E-PINOT-2022

e2e_step reactivate
step_reactivate() {
	local id="$1" state problems=()
	plugins_screen_do "$id" deactivate || {
		step_fail "$id" reactivate "no Deactivate link, or it did not redirect, on the Plugins screen"
		return
	}
	state="$(plugin_state "$id")"
	jq_ok '(.plugin_active | not) and ([.webhooks[] | select(.status == "paused")] | length == 6)' <<<"$state" ||
		problems+=("after deactivation: active=$(jq .plugin_active <<<"$state"), webhooks $(jq -c '[.webhooks[] | {topic, status}]' <<<"$state")")
	local before price="77.70"
	before="$(sim_value "$id" ".variants[\"$LIFECYCLE_SKU\"].regular_price")"
	catalog "$id" set-price "$LIFECYCLE_SKU" "$price" >/dev/null 2>>"$E2E_DIR/logs/steps-$id.log"
	local now
	now="$(sim_value "$id" ".variants[\"$LIFECYCLE_SKU\"].regular_price")"
	[ "$now" = "$before" ] || problems+=("a paused webhook delivered: OnCloudWine went $before → $now while deactivated")
	local t0
	t0="$(now_ms)"
	plugins_screen_do "$id" activate || problems+=("no Activate link, or it did not redirect")
	state="$(plugin_state "$id")"
	jq_ok '.plugin_active and ([.webhooks[] | select(.status == "active")] | length == 6)' <<<"$state" ||
		problems+=("after reactivation: webhooks $(jq -c '[.webhooks[] | {topic, status}]' <<<"$state")")
	sim_price_is() { sim_state "$1" | jq -e --arg s "$LIFECYCLE_SKU" --arg p "$2" '.variants[$s].regular_price == $p' >/dev/null; }
	local caught=""
	if wait_until 30 sim_price_is "$id" "$price"; then
		caught="$(($(now_ms) - t0))"
	else
		problems+=("the price changed while deactivated ($price) is not in OnCloudWine 30 s after reactivation (it holds $(sim_value "$id" ".variants[\"$LIFECYCLE_SKU\"].regular_price"))")
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" reactivate "$(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" reactivate "deactivated: 6 webhooks paused, nothing delivered; reactivated: 6 active, the missed price in OnCloudWine $caught ms later"
}

e2e_step uninstall
step_uninstall() {
	local id="$1" href page="$E2E_DIR/tmp/delete-$1.html" r state problems=()
	plugins_screen_do "$id" deactivate || {
		step_fail "$id" uninstall "could not deactivate from the Plugins screen"
		return
	}
	href="$(plugins_screen_link "$id" delete)" || {
		step_fail "$id" uninstall "no Delete link on the Plugins screen"
		return
	}
	printf '%s' "$href" >"$page.url"
	wp_curl "$id" -o "$page" "$href"
	r="$(form_submit "$id" "$page" has:verify-delete "submit=" "$E2E_DIR/tmp/deleted-$id.html")"
	case "$r" in 302* | 200*) ;; *) problems+=("the delete confirmation answered $r") ;; esac
	state="$(plugin_state "$id")"
	jq_ok '.plugin_files | not' <<<"$state" || problems+=("the plugin's files are still there")
	jq_ok '.webhooks == []' <<<"$state" || problems+=("webhooks left: $(jq -c '[.webhooks[] | {topic, status}]' <<<"$state")")
	jq_ok '.keys == [] and .key_by_option == null' <<<"$state" || problems+=("REST key left: $(jq -c '.keys' <<<"$state")")
	jq_ok '.options == []' <<<"$state" || problems+=("options left: $(jq -c '.options' <<<"$state")")
	jq_ok '.actions == []' <<<"$state" || problems+=("scheduled actions left: $(jq -c '.actions' <<<"$state")")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" uninstall "$(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" uninstall "deleted through Plugins → Delete: no webhook, REST key, option, transient or scheduled action left"
}
