<?php
/**
 * The settings screen's buttons (admin-post.php handlers).
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Every handler checks the nonce and manage_woocommerce first, then runs the operation
 * server-side and returns to the settings screen with a one-time notice.
 */
class OCW_Admin_Actions {

	/**
	 * Nonce action and field.
	 */
	const NONCE_ACTION = 'oncloudwine_admin_action';
	const NONCE_FIELD  = '_oncloudwine_nonce';

	/**
	 * Transient prefix of the one-time notice (suffixed with the user id).
	 */
	const NOTICE_TRANSIENT = 'oncloudwine_notice_';

	/**
	 * Operations.
	 *
	 * @var OCW_Operations
	 */
	private $operations;

	/**
	 * Ends the request after a handler: function ( string $url ): void.
	 *
	 * @var callable
	 */
	private $redirect;

	/**
	 * Constructor.
	 *
	 * @param OCW_Operations $operations Operations.
	 * @param callable|null  $redirect   Redirects and exits; wp_safe_redirect + exit by default.
	 */
	public function __construct( OCW_Operations $operations, $redirect = null ) {
		$this->operations = $operations;
		$this->redirect   = $redirect ? $redirect : static function ( $url ) {
			wp_safe_redirect( $url );
			exit;
		};
	}

	/**
	 * Hooks the handlers and the notice.
	 */
	public function register() {
		foreach ( OCW_Status_Panel::ACTIONS as $action ) {
			add_action( 'admin_post_' . $action, array( $this, 'handle' ) );
		}
		add_action( 'admin_notices', array( $this, 'render_result_notice' ) );
	}

	/**
	 * Handles the current admin-post action.
	 */
	public function handle() {
		$action = current_action();
		$this->guard();
		$this->finish( $this->run( substr( $action, strlen( 'admin_post_' ) ) ) );
	}

	/**
	 * Dies unless the user manages WooCommerce and the nonce is valid.
	 */
	public function guard() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to manage OnCloudWine.', 'oncloudwine-for-woocommerce' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::NONCE_ACTION, self::NONCE_FIELD );
	}

	/**
	 * Runs one action (after guard()).
	 *
	 * @param string $action oncloudwine_connect, _test, _sync_products, _sync_stock, _sync_orders or _repair_webhooks.
	 * @return array Operation result.
	 */
	public function run( $action ) {
		switch ( $action ) {
			case 'oncloudwine_connect':
				// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked in guard().
				$key    = isset( $_POST['oncloudwine_consumer_key'] ) ? sanitize_text_field( wp_unslash( $_POST['oncloudwine_consumer_key'] ) ) : '';
				$secret = isset( $_POST['oncloudwine_consumer_secret'] ) ? sanitize_text_field( wp_unslash( $_POST['oncloudwine_consumer_secret'] ) ) : '';
				// phpcs:enable
				return $this->operations->connect( $key, $secret, get_current_user_id() );
			case 'oncloudwine_test':
				return $this->operations->test();
			case 'oncloudwine_sync_products':
				return $this->operations->sync( 'products' );
			case 'oncloudwine_sync_stock':
				return $this->operations->sync( 'stock' );
			case 'oncloudwine_sync_orders':
				return $this->operations->sync( 'orders' );
			case 'oncloudwine_repair_webhooks':
				return $this->operations->repair_webhooks();
		}
		return OCW_Operations::result( false, __( 'Unknown action.', 'oncloudwine-for-woocommerce' ), '' );
	}

	/**
	 * Stores the result for the next page and goes back to the settings screen.
	 *
	 * @param array $result Operation result.
	 */
	private function finish( array $result ) {
		set_transient( self::NOTICE_TRANSIENT . get_current_user_id(), $result, 5 * MINUTE_IN_SECONDS );
		call_user_func( $this->redirect, OCW_Settings::page_url() );
	}

	/**
	 * Prints (once) the result of the last action.
	 */
	public function render_result_notice() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$key    = self::NOTICE_TRANSIENT . get_current_user_id();
		$result = get_transient( $key );
		if ( ! is_array( $result ) ) {
			return;
		}
		delete_transient( $key );
		printf(
			'<div class="notice %1$s is-dismissible"><p><strong>%2$s</strong> %3$s %4$s</p></div>',
			esc_attr( $result['ok'] ? 'notice-success' : 'notice-error' ),
			esc_html__( 'OnCloudWine:', 'oncloudwine-for-woocommerce' ),
			esc_html( $result['message'] ),
			'' !== $result['fix'] ? '<em>' . esc_html( $result['fix'] ) . '</em>' : ''
		);
	}
}
