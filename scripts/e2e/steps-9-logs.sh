# shellcheck shell=bash
# Step: PHP notices, warnings, deprecations and fatal errors that name the plugin, in the
# store's PHP logs (PHP-FPM's and WordPress's debug.log, requests and php-cli alike), fail.

e2e_step php-log
step_php_log() {
	local id="$1" hits
	hits="$(cat "$E2E_DIR/logs/php-$id.log" "$E2E_DIR/logs/debug-$id.log" 2>/dev/null |
		grep -E 'PHP (Notice|Warning|Deprecated|Fatal error|Parse error)|_load_textdomain_just_in_time' |
		grep -E 'oncloudwine' | sort | uniq -c | sort -rn)"
	if [ -n "$hits" ]; then
		step_fail "$id" php-log "$(wc -l <<<"$hits") distinct PHP messages from the plugin: $(head -3 <<<"$hits" | cut -c1-400 | tr '\n' ' ')"
		return
	fi
	local total
	total="$(cat "$E2E_DIR/logs/php-$id.log" "$E2E_DIR/logs/debug-$id.log" 2>/dev/null | grep -cE 'PHP (Notice|Warning|Deprecated|Fatal error|Parse error)')"
	step_pass "$id" php-log "no PHP notice, warning, deprecation or error from the plugin ($total from WordPress/WooCommerce themselves)"
}
