<?php
/**
 * Doubles of WordPress's REST server and of WooCommerce's REST route loading, after
 * WordPress 6.8 (class-wp-rest-server.php) and WooCommerce 10.0.2
 * (includes/wc-rest-functions.php, includes/rest-api/Server.php).
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable Squiz.Commenting.FunctionComment.Missing, Universal.Files.SeparateFunctionsFromOO, Generic.Files.OneObjectStructurePerFile

/**
 * WP_REST_Server double: namespaces and endpoints as WordPress keeps them; get_routes()
 * filters by namespace like the real one.
 */
class WP_REST_Server {
	public $namespaces = array();
	public $endpoints  = array();

	public function register_route( $route_namespace, $route, $route_args, $override = false ) {
		if ( ! isset( $this->namespaces[ $route_namespace ] ) ) {
			$this->namespaces[ $route_namespace ]                        = array();
			$this->endpoints[ '/' . $route_namespace ]                   = array( array( 'callback' => 'get_namespace_index' ) );
			$this->endpoints[ '/' . $route_namespace ]['namespace']      = $route_namespace;
			$this->namespaces[ $route_namespace ][ '/' . $route_namespace ] = true;
		}
		$this->namespaces[ $route_namespace ][ $route ] = true;
		$route_args['namespace']                        = $route_namespace;
		if ( $override || empty( $this->endpoints[ $route ] ) ) {
			$this->endpoints[ $route ] = $route_args;
		} else {
			$this->endpoints[ $route ] = array_merge( $this->endpoints[ $route ], $route_args );
		}
	}

	public function get_routes( $route_namespace = '' ) {
		$endpoints = $this->endpoints;
		if ( $route_namespace ) {
			$endpoints = array_filter(
				$endpoints,
				static function ( $handlers ) use ( $route_namespace ) {
					return isset( $handlers['namespace'] ) && $handlers['namespace'] === $route_namespace;
				}
			);
		}
		return apply_filters( 'rest_endpoints', $endpoints );
	}

	public function get_namespaces() {
		return array_keys( $this->namespaces );
	}
}

/**
 * rest_get_server(): makes the server and fires rest_api_init once.
 */
function rest_get_server() {
	if ( empty( $GLOBALS['wp_rest_server'] ) ) {
		$GLOBALS['wp_rest_server'] = new WP_REST_Server();
		do_action( 'rest_api_init', $GLOBALS['wp_rest_server'] );
	}
	return $GLOBALS['wp_rest_server'];
}

/**
 * WooCommerce 10.0.2's wc_rest_should_load_namespace(), as it is (filter since 9.4; the
 * function since 9.2). OCW_Test_World::$wc_rest_filter false plays 9.2–9.3 (no filter).
 */
function wc_rest_should_load_namespace( string $ns, string $rest_route = '' ): bool {
	if ( '' === $rest_route ) {
		$rest_route = $GLOBALS['wp']->query_vars['rest_route'] ?? '';
	}
	if ( '' === $rest_route ) {
		return true;
	}
	$rest_route       = trailingslashit( ltrim( $rest_route, '/' ) );
	$ns               = trailingslashit( $ns );
	$known_namespaces = array( 'wc/v1', 'wc/v2', 'wc/v3', 'wc-telemetry', 'wc-admin', 'wc-analytics', 'wc/store', 'wc/private' );
	$known            = false;
	foreach ( $known_namespaces as $known_namespace ) {
		if ( 0 === strpos( $rest_route, $known_namespace ) ) {
			$known = true;
			break;
		}
	}
	if ( ! $known ) {
		return true;
	}
	if ( ! OCW_Test_World::$wc_rest_filter ) {
		return 0 === strpos( $rest_route, $ns );
	}
	return apply_filters( 'wc_rest_should_load_namespace', 0 === strpos( $rest_route, $ns ), $ns, $rest_route, $known_namespaces );
}

/**
 * A REST controller double: registers its collection and item routes like
 * WC_REST_CRUD_Controller (`/{rest_base}` and `/{rest_base}/(?P<id>[\d]+)`).
 */
class OCW_Test_Rest_Controller {
	public static $instances = 0;
	private $route_namespace;
	private $rest_base;

	public function __construct( $route_namespace, $rest_base ) {
		++self::$instances;
		$this->route_namespace = $route_namespace;
		$this->rest_base       = $rest_base;
	}

	public function register_routes() {
		register_rest_route( $this->route_namespace, '/' . $this->rest_base, array( array( 'methods' => 'GET' ) ) );
		register_rest_route( $this->route_namespace, '/' . $this->rest_base . '/(?P<id>[\d]+)', array( array( 'methods' => 'GET' ) ) );
	}
}
