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
}
