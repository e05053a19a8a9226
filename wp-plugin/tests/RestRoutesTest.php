<?php
/**
 * Route registration, permission and the order lookup.
 *
 * @package OnCloudWine\Tests
 */

/**
 * The three routes under wc/v3/oncloudwine/.
 */
class RestRoutesTest extends OCW_Test_Case {

	/**
	 * Arguments the finder was called with.
	 *
	 * @var array
	 */
	private $asked = array();

	/**
	 * Routes with an order finder double.
	 *
	 * @param array $orders Orders the finder answers.
	 * @return OCW_Rest_Routes
	 */
	private function routes( array $orders ) {
		$db = new OCW_Test_Wpdb();
		return new OCW_Rest_Routes(
			new OCW_Catalog_Query( $db, array() ),
			new OCW_Stock_Query( $db ),
			function ( $args ) use ( $orders ) {
				$this->asked[] = $args;
				return $orders;
			}
		);
	}

	/**
	 * Routes, namespace, limits and permission callback.
	 */
	public function test_registration() {
		$routes = $this->routes( array() );
		$routes->register();
		do_action( 'rest_api_init' );
		$this->assertCount( 3, OCW_Test_World::$routes );
		$by_route = array();
		foreach ( OCW_Test_World::$routes as $route ) {
			$this->assertSame( 'wc/v3', $route[0] );
			$this->assertSame( array( $routes, 'can_manage' ), $route[2]['permission_callback'] );
			$this->assertSame( 'GET', $route[2]['methods'] );
			$by_route[ $route[1] ] = $route[2];
		}
		$this->assertSame( 500, $by_route['/oncloudwine/catalog']['args']['limit']['maximum'] );
		$this->assertSame( 500, $by_route['/oncloudwine/catalog']['args']['limit']['default'] );
		$this->assertSame( 'date-time', $by_route['/oncloudwine/catalog']['args']['modified_after']['format'] );
		$this->assertArrayNotHasKey( 'modified_after', $by_route['/oncloudwine/stock']['args'] );
		$this->assertSame( 5000, $by_route['/oncloudwine/stock']['args']['limit']['maximum'] );
		$this->assertSame( 1, $by_route['/oncloudwine/stock']['args']['limit']['minimum'] );
		$this->assertSame( 0, $by_route['/oncloudwine/stock']['args']['after_id']['minimum'] );
		$this->assertArrayHasKey( '/oncloudwine/orders/by-release/(?P<release_order_id>[A-Za-z0-9_.:-]+)', $by_route );
	}

	/**
	 * Without manage_woocommerce the routes answer an error (401 anonymous, 403 logged in).
	 */
	public function test_permission() {
		$routes = $this->routes( array() );
		$this->assertTrue( $routes->can_manage() );
		OCW_Test_World::$caps = array();
		$denied               = $routes->can_manage();
		$this->assertInstanceOf( WP_Error::class, $denied );
		$this->assertSame( 403, $denied->get_error_data()['status'] );
		OCW_Test_World::$user_id = 0;
		$this->assertSame( 401, $routes->can_manage()->get_error_data()['status'] );
	}

	/**
	 * Found: the order's id, number, status and the release id; looked up with
	 * meta_key/meta_value (never meta_query, which 6.9 ignores).
	 */
	public function test_order_by_release_found() {
		$routes   = $this->routes( array( new OCW_Test_Order( 812, 'processing' ) ) );
		$response = $routes->get_order_by_release( new WP_REST_Request( array( 'release_order_id' => 'ro_123' ) ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'id'               => 812,
				'number'           => '812',
				'status'           => 'processing',
				'release_order_id' => 'ro_123',
				'date_created_gmt' => '2026-11-27T03:00:00',
			),
			$response->get_data()
		);
		$this->assertSame( '_oncloudwine_release_order_id', $this->asked[0]['meta_key'] );
		$this->assertSame( 'ro_123', $this->asked[0]['meta_value'] );
		$this->assertArrayNotHasKey( 'meta_query', $this->asked[0] );
		$this->assertSame( 1, $this->asked[0]['limit'] );
	}

	/**
	 * None: 404 oncloudwine_order_not_found with the documented message.
	 */
	public function test_order_by_release_not_found() {
		$error = $this->routes( array() )->get_order_by_release( new WP_REST_Request( array( 'release_order_id' => 'ro_123' ) ) );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( 'oncloudwine_order_not_found', $error->get_error_code() );
		$this->assertSame( 'No order mirrors release order ro_123.', $error->get_error_message() );
		$this->assertSame( array( 'status' => 404 ), $error->get_error_data() );
	}
}
