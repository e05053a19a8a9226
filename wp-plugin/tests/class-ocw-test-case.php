<?php
/**
 * Base test case: a fresh doubled WordPress for every test.
 *
 * @package OnCloudWine\Tests
 */

use PHPUnit\Framework\TestCase;

/**
 * Resets the world and offers the usual objects.
 */
abstract class OCW_Test_Case extends TestCase {

	/**
	 * Fresh state.
	 */
	protected function setUp(): void {
		parent::setUp();
		OCW_Test_World::reset();
		WC_Admin_Settings::$errors = array();
		$_POST                     = array();
		// As the plugin runs: its own requests may reach the sidecar's private host and port.
		( new OCW_Http_Allowlist( new OCW_Settings() ) )->register();
	}

	/**
	 * Settings, client and webhooks wired like the plugin does.
	 *
	 * @return array settings, client, webhooks, logger.
	 */
	protected function parts() {
		$logger   = new OCW_Logger();
		$settings = new OCW_Settings();
		$client   = new OCW_Sidecar_Client( $settings, $logger );
		$webhooks = new OCW_Webhooks(
			$settings,
			$client,
			$logger,
			null,
			static function () {
				return array_keys( OCW_Test_World::$webhooks );
			},
			static function ( $status ) {
				return array_keys(
					array_filter(
						OCW_Test_World::$webhooks,
						static function ( $data ) use ( $status ) {
							return $data['status'] === $status;
						}
					)
				);
			}
		);
		return array( $settings, $client, $webhooks, $logger );
	}

	/**
	 * A sidecar that answers every admin call 2xx and the webhook ping 200.
	 *
	 * @param array $bodies Path => body overrides.
	 */
	protected function sidecar_up( array $bodies = array() ) {
		OCW_Test_World::$responder = static function ( $url, $args ) use ( $bodies ) {
			$path = (string) parse_url( $url, PHP_URL_PATH );
			if ( isset( $bodies[ $path ] ) ) {
				return is_callable( $bodies[ $path ] ) ? call_user_func( $bodies[ $path ], $url, $args ) : OCW_Test_World::response( 200, $bodies[ $path ] );
			}
			switch ( $path ) {
				case '/v1/webhooks/woocommerce':
					return OCW_Test_World::response( 200, '' );
				case '/v1/reconcile':
					return OCW_Test_World::response( 202, array( 'queued' => true ) );
				case '/v1/jobs':
					return OCW_Test_World::response( 202, array( 'id' => 'job_1', 'type' => 'SYNC_WOOCOMMERCE_PRODUCTS', 'state' => 'queued' ) );
				case '/v1/connection':
					return OCW_Test_World::response( 200, array( 'status' => 'ACTIVE', 'wc_version' => '10.0.2' ) );
				case '/v1/status':
					return OCW_Test_World::response( 200, array( 'version' => '0.1.0', 'connection' => array( 'status' => 'ACTIVE' ), 'items' => array( 'PENDING' => 0, 'SYNCED' => 3, 'FAILED' => 1 ) ) );
			}
			return OCW_Test_World::response( 200, array() );
		};
	}

	/**
	 * A connected plugin with its six webhooks repaired, plus a foreign
	 * webhook (id 7) it must never touch.
	 *
	 * @return array Owned webhook ids by topic.
	 */
	protected function owned_webhooks_and_a_foreign_one() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		OCW_Test_World::$webhooks[7] = array(
			'status'           => 'active',
			'delivery_url'     => 'https://zapier.example/hook',
			'secret'           => 'x',
			'name'             => 'Zapier',
			'topic'            => 'order.created',
			'failure_count'    => 0,
			'user_id'          => 1,
			'api_version'      => 3,
			'pending_delivery' => false,
		);
		return $webhooks->owned_ids();
	}
}
