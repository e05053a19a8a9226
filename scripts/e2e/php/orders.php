<?php
/**
 * Paid online orders through WooCommerce's own PHP API (what the checkout and wp-admin's
 * order screen call), for the orders-to-OnCloudWine step.
 *
 *   php orders.php place SKU QTY       a guest's order paid at checkout (payment_complete()):
 *                                      prints JSON {id, number, total, line_total, currency, t0}
 *   php orders.php complete ID         marks it completed; prints the ms timestamp before save
 *   php orders.php refund ID AMOUNT    a manual partial refund (wc_create_refund); prints the ms
 *                                      timestamp before it
 *
 * @package OnCloudWine
 */

$cmd = isset( $argv[1] ) ? $argv[1] : '';

/**
 * Milliseconds since the epoch.
 *
 * @return int
 */
function ocw_e2e_orders_now_ms() {
	return (int) floor( microtime( true ) * 1000 );
}

/**
 * An order by id, or exit 1.
 *
 * @param string $id Order id.
 * @return WC_Order
 */
function ocw_e2e_order( $id ) {
	$order = wc_get_order( (int) $id );
	if ( ! $order ) {
		fwrite( STDERR, "no order $id\n" );
		exit( 1 );
	}
	return $order;
}

switch ( $cmd ) {
	case 'place':
		$product_id = wc_get_product_id_by_sku( (string) $argv[2] );
		if ( ! $product_id ) {
			fwrite( STDERR, "no product with SKU {$argv[2]}\n" );
			exit( 1 );
		}
		$billing = array(
			'first_name' => 'Ada',
			'last_name'  => 'Vintner',
			'address_1'  => '1 Vineyard Road',
			'city'       => 'Napa',
			'state'      => 'CA',
			'postcode'   => '94558',
			'country'    => 'US',
			'email'      => 'ada@example.com',
			'phone'      => '5550100',
		);
		$order = wc_create_order( array( 'created_via' => 'checkout' ) );
		$order->add_product( wc_get_product( $product_id ), (int) $argv[3] );
		$order->set_address( $billing, 'billing' );
		$order->set_address( $billing, 'shipping' );
		$order->set_payment_method( 'bacs' );
		$order->set_payment_method_title( 'Direct bank transfer' );
		$order->calculate_totals();
		$t0 = ocw_e2e_orders_now_ms();
		$order->payment_complete( 'e2e-' . $t0 );
		$order = ocw_e2e_order( $order->get_id() );
		$items = array_values( $order->get_items() );
		echo wp_json_encode(
			array(
				'id'         => $order->get_id(),
				'number'     => $order->get_order_number(),
				'status'     => $order->get_status(),
				'total'      => wc_format_decimal( $order->get_total(), wc_get_price_decimals() ),
				'line_total' => wc_format_decimal( $items[0]->get_total(), wc_get_price_decimals() ),
				'currency'   => $order->get_currency(),
				'paid'       => null !== $order->get_date_paid(),
				't0'         => $t0,
			)
		) . PHP_EOL;
		break;
	case 'complete':
		$order = ocw_e2e_order( $argv[2] );
		echo ocw_e2e_orders_now_ms() . PHP_EOL;
		$order->update_status( 'completed' );
		break;
	case 'refund':
		$order = ocw_e2e_order( $argv[2] );
		echo ocw_e2e_orders_now_ms() . PHP_EOL;
		$refund = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => (string) $argv[3],
				'reason'         => 'e2e: one bottle arrived broken',
				'refund_payment' => false,
				'restock_items'  => false,
			)
		);
		if ( is_wp_error( $refund ) ) {
			fwrite( STDERR, $refund->get_error_message() . "\n" );
			exit( 1 );
		}
		break;
	default:
		fwrite( STDERR, "usage: orders.php place SKU QTY | complete ID | refund ID AMOUNT\n" );
		exit( 2 );
}
