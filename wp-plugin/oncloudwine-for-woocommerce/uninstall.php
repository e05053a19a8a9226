<?php
/**
 * Uninstall: deletes the plugin's webhooks, its REST key, its schedule and every option.
 *
 * @package OnCloudWine
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-ocw-logger.php';
require_once __DIR__ . '/includes/class-ocw-settings.php';
require_once __DIR__ . '/includes/class-ocw-sidecar-client.php';
require_once __DIR__ . '/includes/class-ocw-webhooks.php';
require_once __DIR__ . '/includes/class-ocw-api-keys.php';
require_once __DIR__ . '/includes/class-ocw-scheduler.php';

/**
 * Removes everything the plugin stored.
 */
function oncloudwine_uninstall() {
	global $wpdb;

	$logger   = new OCW_Logger();
	$settings = new OCW_Settings();
	$webhooks = new OCW_Webhooks( $settings, new OCW_Sidecar_Client( $settings, $logger ), $logger );

	if ( class_exists( 'WC_Webhook' ) && class_exists( 'WC_Data_Store' ) ) {
		$webhooks->delete_all();
	} else {
		// WooCommerce is not active: delete the rows it would have deleted.
		OCW_Webhooks::change_rows_without_woocommerce( $wpdb, 'delete' );
	}
	( new OCW_Api_Keys( $wpdb ) )->revoke();
	// No action of the plugin is left behind, not even a canceled one.
	if ( class_exists( 'ActionScheduler' ) ) {
		( new OCW_Scheduler( $webhooks ) )->purge();
	} else {
		OCW_Scheduler::delete_without_action_scheduler( $wpdb );
	}

	foreach ( array( OCW_Settings::OPTION, OCW_Settings::SECRET_OPTION, OCW_Settings::ACCEPTED_OPTION, OCW_Webhooks::IDS_OPTION, OCW_Api_Keys::KEY_ID_OPTION, OCW_Sidecar_Client::LAST_CONTACT_OPTION ) as $option ) {
		delete_option( $option );
	}
	foreach ( array( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT, OCW_Scheduler::CHECKED_TRANSIENT ) as $transient ) {
		delete_transient( $transient );
	}
	// One-time notices of every user.
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( '_transient_oncloudwine_' ) . '%', $wpdb->esc_like( '_transient_timeout_oncloudwine_' ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- transients of every user by prefix: no API lists them.
}

oncloudwine_uninstall();
