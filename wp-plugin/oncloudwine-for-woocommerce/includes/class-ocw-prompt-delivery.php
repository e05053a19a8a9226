<?php
/**
 * Prompt delivery of the plugin's own webhooks.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce queues webhook deliveries in memory during a request and, on `shutdown`
 * (priority 10, wc_webhook_execute_queue), hands them to Action Scheduler — which runs only
 * when the site gets its next request. For the plugin's own webhooks (and only those) this
 * class:
 *
 * - answers false to `woocommerce_webhook_deliver_async`, so WooCommerce calls deliver()
 *   right there at the end of the request;
 * - sets a short timeout through `woocommerce_webhook_http_args`, so a dead sidecar costs at
 *   most that (the next reconcile catches the change);
 * - on `shutdown` before priority 10, when one of its deliveries is queued, sends the
 *   response to the visitor first (fastcgi_finish_request() where PHP-FPM offers it);
 * - after a delivery of its own that did not get through (`woocommerce_webhook_delivery`
 *   reports a WP_Error: refused, timed out), leaves the rest of this request's deliveries
 *   and those of the next minute to Action Scheduler. WooCommerce runs the queue one
 *   delivery after the other, so without this a dead sidecar would cost one timeout per
 *   queued delivery (an order queues several) — time the visitor waits where the response
 *   cannot be finished early (mod_php), and a PHP worker held where it can;
 * - inside a REST request that did not load `wc/v3` (the block checkout's Store API request,
 *   on WooCommerce 9.2+), delivers promptly only once OCW_Payload_Routes made the payload's
 *   route available (9.4+), and otherwise leaves the delivery to Action Scheduler, whose
 *   request builds the payload with every namespace loaded.
 */
class OCW_Prompt_Delivery {

	/**
	 * Seconds a prompt delivery may take.
	 */
	const TIMEOUT = 3;

	/**
	 * The shutdown priority: after wp_ob_end_flush_all (1), before wc_webhook_execute_queue (10).
	 */
	const SHUTDOWN_PRIORITY = 5;

	/**
	 * Transient set for HOLD_SECONDS after a prompt delivery did not get through.
	 */
	const HOLD_TRANSIENT = 'oncloudwine_prompt_hold';

	/**
	 * How long deliveries go back to Action Scheduler after one did not get through.
	 */
	const HOLD_SECONDS = 60;

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * The payload routes of a prompt delivery.
	 *
	 * @var OCW_Payload_Routes
	 */
	private $routes;

	/**
	 * Ends the response to the client: function (): void.
	 *
	 * @var callable
	 */
	private $finisher;

	/**
	 * Whether one of the plugin's deliveries is queued in this request.
	 *
	 * @var bool
	 */
	private $queued = false;

	/**
	 * Whether the response was already finished.
	 *
	 * @var bool
	 */
	private $finished = false;

	/**
	 * Whether prompt delivery is held in this request (null: not looked up yet).
	 *
	 * @var bool|null
	 */
	private $held = null;

	/**
	 * Constructor.
	 *
	 * @param OCW_Webhooks            $webhooks Webhooks.
	 * @param callable|null           $finisher Ends the response; default fastcgi_finish_request() where it exists.
	 * @param OCW_Payload_Routes|null $routes   Payload routes; default the request's.
	 */
	public function __construct( OCW_Webhooks $webhooks, $finisher = null, $routes = null ) {
		$this->webhooks = $webhooks;
		$this->finisher = $finisher ? $finisher : array( __CLASS__, 'finish_request' );
		$this->routes   = $routes ? $routes : new OCW_Payload_Routes();
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		$this->routes->register();
		add_filter( 'woocommerce_webhook_deliver_async', array( $this, 'filter_deliver_async' ), 10, 3 );
		add_filter( 'woocommerce_webhook_http_args', array( $this, 'filter_http_args' ), 10, 3 );
		add_action( 'woocommerce_webhook_process_delivery', array( $this, 'note_queued' ), 5, 2 );
		add_action( 'shutdown', array( $this, 'finish_response' ), self::SHUTDOWN_PRIORITY );
		add_action( 'woocommerce_webhook_delivery', array( $this, 'note_delivery' ), 10, 5 );
		add_filter( 'http_request_args', array( $this, 'filter_ping_args' ), 10, 2 );
	}

	/**
	 * Filter `woocommerce_webhook_deliver_async`: false for the plugin's webhooks, unless
	 * prompt delivery is held or the payload's route cannot be had in this request.
	 *
	 * @param bool       $async   Current answer.
	 * @param WC_Webhook $webhook Webhook.
	 * @param mixed      $arg     First hook argument.
	 * @return bool
	 */
	public function filter_deliver_async( $async, $webhook, $arg = null ) {
		if ( ! is_object( $webhook ) || ! method_exists( $webhook, 'get_id' ) || ! $this->webhooks->is_owned( $webhook->get_id() ) || $this->is_held() ) {
			return $async;
		}
		return $this->routes->ensure( (string) $webhook->get_topic() ) ? false : $async;
	}

	/**
	 * Action `woocommerce_webhook_delivery` (after each delivery): a delivery of the
	 * plugin's that did not get through holds prompt delivery for HOLD_SECONDS.
	 *
	 * @param array          $http_args  HTTP arguments sent.
	 * @param array|WP_Error $response   Response.
	 * @param float          $duration   Seconds the delivery took.
	 * @param mixed          $arg        First hook argument.
	 * @param int            $webhook_id Webhook id.
	 */
	public function note_delivery( $http_args, $response, $duration = 0.0, $arg = null, $webhook_id = 0 ) {
		if ( ! is_wp_error( $response ) || ! $this->webhooks->is_owned( $webhook_id ) ) {
			return;
		}
		$this->held = true;
		set_transient( self::HOLD_TRANSIENT, time(), self::HOLD_SECONDS );
	}

	/**
	 * Whether prompt delivery is held (a delivery did not get through in the last minute).
	 *
	 * @return bool
	 */
	public function is_held() {
		if ( null === $this->held ) {
			$this->held = false !== get_transient( self::HOLD_TRANSIENT );
		}
		return $this->held;
	}

	/**
	 * Filter `woocommerce_webhook_http_args`: a short timeout for the plugin's webhooks,
	 * and the mark of the plugin's own requests.
	 *
	 * @param array $http_args  HTTP arguments.
	 * @param mixed $arg        First hook argument (null for a ping).
	 * @param int   $webhook_id Webhook id.
	 * @return array
	 */
	public function filter_http_args( $http_args, $arg = null, $webhook_id = 0 ) {
		if ( ! $this->webhooks->is_owned( $webhook_id ) || ! is_array( $http_args ) ) {
			return $http_args;
		}
		$http_args['timeout'] = (float) apply_filters( 'oncloudwine_prompt_delivery_timeout', self::TIMEOUT );
		// Marks the delivery as the plugin's: OCW_Http_Allowlist lets it reach the sidecar.
		$http_args[ OCW_Sidecar_Client::OWN_REQUEST_ARG ] = true;
		return $http_args;
	}

	/**
	 * Filter `http_request_args`: the short timeout for WooCommerce's pings of the plugin's
	 * webhooks too. WC_Webhook::deliver_ping() of WooCommerce 6.x passes its arguments
	 * straight to wp_safe_remote_post() (no `woocommerce_webhook_http_args`), so a ping
	 * would wait WordPress's default 5 s.
	 *
	 * @param array  $args HTTP arguments.
	 * @param string $url  Request URL.
	 * @return array
	 */
	public function filter_ping_args( $args, $url ) {
		if ( ! is_array( $args ) || ! $this->webhooks->is_ping( $args, $url ) ) {
			return $args;
		}
		$timeout         = (float) apply_filters( 'oncloudwine_prompt_delivery_timeout', self::TIMEOUT );
		$args['timeout'] = isset( $args['timeout'] ) ? min( (float) $args['timeout'], $timeout ) : $timeout;
		return $args;
	}

	/**
	 * Action `woocommerce_webhook_process_delivery` (before WooCommerce queues it).
	 *
	 * @param WC_Webhook $webhook Webhook.
	 * @param mixed      $arg     First hook argument.
	 */
	public function note_queued( $webhook, $arg = null ) {
		if ( is_object( $webhook ) && method_exists( $webhook, 'get_id' ) && $this->webhooks->is_owned( $webhook->get_id() ) ) {
			$this->queued = true;
		}
	}

	/**
	 * Whether one of the plugin's deliveries is queued in this request.
	 *
	 * @return bool
	 */
	public function has_queued() {
		return $this->queued;
	}

	/**
	 * Action `shutdown`: sends the response before the queued deliveries run.
	 *
	 * @return bool Whether the response was finished here.
	 */
	public function finish_response() {
		if ( ! $this->queued || $this->finished ) {
			return false;
		}
		$this->finished = true;
		call_user_func( $this->finisher );
		return true;
	}

	/**
	 * Ends the response where the SAPI allows it and keeps PHP running.
	 */
	public static function finish_request() {
		ignore_user_abort( true );
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		} elseif ( function_exists( 'litespeed_finish_request' ) ) {
			litespeed_finish_request();
		}
	}
}
