<?php
/**
 * Bootstrap: checks WooCommerce, wires the parts, hooks them in.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/class-ocw-requirements.php';

/**
 * Loads nothing but an admin notice when WooCommerce is missing or older than 6.0;
 * otherwise builds the plugin's objects once and registers their hooks.
 */
class OCW_Plugin {

	/**
	 * Class files loaded once WooCommerce is known to be there.
	 */
	const FILES = array(
		'class-ocw-logger.php',
		'class-ocw-settings.php',
		'class-ocw-sidecar-client.php',
		'class-ocw-http-allowlist.php',
		'class-ocw-webhooks.php',
		'class-ocw-payload-routes.php',
		'class-ocw-prompt-delivery.php',
		'class-ocw-stock-query.php',
		'class-ocw-catalog-query.php',
		'class-ocw-rest-routes.php',
		'class-ocw-api-keys.php',
		'class-ocw-operations.php',
		'class-ocw-status-panel.php',
		'class-ocw-admin-actions.php',
		'class-ocw-scheduler.php',
		'class-ocw-system-status.php',
		'class-ocw-mirror-emails.php',
	);

	/**
	 * The running plugin (null when WooCommerce is missing).
	 *
	 * @var OCW_Plugin|null
	 */
	private static $instance = null;

	/**
	 * Parts.
	 *
	 * @var object[]
	 */
	private $parts = array();

	/**
	 * Whether the hooks are in.
	 *
	 * @var bool
	 */
	private $registered = false;

	/**
	 * Declares HPOS (custom_order_tables) compatibility, on before_woocommerce_init.
	 */
	public static function declare_compatibility() {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', OCW_PLUGIN_FILE, true );
		}
	}

	/**
	 * Runs on plugins_loaded.
	 */
	public static function boot() {
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );
		$version = OCW_Requirements::woocommerce_version();
		$problem = OCW_Requirements::woocommerce_problem( $version, OCW_MIN_WC_VERSION );
		if ( '' !== $problem ) {
			add_action(
				'admin_notices',
				static function () use ( $problem, $version ) {
					OCW_Requirements::render_blocking_notice( $problem, $version );
				}
			);
			return;
		}
		self::start()->register();
	}

	/**
	 * Loads translations (on init, as WordPress 6.7+ expects).
	 */
	public static function load_textdomain() {
		load_plugin_textdomain( 'oncloudwine-for-woocommerce', false, dirname( plugin_basename( OCW_PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * The running plugin, or null when WooCommerce is missing.
	 *
	 * @return OCW_Plugin|null
	 */
	public static function instance() {
		return self::$instance;
	}

	/**
	 * Loads the classes and builds the parts (once).
	 *
	 * @return OCW_Plugin
	 */
	public static function start() {
		if ( null === self::$instance ) {
			foreach ( self::FILES as $file ) {
				require_once __DIR__ . '/' . $file;
			}
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Builds the parts.
	 */
	private function __construct() {
		global $wpdb;
		$logger   = new OCW_Logger();
		$settings = new OCW_Settings();
		$client   = new OCW_Sidecar_Client( $settings, $logger );
		$webhooks = new OCW_Webhooks( $settings, $client, $logger );
		$keys     = new OCW_Api_Keys( $wpdb );
		$ops      = new OCW_Operations( $settings, $client, $webhooks, $keys, $logger );

		$this->parts = array(
			'logger'        => $logger,
			'settings'      => $settings,
			'client'        => $client,
			'webhooks'      => $webhooks,
			'operations'    => $ops,
			'allowlist'     => new OCW_Http_Allowlist( $settings ),
			'prompt'        => new OCW_Prompt_Delivery( $webhooks ),
			'rest'          => new OCW_Rest_Routes( new OCW_Catalog_Query( $wpdb ), new OCW_Stock_Query( $wpdb ) ),
			'status_panel'  => new OCW_Status_Panel( $client, $webhooks ),
			'admin_actions' => new OCW_Admin_Actions( $ops ),
			'scheduler'     => new OCW_Scheduler( $webhooks ),
			'system_status' => new OCW_System_Status( $settings, $webhooks ),
			'requirements'  => new OCW_Requirements( $settings, $webhooks ),
			'mirror_emails' => new OCW_Mirror_Emails( $settings ),
		);
	}

	/**
	 * Hooks every part in.
	 */
	private function register() {
		if ( $this->registered ) {
			return;
		}
		$this->registered = true;
		foreach ( array( 'allowlist', 'prompt', 'rest', 'status_panel', 'admin_actions', 'scheduler', 'system_status', 'requirements', 'mirror_emails' ) as $name ) {
			$this->parts[ $name ]->register();
		}
		add_filter( 'woocommerce_integrations', array( __CLASS__, 'add_integration' ) );
		add_action( 'woocommerce_settings_integration', array( __CLASS__, 'render_settings_extras' ), 20 );
		add_filter( 'plugin_action_links_' . plugin_basename( OCW_PLUGIN_FILE ), array( __CLASS__, 'action_links' ) );
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			require_once __DIR__ . '/class-ocw-cli.php';
			WP_CLI::add_command( 'oncloudwine', 'OCW_CLI' );
		}
	}

	/**
	 * Filter woocommerce_integrations.
	 *
	 * @param array $integrations Integration class names.
	 * @return array
	 */
	public static function add_integration( $integrations ) {
		require_once __DIR__ . '/class-ocw-integration.php';
		$integrations[] = 'OCW_Integration';
		return $integrations;
	}

	/**
	 * Action `woocommerce_settings_integration` at 20, after WooCommerce printed the
	 * section's fields (WC_Settings_Integrations::output() at 10) and before its Save
	 * button: on the OnCloudWine section, the log link, the action buttons and the status
	 * panel. Not in OCW_Integration::admin_options(): WC_Integration declares it final.
	 */
	public static function render_settings_extras() {
		global $current_section;
		$plugin = self::instance();
		if ( ! $plugin || OCW_Settings::SECTION !== $current_section || ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		printf(
			'<p><a href="%1$s">%2$s</a></p>',
			esc_url( OCW_Logger::logs_url() ),
			esc_html__( 'View log', 'oncloudwine-for-woocommerce' )
		);
		OCW_Status_Panel::render_actions();
		if ( $plugin->settings()->is_configured() ) {
			$panel = $plugin->status_panel();
			$panel->render( $panel->snapshot() );
			OCW_Status_Panel::enqueue_script();
		}
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param array $links Links.
	 * @return array
	 */
	public static function action_links( $links ) {
		array_unshift( $links, '<a href="' . esc_url( OCW_Settings::page_url() ) . '">' . esc_html__( 'Settings', 'oncloudwine-for-woocommerce' ) . '</a>' );
		return $links;
	}

	/**
	 * Activation: with WooCommerce there, schedule the repair and resume the webhooks.
	 */
	public static function activate() {
		if ( '' !== OCW_Requirements::woocommerce_problem( OCW_Requirements::woocommerce_version(), OCW_MIN_WC_VERSION ) || ! class_exists( 'WC_Webhook' ) ) {
			return;
		}
		$plugin = self::start();
		$plugin->register();
		$plugin->scheduler()->ensure_scheduled( true );
		if ( $plugin->settings()->is_configured() ) {
			$plugin->webhooks()->repair();
		}
	}

	/**
	 * Deactivation: pause the webhooks and drop the schedule.
	 */
	public static function deactivate() {
		if ( ! class_exists( 'WC_Webhook' ) ) {
			// WooCommerce is off: pause the webhooks and cancel the repair in their tables.
			global $wpdb;
			require_once __DIR__ . '/class-ocw-webhooks.php';
			require_once __DIR__ . '/class-ocw-scheduler.php';
			OCW_Webhooks::change_rows_without_woocommerce( $wpdb, 'pause' );
			OCW_Scheduler::cancel_without_action_scheduler( $wpdb );
			return;
		}
		$plugin = self::start();
		$plugin->webhooks()->pause();
		$plugin->scheduler()->unschedule();
	}

	/**
	 * Settings.
	 *
	 * @return OCW_Settings
	 */
	public function settings() {
		return $this->parts['settings'];
	}

	/**
	 * Sidecar client.
	 *
	 * @return OCW_Sidecar_Client
	 */
	public function client() {
		return $this->parts['client'];
	}

	/**
	 * Webhooks.
	 *
	 * @return OCW_Webhooks
	 */
	public function webhooks() {
		return $this->parts['webhooks'];
	}

	/**
	 * Operations.
	 *
	 * @return OCW_Operations
	 */
	public function operations() {
		return $this->parts['operations'];
	}

	/**
	 * Status panel.
	 *
	 * @return OCW_Status_Panel
	 */
	public function status_panel() {
		return $this->parts['status_panel'];
	}

	/**
	 * Scheduler.
	 *
	 * @return OCW_Scheduler
	 */
	public function scheduler() {
		return $this->parts['scheduler'];
	}
}
