<?php
/**
 * Requirements check and the admin notices that name the fix.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checks WooCommerce before anything else is loaded, and, once running, the store's
 * set-up: HTTPS, pretty permalinks, a reachable sidecar, no webhook disabled by WooCommerce.
 * This file must load without WooCommerce.
 */
class OCW_Requirements {

	/**
	 * Why the plugin cannot run: '' (it can), 'missing' or 'too_old'.
	 *
	 * @param string|null $wc_version WC_VERSION, or null when WooCommerce is not active.
	 * @param string      $minimum    Minimum version.
	 * @return string
	 */
	public static function woocommerce_problem( $wc_version, $minimum ) {
		if ( null === $wc_version || '' === (string) $wc_version ) {
			return 'missing';
		}
		return version_compare( (string) $wc_version, (string) $minimum, '<' ) ? 'too_old' : '';
	}

	/**
	 * The active WooCommerce version, or null.
	 *
	 * @return string|null
	 */
	public static function woocommerce_version() {
		if ( defined( 'WC_VERSION' ) ) {
			return (string) constant( 'WC_VERSION' );
		}
		if ( class_exists( 'WooCommerce', false ) && function_exists( 'WC' ) ) {
			return (string) WC()->version;
		}
		return null;
	}

	/**
	 * Prints the notice shown instead of the plugin when WooCommerce is missing or too old.
	 *
	 * @param string      $problem    'missing' or 'too_old'.
	 * @param string|null $wc_version Installed version.
	 */
	public static function render_blocking_notice( $problem, $wc_version ) {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		if ( 'too_old' === $problem ) {
			$message = sprintf(
				/* translators: 1: installed WooCommerce version, 2: required version */
				__( 'OnCloudWine for WooCommerce needs WooCommerce %2$s or newer; this site runs WooCommerce %1$s. Update WooCommerce in Plugins → Installed Plugins (or Dashboard → Updates) to turn OnCloudWine on.', 'oncloudwine-for-woocommerce' ),
				(string) $wc_version,
				OCW_MIN_WC_VERSION
			);
			$link  = admin_url( 'update-core.php' );
			$label = __( 'Go to Updates', 'oncloudwine-for-woocommerce' );
		} else {
			$message = sprintf(
				/* translators: %s: required WooCommerce version */
				__( 'OnCloudWine for WooCommerce needs WooCommerce, which is not active. Install and activate WooCommerce %s or newer; until then OnCloudWine does nothing.', 'oncloudwine-for-woocommerce' ),
				OCW_MIN_WC_VERSION
			);
			$link  = admin_url( 'plugin-install.php?s=woocommerce&tab=search&type=term' );
			$label = __( 'Install WooCommerce', 'oncloudwine-for-woocommerce' );
		}
		printf(
			'<div class="notice notice-error oncloudwine-notice"><p><strong>%1$s</strong> %2$s <a href="%3$s">%4$s</a></p></div>',
			esc_html__( 'OnCloudWine:', 'oncloudwine-for-woocommerce' ),
			esc_html( $message ),
			esc_url( $link ),
			esc_html( $label )
		);
	}

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings $settings Settings.
	 * @param OCW_Webhooks $webhooks Webhooks.
	 */
	public function __construct( OCW_Settings $settings, OCW_Webhooks $webhooks ) {
		$this->settings = $settings;
		$this->webhooks = $webhooks;
	}

	/**
	 * Hooks the notices.
	 */
	public function register() {
		add_action( 'admin_notices', array( $this, 'render_notices' ) );
	}

	/**
	 * Problems with the store's set-up, each with its fix.
	 *
	 * @return array List of array( 'code', 'message', 'fix' ).
	 */
	public function problems() {
		$problems = array();
		if ( ! $this->settings->is_configured() ) {
			$problems[] = self::problem(
				'not_configured',
				__( 'OnCloudWine is not connected yet.', 'oncloudwine-for-woocommerce' ),
				__( 'Enter the sidecar URL and shared secret in WooCommerce → Settings → Integration → OnCloudWine, save, then press Connect.', 'oncloudwine-for-woocommerce' )
			);
			return $problems;
		}
		if ( 0 !== strpos( (string) home_url(), 'https://' ) && ! is_ssl() ) {
			$problems[] = self::problem(
				'not_https',
				__( 'This site is not on HTTPS: WooCommerce accepts REST keys over plain HTTP only with OAuth 1.0a signing.', 'oncloudwine-for-woocommerce' ),
				__( 'Serve the site over HTTPS and set the WordPress Address and Site Address in Settings → General to https://, or start the sidecar with OCW_WOO_ALLOW_HTTP=true on a trusted network.', 'oncloudwine-for-woocommerce' )
			);
		}
		if ( '' === (string) get_option( 'permalink_structure' ) ) {
			$problems[] = self::problem(
				'plain_permalinks',
				__( 'Default permalinks block the REST API.', 'oncloudwine-for-woocommerce' ),
				__( 'Change to Post name in Settings → Permalinks.', 'oncloudwine-for-woocommerce' )
			);
		}
		// Remembered from the last failed call: on the settings screen the status panel asks
		// the sidecar now, and a stale "could not be reached" must not sit above "ACTIVE".
		$unreachable = OCW_Settings::is_settings_screen() ? false : get_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT );
		if ( false !== $unreachable ) {
			$problems[] = self::problem(
				'sidecar_unreachable',
				/* translators: %s: transport error */
				sprintf( __( 'The OnCloudWine sidecar could not be reached: %s', 'oncloudwine-for-woocommerce' ), (string) $unreachable ),
				__( 'Start the sidecar or correct the sidecar URL; changes made meanwhile are caught up when it is back.', 'oncloudwine-for-woocommerce' )
			);
		}
		$disabled = $this->webhooks->disabled_topics();
		if ( ! empty( $disabled ) ) {
			$problems[] = self::problem(
				'webhook_disabled',
				/* translators: %s: comma-separated webhook topics */
				sprintf( __( 'WooCommerce disabled OnCloudWine webhooks after repeated delivery failures: %s.', 'oncloudwine-for-woocommerce' ), implode( ', ', $disabled ) ),
				__( 'Make sure the sidecar is running, then press "Repair webhooks" on the OnCloudWine settings screen (it also runs every hour).', 'oncloudwine-for-woocommerce' )
			);
		}
		return $problems;
	}

	/**
	 * Prints one notice per problem for users who manage WooCommerce.
	 */
	public function render_notices() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		foreach ( $this->problems() as $problem ) {
			$class = 'not_configured' === $problem['code'] ? 'notice-info' : 'notice-warning';
			printf(
				'<div class="notice %1$s oncloudwine-notice" data-code="%2$s"><p><strong>%3$s</strong> %4$s <em>%5$s</em> <a href="%6$s">%7$s</a></p></div>',
				esc_attr( $class ),
				esc_attr( $problem['code'] ),
				esc_html__( 'OnCloudWine:', 'oncloudwine-for-woocommerce' ),
				esc_html( $problem['message'] ),
				esc_html( $problem['fix'] ),
				esc_url( OCW_Settings::page_url() ),
				esc_html__( 'Open OnCloudWine settings', 'oncloudwine-for-woocommerce' )
			);
		}
	}

	/**
	 * A problem.
	 *
	 * @param string $code    Machine code.
	 * @param string $message What is wrong.
	 * @param string $fix     What to do.
	 * @return array
	 */
	private static function problem( $code, $message, $fix ) {
		return array(
			'code'    => $code,
			'message' => $message,
			'fix'     => $fix,
		);
	}
}
