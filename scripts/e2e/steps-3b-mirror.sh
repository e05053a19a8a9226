# shellcheck shell=bash
# Step: a paid OnCloudWine release order becomes a "processing", paid WooCommerce order with
# the release-order metas, visible in wp-admin's order list (HPOS on store a, posts on store
# b), stock lowered, one customer for the member's e-mail, found by the plugin's
# orders/by-release route; WooCommerce sent the shop's new-order e-mail and no customer
# e-mail (the plugin's default), as read from the mail WordPress tried to send (issue 15).

MIRROR_SKU=E2E-HOUSE-RED
MIRROR_QTY=2

# mirror_order_json <id> <woo order id> <release order id>: the order as WooCommerce holds it,
# the plugin route's answer and the customers with the member's e-mail, JSON.
mirror_order_json() {
	php_eval "$1" "
\$o = wc_get_order( (int) '$2' );
if ( ! \$o ) { echo wp_json_encode( array( 'missing' => true ) ); return; }
\$req = new WP_REST_Request( 'GET', '/wc/v3/oncloudwine/orders/by-release/$3' );
\$res = rest_do_request( \$req );
\$users = get_users( array( 'search' => \$o->get_billing_email(), 'search_columns' => array( 'user_email' ), 'fields' => 'ID' ) );
echo wp_json_encode( array(
	'status' => \$o->get_status(), 'paid' => \$o->is_paid(), 'date_paid' => (bool) \$o->get_date_paid(),
	'release_order_id' => \$o->get_meta( '_oncloudwine_release_order_id' ), 'release_id' => \$o->get_meta( '_oncloudwine_release_id' ),
	'payment_method_title' => \$o->get_payment_method_title(), 'created_via' => \$o->get_created_via(),
	'customer_id' => \$o->get_customer_id(), 'email' => \$o->get_billing_email(), 'total' => \$o->get_total(),
	'by_release' => array( 'status' => \$res->get_status(), 'id' => isset( \$res->get_data()['id'] ) ? \$res->get_data()['id'] : null ),
	'customers' => array_map( 'intval', \$users ), 'admin_email' => get_option( 'admin_email' ),
	'hpos' => class_exists( '\\\\Automattic\\\\WooCommerce\\\\Utilities\\\\OrderUtil' ) && \\Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled(),
) );"
}

# mails_to <id> <address> <since file>: the subjects of the mails WordPress tried to send to
# <address> after <since file> was touched, one per line.
mails_to() {
	local dir f
	dir="$(store_get "$1" data)/mail"
	for f in "$dir"/*.json; do
		[ -f "$f" ] && [ "$f" -nt "$3" ] || continue
		jq -r --arg to "$2" 'select((.to | if type == "array" then join(",") else . end) | ascii_downcase | contains($to | ascii_downcase)) | .subject' "$f"
	done
}

e2e_step mirror
step_mirror() {
	local id="$1" problems=() email ro state order before after since t0
	email="club-$id-$(date +%s)@example.com"
	since="$E2E_DIR/tmp/mirror-since-$id"
	touch "$since"
	before="$(catalog "$id" stock "$MIRROR_SKU")"
	[ -n "$before" ] || {
		step_fail "$id" mirror "no $MIRROR_SKU in the store (the sync-products step seeds it)"
		return
	}
	sidecar_api "$id" PUT /v1/settings -H 'Content-Type: application/json' --data '{"mirror_release_orders": true}' >/dev/null
	cursor_started() { sidecar_api "$1" GET /v1/status | jq_ok '(.cursors.release_orders // "") != ""'; }
	wait_until 20 cursor_started "$id" || problems+=("the release-order cursor did not start 20 s after mirroring was switched on")
	t0="$(now_ms)"
	ro="$(curl -sf --max-time 10 -H "Authorization: Bearer $E2E_SIM_TOKEN" -H 'Content-Type: application/json' \
		"http://127.0.0.1:$(store_get "$id" sim_port)/_sim/release-orders" --data "{\"release_id\": \"rel_e2e\",
		\"customer\": {\"email\": \"$email\", \"first_name\": \"Rui\", \"last_name\": \"Sousa\", \"phone\": \"\"},
		\"billing\": {\"first_name\": \"Rui\", \"last_name\": \"Sousa\", \"company\": \"\", \"address_1\": \"Av. 2\", \"address_2\": \"\", \"city\": \"Lisboa\", \"state\": \"\", \"postcode\": \"1000-001\", \"country\": \"PT\", \"email\": \"$email\", \"phone\": \"\"},
		\"shipping\": {\"first_name\": \"Rui\", \"last_name\": \"Sousa\", \"company\": \"\", \"address_1\": \"Av. 2\", \"address_2\": \"\", \"city\": \"Lisboa\", \"state\": \"\", \"postcode\": \"1000-001\", \"country\": \"PT\", \"email\": \"\", \"phone\": \"\"},
		\"line_items\": [{\"sku\": \"$MIRROR_SKU\", \"quantity\": $MIRROR_QTY, \"unit_price\": \"11.50\"}], \"shipping_total\": \"5.00\"}" | jq -r .id)"
	[ -n "$ro" ] && [ "$ro" != null ] || {
		step_fail "$id" mirror "the OnCloudWine simulator did not take the release order"
		return
	}
	synced() { sim_state "$1" | jq -e --arg r "$2" '.mirror_reports[$r].status == "SYNCED"' >/dev/null; }
	if ! wait_until 150 synced "$id" "$ro"; then
		step_fail "$id" mirror "release order $ro not reported SYNCED within 150 s (one OCW_RELEASE_POLL_INTERVAL, 1m by default, and the mirror): $(sim_state "$id" | jq -c --arg r "$ro" '.mirror_reports[$r]'); sidecar item: $(sidecar_api "$id" GET "/v1/items?kind=release_order&limit=5" | jq -c '.items')"
		return
	fi
	local took=$(($(now_ms) - t0))
	order="$(sim_state "$id" | jq -r --arg r "$ro" '.mirror_reports[$r].woo_order_id')"
	state="$(mirror_order_json "$id" "$order" "$ro")"
	jq_ok '.status == "processing" and .paid and .date_paid' <<<"$state" || problems+=("order #$order is not processing and paid: $state")
	jq -e --arg r "$ro" '.release_order_id == $r and .release_id == "rel_e2e"' <<<"$state" >/dev/null || problems+=("metas: $state")
	jq -e '.payment_method_title == "OnCloudWine release"' <<<"$state" >/dev/null || problems+=("payment method title: $state")
	jq -e --argjson o "$order" '.by_release.status == 200 and .by_release.id == $o' <<<"$state" >/dev/null || problems+=("orders/by-release: $(jq -c .by_release <<<"$state")")
	jq -e '(.customers | length) == 1 and .customers[0] == .customer_id' <<<"$state" >/dev/null || problems+=("customers for the member's e-mail: $(jq -c '{customers, customer_id}' <<<"$state")")
	after="$(catalog "$id" stock "$MIRROR_SKU")"
	[ "$after" -eq $((before - MIRROR_QTY)) ] || problems+=("WooCommerce stock $before → $after, want $((before - MIRROR_QTY))")
	# wp-admin's order list (HPOS screen or the posts list) shows the order.
	local list="/wp-admin/edit.php?post_type=shop_order" html="$E2E_DIR/tmp/mirror-orders-$id.html"
	jq -e '.hpos' <<<"$state" >/dev/null && list="/wp-admin/admin.php?page=wc-orders"
	if wp_login "$id" && [ "$(wp_get "$id" "$list" "$html")" = 200 ]; then
		grep -Eq "(post|order)-$order\b|[?&](post|id)=$order\b" "$html" || problems+=("order #$order is not in wp-admin's order list ($list)")
	else
		problems+=("could not open wp-admin's order list ($list)")
	fi
	# The mails WordPress tried to send: the shop's new-order mail, no customer mail.
	mails_sent() { [ -n "$(mails_to "$1" "$2" "$since")" ]; }
	local admin_email customer_mails shop_mails
	admin_email="$(jq -r .admin_email <<<"$state")"
	wait_until 20 mails_sent "$id" "$admin_email" || true
	shop_mails="$(mails_to "$id" "$admin_email" "$since")"
	customer_mails="$(mails_to "$id" "$email" "$since")"
	grep -q "$order" <<<"$shop_mails" || problems+=("no new-order mail for #$order to $admin_email (sent: ${shop_mails:-none})")
	[ -z "$customer_mails" ] || problems+=("the customer got mail: $(tr '\n' ';' <<<"$customer_mails")")
	if [ ${#problems[@]} -gt 0 ]; then
		step_fail "$id" mirror "release order $ro → order #$order: $(printf '%s; ' "${problems[@]}")"
		return
	fi
	step_pass "$id" mirror "release order $ro → order #$order processing, paid, metas, in $list, by-release found it, stock $before → $after, one customer, new-order mail to the shop and none to the customer; SYNCED $took ms after it was paid"
}
