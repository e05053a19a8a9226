<?php
/**
 * The lifecycle of the plugin's six webhooks.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Creates, repairs, pauses and deletes the webhooks named "OnCloudWine: <topic>" that
 * deliver to <sidecar>/v1/webhooks/woocommerce, signed with the shared secret.
 * WooCommerce disables a webhook after its 6th consecutive failure, silently; the plugin
 * pauses them while it is deactivated. Repair re-enables them and asks the sidecar to
 * reconcile (`POST /v1/reconcile`) so the gap is filled. Nothing is created or repaired
 * before the sidecar has accepted the shared secret: webhooks signed with a secret the
 * sidecar refuses would all fail, and WooCommerce would disable them.
 */
class OCW_Webhooks {

	/**
	 * Topics the sidecar needs (docs/woocommerce-webhooks.md).
	 */
	const TOPICS = array(
		'product.created',
		'product.updated',
		'product.deleted',
		'product.restored',
		'order.created',
		'order.updated',
	);

	/**
	 * Name prefix of every webhook the plugin owns.
	 */
	const NAME_PREFIX = 'OnCloudWine: ';

	/**
	 * REST API version of the payloads.
	 */
	const API_VERSION = 'wp_api_v3';

	/**
	 * Option: topic => webhook id.
	 */
	const IDS_OPTION = 'oncloudwine_webhook_ids';

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
	 * Logger.
	 *
	 * @var OCW_Logger
	 */
	private $logger;

	/**
	 * Makes a WC_Webhook: function ( int $id ): WC_Webhook.
	 *
	 * @var callable
	 */
	private $factory;

	/**
	 * Lists ids of webhooks whose name contains the prefix: function (): int[].
	 *
	 * @var callable
	 */
	private $finder;

	/**
	 * Lists ids of webhooks with a status (cached by WooCommerce): function ( string $status ): int[].
	 *
	 * @var callable
	 */
	private $lister;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings       $settings Settings.
	 * @param OCW_Sidecar_Client $client   Sidecar client.
	 * @param OCW_Logger         $logger   Logger.
	 * @param callable|null      $factory  Makes a WC_Webhook from an id (0 = new).
	 * @param callable|null      $finder   Lists ids of webhooks named with the prefix.
	 * @param callable|null      $lister   Lists ids of webhooks with a status.
	 */
	public function __construct( OCW_Settings $settings, OCW_Sidecar_Client $client, OCW_Logger $logger, $factory = null, $finder = null, $lister = null ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->logger   = $logger;
		$this->factory  = $factory ? $factory : static function ( $id ) {
			return new WC_Webhook( $id );
		};
		$this->finder   = $finder ? $finder : static function () {
			return WC_Data_Store::load( 'webhook' )->search_webhooks(
				array(
					'search' => trim( self::NAME_PREFIX ),
					'limit'  => -1,
				)
			);
		};
		$this->lister   = $lister ? $lister : static function ( $status ) {
			return WC_Data_Store::load( 'webhook' )->get_webhooks_ids( $status );
		};
	}

	/**
	 * Ids of the plugin's webhooks, by topic.
	 *
	 * @return array
	 */
	public function owned_ids() {
		$ids = get_option( self::IDS_OPTION, array() );
		return is_array( $ids ) ? array_map( 'intval', $ids ) : array();
	}

	/**
	 * Whether a webhook id is one of the plugin's.
	 *
	 * @param int $webhook_id Webhook id.
	 * @return bool
	 */
	public function is_owned( $webhook_id ) {
		$webhook_id = (int) $webhook_id;
		return $webhook_id > 0 && in_array( $webhook_id, $this->owned_ids(), true );
	}

	/**
	 * Makes every topic's webhook exist, point at the sidecar with the current secret, and
	 * be active. Re-enabling one WooCommerce disabled asks the sidecar to reconcile.
	 *
	 * @param bool $ping Ping new webhooks now (false when the sidecar is known to be down:
	 *                   WooCommerce pings a webhook still pending delivery on a later save).
	 * @return array Report: created, updated, reenabled (counts), reconcile (bool|null), errors (strings).
	 */
	public function repair( $ping = true ) {
		$report = array(
			'created'   => 0,
			'updated'   => 0,
			'reenabled' => 0,
			'reconcile' => null,
			'errors'    => array(),
		);
		if ( ! $this->settings->is_configured() ) {
			$report['errors'][] = __( 'The sidecar URL and shared secret are not set.', 'oncloudwine-for-woocommerce' );
			return $report;
		}
		if ( ! $this->settings->is_secret_accepted() && $ping ) {
			// Ask the sidecar (records whether it accepts the current URL and secret).
			$this->client->status();
		}
		if ( ! $this->settings->is_secret_accepted() ) {
			$report['errors'][] = __( 'Webhooks are created or repaired only once the sidecar has accepted the shared secret; press Connect when it matches.', 'oncloudwine-for-woocommerce' );
			return $report;
		}
		$known    = ! empty( $this->owned_ids() );
		$existing = $this->load_owned();
		$ids      = array();
		if ( ! $ping ) {
			// WC_Webhook_Data_Store::update() pings an active webhook whose delivery URL changed
			// or whose first ping is still pending, whatever the caller wants: with the sidecar
			// known to be down, those pings are answered here instead of costing a timeout each.
			add_filter( 'pre_http_request', array( $this, 'refuse_ping' ), 10, 3 );
		}
		foreach ( self::TOPICS as $topic ) {
			try {
				if ( isset( $existing[ $topic ] ) ) {
					$outcome = $this->fix( $existing[ $topic ] );
					if ( 'reenabled' === $outcome ) {
						++$report['reenabled'];
					} elseif ( 'updated' === $outcome ) {
						++$report['updated'];
					}
					$ids[ $topic ] = (int) $existing[ $topic ]->get_id();
				} else {
					$ids[ $topic ] = $this->create( $topic, $ids, $ping );
					++$report['created'];
				}
			} catch ( Exception $e ) {
				$report['errors'][] = $topic . ': ' . $e->getMessage();
				$this->logger->error( sprintf( 'Webhook %s could not be repaired: %s', $topic, $e->getMessage() ) );
			}
		}
		remove_filter( 'pre_http_request', array( $this, 'refuse_ping' ), 10 );
		update_option( self::IDS_OPTION, $ids, true );

		// Changes made while a webhook was not active (disabled by WooCommerce, paused while
		// the plugin was deactivated, deleted) never reached the sidecar: catch up now.
		if ( $report['reenabled'] > 0 || ( $known && $report['created'] > 0 ) ) {
			$this->logger->warning( sprintf( '%1$d webhook(s) re-enabled and %2$d re-created; asking the sidecar to reconcile.', $report['reenabled'], $known ? $report['created'] : 0 ) );
			$result              = $this->client->reconcile();
			$report['reconcile'] = (bool) $result['ok'];
			if ( ! $result['ok'] ) {
				$report['errors'][] = $result['error']['message'];
			}
		}
		return $report;
	}

	/**
	 * Filter `pre_http_request` during a repair without pings: WooCommerce's ping of one of
	 * the plugin's webhooks gets an error at once instead of going out (the ping stays
	 * pending; WooCommerce sends it on a later save).
	 *
	 * @param false|array|WP_Error $pre  Answer so far (false: make the request).
	 * @param array                $args HTTP arguments.
	 * @param string               $url  Request URL.
	 * @return false|array|WP_Error
	 */
	public function refuse_ping( $pre, $args, $url ) {
		if ( false !== $pre || ! $this->is_ping( $args, $url ) ) {
			return $pre;
		}
		return new WP_Error( 'oncloudwine_sidecar_down', __( 'The sidecar is known to be unreachable; the ping was not sent.', 'oncloudwine-for-woocommerce' ) );
	}

	/**
	 * Whether an HTTP request is WooCommerce's ping (form body "webhook_id=N") of one of the
	 * plugin's webhooks: to the sidecar's delivery URL.
	 *
	 * @param array  $args HTTP arguments.
	 * @param string $url  Request URL.
	 * @return bool
	 */
	public function is_ping( $args, $url ) {
		return self::is_ping_to( $this->settings, $args, $url );
	}

	/**
	 * Whether an HTTP request is WooCommerce's ping to the delivery URL of these settings.
	 *
	 * @param OCW_Settings $settings Settings.
	 * @param array        $args     HTTP arguments.
	 * @param string       $url      Request URL.
	 * @return bool
	 */
	public static function is_ping_to( OCW_Settings $settings, $args, $url ) {
		return '' !== $settings->sidecar_url()
			&& (string) $url === $settings->webhook_delivery_url()
			&& isset( $args['body'] ) && is_string( $args['body'] )
			&& 1 === preg_match( '/^webhook_id=[0-9]+$/', $args['body'] );
	}

	/**
	 * Pauses the plugin's webhooks (on deactivation).
	 *
	 * @return int How many were paused.
	 */
	public function pause() {
		$paused = 0;
		foreach ( $this->load_owned() as $webhook ) {
			if ( 'paused' !== $webhook->get_status( 'edit' ) ) {
				$webhook->set_status( 'paused' );
				$webhook->save();
				++$paused;
			}
		}
		return $paused;
	}

	/**
	 * Deletes the plugin's webhooks and forgets their ids (on uninstall).
	 *
	 * @return int How many were deleted.
	 */
	public function delete_all() {
		$deleted = 0;
		foreach ( $this->load_owned() as $webhook ) {
			$webhook->delete( true );
			++$deleted;
		}
		delete_option( self::IDS_OPTION );
		return $deleted;
	}

	/**
	 * Pauses or deletes the plugin's webhook rows straight in `{prefix}wc_webhooks`, for
	 * deactivation or uninstall while WooCommerce is not active: WC_Webhook cannot be
	 * loaded then, and the rows would stay active (delivering again, to a sidecar nobody
	 * manages, as soon as WooCommerce is back) or be left behind for good.
	 *
	 * @param wpdb   $db     Database.
	 * @param string $action 'pause' or 'delete'.
	 * @return int Rows changed.
	 */
	public static function change_rows_without_woocommerce( $db, $action ) {
		$ids = get_option( self::IDS_OPTION, array() );
		$ids = is_array( $ids ) ? array_filter( array_map( 'intval', $ids ) ) : array();
		if ( empty( $ids ) ) {
			return 0;
		}
		$table = $db->prefix . 'wc_webhooks';
		if ( $table !== $db->get_var( $db->prepare( 'SHOW TABLES LIKE %s', $db->esc_like( $table ) ) ) ) {
			return 0;
		}
		$in   = implode( ',', $ids );
		$name = $db->esc_like( self::NAME_PREFIX ) . '%';
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name and intval'd ids only.
		if ( 'delete' === $action ) {
			$sql = $db->prepare( "DELETE FROM {$table} WHERE webhook_id IN ({$in}) AND name LIKE %s", $name );
		} else {
			$sql = $db->prepare( "UPDATE {$table} SET status = 'paused' WHERE webhook_id IN ({$in}) AND name LIKE %s AND status <> 'paused'", $name );
		}
		$changed = (int) $db->query( $sql ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- WooCommerce is not active: its webhook API is not there.
		// phpcs:enable
		// The ids by status that WC_Webhook_Data_Store caches (get_transient_key()).
		foreach ( array( '', '_status_active', '_status_paused', '_status_disabled' ) as $suffix ) {
			delete_transient( 'woocommerce_webhook_ids' . $suffix );
		}
		return $changed;
	}

	/**
	 * Topics whose webhook WooCommerce has disabled. Cheap enough for every admin page:
	 * WooCommerce caches the ids by status in a transient, and no webhook is loaded.
	 *
	 * @return string[]
	 */
	public function disabled_topics() {
		$owned = $this->owned_ids();
		if ( empty( $owned ) ) {
			return array();
		}
		$disabled = array_map( 'intval', (array) call_user_func( $this->lister, 'disabled' ) );
		$topics   = array();
		foreach ( $owned as $topic => $id ) {
			if ( in_array( (int) $id, $disabled, true ) ) {
				$topics[] = (string) $topic;
			}
		}
		return $topics;
	}

	/**
	 * Status of each topic's webhook ('missing' when there is none).
	 *
	 * @return array topic => status.
	 */
	public function statuses() {
		$owned    = $this->load_owned();
		$statuses = array();
		foreach ( self::TOPICS as $topic ) {
			$statuses[ $topic ] = isset( $owned[ $topic ] ) ? (string) $owned[ $topic ]->get_status( 'edit' ) : 'missing';
		}
		return $statuses;
	}

	/**
	 * Loads the plugin's webhooks by topic: from the stored ids, else by name.
	 *
	 * @return WC_Webhook[] topic => webhook.
	 */
	private function load_owned() {
		$ids = array_values( $this->owned_ids() );
		if ( empty( $ids ) ) {
			$ids = array_map( 'intval', (array) call_user_func( $this->finder ) );
		}
		$owned = array();
		foreach ( $ids as $id ) {
			if ( $id <= 0 ) {
				continue;
			}
			$webhook = call_user_func( $this->factory, $id );
			if ( ! $webhook || 0 === (int) $webhook->get_id() ) {
				continue;
			}
			$topic = (string) $webhook->get_topic( 'edit' );
			if ( 0 !== strpos( (string) $webhook->get_name( 'edit' ), self::NAME_PREFIX ) || ! in_array( $topic, self::TOPICS, true ) || isset( $owned[ $topic ] ) ) {
				continue;
			}
			$owned[ $topic ] = $webhook;
		}
		return $owned;
	}

	/**
	 * Creates one webhook, then pings it as WooCommerce's own screens do.
	 *
	 * @param string $topic Topic.
	 * @param array  $ids   Ids known so far in this repair, by topic.
	 * @param bool   $ping  Whether to ping it now.
	 * @return int New webhook id.
	 * @throws RuntimeException When WooCommerce did not save it.
	 */
	private function create( $topic, array $ids, $ping ) {
		$webhook = call_user_func( $this->factory, 0 );
		$webhook->set_name( self::NAME_PREFIX . $topic );
		$webhook->set_user_id( $this->payload_user_id() );
		$webhook->set_topic( $topic );
		$webhook->set_api_version( self::API_VERSION );
		$webhook->set_delivery_url( $this->settings->webhook_delivery_url() );
		$webhook->set_secret( $this->settings->shared_secret() );
		$webhook->set_status( 'active' );
		$id = (int) $webhook->save();
		if ( $id <= 0 ) {
			throw new RuntimeException( 'WooCommerce did not save the webhook.' );
		}
		// Known as the plugin's before its ping, so the ping gets the short timeout too.
		$ids[ $topic ] = $id;
		update_option( self::IDS_OPTION, array_merge( $this->owned_ids(), $ids ), true );
		if ( $ping ) {
			$answer = $webhook->deliver_ping();
			if ( is_wp_error( $answer ) ) {
				$this->logger->warning( sprintf( 'Ping of new webhook %s failed: %s', $topic, $answer->get_error_message() ) );
			}
		}
		$this->logger->info( sprintf( 'Created webhook %d for %s.', $id, $topic ) );
		return $id;
	}

	/**
	 * Brings an existing webhook in line with the settings and re-activates it.
	 *
	 * @param WC_Webhook $webhook Webhook.
	 * @return string 'reenabled' (it was disabled or paused), 'updated' or 'ok'.
	 */
	private function fix( $webhook ) {
		$outcome = 'ok';
		if ( $webhook->get_delivery_url( 'edit' ) !== $this->settings->webhook_delivery_url() ) {
			$webhook->set_delivery_url( $this->settings->webhook_delivery_url() );
			$outcome = 'updated';
		}
		if ( $webhook->get_secret( 'edit' ) !== $this->settings->shared_secret() ) {
			$webhook->set_secret( $this->settings->shared_secret() );
			$outcome = 'updated';
		}
		if ( self::API_VERSION !== $webhook->get_api_version( 'edit' ) ) {
			$webhook->set_api_version( self::API_VERSION );
			$outcome = 'updated';
		}
		if ( (int) $webhook->get_user_id( 'edit' ) <= 0 ) {
			$webhook->set_user_id( $this->payload_user_id() );
			$outcome = 'updated';
		}
		$status = (string) $webhook->get_status( 'edit' );
		if ( 'active' !== $status ) {
			$webhook->set_status( 'active' );
			$webhook->set_failure_count( 0 );
			$outcome = 'reenabled';
			$this->logger->info( sprintf( 'Webhook %d (%s) was %s; set active.', $webhook->get_id(), $webhook->get_topic( 'edit' ), $status ) );
		}
		if ( 'ok' !== $outcome ) {
			$webhook->save();
		}
		return $outcome;
	}

	/**
	 * The user each delivery's payload is built as: must read products and orders.
	 *
	 * @return int
	 */
	private function payload_user_id() {
		$current = (int) get_current_user_id();
		if ( $current > 0 && user_can( $current, 'manage_woocommerce' ) ) {
			return $current;
		}
		$users = get_users(
			array(
				'role__in' => array( 'administrator', 'shop_manager' ),
				'number'   => 1,
				'orderby'  => 'ID',
				'order'    => 'ASC',
				'fields'   => 'ID',
			)
		);
		return empty( $users ) ? 0 : (int) reset( $users );
	}
}
