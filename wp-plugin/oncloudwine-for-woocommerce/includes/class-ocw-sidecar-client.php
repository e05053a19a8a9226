<?php
/**
 * Server-side client of the sidecar's admin API.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Calls the sidecar with `Authorization: Bearer <shared secret>`, a short timeout and
 * no redirects, through wp_safe_remote_request() (which refuses private hosts and odd
 * ports but the sidecar's own, allowed by OCW_Http_Allowlist for the plugin's requests
 * only). The browser never talks to the sidecar and never sees the secret. A 2xx answer
 * records that the sidecar accepts the current URL and secret; a 401 that it does not.
 *
 * Every call answers an array: ok (bool), status (int, 0 when unreachable), data (decoded
 * JSON or null) and error (array code/message/fix, or null).
 */
class OCW_Sidecar_Client {

	/**
	 * Seconds before a call gives up: a dead sidecar must not hold wp-admin.
	 */
	const TIMEOUT = 3;

	/**
	 * Seconds the Connect button waits: the sidecar's connection test makes several
	 * requests back to this store (index, system status, settings, a write probe, the
	 * plugin's routes), and system status alone can take seconds on a real store.
	 */
	const CONNECT_TIMEOUT = 45;

	/**
	 * Transient set while the sidecar cannot be reached (read by the admin notice).
	 */
	const UNREACHABLE_TRANSIENT = 'oncloudwine_sidecar_unreachable';

	/**
	 * HTTP argument that marks a request as one of the plugin's own (read by
	 * OCW_Http_Allowlist; WordPress ignores arguments it does not know).
	 */
	const OWN_REQUEST_ARG = 'oncloudwine';

	/**
	 * Option holding the last successful contact (time, sidecar version, connection status).
	 */
	const LAST_CONTACT_OPTION = 'oncloudwine_last_contact';

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Logger.
	 *
	 * @var OCW_Logger
	 */
	private $logger;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings $settings Settings.
	 * @param OCW_Logger   $logger   Logger.
	 */
	public function __construct( OCW_Settings $settings, OCW_Logger $logger ) {
		$this->settings = $settings;
		$this->logger   = $logger;
	}

	/**
	 * `GET /v1/status`; remembers the last contact for the status report.
	 *
	 * @return array
	 */
	public function status() {
		$result = $this->request( 'GET', '/v1/status' );
		if ( $result['ok'] && is_array( $result['data'] ) ) {
			$connection = isset( $result['data']['connection'] ) && is_array( $result['data']['connection'] ) ? $result['data']['connection'] : array();
			update_option(
				self::LAST_CONTACT_OPTION,
				array(
					'at'         => time(),
					'version'    => isset( $result['data']['version'] ) ? (string) $result['data']['version'] : '',
					'connection' => isset( $connection['status'] ) ? (string) $connection['status'] : '',
				),
				false
			);
		}
		return $result;
	}

	/**
	 * `POST /v1/connection` with the store URL and a REST key.
	 *
	 * @param string $store_url       Store URL.
	 * @param string $consumer_key    ck_….
	 * @param string $consumer_secret cs_….
	 * @return array
	 */
	public function connect( $store_url, $consumer_key, $consumer_secret ) {
		return $this->request(
			'POST',
			'/v1/connection',
			array(
				'store_url'       => $store_url,
				'consumer_key'    => $consumer_key,
				'consumer_secret' => $consumer_secret,
			),
			self::CONNECT_TIMEOUT
		);
	}

	/**
	 * `GET /v1/settings`.
	 *
	 * @return array
	 */
	public function get_settings() {
		return $this->request( 'GET', '/v1/settings' );
	}

	/**
	 * `GET /v1/jobs/{id}`.
	 *
	 * @param string $id Job id.
	 * @return array
	 */
	public function job( $id ) {
		return $this->request( 'GET', '/v1/jobs/' . rawurlencode( (string) $id ) );
	}

	/**
	 * `POST /v1/jobs`.
	 *
	 * @param string $type  SYNC_WOOCOMMERCE_PRODUCTS, SYNC_WOOCOMMERCE_STOCK or SYNC_WOOCOMMERCE_ORDERS.
	 * @param string $since SYNC_WOOCOMMERCE_ORDERS only: start date; "" = the sidecar's default.
	 * @return array
	 */
	public function start_job( $type, $since = '' ) {
		$body = array( 'type' => $type );
		if ( '' !== $since ) {
			$body['since'] = $since;
		}
		return $this->request( 'POST', '/v1/jobs', $body );
	}

	/**
	 * `POST /v1/reconcile`: an immediate modified_after catch-up.
	 *
	 * @return array
	 */
	public function reconcile() {
		return $this->request( 'POST', '/v1/reconcile', new stdClass() );
	}

	/**
	 * `GET /v1/items`.
	 *
	 * @param string $status PENDING, SYNCED or FAILED.
	 * @param int    $limit  Page size.
	 * @return array
	 */
	public function items( $status, $limit ) {
		return $this->request(
			'GET',
			'/v1/items?' . http_build_query(
				array(
					'status' => $status,
					'limit'  => (int) $limit,
				)
			)
		);
	}

	/**
	 * `GET /v1/activity`.
	 *
	 * @param int $limit Entries.
	 * @return array
	 */
	public function activity( $limit ) {
		return $this->request( 'GET', '/v1/activity?limit=' . (int) $limit );
	}

	/**
	 * `PUT /v1/settings`.
	 *
	 * @param array $settings mirror_release_orders, customer_mapping, stock_sync_interval.
	 * @return array
	 */
	public function put_settings( array $settings ) {
		return $this->request( 'PUT', '/v1/settings', $settings );
	}

	/**
	 * Posts a ping to the webhook receiver the way WooCommerce does (wp_safe_remote_post,
	 * form body webhook_id=0). Anything but exactly 200 — a redirect above all, which
	 * WooCommerce would count as delivered while the body is lost — is an error.
	 *
	 * @return array
	 */
	public function check_webhook_endpoint() {
		$response = wp_safe_remote_post(
			$this->settings->webhook_delivery_url(),
			array(
				'timeout'             => self::TIMEOUT,
				'redirection'         => 0,
				'body'                => 'webhook_id=0',
				self::OWN_REQUEST_ARG => true,
			)
		);
		if ( is_wp_error( $response ) ) {
			return $this->unreachable( $response->get_error_message() );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		if ( $status >= 300 && $status < 400 ) {
			return $this->redirected( $status, (string) wp_remote_retrieve_header( $response, 'location' ) );
		}
		if ( 200 !== $status ) {
			return self::failure(
				$status,
				'webhook_ping_failed',
				/* translators: %d: HTTP status code */
				sprintf( __( 'The sidecar answered the webhook ping with HTTP %d instead of 200.', 'oncloudwine-for-woocommerce' ), $status ),
				__( 'Check that the sidecar URL points at the sidecar itself.', 'oncloudwine-for-woocommerce' )
			);
		}
		return array(
			'ok'     => true,
			'status' => 200,
			'data'   => null,
			'error'  => null,
		);
	}

	/**
	 * One admin API call.
	 *
	 * @param string     $method  HTTP method.
	 * @param string     $path    Path (with query) under the sidecar URL.
	 * @param mixed|null $body    JSON body.
	 * @param int        $timeout Seconds before giving up.
	 * @return array
	 */
	public function request( $method, $path, $body = null, $timeout = self::TIMEOUT ) {
		if ( ! $this->settings->is_configured() ) {
			return self::failure(
				0,
				'not_configured',
				__( 'The sidecar URL and shared secret are not set.', 'oncloudwine-for-woocommerce' ),
				__( 'Enter them in WooCommerce → Settings → Integration → OnCloudWine.', 'oncloudwine-for-woocommerce' )
			);
		}
		$args = array(
			'method'              => $method,
			'timeout'             => $timeout,
			'redirection'         => 0,
			self::OWN_REQUEST_ARG => true,
			'headers'             => array(
				'Authorization' => 'Bearer ' . $this->settings->shared_secret(),
				'Accept'        => 'application/json',
			),
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
		}
		$response = wp_safe_remote_request( $this->settings->sidecar_url() . $path, $args );
		if ( is_wp_error( $response ) ) {
			return $this->unreachable( $response->get_error_message() );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$data   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		delete_transient( self::UNREACHABLE_TRANSIENT );
		if ( $status >= 300 && $status < 400 ) {
			return $this->redirected( $status, (string) wp_remote_retrieve_header( $response, 'location' ) );
		}
		if ( $status >= 200 && $status < 300 ) {
			$this->settings->set_secret_accepted( true );
			return array(
				'ok'     => true,
				'status' => $status,
				'data'   => $data,
				'error'  => null,
			);
		}
		if ( 401 === $status ) {
			$this->settings->set_secret_accepted( false );
			return self::wrong_secret();
		}
		$error = isset( $data['error'] ) && is_array( $data['error'] ) ? $data['error'] : array();
		return self::failure(
			$status,
			isset( $error['code'] ) ? (string) $error['code'] : 'http_' . $status,
			isset( $error['message'] ) ? (string) $error['message'] : sprintf(
				/* translators: %d: HTTP status code */
				__( 'The sidecar answered HTTP %d.', 'oncloudwine-for-woocommerce' ),
				$status
			),
			isset( $error['fix'] ) ? (string) $error['fix'] : ''
		);
	}

	/**
	 * Result for a 401: the sidecar refused the bearer token, i.e. the shared secret (the
	 * sidecar's own wording is for API clients, not for the admin).
	 *
	 * @return array
	 */
	public static function wrong_secret() {
		return self::failure(
			401,
			'wrong_secret',
			__( "The shared secret does not match the sidecar's OCW_SHARED_SECRET.", 'oncloudwine-for-woocommerce' ),
			__( 'Enter exactly the value of OCW_SHARED_SECRET from the sidecar\'s environment in the Shared secret field, save, and press Connect. Webhooks are created or repaired only once the sidecar accepts it.', 'oncloudwine-for-woocommerce' )
		);
	}

	/**
	 * Result for a sidecar that cannot be reached; remembered for the admin notice.
	 *
	 * @param string $reason Transport error.
	 * @return array
	 */
	private function unreachable( $reason ) {
		set_transient( self::UNREACHABLE_TRANSIENT, $reason, HOUR_IN_SECONDS );
		$this->logger->warning( 'Sidecar unreachable: ' . $reason );
		return self::failure(
			0,
			'sidecar_unreachable',
			/* translators: %s: transport error */
			sprintf( __( 'The sidecar cannot be reached: %s', 'oncloudwine-for-woocommerce' ), $reason ),
			__( 'Check that the sidecar is running and that the sidecar URL is right; changes made meanwhile are caught up when it is back.', 'oncloudwine-for-woocommerce' )
		);
	}

	/**
	 * Result for a redirecting sidecar URL.
	 *
	 * @param int    $status   HTTP status.
	 * @param string $location Location header.
	 * @return array
	 */
	private function redirected( $status, $location ) {
		return self::failure(
			$status,
			'sidecar_redirects',
			/* translators: 1: HTTP status code, 2: redirect target */
			sprintf( __( 'The sidecar URL redirects (HTTP %1$d to %2$s). WooCommerce counts a redirect as delivered and drops the webhook body.', 'oncloudwine-for-woocommerce' ), $status, $location ),
			__( 'Enter the final URL of the sidecar (scheme, host and port exactly as it answers).', 'oncloudwine-for-woocommerce' )
		);
	}

	/**
	 * A failed result.
	 *
	 * @param int    $status  HTTP status (0 when none).
	 * @param string $code    Machine code.
	 * @param string $message What happened.
	 * @param string $fix     What to do.
	 * @return array
	 */
	public static function failure( $status, $code, $message, $fix ) {
		return array(
			'ok'     => false,
			'status' => (int) $status,
			'data'   => null,
			'error'  => array(
				'code'    => $code,
				'message' => $message,
				'fix'     => $fix,
			),
		);
	}
}
