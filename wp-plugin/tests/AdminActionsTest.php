<?php
/**
 * The settings screen's buttons.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Nonce + capability on every action; connect, test, sync, repair.
 */
class AdminActionsTest extends OCW_Test_Case {

	/**
	 * Admin actions wired to a real OCW_Operations.
	 *
	 * @param OCW_Test_Wpdb|null $db Database for key creation.
	 * @return OCW_Admin_Actions
	 */
	private function actions( $db = null ) {
		list( $settings, $client, $webhooks, $logger ) = $this->parts();
		$ops = new OCW_Operations( $settings, $client, $webhooks, new OCW_Api_Keys( $db ? $db : new OCW_Test_Wpdb() ), $logger );
		$actions = new OCW_Admin_Actions( $ops );
		$actions->register();
		return $actions;
	}

	/**
	 * Runs an admin-post action as WordPress does; answers where it redirected.
	 *
	 * @param string $action Action.
	 * @return string
	 */
	private function post( $action ) {
		try {
			do_action( 'admin_post_' . $action );
		} catch ( OCW_Test_Redirected $r ) {
			return $r->getMessage();
		}
		$this->fail( 'no redirect' );
	}

	/**
	 * Every button's action.
	 *
	 * @return array
	 */
	public function actions_list() {
		return array(
			array( 'oncloudwine_connect' ),
			array( 'oncloudwine_test' ),
			array( 'oncloudwine_sync_products' ),
			array( 'oncloudwine_sync_stock' ),
			array( 'oncloudwine_sync_orders' ),
			array( 'oncloudwine_repair_webhooks' ),
		);
	}

	/**
	 * Without manage_woocommerce: refused, nothing sent.
	 *
	 * @dataProvider actions_list
	 * @param string $action Action.
	 */
	public function test_capability_required( $action ) {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$this->actions();
		OCW_Test_World::$caps = array( 'read' );
		try {
			do_action( 'admin_post_' . $action );
			$this->fail( 'not refused' );
		} catch ( OCW_Test_Died $e ) {
			$this->assertStringContainsString( 'not allowed', $e->getMessage() );
		}
		$this->assertSame( array(), OCW_Test_World::$http );
		$this->assertSame( array(), OCW_Test_World::$webhooks );
	}

	/**
	 * With a bad nonce: refused, nothing sent.
	 *
	 * @dataProvider actions_list
	 * @param string $action Action.
	 */
	public function test_nonce_required( $action ) {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$this->actions();
		OCW_Test_World::$nonce_ok = false;
		$this->expectException( OCW_Test_Died::class );
		try {
			do_action( 'admin_post_' . $action );
		} finally {
			$this->assertSame( array(), OCW_Test_World::$http );
		}
	}

	/**
	 * Sync products posts the job and comes back with a notice.
	 */
	public function test_sync_products() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$actions = $this->actions();
		$this->assertSame( OCW_Settings::page_url(), $this->post( 'oncloudwine_sync_products' ) );
		$calls = OCW_Test_World::calls_to( '/v1/jobs' );
		$this->assertSame( '{"type":"SYNC_WOOCOMMERCE_PRODUCTS"}', $calls[0]['args']['body'] );
		ob_start();
		$actions->render_result_notice();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'notice-success', $html );
		$this->assertStringContainsString( 'job_1', $html );
		ob_start();
		$actions->render_result_notice();
		$this->assertSame( '', ob_get_clean(), 'shown once' );
	}

	/**
	 * Connect with a pasted key sends store URL and key; the webhooks are created.
	 */
	public function test_connect_with_pasted_key() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$this->actions();
		$_POST = array(
			'oncloudwine_consumer_key'    => ' ck_abc ',
			'oncloudwine_consumer_secret' => 'cs_def',
		);
		$this->post( 'oncloudwine_connect' );
		$calls = OCW_Test_World::calls_to( '/v1/connection' );
		$this->assertCount( 1, $calls );
		$this->assertSame(
			array( 'store_url' => 'https://shop.example.com', 'consumer_key' => 'ck_abc', 'consumer_secret' => 'cs_def' ),
			json_decode( $calls[0]['args']['body'], true )
		);
		$this->assertCount( 6, OCW_Test_World::$webhooks );
		$this->assertSame( 1, self::count_calls( 'PUT', '/v1/settings' ) );
		$this->assertTrue( get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' )['ok'] );
	}

	/**
	 * How many calls with a method went to a path.
	 *
	 * @param string $method HTTP method.
	 * @param string $path   Path suffix.
	 * @return int
	 */
	private static function count_calls( $method, $path ) {
		$n = 0;
		foreach ( OCW_Test_World::calls_to( $path ) as $call ) {
			$n += isset( $call['args']['method'] ) && $method === $call['args']['method'] ? 1 : 0;
		}
		return $n;
	}

	/**
	 * A sidecar whose settings are what the plugin would send, and that counts changes.
	 *
	 * @param array $overrides Path => responder.
	 */
	private function sidecar_with_settings( array $overrides = array() ) {
		$this->sidecar_up(
			$overrides + array(
				'/v1/settings' => static function ( $url, $args ) {
					$have = array(
						'mirror_release_orders' => false,
						'customer_mapping'      => 'create',
						'stock_sync_interval'   => '10m',
					);
					if ( 'PUT' === $args['method'] ) {
						$have = json_decode( $args['body'], true );
					}
					return OCW_Test_World::response( 200, $have );
				},
			)
		);
	}

	/**
	 * Connect before Save: the URL and secret typed in the form are saved and used (the
	 * button posts WooCommerce's whole settings form), nothing is lost; the settings are
	 * pushed once, and not at all when the sidecar already has them.
	 */
	public function test_connect_before_save_uses_the_form() {
		$this->sidecar_with_settings();
		$this->actions();
		$secret = str_repeat( 'f', 40 );
		$_POST  = array(
			'woocommerce_oncloudwine_sidecar_url'         => 'http://10.0.0.5:8787',
			'woocommerce_oncloudwine_shared_secret'       => $secret,
			'woocommerce_oncloudwine_stock_sync_interval' => '10',
		);
		$this->post( 'oncloudwine_connect' );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertTrue( $notice['ok'], $notice['message'] );
		$this->assertSame( 'http://10.0.0.5:8787', ( new OCW_Settings() )->sidecar_url() );
		$this->assertSame( $secret, ( new OCW_Settings() )->shared_secret() );
		$this->assertSame( 'Bearer ' . $secret, OCW_Test_World::calls_to( '/v1/connection' )[0]['args']['headers']['Authorization'] );
		$this->assertCount( 6, OCW_Test_World::$webhooks );
		$this->assertSame( 0, self::count_calls( 'PUT', '/v1/settings' ), 'the sidecar had these settings: no change logged' );

		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'         => 'http://10.0.0.5:8787',
			'woocommerce_oncloudwine_stock_sync_interval' => '12',
		);
		$this->post( 'oncloudwine_connect' );
		$this->assertSame( 1, self::count_calls( 'PUT', '/v1/settings' ), 'one change, pushed once' );
	}

	/**
	 * Connect with nothing saved or typed says what to enter, without a request; an invalid
	 * URL typed says what is wrong and connects nothing.
	 */
	public function test_connect_without_url_says_what_to_enter() {
		$this->sidecar_up();
		$this->actions();
		$this->post( 'oncloudwine_connect' );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'sidecar URL', $notice['fix'] );
		$this->assertSame( array(), OCW_Test_World::$http );

		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'   => 'ftp://nope',
			'woocommerce_oncloudwine_shared_secret' => str_repeat( 'f', 40 ),
		);
		$this->post( 'oncloudwine_connect' );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'http://', $notice['message'] );
		$this->assertSame( array(), OCW_Test_World::calls_to( '/v1/connection' ) );
	}

	/**
	 * A wrong secret: the admin's words, no key made, no webhook created.
	 */
	public function test_connect_with_wrong_secret() {
		OCW_Test_World::configure();
		$refuse = static function () {
			return OCW_Test_World::response( 401, array( 'error' => array( 'code' => 'unauthorized', 'message' => 'Missing or wrong bearer token.', 'fix' => 'Send Authorization: Bearer <OCW_SHARED_SECRET>' ) ) );
		};
		$this->sidecar_up( array( '/v1/status' => $refuse, '/v1/connection' => $refuse, '/v1/settings' => $refuse ) );
		$db = new OCW_Test_Wpdb();
		$this->actions( $db );
		$this->post( 'oncloudwine_connect' );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertFalse( $notice['ok'] );
		$this->assertSame( "The shared secret does not match the sidecar's OCW_SHARED_SECRET.", $notice['message'] );
		$this->assertStringNotContainsString( 'Bearer', $notice['fix'] );
		$this->assertSame( array(), $db->inserted );
		$this->assertSame( array(), OCW_Test_World::$webhooks );
		$this->assertSame( array(), OCW_Test_World::calls_to( '/v1/connection' ) );
	}

	/**
	 * Reconnecting with a new key: the old key is revoked only after the sidecar confirmed
	 * the new connection; when the sidecar refuses, only the new key is deleted and the old
	 * one (which the sidecar still uses) stays.
	 */
	public function test_old_key_revoked_only_after_confirmation() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$db = new OCW_Test_Wpdb();
		$this->actions( $db );
		$this->post( 'oncloudwine_connect' );
		$first = (int) get_option( OCW_Api_Keys::KEY_ID_OPTION );
		$this->assertSame( 501, $first );
		$this->assertSame( array(), $db->deleted );

		$this->sidecar_up(
			array(
				'/v1/connection' => static function () {
					return OCW_Test_World::response( 422, array( 'error' => array( 'code' => 'woo_auth_failed', 'message' => 'The store refused the key', 'fix' => '' ) ) );
				},
			)
		);
		$this->post( 'oncloudwine_connect' );
		$this->assertSame( $first, (int) get_option( OCW_Api_Keys::KEY_ID_OPTION ), 'the working key stays' );
		$this->assertSame( array( array( 'wp_woocommerce_api_keys', array( 'key_id' => 502 ) ) ), $db->deleted, 'only the refused key is deleted' );

		$this->sidecar_up();
		$this->post( 'oncloudwine_connect' );
		$this->assertSame( 503, (int) get_option( OCW_Api_Keys::KEY_ID_OPTION ) );
		$this->assertSame( array( 'key_id' => $first ), $db->deleted[1][1], 'the old key goes once the new one is confirmed' );
	}

	/**
	 * Connect with empty fields creates a read/write key the way WC_Auth does.
	 */
	public function test_connect_creates_key() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		$db = new OCW_Test_Wpdb();
		$this->actions( $db );
		$this->post( 'oncloudwine_connect' );
		$sent = json_decode( OCW_Test_World::calls_to( '/v1/connection' )[0]['args']['body'], true );
		$this->assertStringStartsWith( 'ck_', $sent['consumer_key'] );
		$row = $db->inserted[0][1];
		$this->assertSame( 'wp_woocommerce_api_keys', $db->inserted[0][0] );
		$this->assertSame( wc_api_hash( $sent['consumer_key'] ), $row['consumer_key'] );
		$this->assertSame( $sent['consumer_secret'], $row['consumer_secret'] );
		$this->assertSame( substr( $sent['consumer_key'], -7 ), $row['truncated_key'] );
		$this->assertSame( 'read_write', $row['permissions'] );
		$this->assertStringContainsString( 'OnCloudWine', $row['description'] );
	}

	/**
	 * A sidecar URL that redirects is refused before any key is handed over.
	 */
	public function test_connect_refuses_redirect() {
		OCW_Test_World::configure();
		$this->sidecar_up(
			array(
				'/v1/webhooks/woocommerce' => static function () {
					return OCW_Test_World::response( 302, '', array( 'Location' => 'https://elsewhere/' ) );
				},
			)
		);
		$db = new OCW_Test_Wpdb();
		$this->actions( $db );
		$this->post( 'oncloudwine_connect' );
		$this->assertSame( array(), OCW_Test_World::calls_to( '/v1/connection' ) );
		$this->assertSame( array(), $db->inserted );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'redirects', $notice['message'] );
	}

	/**
	 * A refused connection revokes the key the plugin just created.
	 */
	public function test_connect_refused_revokes_created_key() {
		OCW_Test_World::configure();
		$this->sidecar_up(
			array(
				'/v1/connection' => static function () {
					return OCW_Test_World::response( 422, array( 'error' => array( 'code' => 'woo_https_required', 'message' => 'HTTPS required', 'fix' => 'Use https' ) ) );
				},
			)
		);
		$db = new OCW_Test_Wpdb();
		$this->actions( $db );
		$this->post( 'oncloudwine_connect' );
		$this->assertCount( 1, $db->deleted );
		$this->assertSame( 'Use https', get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' )['fix'] );
	}

	/**
	 * Test connection with the sidecar down reports it and sends nothing else.
	 */
	public function test_test_connection_sidecar_down() {
		OCW_Test_World::configure();
		$this->actions();
		$this->post( 'oncloudwine_test' );
		$notice = get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' );
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'cannot be reached', $notice['message'] );
		$this->assertCount( 1, OCW_Test_World::$http );
	}
}
