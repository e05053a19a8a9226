<?php
/**
 * A fake sidecar for scripts/wp-smoke.sh, served by `php -S 127.0.0.1:PORT fake-sidecar.php`:
 * the webhook receiver (ping → 200), GET /v1/status behind the bearer secret in
 * OCW_FAKE_SECRET, and /moved/... which redirects like a misconfigured proxy.
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable WordPress.Security, WordPress.WP.AlternativeFunctions

$ocw_path   = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$ocw_method = $_SERVER['REQUEST_METHOD'];
$ocw_secret = (string) getenv( 'OCW_FAKE_SECRET' );
$ocw_auth   = isset( $_SERVER['HTTP_AUTHORIZATION'] ) ? $_SERVER['HTTP_AUTHORIZATION'] : '';

header( 'Content-Type: application/json' );
if ( 0 === strpos( $ocw_path, '/moved/' ) ) {
	header( 'Location: http://127.0.0.1/elsewhere', true, 301 );
	exit;
}
if ( 'POST' === $ocw_method && '/v1/webhooks/woocommerce' === $ocw_path ) {
	$body = file_get_contents( 'php://input' );
	http_response_code( preg_match( '/^webhook_id=[0-9]+$/', $body ) ? 200 : 400 );
	exit;
}
if ( 0 === strpos( $ocw_path, '/v1/' ) && 'Bearer ' . $ocw_secret !== $ocw_auth ) {
	http_response_code( 401 );
	echo '{"error":{"code":"unauthorized","message":"bad bearer token","fix":""}}';
	exit;
}
if ( 'GET' === $ocw_method && '/v1/status' === $ocw_path ) {
	echo '{"version":"0.0.0-fake","connection":{"status":"ACTIVE","wc_version":"10.0.2"},"items":{"PENDING":0,"SYNCED":2,"FAILED":0},"jobs":{}}';
	exit;
}
http_response_code( 404 );
echo '{"error":{"code":"not_found","message":"no route","fix":""}}';
