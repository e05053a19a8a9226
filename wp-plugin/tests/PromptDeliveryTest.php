<?php
/**
 * Prompt delivery of the plugin's own webhooks.
 *
 * @package OnCloudWine\Tests
 */

/**
 * The switch applies only to the plugin's webhooks; the response is finished first.
 */
class PromptDeliveryTest extends OCW_Test_Case {

	/**
	 * Prompt delivery under test.
	 *
	 * @var OCW_Prompt_Delivery
	 */
	private $prompt;

	/**
	 * How many times the response was finished.
	 *
	 * @var int
	 */
	private $finished = 0;

	/**
	 * Owned webhook ids by topic.
	 *
	 * @var array
	 */
	private $ids;

	/**
	 * Six owned webhooks plus a foreign one (id 7).
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->ids            = $this->owned_webhooks_and_a_foreign_one();
		list( , , $webhooks ) = $this->parts();
		$this->finished       = 0;
		$this->prompt         = new OCW_Prompt_Delivery(
			$webhooks,
			function () {
				++$this->finished;
			}
		);
		$this->prompt->register();
	}

	/**
	 * Async is switched off for the plugin's webhooks only; other answers pass through.
	 */
	public function test_deliver_async_only_for_own_webhooks() {
		$own     = new WC_Webhook( $this->ids['product.updated'] );
		$foreign = new WC_Webhook( 7 );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, $own, 41 ) );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, $foreign, 41 ) );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', false, $foreign, 41 ) );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( 0 ), 41 ) );
	}

	/**
	 * The short timeout applies to the plugin's webhooks (deliveries and pings) only.
	 */
	public function test_http_args_timeout_only_for_own_webhooks() {
		$args = array(
			'method'  => 'POST',
			'timeout' => 60,
			'body'    => '{}',
		);
		$own  = apply_filters( 'woocommerce_webhook_http_args', $args, 41, $this->ids['order.updated'] );
		$this->assertSame( 3.0, $own['timeout'] );
		$this->assertSame( '{}', $own['body'] );
		$ping = apply_filters( 'woocommerce_webhook_http_args', array( 'body' => 'webhook_id=1' ), null, $this->ids['order.updated'] );
		$this->assertSame( 3.0, $ping['timeout'] );
		$this->assertSame( $args, apply_filters( 'woocommerce_webhook_http_args', $args, 41, 7 ) );
	}

	/**
	 * A ping of the plugin's webhook gets the short timeout through http_request_args (the
	 * way WooCommerce 6.x sends it, without woocommerce_webhook_http_args); other requests,
	 * including a ping to another URL and a JSON delivery, keep theirs.
	 */
	public function test_ping_timeout_through_http_request_args() {
		$url  = 'http://10.0.0.5:8787/v1/webhooks/woocommerce';
		$ping = apply_filters( 'http_request_args', array( 'timeout' => 5, 'body' => 'webhook_id=12' ), $url );
		$this->assertSame( 3.0, $ping['timeout'] );
		$short = apply_filters( 'http_request_args', array( 'timeout' => 1, 'body' => 'webhook_id=12' ), $url );
		$this->assertSame( 1.0, $short['timeout'] );
		$other = array( 'timeout' => 5, 'body' => 'webhook_id=12' );
		$this->assertSame( $other, apply_filters( 'http_request_args', $other, 'https://zapier.example/hook' ) );
		$json = array( 'timeout' => 60, 'body' => '{"id":12}' );
		$this->assertSame( $json, apply_filters( 'http_request_args', $json, $url ) );
		$this->assertSame( 2, OCW_Test_World::$hooks['http_request_args'][10][0][1] );
	}

	/**
	 * The response is finished on shutdown only when one of the plugin's deliveries is
	 * queued, once, and before WooCommerce's queue runs at priority 10.
	 */
	public function test_finishes_response_only_when_own_delivery_queued() {
		do_action( 'woocommerce_webhook_process_delivery', new WC_Webhook( 7 ), 41 );
		do_action( 'shutdown' );
		$this->assertSame( 0, $this->finished );

		$order = array();
		add_action(
			'shutdown',
			static function () use ( &$order ) {
				$order[] = 'wc_webhook_execute_queue';
			},
			10
		);
		add_action(
			'shutdown',
			function () use ( &$order ) {
				$order[] = 'finished:' . $this->finished;
			},
			6
		);
		do_action( 'woocommerce_webhook_process_delivery', new WC_Webhook( $this->ids['product.updated'] ), 41 );
		do_action( 'shutdown' );
		$this->assertSame( 1, $this->finished );
		$this->assertSame( array( 'finished:1', 'wc_webhook_execute_queue' ), $order );
		$this->assertFalse( $this->prompt->finish_response() );
		$this->assertSame( 1, $this->finished );
	}

	/**
	 * A delivery of the plugin's that does not get through (WP_Error from
	 * wp_safe_remote_request: refused, timed out) sends the rest of the request's queue, and
	 * the next minute's, to Action Scheduler: a dead sidecar costs one timeout, not one per
	 * queued delivery. Foreign webhooks and HTTP answers (even 500) do not hold it.
	 */
	public function test_failed_delivery_holds_prompt_delivery() {
		$own     = new WC_Webhook( $this->ids['order.created'] );
		$other   = new WC_Webhook( $this->ids['order.updated'] );
		$foreign = new WC_Webhook( 7 );
		$args    = array( 'method' => 'POST' );

		do_action( 'woocommerce_webhook_delivery', $args, new WP_Error( 'http_request_failed', 'cURL error 28' ), 3.0, 41, 7 );
		do_action( 'woocommerce_webhook_delivery', $args, OCW_Test_World::response( 500, 'oops' ), 0.01, 41, $own->get_id() );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, $other, 41 ) );
		$this->assertFalse( get_transient( OCW_Prompt_Delivery::HOLD_TRANSIENT ) );

		// WooCommerce's queue: the filter is asked before each delivery, in order.
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, $own, 41 ) );
		do_action( 'woocommerce_webhook_delivery', $args, new WP_Error( 'http_request_failed', 'cURL error 28: Operation timed out' ), 3.0, 41, $own->get_id() );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, $other, 41 ) );
		$this->assertNotFalse( get_transient( OCW_Prompt_Delivery::HOLD_TRANSIENT ) );
		$this->assertSame( OCW_Prompt_Delivery::HOLD_SECONDS, OCW_Test_World::$transient_ttl[ OCW_Prompt_Delivery::HOLD_TRANSIENT ] );

		// The next request holds too, until the transient expires.
		list( , , $webhooks ) = $this->parts();
		$next                 = new OCW_Prompt_Delivery( $webhooks, static function () {} );
		$this->assertTrue( $next->filter_deliver_async( true, $own, 41 ) );
		delete_transient( OCW_Prompt_Delivery::HOLD_TRANSIENT );
		$later = new OCW_Prompt_Delivery( $webhooks, static function () {} );
		$this->assertFalse( $later->filter_deliver_async( true, $own, 41 ) );
		$this->assertTrue( $later->filter_deliver_async( true, $foreign, 41 ) );
	}

	/**
	 * Hooked where the design says: shutdown before 10, noting before WooCommerce queues.
	 */
	public function test_hook_priorities() {
		$this->assertArrayHasKey( OCW_Prompt_Delivery::SHUTDOWN_PRIORITY, OCW_Test_World::$hooks['shutdown'] );
		$this->assertLessThan( 10, OCW_Prompt_Delivery::SHUTDOWN_PRIORITY );
		$this->assertGreaterThan( 1, OCW_Prompt_Delivery::SHUTDOWN_PRIORITY );
		$this->assertArrayHasKey( 5, OCW_Test_World::$hooks['woocommerce_webhook_process_delivery'] );
		$this->assertSame( 3, OCW_Test_World::$hooks['woocommerce_webhook_deliver_async'][10][0][1] );
		$this->assertSame( 3, OCW_Test_World::$hooks['woocommerce_webhook_http_args'][10][0][1] );
		$this->assertSame( 5, OCW_Test_World::$hooks['woocommerce_webhook_delivery'][10][0][1] );
	}
}
