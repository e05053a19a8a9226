<?php
/**
 * Prints, as JSON, what the plugin left in the store's database, read straight from the
 * tables (so it also works when the plugin is gone): its webhooks (by name), the REST keys
 * made for OnCloudWine, its options and transients, its Action Scheduler actions.
 *
 * @package OnCloudWine
 */

global $wpdb;
$state = array(
	'plugin_active' => in_array( 'oncloudwine-for-woocommerce/oncloudwine-for-woocommerce.php', (array) get_option( 'active_plugins', array() ), true ),
	'plugin_files'  => is_dir( WP_PLUGIN_DIR . '/oncloudwine-for-woocommerce' ),
	'webhooks'      => array(),
	'keys'          => array(),
	'options'       => array(),
	'actions'       => array(),
);

foreach ( $wpdb->get_results( "SELECT webhook_id, status, name, delivery_url, topic, api_version, failure_count, pending_delivery, user_id FROM {$wpdb->prefix}wc_webhooks WHERE name LIKE 'OnCloudWine%' ORDER BY webhook_id", ARRAY_A ) as $row ) {
	$row['webhook_id']       = (int) $row['webhook_id'];
	$row['failure_count']    = (int) $row['failure_count'];
	$row['pending_delivery'] = (int) $row['pending_delivery'];
	$state['webhooks'][]     = $row;
}
foreach ( $wpdb->get_results( "SELECT key_id, description, permissions, truncated_key, user_id FROM {$wpdb->prefix}woocommerce_api_keys WHERE description LIKE '%OnCloudWine%'", ARRAY_A ) as $row ) {
	$state['keys'][] = $row;
}
$key_id = get_option( 'oncloudwine_api_key_id' );
if ( $key_id ) {
	$state['key_by_option'] = $wpdb->get_row( $wpdb->prepare( "SELECT key_id, description, permissions FROM {$wpdb->prefix}woocommerce_api_keys WHERE key_id = %d", $key_id ), ARRAY_A );
}
$state['options'] = $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%oncloudwine%' ORDER BY option_name" );
if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . 'actionscheduler_actions' ) ) ) {
	foreach ( $wpdb->get_results( "SELECT hook, status, COUNT(*) AS n FROM {$wpdb->prefix}actionscheduler_actions WHERE hook LIKE '%oncloudwine%' GROUP BY hook, status", ARRAY_A ) as $row ) {
		$state['actions'][] = array(
			'hook'   => $row['hook'],
			'status' => $row['status'],
			'count'  => (int) $row['n'],
		);
	}
}
echo wp_json_encode( $state ) . PHP_EOL;
