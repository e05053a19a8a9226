<?php
/**
 * Prompt deliveries inside a REST request that did not load wc/v3 (the block checkout).
 *
 * @package OnCloudWine\Tests
 */

/**
 * On WooCommerce 9.2+ a Store API request registers no wc/v3 route; the plugin's prompt
 * delivery builds its payload through one (/wc/v3/orders/{id}).
 */
class PayloadRoutesTest extends OCW_Test_Case {

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
		$this->ids = $this->owned_webhooks_and_a_foreign_one();
	}

	/**
	 * The plugin as it is hooked on plugins_loaded, with a WooCommerce version, then a
	 * REST request to a route: WooCommerce registers its namespaces on rest_api_init.
	 *
	 * @param string $wc_version WooCommerce version.
	 * @param string $rest_route The request's rest_route ('' for a page request).
	 * @return OCW_Prompt_Delivery
	 */
	private function request( $wc_version, $rest_route ) {
		list( , , $webhooks ) = $this->parts();
		$prompt               = new OCW_Prompt_Delivery( $webhooks, static function () {}, new OCW_Payload_Routes( $wc_version ) );
		$prompt->register();
		\Automattic\WooCommerce\RestApi\Server::instance()->init();
		$GLOBALS['wp'] = (object) array( 'query_vars' => array( 'rest_route' => $rest_route ) );
		if ( '' !== $rest_route ) {
			rest_get_server();
		}
		return $prompt;
	}

	/**
	 * Whether the request's REST server has a route.
	 *
	 * @param string $route Route.
	 * @return bool
	 */
	private function has_route( $route ) {
		return array_key_exists( $route, rest_get_server()->get_routes() );
	}

	/**
	 * Block checkout on WooCommerce 10: the Store API request loads no wc/v3 route (its own
	 * speed kept); the plugin's order delivery makes the order route available before it
	 * runs, and is delivered promptly; the product delivery the same, once per resource.
	 */
	public function test_block_checkout_delivery_gets_its_wc_v3_route_on_94_and_later() {
		$this->request( '10.0.2', '/wc/store/v1/checkout' );
		$this->assertFalse( $this->has_route( '/wc/v3/orders/(?P<id>[\d]+)' ), 'a Store API request loads no wc/v3 by itself' );
		$this->assertSame( 0, OCW_Test_Rest_Controller::$instances );

		$order = new WC_Webhook( $this->ids['order.created'] );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, $order, 41 ) );
		$this->assertTrue( $this->has_route( '/wc/v3/orders/(?P<id>[\d]+)' ) );
		$this->assertFalse( $this->has_route( '/wc/v3/webhooks/(?P<id>[\d]+)' ), 'only the controllers the payloads need' );
		$this->assertFalse( $this->has_route( '/wc/v1/orders/(?P<id>[\d]+)' ) );
		$this->assertSame( 1, OCW_Test_Rest_Controller::$instances );

		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['order.updated'] ), 41 ) );
		$this->assertSame( 1, OCW_Test_Rest_Controller::$instances, 'registered once per request' );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['product.updated'] ), 17 ) );
		$this->assertTrue( $this->has_route( '/wc/v3/products/(?P<id>[\d]+)' ) );
		$this->assertSame( 2, OCW_Test_Rest_Controller::$instances );

		// The filter answers for wc/v3 only while the plugin loads it.
		$this->assertFalse( wc_rest_should_load_namespace( 'wc/v3' ) );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( 7 ), 41 ), 'a foreign webhook keeps its answer' );
	}

	/**
	 * WooCommerce 9.2–9.3 has no filter: the plugin's deliveries inside such a request go
	 * to WooCommerce's asynchronous path (whose request loads every namespace).
	 */
	public function test_block_checkout_delivery_goes_async_before_94() {
		OCW_Test_World::$wc_rest_filter = false;
		$this->request( '9.3.3', '/wc/store/v1/checkout' );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['order.created'] ), 41 ) );
		$this->assertFalse( $this->has_route( '/wc/v3/orders/(?P<id>[\d]+)' ) );
		$this->assertSame( 0, OCW_Test_Rest_Controller::$instances );
	}

	/**
	 * A page request (wp-admin, classic checkout) has no REST server yet: the payload's
	 * rest_do_request() makes one with every namespace, nothing is loaded ahead. A wc/v3
	 * request (or a request to another namespace, or WooCommerce before 9.2) has the route.
	 */
	public function test_requests_with_every_namespace_deliver_promptly_without_loading() {
		$this->request( '10.0.2', '' );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['order.created'] ), 41 ) );
		$this->assertArrayNotHasKey( 'wp_rest_server', $GLOBALS );

		OCW_Test_World::reset();
		$this->setUp();
		$this->request( '10.0.2', '/wc/v3/orders/41' );
		$this->assertSame( 3, OCW_Test_Rest_Controller::$instances );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['order.created'] ), 41 ) );
		$this->assertSame( 3, OCW_Test_Rest_Controller::$instances );

		OCW_Test_World::reset();
		$this->setUp();
		$this->request( '10.0.2', '/oncloudwine/v1/catalog' );
		$this->assertTrue( $this->has_route( '/wc/v3/orders/(?P<id>[\d]+)' ) );
		$this->assertFalse( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['product.updated'] ), 41 ) );
	}

	/**
	 * A held prompt delivery stays async without loading anything.
	 */
	public function test_held_delivery_loads_nothing() {
		set_transient( OCW_Prompt_Delivery::HOLD_TRANSIENT, time(), 60 );
		$this->request( '10.0.2', '/wc/store/v1/checkout' );
		$this->assertTrue( apply_filters( 'woocommerce_webhook_deliver_async', true, new WC_Webhook( $this->ids['order.created'] ), 41 ) );
		$this->assertSame( 0, OCW_Test_Rest_Controller::$instances );
	}
}
