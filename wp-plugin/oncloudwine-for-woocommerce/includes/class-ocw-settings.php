<?php
/**
 * Plugin settings: reading and sanitising.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads the settings saved by OCW_Integration (option woocommerce_oncloudwine_settings,
 * which WooCommerce autoloads) and holds the rules every value must pass. The shared
 * secret lives apart, in an option that is not autoloaded (SECRET_OPTION): it unlocks the
 * sidecar, whose backup holds the store's read/write REST key, and has no business being
 * loaded on every page.
 */
class OCW_Settings {

	/**
	 * Option written by WC_Settings_API for the integration with id "oncloudwine".
	 */
	const OPTION = 'woocommerce_oncloudwine_settings';

	/**
	 * Option holding the shared secret (autoload off).
	 */
	const SECRET_OPTION = 'oncloudwine_shared_secret';

	/**
	 * Option holding the fingerprint of the sidecar URL and secret the sidecar last
	 * accepted (an authenticated call answered 2xx); a 401 clears it.
	 */
	const ACCEPTED_OPTION = 'oncloudwine_secret_accepted';

	/**
	 * Id of the integration: its section of WooCommerce → Settings → Integration.
	 */
	const SECTION = 'oncloudwine';

	/**
	 * Stock sync interval bounds and default, in minutes (the sidecar accepts 5m–15m).
	 */
	const MIN_INTERVAL     = 5;
	const MAX_INTERVAL     = 15;
	const DEFAULT_INTERVAL = 10;

	/**
	 * The sidecar refuses a shared secret shorter than this.
	 */
	const MIN_SECRET_LENGTH = 32;

	/**
	 * Path of the sidecar's webhook receiver.
	 */
	const WEBHOOK_PATH = '/v1/webhooks/woocommerce';

	/**
	 * URL of the settings screen (WooCommerce → Settings → Integration → OnCloudWine).
	 *
	 * @return string
	 */
	public static function page_url() {
		return admin_url( 'admin.php?page=wc-settings&tab=integration&section=' . self::SECTION );
	}

	/**
	 * Whether the current admin screen is the plugin's settings screen (where the status
	 * panel shows the sidecar's live state).
	 *
	 * @return bool
	 */
	public static function is_settings_screen() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- only tells which screen is shown; nothing is changed.
		$page    = isset( $_GET['page'] ) ? sanitize_key( wp_unslash( $_GET['page'] ) ) : '';
		$tab     = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : '';
		$section = isset( $_GET['section'] ) ? sanitize_key( wp_unslash( $_GET['section'] ) ) : '';
		// phpcs:enable
		return 'wc-settings' === $page && 'integration' === $tab && self::SECTION === $section;
	}

	/**
	 * Default values.
	 *
	 * @return array
	 */
	public static function defaults() {
		return array(
			'sidecar_url'           => '',
			'shared_secret'         => '',
			'mirror_release_orders' => 'no',
			'customer_mapping'      => 'create',
			'stock_sync_interval'   => (string) self::DEFAULT_INTERVAL,
		);
	}

	/**
	 * Every setting, defaults filled in.
	 *
	 * @return array
	 */
	public function all() {
		$saved = get_option( self::OPTION, array() );
		if ( ! is_array( $saved ) ) {
			$saved = array();
		}
		unset( $saved['shared_secret'] );
		$all                  = array_merge( self::defaults(), $saved );
		$all['shared_secret'] = $this->shared_secret();
		return $all;
	}

	/**
	 * One setting.
	 *
	 * @param string $key Setting key.
	 * @return string
	 */
	public function get( $key ) {
		$all = $this->all();
		return isset( $all[ $key ] ) ? (string) $all[ $key ] : '';
	}

	/**
	 * Sidecar base URL without a trailing slash ('' when unset).
	 *
	 * @return string
	 */
	public function sidecar_url() {
		return untrailingslashit( $this->get( 'sidecar_url' ) );
	}

	/**
	 * The shared secret (webhook HMAC secret and admin API bearer token).
	 *
	 * @return string
	 */
	public function shared_secret() {
		$secret = get_option( self::SECRET_OPTION, null );
		if ( null === $secret || false === $secret ) {
			$secret = $this->migrate_secret();
		}
		return (string) $secret;
	}

	/**
	 * Stores the shared secret in its own option, not autoloaded.
	 *
	 * @param string $secret Secret ('' removes it).
	 */
	public function save_secret( $secret ) {
		$secret = (string) $secret;
		if ( '' === $secret ) {
			delete_option( self::SECRET_OPTION );
			return;
		}
		if ( false === get_option( self::SECRET_OPTION, false ) ) {
			add_option( self::SECRET_OPTION, $secret, '', 'no' );
		} else {
			update_option( self::SECRET_OPTION, $secret, false );
		}
	}

	/**
	 * Moves a secret saved by an earlier version inside the autoloaded settings option
	 * into SECRET_OPTION.
	 *
	 * @return string The secret ('' when there is none).
	 */
	private function migrate_secret() {
		$saved = get_option( self::OPTION, array() );
		if ( ! is_array( $saved ) || ! isset( $saved['shared_secret'] ) || '' === (string) $saved['shared_secret'] ) {
			return '';
		}
		$secret = (string) $saved['shared_secret'];
		$this->save_secret( $secret );
		unset( $saved['shared_secret'] );
		update_option( self::OPTION, $saved );
		return $secret;
	}

	/**
	 * A fingerprint of the sidecar URL and secret (HMAC of the URL keyed by the secret:
	 * it tells whether they changed and reveals neither).
	 *
	 * @return string
	 */
	public function fingerprint() {
		return hash_hmac( 'sha256', $this->sidecar_url(), $this->shared_secret() );
	}

	/**
	 * Whether the sidecar accepted the current URL and secret.
	 *
	 * @return bool
	 */
	public function is_secret_accepted() {
		return $this->is_configured() && hash_equals( $this->fingerprint(), (string) get_option( self::ACCEPTED_OPTION, '' ) );
	}

	/**
	 * Records whether the sidecar accepted the current URL and secret.
	 *
	 * @param bool $accepted Accepted (a 2xx) or refused (a 401).
	 */
	public function set_secret_accepted( $accepted ) {
		if ( $accepted ) {
			if ( ! $this->is_secret_accepted() ) {
				update_option( self::ACCEPTED_OPTION, $this->fingerprint(), false );
			}
		} else {
			delete_option( self::ACCEPTED_OPTION );
		}
	}

	/**
	 * Whether both the sidecar URL and the shared secret are set.
	 *
	 * @return bool
	 */
	public function is_configured() {
		return '' !== $this->sidecar_url() && '' !== $this->shared_secret();
	}

	/**
	 * Delivery URL of the plugin's webhooks.
	 *
	 * @return string
	 */
	public function webhook_delivery_url() {
		return $this->sidecar_url() . self::WEBHOOK_PATH;
	}

	/**
	 * Stock sync interval in minutes, always within bounds.
	 *
	 * @return int
	 */
	public function stock_sync_interval() {
		return self::sanitize_interval( $this->get( 'stock_sync_interval' ) );
	}

	/**
	 * The settings the sidecar stores (`PUT /v1/settings`).
	 *
	 * @return array
	 */
	public function sidecar_payload() {
		return array(
			'mirror_release_orders' => 'yes' === $this->get( 'mirror_release_orders' ),
			'customer_mapping'      => self::sanitize_customer_mapping( $this->get( 'customer_mapping' ) ),
			'stock_sync_interval'   => $this->stock_sync_interval() . 'm',
		);
	}

	/**
	 * Sanitises a sidecar URL: http(s), a host, an optional port and path, no
	 * query, fragment or credentials; trailing slash removed. '' stays ''.
	 *
	 * @param mixed $raw Submitted value.
	 * @return string
	 * @throws InvalidArgumentException When the value is not such a URL.
	 */
	public static function sanitize_sidecar_url( $raw ) {
		$url = trim( sanitize_text_field( (string) $raw ) );
		if ( '' === $url ) {
			return '';
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			throw new InvalidArgumentException( __( 'The sidecar URL must look like http://10.0.0.5:8787 or https://sidecar.example.com.', 'oncloudwine-for-woocommerce' ) );
		}
		$scheme = strtolower( $parts['scheme'] );
		if ( 'http' !== $scheme && 'https' !== $scheme ) {
			throw new InvalidArgumentException( __( 'The sidecar URL must start with http:// or https://.', 'oncloudwine-for-woocommerce' ) );
		}
		if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			throw new InvalidArgumentException( __( 'The sidecar URL must not contain a query, a fragment or credentials.', 'oncloudwine-for-woocommerce' ) );
		}
		if ( isset( $parts['port'] ) && ( $parts['port'] < 1 || $parts['port'] > 65535 ) ) {
			throw new InvalidArgumentException( __( 'The sidecar URL has an invalid port.', 'oncloudwine-for-woocommerce' ) );
		}
		$clean = $scheme . '://' . strtolower( $parts['host'] );
		if ( isset( $parts['port'] ) ) {
			$clean .= ':' . (int) $parts['port'];
		}
		if ( isset( $parts['path'] ) ) {
			$clean .= $parts['path'];
		}
		return untrailingslashit( esc_url_raw( $clean, array( 'http', 'https' ) ) );
	}

	/**
	 * Sanitises a submitted shared secret. Blank keeps the current one (the field is
	 * never echoed back, so an untouched form submits it empty).
	 *
	 * @param mixed  $raw     Submitted value.
	 * @param string $current Secret saved now.
	 * @return string
	 * @throws InvalidArgumentException When a new secret is too short or holds HTML entities.
	 */
	public static function sanitize_shared_secret( $raw, $current ) {
		$secret = trim( (string) $raw );
		if ( '' === $secret ) {
			return (string) $current;
		}
		if ( strlen( $secret ) < self::MIN_SECRET_LENGTH ) {
			throw new InvalidArgumentException(
				sprintf(
					/* translators: %d: minimum number of characters */
					__( 'The shared secret must be at least %d characters long, the same value as OCW_SHARED_SECRET on the sidecar.', 'oncloudwine-for-woocommerce' ),
					self::MIN_SECRET_LENGTH
				)
			);
		}
		// WC_Webhook::generate_signature() signs with wp_specialchars_decode( secret, ENT_QUOTES ):
		// a secret holding "&amp;" or "&#039;" would sign with other bytes than the sidecar's.
		if ( wp_specialchars_decode( $secret, ENT_QUOTES ) !== $secret ) {
			throw new InvalidArgumentException( __( 'The shared secret must not contain HTML entities such as &amp; or &#039;: WooCommerce decodes them before signing, so the sidecar would reject every webhook. Choose another secret, e.g. openssl rand -hex 32.', 'oncloudwine-for-woocommerce' ) );
		}
		return $secret;
	}

	/**
	 * Sanitises the stock sync interval (minutes) into 5–15; anything unreadable is 10.
	 *
	 * @param mixed $raw Submitted value.
	 * @return int
	 */
	public static function sanitize_interval( $raw ) {
		if ( ! is_numeric( $raw ) ) {
			return self::DEFAULT_INTERVAL;
		}
		$minutes = (int) round( (float) $raw );
		return max( self::MIN_INTERVAL, min( self::MAX_INTERVAL, $minutes ) );
	}

	/**
	 * Sanitises the customer mapping: "create" (recommended) or "single".
	 *
	 * @param mixed $raw Submitted value.
	 * @return string
	 */
	public static function sanitize_customer_mapping( $raw ) {
		return 'single' === $raw ? 'single' : 'create';
	}

	/**
	 * Sanitises a yes/no checkbox.
	 *
	 * @param mixed $raw Submitted value.
	 * @return string
	 */
	public static function sanitize_yes_no( $raw ) {
		return ( 'yes' === $raw || '1' === (string) $raw || true === $raw ) ? 'yes' : 'no';
	}
}
