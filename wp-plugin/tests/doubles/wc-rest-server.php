<?php
/**
 * Double of WooCommerce's Automattic\WooCommerce\RestApi\Server (includes/rest-api/Server.php
 * of 10.0.2): hooked on rest_api_init, it asks wc_rest_should_load_namespace() per namespace
 * and passes the list through `woocommerce_rest_api_get_rest_namespaces`, to which
 * WooCommerce's internal controllers (RestApiControllerBase) add `wc/v3` routes whatever
 * the answer.
 *
 * @package OnCloudWine\Tests
 */

namespace Automattic\WooCommerce\RestApi;

// phpcs:disable Squiz.Commenting.FunctionComment.Missing

/**
 * Server double.
 */
class Server {
	private static $instance = null;
	public $controllers      = array();

	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	public static function reset() {
		self::$instance = null;
	}

	public function init() {
		add_action( 'rest_api_init', array( $this, 'register_rest_routes' ), 10 );
	}

	public function register_rest_routes() {
		foreach ( $this->get_rest_namespaces() as $route_namespace => $controllers ) {
			foreach ( $controllers as $name => $rest_base ) {
				$this->controllers[ $route_namespace ][ $name ] = new \OCW_Test_Rest_Controller( $route_namespace, $rest_base );
				$this->controllers[ $route_namespace ][ $name ]->register_routes();
			}
		}
	}

	protected function get_rest_namespaces() {
		$v3 = array(
			'orders'   => 'orders',
			'products' => 'products',
			'webhooks' => 'webhooks',
		);
		return apply_filters(
			'woocommerce_rest_api_get_rest_namespaces',
			array(
				'wc/v1'        => wc_rest_should_load_namespace( 'wc/v1' ) ? array( 'orders' => 'orders' ) : array(),
				'wc/v2'        => wc_rest_should_load_namespace( 'wc/v2' ) ? array( 'orders' => 'orders' ) : array(),
				'wc/v3'        => wc_rest_should_load_namespace( 'wc/v3' ) ? $v3 : array(),
				'wc-telemetry' => wc_rest_should_load_namespace( 'wc-telemetry' ) ? array( 'tracker' => 'tracker' ) : array(),
			)
		);
	}
}
