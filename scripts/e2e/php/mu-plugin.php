<?php
/**
 * Plugin Name: OnCloudWine e2e environment
 * Description: Test-run wiring only (scripts/e2e): WordPress's HTTP API trusts the run's CA
 * (WordPress uses its own CA bundle, not the system's), and mail is written to files instead
 * of being sent (there is no mail server).
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

add_filter(
	'http_request_args',
	static function ( $args ) {
		if ( defined( 'OCW_E2E_CA_BUNDLE' ) ) {
			$args['sslcertificates'] = OCW_E2E_CA_BUNDLE;
		}
		return $args;
	}
);

add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, $atts ) {
		if ( defined( 'OCW_E2E_MAIL_DIR' ) && is_dir( OCW_E2E_MAIL_DIR ) ) {
			file_put_contents( OCW_E2E_MAIL_DIR . '/' . microtime( true ) . '-' . wp_rand() . '.json', wp_json_encode( $atts ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
		}
		return true;
	},
	10,
	2
);
