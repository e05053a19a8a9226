# shellcheck shell=bash
# Steps: SYNC_WOOCOMMERCE_PRODUCTS through the plugin's catalog route with the store's edge
# cases, then a price edit and a stock edit through WooCommerce's PHP API reaching the
# OnCloudWine simulator with no other traffic on the store (issue 10, steps 3 and 4).

# catalog <id> <command> [args]: scripts/e2e/php/catalog.php inside the store.
catalog() {
	local id="$1"
	shift
	php_file "$id" "$E2E_LIB/php/catalog.php" "$@"
}

# press_button <id> <action>: presses one of the plugin's buttons on the settings screen.
press_button() {
	local id="$1" page="$E2E_DIR/tmp/settings-$1.html"
	[ "$(wp_get "$id" "$SETTINGS_PATH" "$page")" = 200 ] || return 1
	form_submit "$id" "$page" has:woocommerce_oncloudwine_sidecar_url "oncloudwine_button=$2" "$E2E_DIR/tmp/button-$1.html"
}

# job_done <id> <type> <not before (RFC 3339)>: the sidecar's last job of that type
# finished after the given time.
job_done() {
	sidecar_api "$1" GET /v1/status | jq -e --arg t "$2" --arg since "$3" \
		'.jobs[$t] | select(. != null) | select(.state == "succeeded" or .state == "failed") | select(.finished_at >= $since)' >/dev/null
}

# sim_value <id> <jq filter>: one value of the simulator's state.
sim_value() { sim_state "$1" | jq -r "$2"; }

e2e_step sync-products
step_sync_products() {
	local id="$1" data
	data="$(store_get "$id" data)"
	catalog "$id" seed >"$data/catalog-ids.json" 2>>"$E2E_DIR/logs/steps-$id.log" || {
		step_fail "$id" sync-products "seeding the catalog through WooCommerce's PHP API failed"
		return
	}
	local since r
	since="$(date -u +%Y-%m-%dT%H:%M:%S)"
	r="$(press_button "$id" oncloudwine_sync_products)"
	case "$r" in 302*) ;; *)
		step_fail "$id" sync-products "Sync products answered $r"
		return
		;;
	esac
	local t0
	t0="$(now_ms)"
	if ! wait_until 120 job_done "$id" SYNC_WOOCOMMERCE_PRODUCTS "$since"; then
		step_fail "$id" sync-products "SYNC_WOOCOMMERCE_PRODUCTS did not finish in 120 s: $(sidecar_api "$id" GET /v1/status | jq -c '.jobs')"
		return
	fi
	local took=$(($(now_ms) - t0)) status
	status="$(sidecar_api "$id" GET /v1/status)"
	local problems=()
	jq_ok '.jobs.SYNC_WOOCOMMERCE_PRODUCTS.state == "succeeded"' <<<"$status" ||
		problems+=("job: $(jq -c '.jobs.SYNC_WOOCOMMERCE_PRODUCTS' <<<"$status")")
	jq_ok '.connection.plugin_routes == true' <<<"$status" || problems+=("the sidecar did not find the plugin's routes")
	grep -q 'GET /wp-json/wc/v3/oncloudwine/catalog[^ ]* HTTP/[0-9.]*" 200' "$E2E_DIR/logs/nginx-$id-access.log" ||
		problems+=("no 200 answer of the catalog route in the store's access log")
	# Stock levels come with the stock job: press it too, then compare both.
	since="$(date -u +%Y-%m-%dT%H:%M:%S)"
	press_button "$id" oncloudwine_sync_stock >/dev/null
	wait_until 60 job_done "$id" SYNC_WOOCOMMERCE_STOCK "$since" || problems+=("SYNC_WOOCOMMERCE_STOCK did not finish in 60 s")

	local expect state
	expect="$(catalog "$id" expect)"
	state="$(sim_state "$id")"
	# Every published simple product and published variation with its own SKU, with
	# WooCommerce's prices and weight, its stock; nothing else of the catalog.
	local diff
	diff="$(jq -r --argjson e "$expect" '
		def num: if . == "" or . == null then "" else tonumber end;
		. as $s | $e | to_entries[] | .key as $sku | .value as $w | $s.variants[$sku] as $v | $s.stock[$sku] as $st |
		if $v == null then "\($sku) missing in OnCloudWine"
		else
			( [ (if ($v.price|num) != ($w.price|num) then "price \($v.price) (Woo \($w.price))" else empty end),
			    (if ($v.regular_price|num) != ($w.regular_price|num) then "regular \($v.regular_price) (Woo \($w.regular_price))" else empty end),
			    (if ($v.sale_price|num) != ($w.sale_price|num) then "sale \($v.sale_price) (Woo \($w.sale_price))" else empty end),
			    (if ($v.weight|num) != ($w.weight|num) then "weight \($v.weight) (Woo \($w.weight))" else empty end),
			    (if $v.weight_unit != "kg" then "weight unit \($v.weight_unit)" else empty end),
			    (if $v.currency != "USD" then "currency \($v.currency)" else empty end),
			    (if $st == null then "no stock level" elif $st.on_hand != $w.stock then "stock \($st.on_hand) (Woo \($w.stock))" else empty end)
			  ] | if length > 0 then "\($sku): " + join(", ") else empty end )
		end' <<<"$state")"
	[ -z "$diff" ] || problems+=("$(tr '\n' ';' <<<"$diff")")
	local extra
	extra="$(jq -r --argjson e "$expect" '.variants | keys[] | select(startswith("E2E-")) | . as $k | select(($e | has($k)) | not)' <<<"$state" | tr '\n' ' ')"
	[ -z "$extra" ] || problems+=("in OnCloudWine but must not be: $extra")
	# The edge cases, as the sidecar reports them (docs/sidecar-api.md).
	local failed ids
	failed="$(sidecar_api "$id" GET '/v1/items?status=FAILED&limit=100')"
	ids="$(cat "$data/catalog-ids.json")"
	local case_id case_text
	while IFS='|' read -r case_id case_text; do
		local wid
		wid="$(jq -r ".$case_id" <<<"$ids")"
		jq -e --argjson w "$wid" --arg t "$case_text" '.items | any(.woo_id == $w and .error == $t)' <<<"$failed" >/dev/null ||
			problems+=("$case_id (#$wid) not FAILED with \"$case_text\": $(jq -c --argjson w "$wid" '[.items[] | select(.woo_id == $w) | .error]' <<<"$failed")")
	done <<'CASES'
no_sku|missing SKU — give it a SKU in WooCommerce
var_no_sku|give this variation its own SKU
var_private|variation is Private — publish it in WooCommerce
CASES
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" sync-products "$(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" sync-products "$(jq 'length' <<<"$expect") variants in OnCloudWine with Woo's price, weight and stock (parent-managed stock, inherited weight) in $took ms through the catalog route; draft, private variation, parent-SKU variation and no-SKU product left out and FAILED as documented"
}

# edit_to_ocw <id> <kind price|stock> <sku> <value> <jq filter that is true when arrived>:
# makes one edit through WooCommerce's PHP API in a php-cli process (no request to the
# store), waits for OnCloudWine to hold it; prints the milliseconds from save() to there.
edit_to_ocw() {
	local id="$1" kind="$2" sku="$3" value="$4" filter="$5" t0
	t0="$(catalog "$id" "set-$kind" "$sku" "$value" 2>>"$E2E_DIR/logs/steps-$id.log")" || return 1
	sim_has() { sim_state "$1" | jq -e "$2" >/dev/null; }
	wait_until 30 sim_has "$id" "$filter" || return 1
	echo $(($(now_ms) - t0))
}

e2e_step price-edit
step_price_edit() {
	local id="$1" times=() i ms price
	for i in $(seq "$(samples)"); do
		price="$((31 + i)).$((10 + i))"
		ms="$(edit_to_ocw "$id" price E2E-PINOT-2022 "$price" ".variants[\"E2E-PINOT-2022\"].regular_price == \"$price\"")" || {
			step_fail "$id" price-edit "price $price of E2E-PINOT-2022 did not reach OnCloudWine in 30 s (OnCloudWine holds $(sim_value "$id" '.variants["E2E-PINOT-2022"].regular_price'))"
			return
		}
		times+=("$ms")
	done
	local med
	med="$(median "${times[@]}")"
	bench_line "$(bench_name "$id" e2e_price_edit_to_ocw_ms)" "$med" ms
	step_pass "$id" price-edit "${#times[@]} price edits through WC_Product::save() reached OnCloudWine in ${times[*]} ms (median $med ms, no request to the store)"
}

e2e_step stock-edit
step_stock_edit() {
	local id="$1" times=() i ms qty
	for i in $(seq "$(samples)"); do
		qty="$((60 + i))"
		ms="$(edit_to_ocw "$id" stock E2E-CAB-750 "$qty" ".stock[\"E2E-CAB-750\"].on_hand == $qty")" || {
			step_fail "$id" stock-edit "stock $qty of E2E-CAB-750 did not reach OnCloudWine in 30 s (OnCloudWine holds $(sim_value "$id" '.stock["E2E-CAB-750"].on_hand'))"
			return
		}
		times+=("$ms")
	done
	local med
	med="$(median "${times[@]}")"
	bench_line "$(bench_name "$id" e2e_stock_edit_to_ocw_ms)" "$med" ms
	step_pass "$id" stock-edit "${#times[@]} stock edits through wc_update_product_stock() (a variation) reached OnCloudWine in ${times[*]} ms (median $med ms)"
}

# bench_name <id> <name>: store a gives the plain name, store b the name with _wc69.
bench_name() {
	if [ "$1" = a ]; then echo "$2"; else echo "${2}_wc69"; fi
}

e2e_step catalog-page-bench
# Only with --bench: 500 more products, then one 500-product page of the catalog route
# with a REST key over HTTPS, as the sidecar reads it (median of 3).
step_catalog_page_bench() {
	local id="$1"
	[ "${E2E_BENCH:-0}" = 1 ] || return 0
	catalog "$id" bulk 500 >/dev/null 2>>"$E2E_DIR/logs/steps-$id.log" || {
		step_fail "$id" catalog-page-bench "could not add 500 products"
		return
	}
	local keys
	keys="$(php_eval "$id" 'global $wpdb; $ck = "ck_" . wc_rand_hash(); $cs = "cs_" . wc_rand_hash();
		$wpdb->insert( $wpdb->prefix . "woocommerce_api_keys", array( "user_id" => 1, "description" => "e2e bench", "permissions" => "read", "consumer_key" => wc_api_hash( $ck ), "consumer_secret" => $cs, "truncated_key" => substr( $ck, -7 ) ) );
		echo $ck . ":" . $cs;')"
	local times=() i t code
	for i in 1 2 3; do
		read -r code t < <(curl -sS --max-time 60 --cacert "$E2E_DIR/tls/ca.crt" -u "$keys" -o "$E2E_DIR/tmp/catalog-page-$id.json" \
			-w '%{http_code} %{time_total}\n' "$(store_get "$id" url)/wp-json/wc/v3/oncloudwine/catalog?after_id=0&limit=500")
		[ "$code" = 200 ] || {
			step_fail "$id" catalog-page-bench "the catalog route answered $code"
			return
		}
		times+=("$t")
	done
	local n med
	n="$(jq '.products | length' "$E2E_DIR/tmp/catalog-page-$id.json")"
	med="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p | awk '{printf "%.2f", $1}')"
	bench_line "$(bench_name "$id" e2e_catalog_route_page_s)" "$med" s
	step_pass "$id" catalog-page-bench "a page of $n products in ${times[*]} s (median $med s)"
}
