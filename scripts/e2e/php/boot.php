<?php
/**
 * Runs a PHP file inside an e2e store with php-cli: sets what a request would (host with the
 * port, HTTPS), loads wp-load.php as the administrator (user 1) unless the file is the
 * WordPress installer, then includes the file. Usage: php boot.php FILE [args...]
 * (environment: OCW_E2E_ABSPATH, OCW_E2E_URL).
 *
 * @package OnCloudWine
 */

$ocw_e2e_url  = (string) getenv( 'OCW_E2E_URL' );
$ocw_e2e_host = (string) wp_parse_url_light( $ocw_e2e_url );

/**
 * Host and port of a URL (no WordPress yet).
 *
 * @param string $url URL.
 * @return string
 */
function wp_parse_url_light( $url ) {
	$p = parse_url( $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url
	return $p['host'] . ( isset( $p['port'] ) ? ':' . $p['port'] : '' );
}

$_SERVER['HTTP_HOST']   = $ocw_e2e_host;
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = (string) parse_url( $ocw_e2e_url, PHP_URL_PORT );
$_SERVER['HTTPS']       = 'on';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

$ocw_e2e_file = $argv[1];
$argv         = array_slice( $argv, 1 );
$argc         = count( $argv );

if ( 'install-wp.php' !== basename( $ocw_e2e_file ) ) {
	require rtrim( (string) getenv( 'OCW_E2E_ABSPATH' ), '/' ) . '/wp-load.php';
	wp_set_current_user( 1 );
}
require $ocw_e2e_file;
