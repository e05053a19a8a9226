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
		$this->assertCount( 1, OCW_Test_World::calls_to( '/v1/settings' ) );
		$this->assertTrue( get_transient( OCW_Admin_Actions::NOTICE_TRANSIENT . '1' )['ok'] );
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
