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
		add_action( 'current_screen', array( $this, 'add_help_tab' ) );
	}

	/**
	 * Action `current_screen`: an "OnCloudWine" entry in the Help tab of WooCommerce's
	 * settings screens.
	 *
	 * @param WP_Screen $screen Screen.
	 */
	public function add_help_tab( $screen ) {
		if ( ! is_object( $screen ) || ! method_exists( $screen, 'add_help_tab' ) || 'woocommerce_page_wc-settings' !== $screen->id || ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$steps    = array(
			__( 'Start the OnCloudWine sidecar with OCW_SHARED_SECRET set (at least 32 characters, e.g. openssl rand -hex 32).', 'oncloudwine-for-woocommerce' ),
			__( 'In WooCommerce → Settings → Integration → OnCloudWine, enter the sidecar URL as this server reaches it and the same shared secret.', 'oncloudwine-for-woocommerce' ),
			__( 'Press Connect: the plugin hands the sidecar a REST key and creates six webhooks. The status panel then shows the connection, item counts, jobs and the activity log.', 'oncloudwine-for-woocommerce' ),
			__( 'Press Sync products once for the first full sync; price and stock changes are sent as they happen after that.', 'oncloudwine-for-woocommerce' ),
		);
		$content  = '<h2>' . esc_html__( 'OnCloudWine', 'oncloudwine-for-woocommerce' ) . '</h2>';
		$content .= '<p>' . esc_html__( 'OnCloudWine for WooCommerce keeps products, stock and orders in sync with OnCloudWine through the OnCloudWine sidecar, a small service that runs next to the store.', 'oncloudwine-for-woocommerce' ) . '</p><ol>';
		foreach ( $steps as $step ) {
			$content .= '<li>' . esc_html( $step ) . '</li>';
		}
		$content .= '</ol><p>' . esc_html__( 'A FAILED item names what to change in WooCommerce; after changing it, the item is sent again by itself. "Wrong shared secret" means the secret differs from the sidecar\'s OCW_SHARED_SECRET; "Sidecar unreachable" means it is not running or the URL is wrong: changes made meanwhile are caught up when it is back.', 'oncloudwine-for-woocommerce' ) . '</p>';
		$content .= '<p><a href="' . esc_url( OCW_Settings::page_url() ) . '">' . esc_html__( 'OnCloudWine settings', 'oncloudwine-for-woocommerce' ) . '</a> · <a href="' . esc_url( OCW_Logger::logs_url() ) . '">' . esc_html__( 'View log', 'oncloudwine-for-woocommerce' ) . '</a></p>';
		$screen->add_help_tab(
			array(
				'id'      => 'oncloudwine',
				'title'   => __( 'OnCloudWine', 'oncloudwine-for-woocommerce' ),
				'content' => $content,
			)
		);
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
				$errors = $this->save_posted_settings();
				if ( ! empty( $errors ) ) {
					return OCW_Operations::result( false, implode( ' ', $errors ), __( 'Nothing was connected; correct the field and press Connect again.', 'oncloudwine-for-woocommerce' ) );
				}
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
	 * Connect is a button of WooCommerce's settings form: what was typed in the fields
	 * comes along. Saves it first (the same validation as Save changes, without pushing or
	 * repairing: Connect does that), so Connect before Save loses nothing.
	 *
	 * @return string[] Errors of fields that were not saved.
	 */
	private function save_posted_settings() {
		$prefix = 'woocommerce_' . OCW_Settings::SECTION . '_';
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked in guard(); only whether a field was posted.
		if ( ! isset( $_POST[ $prefix . 'sidecar_url' ] ) && ! isset( $_POST[ $prefix . 'shared_secret' ] ) ) {
			return array();
		}
		if ( ! class_exists( 'OCW_Integration', false ) ) {
			require_once __DIR__ . '/class-ocw-integration.php';
		}
		return ( new OCW_Integration() )->save_posted();
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
			'<div class="notice %1$s is-dismissible"><p><strong>%2$s</strong> %3$s <em>%4$s</em></p></div>',
			esc_attr( $result['ok'] ? 'notice-success' : 'notice-error' ),
			esc_html__( 'OnCloudWine:', 'oncloudwine-for-woocommerce' ),
			esc_html( $result['message'] ),
			esc_html( $result['fix'] )
		);
	}
}
