# shellcheck shell=bash
# Step: a customer's order lowers stock and the lowered level reaches OnCloudWine in real
# time: store a through the block checkout (Store API), store b through the classic
# checkout; every webhook's failure count stays 0 (issue 10 step 5, issue 9 item 1).

ORDER_SKU=E2E-HOUSE-RED
ORDER_QTY=3

# shop_curl <id> [curl args]: a guest shopper's request (its own cookie jar).
shop_curl() {
	local id="$1" jar
	shift
	jar="$(store_get "$id" data)/shopper-cookies.txt"
	curl -sS --max-time 90 --cacert "$E2E_DIR/tls/ca.crt" -b "$jar" -c "$jar" -A 'Mozilla/5.0 (X11; Linux x86_64) ocw-e2e shopper' "$@"
}

BILLING_JSON='{"first_name":"Ada","last_name":"Vintner","company":"","address_1":"1 Vineyard Road","address_2":"","city":"Napa","state":"CA","postcode":"94558","country":"US","email":"ada@example.com","phone":"5550100"}'

# block_checkout <id> <product id> <qty>: the Store API's cart and checkout, with the Nonce
# and Cart-Token headers it hands out. Prints the checkout's JSON answer.
block_checkout() {
	local id="$1" pid="$2" qty="$3" url headers nonce token
	url="$(store_get "$id" url)/wp-json/wc/store/v1"
	headers="$E2E_DIR/tmp/storeapi-headers-$id.txt"
	shop_curl "$id" -D "$headers" -o /dev/null "$url/cart" || return 1
	nonce="$(grep -i '^nonce:' "$headers" | tail -1 | tr -d '\r' | cut -d' ' -f2)"
	token="$(grep -i '^cart-token:' "$headers" | tail -1 | tr -d '\r' | cut -d' ' -f2)"
	[ -n "$nonce" ] || {
		echo '{"error":"no Nonce header from GET cart"}'
		return 1
	}
	shop_curl "$id" -D "$headers" -o "$E2E_DIR/tmp/storeapi-add-$id.json" -H "Nonce: $nonce" ${token:+-H "Cart-Token: $token"} \
		-H 'Content-Type: application/json' --data "{\"id\": $pid, \"quantity\": $qty}" "$url/cart/add-item" || return 1
	nonce="$(grep -i '^nonce:' "$headers" | tail -1 | tr -d '\r' | cut -d' ' -f2)"
	shop_curl "$id" -H "Nonce: $nonce" ${token:+-H "Cart-Token: $token"} -H 'Content-Type: application/json' \
		--data "{\"billing_address\": $BILLING_JSON, \"shipping_address\": $BILLING_JSON, \"payment_method\": \"cheque\"}" "$url/checkout"
}

# classic_checkout <id> <product id> <qty>: add to cart from the shop, the checkout form
# with its nonce, posted to ?wc-ajax=checkout as WooCommerce's checkout script does.
classic_checkout() {
	local id="$1" pid="$2" qty="$3" url page="$E2E_DIR/tmp/checkout-$1.html" spec
	url="$(store_get "$id" url)"
	shop_curl "$id" -o /dev/null "$url/?add-to-cart=$pid&quantity=$qty" || return 1
	shop_curl "$id" -o "$page" "$url/checkout/" || return 1
	spec="$(php "$E2E_LIB/php/form.php" "$page" "$url/checkout/" has:woocommerce-process-checkout-nonce "" \
		billing_first_name=Ada billing_last_name=Vintner billing_address_1='1 Vineyard Road' billing_city=Napa billing_state=CA \
		billing_postcode=94558 billing_country=US billing_email=ada@example.com billing_phone=5550100 payment_method=cheque)" || {
		echo '{"error":"no checkout form on /checkout/"}'
		return 1
	}
	shop_curl "$id" -H 'X-Requested-With: XMLHttpRequest' -H 'Content-Type: application/x-www-form-urlencoded' \
		--data-binary "$(tail -n +2 <<<"$spec")" "$url/?wc-ajax=checkout"
}

e2e_step order
step_order() {
	local id="$1" pid before after answer how
	pid="$(jq -r '.order' "$(store_get "$id" data)/catalog-ids.json" 2>/dev/null)"
	[ -n "$pid" ] && [ "$pid" != null ] || {
		step_fail "$id" order "no catalog (the sync-products step seeds it)"
		return
	}
	before="$(catalog "$id" stock "$ORDER_SKU")"
	# Only what the order brings counts: the seeded catalog's own FAILED
	# items were logged (as warnings) when they were created.
	local last_activity
	last_activity="$(sidecar_api "$id" GET '/v1/activity?limit=1' | jq -r '.entries[0].id // 0')"
	if [ "$id" = a ]; then
		how="block checkout (Store API wc/store/v1/checkout)"
		answer="$(block_checkout "$id" "$pid" "$ORDER_QTY")"
	else
		how="classic checkout (?wc-ajax=checkout)"
		answer="$(classic_checkout "$id" "$pid" "$ORDER_QTY")"
	fi
	local t0 order_id
	t0="$(now_ms)"
	order_id="$(jq -r '.order_id // (.redirect // "" | capture("order-received/(?<n>[0-9]+)").n) // empty' <<<"$answer" 2>/dev/null)"
	[ -n "$order_id" ] || {
		step_fail "$id" order "$how did not make an order: $(head -c 400 <<<"$answer")"
		return
	}
	local problems=() want=$((before - ORDER_QTY))
	sim_stock_is() { sim_state "$1" | jq -e --arg s "$ORDER_SKU" --argjson q "$2" '.stock[$s].on_hand == $q' >/dev/null; }
	local arrived=""
	if wait_until 10 sim_stock_is "$id" "$want"; then
		arrived="$(($(now_ms) - t0))"
	else
		problems+=("OnCloudWine holds stock $(sim_value "$id" ".stock[\"$ORDER_SKU\"].on_hand") for $ORDER_SKU 10 s after the checkout answered, not $want")
	fi
	after="$(catalog "$id" stock "$ORDER_SKU")"
	[ "$after" -eq "$want" ] || problems+=("WooCommerce stock $before → $after after ordering $ORDER_QTY")
	local state failures
	state="$(plugin_state "$id")"
	failures="$(jq -c '[.webhooks[] | select(.failure_count != 0) | {topic, failure_count, status}]' <<<"$state")"
	[ "$failures" = '[]' ] || problems+=("webhook failures: $failures")
	local warned
	warned="$(sidecar_api "$id" GET '/v1/activity?limit=50' | jq -r --argjson after "$last_activity" '[.entries[] | select(.id > $after and .level != "info") | .message] | first // empty')"
	[ -z "$warned" ] || problems+=("sidecar activity: $warned")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" order "order #$order_id through the $how: $(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" order "order #$order_id through the $how: stock $before → $after in WooCommerce and in OnCloudWine $arrived ms after the checkout answered; 6 webhooks, 0 failures"
}
