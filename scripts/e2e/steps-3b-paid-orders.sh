# shellcheck shell=bash
# Step: a paid online order reaches OnCloudWine as it happens, with WooCommerce's totals and
# lines; its completion and a partial refund follow as updates of the same order (issue 14).
# The order is placed and changed through WooCommerce's PHP API in php-cli (payment_complete(),
# update_status(), wc_create_refund()), the calls the checkout and wp-admin make.

PAID_SKU=E2E-PINOT-2022
PAID_QTY=2
PAID_REFUND=5.00

# orders <id> <command> [args]: scripts/e2e/php/orders.php inside the store.
orders() {
	local id="$1"
	shift
	php_file "$id" "$E2E_LIB/php/orders.php" "$@"
}

# sim_order <id> <woo order id>: OnCloudWine's copy of the order (JSON, "null" when none).
sim_order() { sim_state "$1" | jq -c --arg o "$2" '.orders[$o]'; }

e2e_step paid-order
step_paid_order() {
	local id="$1" placed oid total line currency t0 problems=() arrived completed refunded
	placed="$(orders "$id" place "$PAID_SKU" "$PAID_QTY" 2>>"$E2E_DIR/logs/steps-$id.log")" || {
		step_fail "$id" paid-order "could not place a paid order of $PAID_QTY × $PAID_SKU through WooCommerce's PHP API"
		return
	}
	oid="$(jq -r .id <<<"$placed")"
	total="$(jq -r .total <<<"$placed")"
	line="$(jq -r .line_total <<<"$placed")"
	currency="$(jq -r .currency <<<"$placed")"
	t0="$(jq -r .t0 <<<"$placed")"
	jq_ok '.status == "processing" and .paid' <<<"$placed" || problems+=("WooCommerce made $(jq -c '{status, paid}' <<<"$placed") of it, not a paid processing order")

	sim_order_is() { sim_order "$1" "$2" | jq -e "$3" >/dev/null; }
	if wait_until 30 sim_order_is "$id" "$oid" '.status == "processing"'; then
		arrived="$(($(now_ms) - t0))"
		local got
		got="$(sim_order "$id" "$oid")"
		jq -e --arg t "$total" --arg c "$currency" '.total == $t and .currency == $c and .total_refunded == "0.00" and .date_paid != null' <<<"$got" >/dev/null ||
			problems+=("totals in OnCloudWine $(jq -c '{total, currency, total_refunded, date_paid}' <<<"$got"), WooCommerce says $total $currency")
		jq -e --arg s "$PAID_SKU" --argjson q "$PAID_QTY" --arg l "$line" '.line_items | length == 1 and .[0].sku == $s and .[0].quantity == $q and .[0].total == $l' <<<"$got" >/dev/null ||
			problems+=("lines in OnCloudWine $(jq -c .line_items <<<"$got"), want $PAID_QTY × $PAID_SKU for $line")
		jq_ok '.customer.email == "ada@example.com" and .billing.city == "Napa"' <<<"$got" ||
			problems+=("customer in OnCloudWine $(jq -c '{customer, city: .billing.city}' <<<"$got")")
	else
		step_fail "$id" paid-order "order #$oid ($total $currency) not in OnCloudWine 30 s after payment_complete(): $(sim_order "$id" "$oid")"
		return
	fi

	t0="$(orders "$id" complete "$oid" 2>>"$E2E_DIR/logs/steps-$id.log")" || problems+=("could not complete order #$oid")
	if wait_until 30 sim_order_is "$id" "$oid" '.status == "completed"'; then
		completed="$(($(now_ms) - t0))"
	else
		problems+=("completion not in OnCloudWine after 30 s: $(sim_order "$id" "$oid" | jq -c '{status}')")
	fi
	t0="$(orders "$id" refund "$oid" "$PAID_REFUND" 2>>"$E2E_DIR/logs/steps-$id.log")" || problems+=("could not refund $PAID_REFUND of order #$oid")
	if wait_until 30 sim_order_is "$id" "$oid" ".total_refunded == \"$PAID_REFUND\" and .status == \"completed\""; then
		refunded="$(($(now_ms) - t0))"
	else
		problems+=("partial refund not in OnCloudWine after 30 s: $(sim_order "$id" "$oid" | jq -c '{status, total_refunded}')")
	fi
	local item
	item="$(sidecar_api "$id" GET '/v1/items?kind=order&limit=500' | jq -c --arg k "$oid" '[.items[] | select(.key == $k)][0]')"
	jq_ok '.status == "SYNCED"' <<<"$item" || problems+=("the sidecar's item for order #$oid: $item")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" paid-order "order #$oid: $(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" paid-order "paid order #$oid ($PAID_QTY × $PAID_SKU, $total $currency) in OnCloudWine $arrived ms after payment_complete() with WooCommerce's totals and lines; completion followed in $completed ms, a $PAID_REFUND refund in $refunded ms"
}
