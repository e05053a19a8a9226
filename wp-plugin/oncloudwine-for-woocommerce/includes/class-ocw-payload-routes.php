<?php
/**
 * The wc/v3 routes a prompt delivery builds its payload with.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * WC_Webhook::build_payload() reads the resource through an internal REST request,
 * `/wc/v3/{resource}s/{id}`. Since WooCommerce 9.2 a REST request registers only the
 * namespace it asks for when that is one of WooCommerce's own (wc_rest_should_load_namespace()
 * in includes/wc-rest-functions.php): inside a Store API request (`wc/store/v1/checkout`,
 * the block checkout) or a `wc-admin` / `wc-analytics` one, `wc/v3` has no products or
 * orders route, and a delivery made there sends `rest_no_route` instead of the resource.
 * WooCommerce's own asynchronous delivery is not hit: it builds the payload in another
 * request (Action Scheduler), where every namespace is loaded.
 *
 * Before one of the plugin's deliveries runs in the request, ensure() tells whether the
 * routes it needs are there and, when they are not:
 * - on WooCommerce 9.4+ (where the `wc_rest_should_load_namespace` filter exists) answers
 *   true for `wc/v3` through that filter and has WooCommerce register just the controllers
 *   the plugin's topics need — only then, so the Store API's own requests keep their speed;
 * - on 9.2–9.3 (no filter) answers false: the caller leaves the delivery to WooCommerce's
 *   asynchronous path.
 */
class OCW_Payload_Routes {

	/**
	 * The namespace of the payloads (OCW_Webhooks::API_VERSION).
	 */
	const REST_NAMESPACE = 'wc/v3';

	/**
	 * WooCommerce version that added the `wc_rest_should_load_namespace` filter.
	 */
	const FILTER_SINCE = '9.4';

	/**
	 * WooCommerce version (null: look it up).
	 *
	 * @var string|null
	 */
	private $wc_version;

	/**
	 * The REST server of this request, if one was made: function (): WP_REST_Server|null.
	 *
	 * @var callable
	 */
	private $server;

	/**
	 * Registers WooCommerce's REST controllers again: function (): void.
	 *
	 * @var callable
	 */
	private $registrar;

	/**
	 * Whether `wc/v3` is being loaded on the plugin's behalf.
	 *
	 * @var bool
	 */
	private $loading = false;

	/**
	 * Controller keys of `wc/v3` to register while loading.
	 *
	 * @var string[]
	 */
	private $wanted = array();

	/**
	 * Answers of ensure() in this request, by resource.
	 *
	 * @var array
	 */
	private $known = array();

	/**
	 * Constructor.
	 *
	 * @param string|null   $wc_version WooCommerce version; default WC_VERSION.
	 * @param callable|null $server     Returns the request's WP_REST_Server or null.
	 * @param callable|null $registrar  Runs WooCommerce's REST route registration.
	 */
	public function __construct( $wc_version = null, $server = null, $registrar = null ) {
		$this->wc_version = $wc_version;
		$this->server     = $server ? $server : array( __CLASS__, 'current_server' );
		$this->registrar  = $registrar ? $registrar : array( __CLASS__, 'register_woocommerce_routes' );
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		add_filter( 'wc_rest_should_load_namespace', array( $this, 'filter_should_load' ), 10, 2 );
		add_filter( 'woocommerce_rest_api_get_rest_namespaces', array( $this, 'filter_namespaces' ), PHP_INT_MAX );
	}

	/**
	 * Filter `wc_rest_should_load_namespace` (WooCommerce 9.4+): `wc/v3` while the plugin
	 * loads it for a delivery; any other answer passes through.
	 *
	 * @param bool   $should_load Current answer.
	 * @param string $ns          Namespace asked about, with a trailing slash ("wc/v3/").
	 * @return bool
	 */
	public function filter_should_load( $should_load, $ns = '' ) {
		if ( $this->loading && self::REST_NAMESPACE === rtrim( (string) $ns, '/' ) ) {
			return true;
		}
		return $should_load;
	}

	/**
	 * Filter `woocommerce_rest_api_get_rest_namespaces` (last): while the plugin loads
	 * `wc/v3`, only the controllers its payloads need, so no route registered by the
	 * request itself is registered twice. Otherwise unchanged.
	 *
	 * @param array $namespaces Namespace => controller key => class.
	 * @return array
	 */
	public function filter_namespaces( $namespaces ) {
		if ( ! $this->loading || ! is_array( $namespaces ) ) {
			return $namespaces;
		}
		$v3 = isset( $namespaces[ self::REST_NAMESPACE ] ) && is_array( $namespaces[ self::REST_NAMESPACE ] ) ? $namespaces[ self::REST_NAMESPACE ] : array();
		return array( self::REST_NAMESPACE => array_intersect_key( $v3, array_flip( $this->wanted ) ) );
	}

	/**
	 * Whether a delivery of a topic can build its payload in this request, loading the
	 * route on WooCommerce 9.4+ when it is missing.
	 *
	 * @param string $topic Webhook topic, e.g. "order.created".
	 * @return bool False: leave the delivery to WooCommerce's asynchronous path.
	 */
	public function ensure( $topic ) {
		$resource = strtok( (string) $topic, '.' );
		if ( false === $resource || '' === $resource ) {
			return true;
		}
		if ( ! isset( $this->known[ $resource ] ) ) {
			$this->known[ $resource ] = $this->make_available( $resource );
		}
		return $this->known[ $resource ];
	}

	/**
	 * Whether the item route of a resource is registered, or can be.
	 *
	 * @param string $resource Resource ("order", "product").
	 * @return bool
	 */
	private function make_available( $resource ) {
		$server = call_user_func( $this->server );
		if ( ! $server ) {
			// No REST request: the payload's rest_do_request() makes the server, with every namespace.
			return true;
		}
		if ( $this->has_route( $server, $resource ) ) {
			return true;
		}
		$version = null === $this->wc_version ? (string) OCW_Requirements::woocommerce_version() : (string) $this->wc_version;
		if ( version_compare( $version, self::FILTER_SINCE, '<' ) ) {
			return false;
		}
		$this->loading = true;
		$this->wanted  = array( $resource . 's' );
		try {
			call_user_func( $this->registrar );
		} catch ( Throwable $e ) {
			$this->loading = false;
			return false;
		}
		$this->loading = false;
		return $this->has_route( $server, $resource );
	}

	/**
	 * Whether the server has `/wc/v3/{resource}s/(?P<id>[\d]+)`. Checked by route rather
	 * than namespace: WooCommerce's internal controllers (RestApiControllerBase) add
	 * routes to `wc/v3` even when the namespace is not loaded.
	 *
	 * @param WP_REST_Server $server   Server.
	 * @param string         $resource Resource.
	 * @return bool
	 */
	private function has_route( $server, $resource ) {
		$routes = $server->get_routes( self::REST_NAMESPACE );
		return isset( $routes[ '/' . self::REST_NAMESPACE . '/' . $resource . 's/(?P<id>[\d]+)' ] );
	}

	/**
	 * The REST server of this request, without making one.
	 *
	 * @return WP_REST_Server|null
	 */
	public static function current_server() {
		return isset( $GLOBALS['wp_rest_server'] ) && is_object( $GLOBALS['wp_rest_server'] ) ? $GLOBALS['wp_rest_server'] : null;
	}

	/**
	 * WooCommerce's REST route registration (what it runs on rest_api_init).
	 *
	 * @throws RuntimeException When WooCommerce's REST server class is not there.
	 */
	public static function register_woocommerce_routes() {
		$class = 'Automattic\WooCommerce\RestApi\Server';
		if ( ! class_exists( $class ) || ! method_exists( $class, 'register_rest_routes' ) ) {
			throw new RuntimeException( 'WooCommerce REST server not found.' );
		}
		$class::instance()->register_rest_routes();
	}
}
