<?php
/**
 * Installs WordPress into an e2e store (no WP-CLI): wp_install() with pretty permalinks.
 * argv[1]: the administrator's password.
 *
 * @package OnCloudWine
 */

define( 'WP_INSTALLING', true );
require rtrim( (string) getenv( 'OCW_E2E_ABSPATH' ), '/' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$result = wp_install( 'OCW e2e store', 'admin', 'admin@example.com', false, '', $argv[1] );
if ( is_wp_error( $result ) ) {
	fwrite( STDERR, $result->get_error_message() . PHP_EOL );
	exit( 1 );
}
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'timezone_string', 'UTC' );
echo 'WordPress ' . get_bloginfo( 'version' ) . ' installed, admin user ' . $result['user_id'] . PHP_EOL;
