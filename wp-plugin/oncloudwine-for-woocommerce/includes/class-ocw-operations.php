<?php
/**
 * What the admin screen, WP-CLI and the scheduler can ask for.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Connect, test, sync, repair and push settings. Every method answers an array
 * ok (bool), message (string), fix (string) and, where useful, data.
 */
class OCW_Operations {

	/**
	 * Job types of the sidecar, by the word the admin uses.
	 */
	const JOBS = array(
		'products' => 'SYNC_WOOCOMMERCE_PRODUCTS',
		'stock'    => 'SYNC_WOOCOMMERCE_STOCK',
		'orders'   => 'SYNC_WOOCOMMERCE_ORDERS',
	);

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Sidecar client.
	 *
	 * @var OCW_Sidecar_Client
	 */
	private $client;

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * Key maker.
	 *
	 * @var OCW_Api_Keys
	 */
	private $keys;

	/**
	 * Logger.
	 *
	 * @var OCW_Logger
	 */
	private $logger;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings       $settings Settings.
	 * @param OCW_Sidecar_Client $client   Sidecar client.
	 * @param OCW_Webhooks       $webhooks Webhooks.
	 * @param OCW_Api_Keys       $keys     Key maker.
	 * @param OCW_Logger         $logger   Logger.
	 */
	public function __construct( OCW_Settings $settings, OCW_Sidecar_Client $client, OCW_Webhooks $webhooks, OCW_Api_Keys $keys, OCW_Logger $logger ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->webhooks = $webhooks;
		$this->keys     = $keys;
		$this->logger   = $logger;
	}

	/**
	 * Connects the sidecar to the store: refuses a sidecar URL that redirects or a secret
	 * the sidecar refuses, hands the store URL and a REST key (pasted, or created now) to
	 * `POST /v1/connection`, then makes the webhooks exist and pushes the settings. A key
	 * the plugin created before is revoked only once the sidecar confirmed the new
	 * connection; when the sidecar refuses it, only the new key goes.
	 *
	 * @param string $consumer_key    Pasted ck_… ('' to create a key).
	 * @param string $consumer_secret Pasted cs_… ('' to create a key).
	 * @param int    $user_id         Owner of a created key.
	 * @return array
	 */
	public function connect( $consumer_key, $consumer_secret, $user_id ) {
		if ( ! $this->settings->is_configured() ) {
			return self::result(
				false,
				__( 'The sidecar URL and shared secret are not set.', 'oncloudwine-for-woocommerce' ),
				__( 'Enter the sidecar URL and the shared secret (OCW_SHARED_SECRET on the sidecar) above, then press Connect.', 'oncloudwine-for-woocommerce' )
			);
		}
		$probe = $this->client->check_webhook_endpoint();
		if ( ! $probe['ok'] ) {
			return self::from_error( $probe );
		}
		// The secret first: no key is made for a sidecar that refuses it.
		$status = $this->client->status();
		if ( ! $status['ok'] ) {
			return self::from_error( $status );
		}
		$consumer_key    = trim( (string) $consumer_key );
		$consumer_secret = trim( (string) $consumer_secret );
		$created         = 0;
		if ( '' === $consumer_key && '' === $consumer_secret ) {
			try {
				$key = $this->keys->create( $user_id );
			} catch ( RuntimeException $e ) {
				return self::result( false, $e->getMessage(), '' );
			}
			$consumer_key    = $key['consumer_key'];
			$consumer_secret = $key['consumer_secret'];
			$created         = (int) $key['key_id'];
		} elseif ( 0 !== strpos( $consumer_key, 'ck_' ) || 0 !== strpos( $consumer_secret, 'cs_' ) ) {
			return self::result(
				false,
				__( 'A WooCommerce REST key is a consumer key starting with ck_ and a consumer secret starting with cs_.', 'oncloudwine-for-woocommerce' ),
				__( 'Paste both, or leave both empty to let the plugin create a read/write key.', 'oncloudwine-for-woocommerce' )
			);
		}
		$answer = $this->client->connect( untrailingslashit( home_url() ), $consumer_key, $consumer_secret );
		if ( ! $answer['ok'] ) {
			if ( $created > 0 ) {
				$this->keys->discard( $created );
			}
			$this->logger->warning( 'Connection refused by the sidecar: ' . $answer['error']['message'] );
			return self::from_error( $answer );
		}
		if ( $created > 0 ) {
			$this->keys->commit( $created );
		}
		$repair = $this->webhooks->repair();
		$this->push_settings();
		$this->logger->info( 'Sidecar connected; webhooks: ' . wp_json_encode( $repair ) );
		$state  = isset( $answer['data']['status'] ) ? (string) $answer['data']['status'] : 'ACTIVE';
		$result = self::result(
			true,
			/* translators: %s: connection status such as ACTIVE */
			sprintf( __( 'Connected: the sidecar reports %s.', 'oncloudwine-for-woocommerce' ), $state ),
			''
		);
		if ( ! empty( $repair['errors'] ) ) {
			$result['message'] .= ' ' . implode( ' ', $repair['errors'] );
		}
		return $result;
	}

	/**
	 * Tests the connection without changing anything: the webhook receiver must answer a
	 * ping with exactly 200 (no redirect) and the admin API must accept the secret.
	 *
	 * @return array
	 */
	public function test() {
		$probe = $this->client->check_webhook_endpoint();
		if ( ! $probe['ok'] ) {
			return self::from_error( $probe );
		}
		$status = $this->client->status();
		if ( ! $status['ok'] ) {
			return self::from_error( $status );
		}
		$connection = isset( $status['data']['connection'] ) && is_array( $status['data']['connection'] ) ? $status['data']['connection'] : array();
		$state      = isset( $connection['status'] ) ? (string) $connection['status'] : 'DISCONNECTED';
		if ( 'ACTIVE' === $state ) {
			return self::result( true, __( 'The sidecar answers and its connection to the store is ACTIVE.', 'oncloudwine-for-woocommerce' ), '' );
		}
		$error = isset( $connection['last_error'] ) && is_array( $connection['last_error'] ) ? $connection['last_error'] : array();
		return self::result(
			false,
			/* translators: %s: connection status */
			sprintf( __( 'The sidecar answers, but its connection to the store is %s.', 'oncloudwine-for-woocommerce' ), $state ) . ( isset( $error['message'] ) ? ' ' . $error['message'] : '' ),
			isset( $error['fix'] ) && '' !== $error['fix'] ? (string) $error['fix'] : __( 'Press Connect.', 'oncloudwine-for-woocommerce' )
		);
	}

	/**
	 * Starts a full sync job on the sidecar.
	 *
	 * @param string $what  "products", "stock" or "orders".
	 * @param string $since Orders only: the start date (YYYY-MM-DD); "" = the sidecar's default, the last 30 days.
	 * @return array
	 */
	public function sync( $what, $since = '' ) {
		if ( ! array_key_exists( (string) $what, self::JOBS ) ) {
			return self::result( false, __( 'Unknown sync: use products, stock or orders.', 'oncloudwine-for-woocommerce' ), '' );
		}
		$answer = $this->client->start_job( self::JOBS[ $what ], 'orders' === $what ? (string) $since : '' );
		if ( ! $answer['ok'] ) {
			return self::from_error( $answer );
		}
		$id     = isset( $answer['data']['id'] ) ? (string) $answer['data']['id'] : '';
		$result = self::result(
			true,
			/* translators: 1: job type, 2: job id */
			sprintf( __( '%1$s started (job %2$s).', 'oncloudwine-for-woocommerce' ), self::JOBS[ $what ], $id ),
			''
		);
		$result['data'] = $answer['data'];
		return $result;
	}

	/**
	 * Repairs the webhooks (re-enabling disabled ones asks the sidecar to reconcile).
	 *
	 * @return array
	 */
	public function repair_webhooks() {
		$report  = $this->webhooks->repair();
		$message = sprintf(
			/* translators: 1: created count, 2: re-enabled count, 3: updated count */
			__( 'Webhooks: %1$d created, %2$d re-enabled, %3$d updated.', 'oncloudwine-for-woocommerce' ),
			$report['created'],
			$report['reenabled'],
			$report['updated']
		);
		if ( true === $report['reconcile'] ) {
			$message .= ' ' . __( 'The sidecar was asked to reconcile.', 'oncloudwine-for-woocommerce' );
		}
		$result         = self::result( empty( $report['errors'] ), trim( $message . ' ' . implode( ' ', $report['errors'] ) ), '' );
		$result['data'] = $report;
		return $result;
	}

	/**
	 * Pushes the settings to the sidecar (`PUT /v1/settings`) when they differ from what
	 * it has (`GET /v1/settings`): the sidecar logs each change, and a Connect or a save
	 * that changes nothing must not log one.
	 *
	 * @return array
	 */
	public function push_settings() {
		$payload = $this->settings->sidecar_payload();
		$current = $this->client->get_settings();
		if ( ! $current['ok'] && 'sidecar_unreachable' === $current['error']['code'] ) {
			return self::from_error( $current );
		}
		if ( $current['ok'] && self::same_settings( $current['data'], $payload ) ) {
			return self::result( true, __( 'The sidecar already has these settings.', 'oncloudwine-for-woocommerce' ), '' );
		}
		$answer = $this->client->put_settings( $payload );
		if ( ! $answer['ok'] ) {
			return self::from_error( $answer );
		}
		return self::result( true, __( 'Settings sent to the sidecar.', 'oncloudwine-for-woocommerce' ), '' );
	}

	/**
	 * Whether the sidecar's settings hold every value of the payload.
	 *
	 * @param mixed $have    Sidecar's settings (decoded JSON).
	 * @param array $payload What the plugin would send.
	 * @return bool
	 */
	private static function same_settings( $have, array $payload ) {
		if ( ! is_array( $have ) ) {
			return false;
		}
		foreach ( $payload as $key => $value ) {
			if ( ! array_key_exists( $key, $have ) || $have[ $key ] !== $value ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A result.
	 *
	 * @param bool   $ok      Success.
	 * @param string $message What happened.
	 * @param string $fix     What to do.
	 * @return array
	 */
	public static function result( $ok, $message, $fix ) {
		return array(
			'ok'      => (bool) $ok,
			'message' => (string) $message,
			'fix'     => (string) $fix,
			'data'    => null,
		);
	}

	/**
	 * A result from a failed client answer.
	 *
	 * @param array $answer Client answer.
	 * @return array
	 */
	private static function from_error( array $answer ) {
		$error = is_array( $answer['error'] ) ? $answer['error'] : array();
		return self::result(
			false,
			isset( $error['message'] ) ? (string) $error['message'] : __( 'The sidecar call failed.', 'oncloudwine-for-woocommerce' ),
			isset( $error['fix'] ) ? (string) $error['fix'] : ''
		);
	}
}
