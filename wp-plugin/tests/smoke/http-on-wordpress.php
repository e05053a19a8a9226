<?php
/**
 * Run by scripts/wp-smoke.sh inside a real WordPress: the sidecar-host filter against the
 * real wp_http_validate_url(), and the sidecar client through the real HTTP API against a
 * fake sidecar on 127.0.0.1 (a loopback address and a non-standard port, exactly what
 * wp_safe_remote_request() refuses by default).
 *
 * Expects $ocw_wp_dir, $ocw_fake_port (fake sidecar) and $ocw_dead_port (nothing listens).
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions

require $ocw_wp_dir . '/wp-load.php';

/**
 * Fails the check.
 *
 * @param string $why What went wrong.
 */
function ocw_http_fail( $why ) {
	fwrite( STDERR, 'http-on-wordpress: ' . $why . "\n" );
	exit( 1 );
}

OCW_Plugin::start();
$ocw_secret = str_repeat( 'f', 40 );
$ocw_base   = 'http://127.0.0.1:' . $ocw_fake_port;
$ocw_hook   = $ocw_base . '/v1/webhooks/woocommerce';

/**
 * Saves the sidecar URL and secret as the settings screen does (the secret in its own option).
 *
 * @param string $url    Sidecar URL.
 * @param string $secret Shared secret.
 */
function ocw_http_configure( $url, $secret ) {
	update_option( OCW_Settings::OPTION, array( 'sidecar_url' => $url ) );
	( new OCW_Settings() )->save_secret( $secret );
}

// Before the filter: WordPress refuses the sidecar.
ocw_http_configure( $ocw_base, $ocw_secret );
if ( false !== wp_http_validate_url( $ocw_hook ) ) {
	ocw_http_fail( 'WordPress accepted a loopback URL without the filter; the check is meaningless' );
}
$ocw_refused = wp_safe_remote_post( $ocw_hook, array( 'body' => 'webhook_id=1', 'timeout' => 3 ) );
if ( ! is_wp_error( $ocw_refused ) ) {
	ocw_http_fail( 'wp_safe_remote_post reached the sidecar without the filter' );
}

( new OCW_Http_Allowlist( new OCW_Settings() ) )->register();

$ocw_cases = array(
	$ocw_hook                                              => true,
	'http://127.0.0.1:' . ( $ocw_fake_port + 1 ) . '/x'    => false,
	'http://127.0.0.1/x'                                   => false,
	'http://10.0.0.5:' . $ocw_fake_port . '/x'             => false,
	'http://192.168.1.1:' . $ocw_fake_port . '/x'          => false,
);
foreach ( $ocw_cases as $ocw_url => $ocw_want ) {
	// As WP_Http::request() runs it for one of the plugin's requests: http_request_args, then the check.
	apply_filters( 'http_request_args', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ), $ocw_url );
	$ocw_got = false !== wp_http_validate_url( $ocw_url );
	if ( $ocw_got !== $ocw_want ) {
		ocw_http_fail( sprintf( 'wp_http_validate_url( %s ) = %s, want %s', $ocw_url, var_export( $ocw_got, true ), var_export( $ocw_want, true ) ) );
	}
}
// Anyone else's wp_safe_remote_*() to the sidecar is refused as before the plugin.
$ocw_other = wp_safe_remote_get( $ocw_base . '/v1/status', array( 'timeout' => 3 ) );
if ( ! is_wp_error( $ocw_other ) ) {
	ocw_http_fail( 'a request that is not the plugin\'s reached the sidecar through the allow-list' );
}

$ocw_client = new OCW_Sidecar_Client( new OCW_Settings(), new OCW_Logger() );
$ocw_ping   = $ocw_client->check_webhook_endpoint();
if ( ! $ocw_ping['ok'] ) {
	ocw_http_fail( 'ping through wp_safe_remote_post: ' . wp_json_encode( $ocw_ping ) );
}
$ocw_status = $ocw_client->status();
if ( ! $ocw_status['ok'] || 'ACTIVE' !== $ocw_status['data']['connection']['status'] ) {
	ocw_http_fail( 'status with the bearer secret: ' . wp_json_encode( $ocw_status ) );
}

ocw_http_configure( $ocw_base, str_repeat( 'x', 40 ) );
$ocw_wrong = $ocw_client->status();
if ( $ocw_wrong['ok'] || 401 !== $ocw_wrong['status'] ) {
	ocw_http_fail( 'a wrong secret was not refused: ' . wp_json_encode( $ocw_wrong ) );
}

ocw_http_configure( $ocw_base . '/moved', $ocw_secret );
$ocw_moved = $ocw_client->check_webhook_endpoint();
if ( $ocw_moved['ok'] || 'sidecar_redirects' !== $ocw_moved['error']['code'] ) {
	ocw_http_fail( 'a redirecting sidecar URL was not refused: ' . wp_json_encode( $ocw_moved ) );
}

ocw_http_configure( 'http://127.0.0.1:' . $ocw_dead_port, $ocw_secret );
$ocw_t0   = microtime( true );
$ocw_dead = $ocw_client->status();
$ocw_took = microtime( true ) - $ocw_t0;
if ( $ocw_dead['ok'] || 'sidecar_unreachable' !== $ocw_dead['error']['code'] || $ocw_took > OCW_Sidecar_Client::TIMEOUT + 0.5 ) {
	ocw_http_fail( sprintf( 'dead sidecar: %s after %.2f s', wp_json_encode( $ocw_dead ), $ocw_took ) );
}
if ( false === get_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT ) ) {
	ocw_http_fail( 'dead sidecar not remembered for the admin notice' );
}
delete_option( OCW_Settings::OPTION );
delete_option( OCW_Settings::SECRET_OPTION );
delete_option( OCW_Settings::ACCEPTED_OPTION );
delete_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT );
printf( "dead sidecar answered in %.3f s\nok\n", $ocw_took );
