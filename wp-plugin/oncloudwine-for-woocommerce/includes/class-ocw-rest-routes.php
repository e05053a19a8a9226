<?php
/**
 * The three read routes under wc/v3/oncloudwine/.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Serves `catalog`, `stock` and `orders/by-release/{id}` in WooCommerce's REST namespace,
 * so WooCommerce's key authentication applies; every route also needs manage_woocommerce.
 * Shapes: docs/plugin-routes.md.
 */
class OCW_Rest_Routes {

	/**
	 * REST namespace (WooCommerce authenticates keys on wp-json/wc/ URIs).
	 */
	const NAMESPACE_V3 = 'wc/v3';

	/**
	 * Order meta holding the OnCloudWine release order id.
	 */
	const RELEASE_META_KEY = '_oncloudwine_release_order_id';

	/**
	 * Catalog query.
	 *
	 * @var OCW_Catalog_Query
	 */
	private $catalog;

	/**
	 * Stock query.
	 *
	 * @var OCW_Stock_Query
	 */
	private $stock;

	/**
	 * Finds orders: function ( array $args ): WC_Order[] (wc_get_orders by default).
	 *
	 * @var callable
	 */
	private $find_orders;

	/**
	 * Constructor.
	 *
	 * @param OCW_Catalog_Query $catalog     Catalog query.
	 * @param OCW_Stock_Query   $stock       Stock query.
	 * @param callable|null     $find_orders Order finder, wc_get_orders by default.
	 */
	public function __construct( OCW_Catalog_Query $catalog, OCW_Stock_Query $stock, $find_orders = null ) {
		$this->catalog     = $catalog;
		$this->stock       = $stock;
		$this->find_orders = $find_orders ? $find_orders : 'wc_get_orders';
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		register_rest_route(
			self::NAMESPACE_V3,
			'/oncloudwine/catalog',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'get_catalog' ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array_merge(
					self::paging_args( OCW_Catalog_Query::MAX_LIMIT ),
					array(
						'modified_after' => array(
							'description'       => __( 'Only products whose own or any variation\'s last change (GMT) is at or after this ISO 8601 date-time.', 'oncloudwine-for-woocommerce' ),
							'type'              => 'string',
							'format'            => 'date-time',
							'validate_callback' => 'rest_validate_request_arg',
						),
					)
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V3,
			'/oncloudwine/stock',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'get_stock' ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => self::paging_args( OCW_Stock_Query::MAX_LIMIT ),
			)
		);
		register_rest_route(
			self::NAMESPACE_V3,
			'/oncloudwine/orders/by-release/(?P<release_order_id>[A-Za-z0-9_.:-]+)',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'get_order_by_release' ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array(
					'release_order_id' => array(
						'description' => __( 'OnCloudWine release order id.', 'oncloudwine-for-woocommerce' ),
						'type'        => 'string',
						'required'    => true,
					),
				),
			)
		);
	}

	/**
	 * The after_id / limit arguments; WordPress answers 400 rest_invalid_param outside them.
	 *
	 * @param int $max Largest limit.
	 * @return array
	 */
	public static function paging_args( $max ) {
		return array(
			'after_id' => array(
				'description'       => __( 'Return items with an id greater than this one.', 'oncloudwine-for-woocommerce' ),
				'type'              => 'integer',
				'minimum'           => 0,
				'default'           => 0,
				'validate_callback' => 'rest_validate_request_arg',
			),
			'limit'    => array(
				'description'       => __( 'Items per page.', 'oncloudwine-for-woocommerce' ),
				'type'              => 'integer',
				'minimum'           => 1,
				'maximum'           => (int) $max,
				'default'           => (int) $max,
				'validate_callback' => 'rest_validate_request_arg',
			),
		);
	}

	/**
	 * Permission: the authenticated user (a WooCommerce key's user) manages WooCommerce.
	 *
	 * @return bool|WP_Error
	 */
	public function can_manage() {
		if ( current_user_can( 'manage_woocommerce' ) ) {
			return true;
		}
		return new WP_Error(
			'woocommerce_rest_cannot_view',
			__( 'Sorry, you cannot list resources.', 'oncloudwine-for-woocommerce' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET catalog (optionally only what changed since modified_after).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_catalog( $request ) {
		$modified_after = '';
		if ( isset( $request['modified_after'] ) && '' !== (string) $request['modified_after'] ) {
			$modified_after = OCW_Catalog_Query::gmt_date( $request['modified_after'] );
			if ( '' === $modified_after ) {
				return new WP_Error(
					'rest_invalid_param',
					/* translators: %s: parameter name */
					sprintf( __( 'Invalid parameter(s): %s', 'oncloudwine-for-woocommerce' ), 'modified_after' ),
					array(
						'status' => 400,
						'params' => array( 'modified_after' => __( 'Invalid date.', 'oncloudwine-for-woocommerce' ) ),
					)
				);
			}
		}
		$page     = $this->catalog->page( (int) $request['after_id'], (int) $request['limit'], $modified_after );
		$response = new WP_REST_Response( $page, 200 );
		$response->header( 'X-WP-Total', (string) $this->catalog->total( $modified_after ) );
		return $response;
	}

	/**
	 * GET stock.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function get_stock( $request ) {
		return new WP_REST_Response( $this->stock->page( (int) $request['after_id'], (int) $request['limit'] ), 200 );
	}

	/**
	 * GET orders/by-release/{release_order_id}.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_order_by_release( $request ) {
		$release_order_id = sanitize_text_field( (string) $request['release_order_id'] );
		$orders           = call_user_func(
			$this->find_orders,
			array(
				'meta_key'   => self::RELEASE_META_KEY, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- the only form 6.9 honours.
				'meta_value' => $release_order_id, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value -- as meta_key above: the only form 6.9 honours.
				'type'       => 'shop_order',
				'limit'      => 1,
			)
		);
		$order            = is_array( $orders ) && ! empty( $orders ) ? reset( $orders ) : null;
		if ( ! $order ) {
			return new WP_Error(
				'oncloudwine_order_not_found',
				/* translators: %s: release order id */
				sprintf( __( 'No order mirrors release order %s.', 'oncloudwine-for-woocommerce' ), $release_order_id ),
				array( 'status' => 404 )
			);
		}
		$created = $order->get_date_created();
		return new WP_REST_Response(
			array(
				'id'               => (int) $order->get_id(),
				'number'           => (string) $order->get_order_number(),
				'status'           => (string) $order->get_status(),
				'release_order_id' => $release_order_id,
				'date_created_gmt' => $created ? gmdate( 'Y-m-d\TH:i:s', $created->getTimestamp() ) : null,
			),
			200
		);
	}
}
