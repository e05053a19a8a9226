<?php
/**
 * Lets the plugin's own wp_safe_remote_request() calls reach the configured sidecar.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce delivers webhooks with wp_safe_remote_request(), which refuses loopback and
 * private addresses and ports other than 80, 443 and 8080 — exactly where a sidecar runs.
 * These filters allow the one host and port of the configured sidecar URL, and only for
 * the plugin's own requests: its webhook deliveries and pings and its calls to the
 * sidecar. Any other wp_safe_remote_*() call of WordPress or another plugin to that host
 * is refused as before, like every other private address or port.
 *
 * WP_Http::request() applies `http_request_args` just before wp_http_validate_url() asks
 * the host and port filters, so the request being validated is known there: one marked
 * with OCW_Sidecar_Client::OWN_REQUEST_ARG (the client's calls; the plugin's webhook
 * deliveries through OCW_Prompt_Delivery::filter_http_args()), or WooCommerce's ping of
 * the delivery URL.
 */
class OCW_Http_Allowlist {

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Whether the HTTP request being made is one of the plugin's own.
	 *
	 * @var bool
	 */
	private $own_request = false;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings $settings Settings.
	 */
	public function __construct( OCW_Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks the filters.
	 */
	public function register() {
		add_filter( 'http_request_args', array( $this, 'note_request' ), PHP_INT_MAX, 2 );
		add_action( 'http_api_debug', array( $this, 'forget_request' ) );
		add_filter( 'http_request_host_is_external', array( $this, 'filter_host_is_external' ), 10, 3 );
		add_filter( 'http_allowed_safe_ports', array( $this, 'filter_allowed_ports' ), 10, 3 );
	}

	/**
	 * Filter `http_request_args` (last): notes whether this request is one of the plugin's.
	 *
	 * @param array  $args HTTP arguments.
	 * @param string $url  Request URL.
	 * @return array Unchanged.
	 */
	public function note_request( $args, $url = '' ) {
		$this->own_request = is_array( $args ) && ( ! empty( $args[ OCW_Sidecar_Client::OWN_REQUEST_ARG ] ) || OCW_Webhooks::is_ping_to( $this->settings, $args, (string) $url ) );
		return $args;
	}

	/**
	 * Action `http_api_debug` (a request ended): forgets it.
	 */
	public function forget_request() {
		$this->own_request = false;
	}

	/**
	 * Filter `http_request_host_is_external`: true for the sidecar's host and port.
	 *
	 * @param bool   $external Current answer.
	 * @param string $host     Requested host.
	 * @param string $url      Requested URL.
	 * @return bool
	 */
	public function filter_host_is_external( $external, $host, $url = '' ) {
		if ( $external ) {
			return $external;
		}
		return $this->own_request && $this->is_sidecar( $host, $url );
	}

	/**
	 * Filter `http_allowed_safe_ports`: adds the sidecar's port for the sidecar's host.
	 *
	 * @param array  $ports Allowed ports (integers).
	 * @param string $host  Requested host.
	 * @param string $url   Requested URL (WordPress 5.9+).
	 * @return array
	 */
	public function filter_allowed_ports( $ports, $host, $url = '' ) {
		$sidecar = $this->sidecar_endpoint();
		if ( null === $sidecar || ! $this->own_request || ! $this->is_sidecar( $host, $url ) ) {
			return $ports;
		}
		$ports = is_array( $ports ) ? $ports : array();
		if ( ! in_array( $sidecar['port'], $ports, true ) ) {
			$ports[] = $sidecar['port'];
		}
		return $ports;
	}

	/**
	 * Whether the request goes to the configured sidecar: same host, and same port when
	 * the URL is known.
	 *
	 * @param string $host Requested host.
	 * @param string $url  Requested URL ('' when the filter did not pass it).
	 * @return bool
	 */
	public function is_sidecar( $host, $url ) {
		$sidecar = $this->sidecar_endpoint();
		if ( null === $sidecar ) {
			return false;
		}
		if ( strtolower( trim( (string) $host, '.' ) ) !== $sidecar['host'] ) {
			return false;
		}
		if ( '' === (string) $url ) {
			return true;
		}
		$requested = self::endpoint( (string) $url );
		return null !== $requested && $requested['host'] === $sidecar['host'] && $requested['port'] === $sidecar['port'];
	}

	/**
	 * Host and effective port of the configured sidecar, or null.
	 *
	 * @return array|null
	 */
	private function sidecar_endpoint() {
		$url = $this->settings->sidecar_url();
		return '' === $url ? null : self::endpoint( $url );
	}

	/**
	 * Lower-case host and effective port (80/443 by scheme when absent) of a URL.
	 *
	 * @param string $url URL.
	 * @return array|null array( 'host' => string, 'port' => int ) or null.
	 */
	public static function endpoint( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return null;
		}
		$scheme = isset( $parts['scheme'] ) ? strtolower( $parts['scheme'] ) : 'http';
		$port   = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $scheme ? 443 : 80 );
		return array(
			'host' => strtolower( trim( $parts['host'], '.' ) ),
			'port' => $port,
		);
	}
}
