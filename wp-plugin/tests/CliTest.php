<?php
/**
 * WP-CLI commands.
 *
 * @package OnCloudWine\Tests
 */

/**
 * wp oncloudwine status | sync products|stock | webhooks repair.
 */
class CliTest extends OCW_Test_Case {

	/**
	 * A started plugin over the doubles.
	 */
	protected function setUp(): void {
		parent::setUp();
		WP_CLI::$output   = array();
		$GLOBALS['wpdb'] = new OCW_Test_Wpdb();
		OCW_Plugin::start();
	}

	/**
	 * Forget the started plugin.
	 */
	protected function tearDown(): void {
		$instance = new ReflectionProperty( 'OCW_Plugin', 'instance' );
		$instance->setAccessible( true );
		$instance->setValue( null, null );
		unset( $GLOBALS['wpdb'] );
		parent::tearDown();
	}

	/**
	 * `wp oncloudwine sync stock` starts SYNC_WOOCOMMERCE_STOCK.
	 */
	public function test_sync_stock() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		( new OCW_CLI() )->sync( array( 'stock' ), array() );
		$this->assertSame( '{"type":"SYNC_WOOCOMMERCE_STOCK"}', OCW_Test_World::calls_to( '/v1/jobs' )[0]['args']['body'] );
		$this->assertSame( 'success', WP_CLI::$output[0][0] );
	}

	/**
	 * `wp oncloudwine sync orders --since=DATE` starts SYNC_WOOCOMMERCE_ORDERS from that date.
	 */
	public function test_sync_orders_since() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		( new OCW_CLI() )->sync( array( 'orders' ), array( 'since' => '2026-11-01' ) );
		( new OCW_CLI() )->sync( array( 'orders' ), array() );
		$calls = OCW_Test_World::calls_to( '/v1/jobs' );
		$this->assertSame( '{"type":"SYNC_WOOCOMMERCE_ORDERS","since":"2026-11-01"}', $calls[0]['args']['body'] );
		$this->assertSame( '{"type":"SYNC_WOOCOMMERCE_ORDERS"}', $calls[1]['args']['body'] );
	}

	/**
	 * An unknown sync or a dead sidecar exits with an error.
	 */
	public function test_errors_exit() {
		OCW_Test_World::configure();
		try {
			( new OCW_CLI() )->sync( array( 'customers' ), array() );
			$this->fail( 'no error' );
		} catch ( OCW_Test_Cli_Exit $e ) {
			$this->assertStringContainsString( 'products, stock or orders', $e->getMessage() );
		}
		$this->expectException( OCW_Test_Cli_Exit::class );
		( new OCW_CLI() )->status( array(), array() );
	}

	/**
	 * `wp oncloudwine webhooks repair` creates the webhooks and reports it.
	 */
	public function test_webhooks_repair() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		( new OCW_CLI() )->webhooks( array( 'repair' ), array() );
		$this->assertCount( 6, OCW_Test_World::$webhooks );
		$this->assertSame( array( 'success', 'Webhooks: 6 created, 0 re-enabled, 0 updated.' ), WP_CLI::$output[0] );
	}

	/**
	 * `wp oncloudwine status --format=json` prints the sidecar's status and the webhooks.
	 */
	public function test_status_json() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		( new OCW_CLI() )->status( array(), array( 'format' => 'json' ) );
		$out = json_decode( WP_CLI::$output[0][1], true );
		$this->assertSame( 'ACTIVE', $out['sidecar']['connection']['status'] );
		$this->assertSame( 'missing', $out['webhooks']['order.created'] );
	}

	/**
	 * Every command is documented with ## OPTIONS and ## EXAMPLES.
	 */
	public function test_commands_documented() {
		foreach ( array( 'status', 'sync', 'webhooks' ) as $method ) {
			$doc = ( new ReflectionMethod( 'OCW_CLI', $method ) )->getDocComment();
			$this->assertStringContainsString( '## OPTIONS', $doc, $method );
			$this->assertStringContainsString( '## EXAMPLES', $doc, $method );
			$this->assertStringContainsString( 'wp oncloudwine ' . $method, $doc, $method );
		}
	}
}
