<?php
/**
 * The status panel.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Sidecar up: counts, failures, jobs, activity; sidecar down: says so after one call.
 */
class StatusPanelTest extends OCW_Test_Case {

	/**
	 * Renders a panel.
	 *
	 * @return string
	 */
	private function render() {
		list( , $client, $webhooks ) = $this->parts();
		$panel                      = new OCW_Status_Panel( $client, $webhooks );
		ob_start();
		$panel->render( $panel->snapshot() );
		return (string) ob_get_clean();
	}

	/**
	 * Everything the sidecar reports is shown, escaped; the error shows on hover.
	 */
	public function test_sidecar_up() {
		OCW_Test_World::configure();
		$this->sidecar_up(
			array(
				'/v1/status'   => array(
					'version'    => '0.1.0',
					'connection' => array( 'status' => 'ERROR', 'last_error' => array( 'code' => 'woo_plain_permalinks', 'message' => 'Default permalinks block the REST API.', 'fix' => 'Change to Post name in WordPress settings.' ) ),
					'items'      => array( 'PENDING' => 2, 'SYNCED' => 1180, 'FAILED' => 4 ),
					'jobs'       => array( 'SYNC_WOOCOMMERCE_PRODUCTS' => array( 'state' => 'running', 'progress' => array( 'done' => 1200, 'total' => 5000 ) ) ),
				),
				'/v1/items'    => array( 'items' => array( array( 'kind' => 'variant', 'key' => 'WINE-CAB-2021-750', 'status' => 'FAILED', 'error' => 'variation is "Draft" <b>', 'name' => 'Cabernet' ) ) ),
				'/v1/activity' => array( 'entries' => array( array( 'id' => 42, 'at' => '2026-11-27T03:00:00Z', 'level' => 'info', 'message' => 'SYNC_WOOCOMMERCE_PRODUCTS: 1,200 / 5,000 products' ) ) ),
			)
		);
		$html = $this->render();
		$this->assertStringContainsString( 'Connection: ERROR', $html );
		$this->assertStringContainsString( 'Change to Post name in WordPress settings.', $html );
		$this->assertStringContainsString( 'SYNCED: <strong>1,180</strong>', $html );
		$this->assertStringContainsString( 'FAILED: <strong>4</strong>', $html );
		$this->assertStringContainsString( '<progress max="5000" value="1200">', $html );
		$this->assertStringContainsString( 'title="variation is &quot;Draft&quot; &lt;b&gt;"', $html );
		$this->assertStringNotContainsString( '<b>', $html );
		$this->assertStringContainsString( '1,200 / 5,000 products', $html );
		$this->assertStringNotContainsString( str_repeat( 's', 40 ), $html, 'the secret never reaches the page' );
	}

	/**
	 * Sidecar down: one call (short timeout), the panel says so and still lists webhooks.
	 */
	public function test_sidecar_down() {
		OCW_Test_World::configure();
		$html = $this->render();
		$this->assertStringContainsString( 'Sidecar unreachable.', $html );
		$this->assertStringContainsString( 'cURL error 7', $html );
		$this->assertStringContainsString( 'product.updated', $html );
		$this->assertCount( 1, OCW_Test_World::$http );
		$this->assertSame( OCW_Sidecar_Client::TIMEOUT, OCW_Test_World::$http[0]['args']['timeout'] );
	}

	/**
	 * Loading the panel repairs a webhook WooCommerce disabled.
	 */
	public function test_loading_repairs_disabled_webhook() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids = $webhooks->owned_ids();
		OCW_Test_World::$webhooks[ $ids['order.updated'] ]['status'] = 'disabled';
		$html = $this->render();
		$this->assertSame( 'active', OCW_Test_World::$webhooks[ $ids['order.updated'] ]['status'] );
		$this->assertCount( 1, OCW_Test_World::calls_to( '/v1/reconcile' ) );
		$this->assertStringContainsString( '<code>order.updated</code> active', $html );
	}

	/**
	 * The buttons post to admin-post.php with the plugin's nonce.
	 */
	public function test_actions_form() {
		ob_start();
		OCW_Status_Panel::render_actions();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'name="_oncloudwine_nonce"', $html );
		$save = strpos( $html, 'name="save"' );
		$this->assertNotFalse( $save, 'Enter in a field must still save the settings' );
		$this->assertLessThan( strpos( $html, 'oncloudwine_connect' ), $save );
		foreach ( array_keys( OCW_Status_Panel::buttons() ) as $action ) {
			$this->assertStringContainsString( 'formaction="https://shop.example.com/wp-admin/admin-post.php?action=' . $action . '"', $html );
		}
	}

	/**
	 * A secret the sidecar refuses: said as such, not as "unreachable", no catch-up
	 * promised, and a disabled webhook is not repaired with that secret.
	 */
	public function test_wrong_secret() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids = $webhooks->owned_ids();
		OCW_Test_World::configure( array( 'shared_secret' => str_repeat( 'w', 40 ) ) );
		OCW_Test_World::$webhooks[ $ids['order.updated'] ]['status'] = 'disabled';
		$this->sidecar_up(
			array(
				'/v1/status' => static function () {
					return OCW_Test_World::response( 401, array( 'error' => array( 'code' => 'unauthorized', 'message' => 'Missing or wrong bearer token.', 'fix' => 'Send Authorization: Bearer <OCW_SHARED_SECRET>' ) ) );
				},
			)
		);
		$html = $this->render();
		$this->assertStringContainsString( 'Wrong shared secret.', $html );
		$this->assertStringContainsString( 'The shared secret does not match the sidecar&#039;s OCW_SHARED_SECRET.', $html );
		$this->assertStringNotContainsString( 'unreachable', $html );
		$this->assertStringNotContainsString( 'caught up', $html );
		$this->assertStringNotContainsString( 'Bearer', $html );
		$this->assertSame( 'disabled', OCW_Test_World::$webhooks[ $ids['order.updated'] ]['status'] );
		$this->assertSame( str_repeat( 's', 40 ), OCW_Test_World::$webhooks[ $ids['order.created'] ]['secret'] );
	}

	/**
	 * The last failed attempt the sidecar reports (`last_attempt` {at, error, fix}) shows
	 * under an ACTIVE connection, in the site's time; none when absent.
	 */
	public function test_last_attempt() {
		OCW_Test_World::configure();
		OCW_Test_World::$options['timezone_string'] = 'Europe/Paris';
		OCW_Test_World::$options['date_format']     = 'Y-m-d';
		OCW_Test_World::$options['time_format']     = 'H:i';
		$attempt = array(
			'at'    => '2026-11-30T03:51:54.80067932Z',
			'error' => 'The store refused the REST key (401).',
			'fix'   => 'Press Connect to make a new key.',
		);
		$this->sidecar_up(
			array(
				'/v1/status' => array(
					'connection' => array( 'status' => 'ACTIVE', 'last_attempt' => $attempt ),
					'items'      => array(),
				),
			)
		);
		$html = $this->render();
		$this->assertStringContainsString( 'Connection: ACTIVE', $html );
		$this->assertStringContainsString( 'Last connection attempt failed</strong> (2026-11-30 04:51): The store refused the REST key (401).', $html );
		$this->assertStringContainsString( 'Press Connect to make a new key.', $html );

		$this->sidecar_up( array( '/v1/status' => array( 'connection' => array( 'status' => 'ACTIVE' ), 'last_attempt' => array( 'at' => '2026-11-30T03:51:54Z', 'error' => array( 'code' => 'woo_unreachable', 'message' => 'Store down', 'fix' => 'Start it' ) ) ) ) );
		$html = $this->render();
		$this->assertStringContainsString( 'Store down', $html );
		$this->assertStringContainsString( 'Start it', $html );

		$this->sidecar_up();
		$this->assertStringNotContainsString( 'Last connection attempt', $this->render() );
	}

	/**
	 * Activity times: the site's date and time format and time zone, the raw UTC time kept
	 * in the datetime attribute.
	 */
	public function test_activity_times_in_site_format() {
		OCW_Test_World::configure();
		OCW_Test_World::$options['timezone_string'] = 'America/New_York';
		$this->sidecar_up( array( '/v1/activity' => array( 'entries' => array( array( 'at' => '2026-11-30T03:51:54.80067932Z', 'level' => 'info', 'message' => 'hello' ) ) ) ) );
		$html = $this->render();
		$this->assertStringContainsString( '>November 29, 2026 10:51 pm</time>', $html );
		$this->assertStringNotContainsString( '>2026-11-30T03:51:54', $html );
	}

	/**
	 * The refresh endpoint: manage_woocommerce and the panel's nonce first; then the
	 * panel's HTML with the job's progress and whether it still runs; when the job ends,
	 * its outcome and running false (the script stops).
	 */
	public function test_refresh_endpoint() {
		OCW_Test_World::configure();
		list( , $client, $webhooks ) = $this->parts();
		$panel = new OCW_Status_Panel( $client, $webhooks );
		$panel->register();
		$job = array( 'state' => 'running', 'progress' => array( 'done' => 0, 'total' => 0 ) );
		$this->sidecar_up(
			array(
				'/v1/status' => static function () use ( &$job ) {
					return OCW_Test_World::response( 200, array( 'connection' => array( 'status' => 'ACTIVE' ), 'jobs' => array( 'SYNC_WOOCOMMERCE_PRODUCTS' => $job ) ) );
				},
			)
		);

		OCW_Test_World::$caps = array( 'read' );
		$answer               = $this->ajax();
		$this->assertFalse( $answer->success );
		$this->assertSame( 403, $answer->status );
		$this->assertSame( array(), OCW_Test_World::$http );

		OCW_Test_World::$caps     = array( 'manage_woocommerce' );
		OCW_Test_World::$nonce_ok = false;
		try {
			do_action( 'wp_ajax_' . OCW_Status_Panel::AJAX_ACTION );
			$this->fail( 'bad nonce accepted' );
		} catch ( OCW_Test_Died $e ) {
			$this->assertSame( array(), OCW_Test_World::$http );
		}
		OCW_Test_World::$nonce_ok = true;

		$answer = $this->ajax();
		$this->assertTrue( $answer->success );
		$this->assertTrue( $answer->data['running'] );
		$this->assertStringContainsString( '<progress></progress>', $answer->data['html'], 'total unknown: indeterminate bar' );
		$this->assertStringContainsString( 'data-running="1"', $answer->data['html'] );

		$job    = array( 'state' => 'running', 'progress' => array( 'done' => 1200, 'total' => 5000 ) );
		$answer = $this->ajax();
		$this->assertStringContainsString( '<progress max="5000" value="1200"></progress> 1,200 / 5,000', $answer->data['html'] );

		$job    = array( 'state' => 'done', 'progress' => array( 'done' => 5000, 'total' => 5000 ), 'finished_at' => '2026-11-30T03:51:54Z' );
		$answer = $this->ajax();
		$this->assertFalse( $answer->data['running'] );
		$this->assertStringContainsString( 'done', $answer->data['html'] );
		$this->assertStringContainsString( 'ended November 30, 2026 3:51 am', $answer->data['html'] );
		$this->assertStringContainsString( 'data-running="0"', $answer->data['html'] );

		$job    = array( 'state' => 'failed', 'progress' => array( 'done' => 10, 'total' => 5000 ), 'error' => 'OnCloudWine answered 503' );
		$answer = $this->ajax();
		$this->assertFalse( $answer->data['running'] );
		$this->assertStringContainsString( 'OnCloudWine answered 503', $answer->data['html'] );
	}

	/**
	 * One call of the refresh endpoint.
	 *
	 * @return OCW_Test_Json
	 */
	private function ajax() {
		try {
			do_action( 'wp_ajax_' . OCW_Status_Panel::AJAX_ACTION );
		} catch ( OCW_Test_Json $answer ) {
			return $answer;
		}
		$this->fail( 'no JSON answer' );
	}

	/**
	 * The refresh script polls only the plugin's endpoint with the panel's nonce, and only
	 * while the panel says a job runs.
	 */
	public function test_refresh_script() {
		OCW_Status_Panel::enqueue_script();
		$script = OCW_Test_World::$scripts['oncloudwine-status-panel'];
		$this->assertTrue( $script['enqueued'] );
		$js = implode( "\n", $script['inline'] );
		$this->assertStringContainsString( "body.append('action', 'oncloudwine_status')", $js );
		$this->assertStringContainsString( "getAttribute('data-nonce')", $js );
		$this->assertStringContainsString( "getAttribute('data-running') === '1'", $js );
		$this->assertStringContainsString( "credentials: 'same-origin'", $js );
		$style = OCW_Test_World::$scripts['style:oncloudwine-status-panel'];
		$this->assertTrue( $style['enqueued'] );
		$this->assertStringContainsString( '.woocommerce-layout__footer{border-top:0;box-shadow:none}', implode( '', $style['inline'] ), "WooCommerce 10's fixed footer line" );
	}
}
