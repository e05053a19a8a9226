<?php
/**
 * State behind the WordPress and WooCommerce doubles, reset before every test.
 *
 * @package OnCloudWine\Tests
 */

/**
 * What the doubled WordPress "knows": options, transients, hooks, HTTP, users, webhooks.
 */
class OCW_Test_World {

	/**
	 * Options.
	 *
	 * @var array
	 */
	public static $options = array();

	/**
	 * Transients.
	 *
	 * @var array
	 */
	public static $transients = array();

	/**
	 * Expiration (seconds) each transient was set with.
	 *
	 * @var array
	 */
	public static $transient_ttl = array();

	/**
	 * Text domain of every translation call (WordPress 6.7+ warns when a domain with a
	 * translation file is asked before init).
	 *
	 * @var string[]
	 */
	public static $translated = array();

	/**
	 * Hooks: name => priority => list of array( callback, accepted_args ).
	 *
	 * @var array
	 */
	public static $hooks = array();

	/**
	 * Stack of hooks being run.
	 *
	 * @var string[]
	 */
	public static $current = array();

	/**
	 * HTTP calls made: list of array( 'fn', 'url', 'args' ).
	 *
	 * @var array
	 */
	public static $http = array();

	/**
	 * Answers HTTP calls: function ( string $url, array $args ): array|WP_Error.
	 *
	 * @var callable|null
	 */
	public static $responder = null;

	/**
	 * Current user id.
	 *
	 * @var int
	 */
	public static $user_id = 0;

	/**
	 * Capabilities of the current user.
	 *
	 * @var string[]
	 */
	public static $caps = array();

	/**
	 * Whether nonces verify.
	 *
	 * @var bool
	 */
	public static $nonce_ok = true;

	/**
	 * Stored webhooks: id => data.
	 *
	 * @var array
	 */
	public static $webhooks = array();

	/**
	 * Next webhook id.
	 *
	 * @var int
	 */
	public static $next_webhook_id = 100;

	/**
	 * Pings sent: list of webhook ids.
	 *
	 * @var int[]
	 */
	public static $pings = array();

	/**
	 * Log lines: list of array( level, message, context ).
	 *
	 * @var array
	 */
	public static $logs = array();

	/**
	 * Registered REST routes: list of array( namespace, route, args ).
	 *
	 * @var array
	 */
	public static $routes = array();

	/**
	 * Users returned by get_users().
	 *
	 * @var int[]
	 */
	public static $users = array();

	/**
	 * Scheduled actions: list of array( hook, group, interval ).
	 *
	 * @var array
	 */
	public static $scheduled = array();

	/**
	 * Whether is_ssl() is true.
	 *
	 * @var bool
	 */
	public static $ssl = true;

	/**
	 * home_url() base.
	 *
	 * @var string
	 */
	public static $home = 'https://shop.example.com';

	/**
	 * Registered scripts: handle => src, enqueued, inline.
	 *
	 * @var array
	 */
	public static $scripts = array();

	/**
	 * URLs wp_safe_remote_*() refused (wp_http_validate_url() said no).
	 *
	 * @var string[]
	 */
	public static $refused = array();

	/**
	 * Autoload of each option ('yes' or 'no').
	 *
	 * @var array
	 */
	public static $autoload = array();

	/**
	 * Whether wc_rest_should_load_namespace() applies its filter (WooCommerce 9.4+).
	 *
	 * @var bool
	 */
	public static $wc_rest_filter = true;

	/**
	 * Resets everything.
	 */
	public static function reset() {
		self::$options         = array(
			'permalink_structure' => '/%postname%/',
			'date_format'         => 'F j, Y',
			'time_format'         => 'g:i a',
			'timezone_string'     => 'UTC',
		);
		self::$transients      = array();
		self::$transient_ttl   = array();
		self::$translated      = array();
		self::$hooks           = array();
		self::$current         = array();
		self::$http            = array();
		self::$responder       = null;
		self::$user_id         = 1;
		self::$caps            = array( 'manage_woocommerce', 'activate_plugins' );
		self::$nonce_ok        = true;
		self::$webhooks        = array();
		self::$next_webhook_id = 100;
		self::$pings           = array();
		self::$logs            = array();
		self::$routes          = array();
		self::$users           = array( 1 );
		self::$scheduled       = array();
		self::$ssl             = true;
		self::$home            = 'https://shop.example.com';
		self::$wc_rest_filter  = true;
		self::$autoload        = array();
		self::$refused         = array();
		self::$scripts         = array();
		WC_Log_Handler_File::$files = array();
		unset( $GLOBALS['wp_rest_server'], $GLOBALS['wp'] );
		\Automattic\WooCommerce\RestApi\Server::reset();
		OCW_Test_Rest_Controller::$instances = 0;
	}

	/**
	 * A JSON HTTP answer as WordPress returns it.
	 *
	 * @param int    $code    Status.
	 * @param mixed  $body    Body (encoded to JSON unless a string).
	 * @param array  $headers Headers.
	 * @return array
	 */
	public static function response( $code, $body = '', array $headers = array() ) {
		return array(
			'headers'  => array_change_key_case( $headers, CASE_LOWER ),
			'body'     => is_string( $body ) ? $body : json_encode( $body ),
			'response' => array(
				'code'    => $code,
				'message' => '',
			),
			'cookies'  => array(),
		);
	}

	/**
	 * HTTP calls to a URL path suffix.
	 *
	 * @param string $suffix URL ending (without query).
	 * @return array
	 */
	public static function calls_to( $suffix ) {
		return array_values(
			array_filter(
				self::$http,
				static function ( $call ) use ( $suffix ) {
					$path = strtok( $call['url'], '?' );
					return substr( $path, -strlen( $suffix ) ) === $suffix;
				}
			)
		);
	}

	/**
	 * Stores plugin settings.
	 *
	 * @param array $settings Settings.
	 */
	public static function configure( array $settings = array() ) {
		$settings = array_merge(
			array(
				'sidecar_url'   => 'http://10.0.0.5:8787',
				'shared_secret' => str_repeat( 's', 40 ),
			),
			$settings
		);
		// As OCW_Integration saves them: the secret in its own option, not autoloaded.
		self::$options[ OCW_Settings::SECRET_OPTION ]  = (string) $settings['shared_secret'];
		self::$autoload[ OCW_Settings::SECRET_OPTION ] = 'no';
		unset( $settings['shared_secret'] );
		self::$options[ OCW_Settings::OPTION ] = $settings;
	}
}

/**
 * What wp_die() throws in tests.
 */
class OCW_Test_Died extends Exception {
}

/**
 * What wp_send_json_*() throw in tests (WordPress echoes JSON and dies).
 */
class OCW_Test_Json extends Exception {
	/**
	 * Whether it was wp_send_json_success().
	 *
	 * @var bool
	 */
	public $success;

	/**
	 * The data.
	 *
	 * @var mixed
	 */
	public $data;

	/**
	 * HTTP status.
	 *
	 * @var int|null
	 */
	public $status;

	/**
	 * Constructor.
	 *
	 * @param bool     $success Success.
	 * @param mixed    $data    Data.
	 * @param int|null $status  HTTP status.
	 */
	public function __construct( $success, $data, $status ) {
		parent::__construct( 'json' );
		$this->success = $success;
		$this->data    = $data;
		$this->status  = $status;
	}
}

/**
 * What the redirect double throws.
 */
class OCW_Test_Redirected extends Exception {
}
