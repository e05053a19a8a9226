# shellcheck shell=bash
# Step: the status panel follows a job live (issue 9 item 5). As the panel's
# script does in the browser, the step presses a sync button, then asks the
# plugin's admin-ajax action `oncloudwine_status` with the nonce the page
# carries, without reloading the page, until the answer says no job runs; the
# last answer must show the job's outcome. A forged nonce must be refused.

e2e_step live-panel
step_live_panel() {
	local id="$1" page="$E2E_DIR/tmp/panel-$1.html" url nonce answer seen_running=no polls=0 t0
	t0="$(now_ms)"
	press_button "$id" oncloudwine_sync_stock >/dev/null || {
		step_fail "$id" live-panel "Sync stock could not be pressed"
		return
	}
	[ "$(wp_get "$id" "$SETTINGS_PATH" "$page")" = 200 ] || {
		step_fail "$id" live-panel "the settings page did not load"
		return
	}
	url="$(grep -o 'data-refresh-url="[^"]*"' "$page" | head -1 | sed 's/^data-refresh-url="//; s/"$//; s/&amp;/\&/g')"
	nonce="$(grep -o 'data-nonce="[^"]*"' "$page" | head -1 | sed 's/^data-nonce="//; s/"$//')"
	grep -q 'data-running="1"' "$page" && seen_running=yes
	[ -n "$url" ] && [ -n "$nonce" ] || {
		step_fail "$id" live-panel "the panel carries no refresh URL or nonce"
		return
	}
	ask() { wp_curl "$id" -e "$(store_get "$id" url)$SETTINGS_PATH" --data-urlencode action=oncloudwine_status --data-urlencode "nonce=$1" "$url"; }
	local deadline=$(($(date +%s) + 30))
	while :; do
		answer="$(ask "$nonce")"
		polls=$((polls + 1))
		jq -e '.success == true and (.data.html | type) == "string"' <<<"$answer" >/dev/null 2>&1 || {
			step_fail "$id" live-panel "oncloudwine_status answered: $(head -c 300 <<<"$answer")"
			return
		}
		if jq -e '.data.running == true' <<<"$answer" >/dev/null; then
			seen_running=yes
		else
			break
		fi
		[ "$(date +%s)" -lt "$deadline" ] || {
			step_fail "$id" live-panel "still running after 30 s of refreshes"
			return
		}
		sleep 1 # the panel's own refresh period (REFRESH_MS)
	done
	local html
	html="$(jq -r '.data.html' <<<"$answer")"
	grep -q 'SYNC_WOOCOMMERCE_STOCK' <<<"$html" && grep -qi 'ended' <<<"$html" || {
		step_fail "$id" live-panel "the last refresh does not show the stock job's outcome: $(head -c 300 <<<"$html")"
		return
	}
	local forged
	forged="$(ask "0000000000")"
	if jq -e '.success == true' <<<"$forged" >/dev/null 2>&1; then
		step_fail "$id" live-panel "a forged nonce was answered"
		return
	fi
	step_pass "$id" live-panel "Sync stock pressed; $polls refresh(es) of oncloudwine_status with the page's nonce, running seen: $seen_running, outcome shown without a reload $(($(now_ms) - t0)) ms after the press; a forged nonce refused"
}
