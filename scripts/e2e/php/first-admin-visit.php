<?php
/**
 * What WooCommerce does on the first wp-admin visit after its installation
 * (WC_Install::newly_installed on admin_init): on 8.2+ this turns HPOS on for a new shop,
 * so it runs in a request of its own after WooCommerce's init, as it would on a real site.
 *
 * @package OnCloudWine
 */

if ( is_callable( array( 'WC_Install', 'newly_installed' ) ) ) {
	WC_Install::newly_installed();
}
// add_coming_soon_option() only adds: the store was opened before, keep it open.
update_option( 'woocommerce_coming_soon', 'no' );
$hpos = class_exists( '\Automattic\WooCommerce\Utilities\OrderUtil' ) && \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();
echo 'WooCommerce ' . WC_VERSION . ' orders in ' . ( $hpos ? 'HPOS tables' : 'posts tables' ) . PHP_EOL;
