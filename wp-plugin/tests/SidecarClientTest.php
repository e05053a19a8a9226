<?php
/**
 * The server-side sidecar client.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Bearer auth, short timeout, no redirects, error mapping, unreachable sidecar.
 */
class SidecarClientTest extends OCW_Test_Case {

	/**
	 * Every call carries the bearer secret, a 3 s timeout and follows no redirect.
	 */
	public function test_request_shape() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( $settings, $client ) = $this->parts();
		$result = $client->start_job( 'SYNC_WOOCOMMERCE_STOCK' );
		$this->assertTrue( $result['ok'] );
		$call = OCW_Test_World::$http[0];
		$this->assertSame( 'http://10.0.0.5:8787/v1/jobs', $call['url'] );
		$this->assertSame( 'POST', $call['args']['method'] );
		$this->assertSame( 3, $call['args']['timeout'] );
		$this->assertSame( 0, $call['args']['redirection'] );
		$this->assertSame( 'Bearer ' . $settings->shared_secret(), $call['args']['headers']['Authorization'] );
		$this->assertSame( '{"type":"SYNC_WOOCOMMERCE_STOCK"}', $call['args']['body'] );
	}

	/**
	 * The sidecar's error body becomes message and fix.
	 */
	public function test_error_body() {
		OCW_Test_World::configure();
		OCW_Test_World::$responder = static function () {
			return OCW_Test_World::response( 422, array( 'error' => array( 'code' => 'woo_plain_permalinks', 'message' => 'Default permalinks block the REST API.', 'fix' => 'Change to Post name in WordPress settings.' ) ) );
		};
		list( , $client ) = $this->parts();
		$result           = $client->connect( 'https://shop.example.com', 'ck_1', 'cs_1' );
		$this->assertFalse( $result['ok'] );
		$this->assertSame( 422, $result['status'] );
		$this->assertSame( 'woo_plain_permalinks', $result['error']['code'] );
		$this->assertSame( 'Change to Post name in WordPress settings.', $result['error']['fix'] );
		$this->assertSame( 45, OCW_Test_World::$http[0]['args']['timeout'], 'the connection test calls back into the store: Connect waits longer than other calls' );
	}

	/**
	 * A wrong secret (401) says how to fix it.
	 */
	public function test_unauthorized() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( $settings, $client ) = $this->parts();
		$this->assertTrue( $client->status()['ok'] );
		$this->assertTrue( $settings->is_secret_accepted() );
		// The sidecar's own 401 body (sidecar/internal/httpapi/errors.go, unauthorized()).
		OCW_Test_World::$responder = static function () {
			return OCW_Test_World::response(
				401,
				array(
					'error' => array(
						'code'    => 'unauthorized',
						'message' => 'Missing or wrong bearer token.',
						'fix'     => 'Send Authorization: Bearer <OCW_SHARED_SECRET> (the shared secret set in the plugin).',
					),
				)
			);
		};
		$result = $client->status();
		$this->assertSame( 'wrong_secret', $result['error']['code'] );
		$this->assertSame( "The shared secret does not match the sidecar's OCW_SHARED_SECRET.", $result['error']['message'] );
		$this->assertStringNotContainsString( 'Bearer', $result['error']['message'] . $result['error']['fix'] );
		$this->assertStringContainsString( 'OCW_SHARED_SECRET', $result['error']['fix'] );
		$this->assertFalse( $settings->is_secret_accepted() );
	}

	/**
	 * A dead sidecar: one failed call, remembered for the admin notice; a later success clears it.
	 */
	public function test_unreachable_then_back() {
		OCW_Test_World::configure();
		list( , $client ) = $this->parts();
		$result           = $client->status();
		$this->assertFalse( $result['ok'] );
		$this->assertSame( 'sidecar_unreachable', $result['error']['code'] );
		$this->assertNotFalse( get_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT ) );
		$this->sidecar_up();
		$this->assertTrue( $client->status()['ok'] );
		$this->assertFalse( get_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT ) );
		$this->assertSame( '0.1.0', get_option( OCW_Sidecar_Client::LAST_CONTACT_OPTION )['version'] );
	}

	/**
	 * A redirecting sidecar URL is refused, on the admin API and on the webhook ping.
	 */
	public function test_redirect_refused() {
		OCW_Test_World::configure();
		OCW_Test_World::$responder = static function () {
			return OCW_Test_World::response( 301, '', array( 'Location' => 'https://10.0.0.5:8787/' ) );
		};
		list( , $client ) = $this->parts();
		$this->assertSame( 'sidecar_redirects', $client->status()['error']['code'] );
		$ping = $client->check_webhook_endpoint();
		$this->assertSame( 'sidecar_redirects', $ping['error']['code'] );
		$this->assertStringContainsString( 'https://10.0.0.5:8787/', $ping['error']['message'] );
		$this->assertSame( 'wp_safe_remote_post', OCW_Test_World::$http[1]['fn'] );
		$this->assertSame( 'webhook_id=0', OCW_Test_World::$http[1]['args']['body'] );
	}

	/**
	 * Not configured: no HTTP call at all.
	 */
	public function test_unconfigured_makes_no_call() {
		list( , $client ) = $this->parts();
		$this->assertSame( 'not_configured', $client->status()['error']['code'] );
		$this->assertSame( array(), OCW_Test_World::$http );
	}
}
