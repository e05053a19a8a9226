<?php
/**
 * Small doubles of the WooCommerce classes and functions the plugin calls, with their
 * real signatures (WooCommerce 6.0 – 10.x).
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable Squiz.Commenting.FunctionComment.Missing, Universal.Files.SeparateFunctionsFromOO, Generic.Files.OneObjectStructurePerFile

/**
 * Logger double (WC_Logger_Interface::log( $level, $message, $context = array() )).
 */
class OCW_Test_Logger {
	public function log( $level, $message, $context = array() ) {
		OCW_Test_World::$logs[] = array( $level, $message, $context );
	}
}

/**
 * WC_Log_Handler_File double (WooCommerce 6.9): get_log_files() answers the files in the
 * log directory keyed by sanitize_title( name ); get_log_file_name() builds
 * <handle>-<Y-m-d>-<hash>.log.
 */
class WC_Log_Handler_File {
	public static $files = array();

	public static function get_log_files() {
		$result = array();
		foreach ( self::$files as $name ) {
			$result[ sanitize_title( $name ) ] = $name;
		}
		return $result;
	}

	public static function get_log_file_name( $handle ) {
		return $handle . '-' . gmdate( 'Y-m-d' ) . '-' . substr( md5( $handle ), 0, 32 ) . '.log';
	}
}

function wc_get_logger() {
	return new OCW_Test_Logger();
}

function wc_rand_hash() {
	return bin2hex( random_bytes( 20 ) );
}

function wc_api_hash( $data ) {
	return hash_hmac( 'sha256', $data, 'wc-api' );
}

function wc_stock_amount( $amount ) {
	return intval( $amount );
}

function wc_get_price_decimals() {
	return 2;
}

function wc_format_decimal( $number, $dp = false, $trim_zeros = false ) {
	return false === $dp ? (string) $number : number_format( (float) $number, (int) $dp, '.', '' );
}

function wc_get_attribute_taxonomies() {
	return array(
		(object) array(
			'attribute_id'    => '1',
			'attribute_name'  => 'size',
			'attribute_label' => 'Size',
		),
		(object) array(
			'attribute_id'    => '2',
			'attribute_name'  => 'vintage',
			'attribute_label' => 'Vintage',
		),
	);
}

function wc_get_webhook_statuses() {
	return array(
		'active'   => 'Active',
		'paused'   => 'Paused',
		'disabled' => 'Disabled',
	);
}

/**
 * WC_Webhook double: the props, getters ($context) and setters of WooCommerce's class, stored
 * in OCW_Test_World::$webhooks. save() answers the id like WC_Data::save().
 */
class WC_Webhook {
	protected $id      = 0;
	protected $changes = array();
	protected $data = array(
		'status'           => 'disabled',
		'delivery_url'     => '',
		'secret'           => '',
		'name'             => '',
		'topic'            => '',
		'failure_count'    => 0,
		'user_id'          => 0,
		'api_version'      => 3,
		'pending_delivery' => false,
	);

	public function __construct( $data = 0 ) {
		if ( is_numeric( $data ) && $data > 0 && isset( OCW_Test_World::$webhooks[ (int) $data ] ) ) {
			$this->id   = (int) $data;
			$this->data = OCW_Test_World::$webhooks[ (int) $data ];
		}
	}

	public function get_id() {
		return $this->id;
	}

	public function get_name( $context = 'view' ) {
		return $this->data['name'];
	}

	public function get_status( $context = 'view' ) {
		return $this->data['status'];
	}

	public function get_secret( $context = 'view' ) {
		return $this->data['secret'];
	}

	public function get_topic( $context = 'view' ) {
		return $this->data['topic'];
	}

	public function get_delivery_url( $context = 'view' ) {
		return $this->data['delivery_url'];
	}

	public function get_user_id( $context = 'view' ) {
		return $this->data['user_id'];
	}

	public function get_api_version( $context = 'view' ) {
		return $this->data['api_version'] > 0 ? 'wp_api_v' . $this->data['api_version'] : 'legacy_v3';
	}

	public function get_failure_count( $context = 'view' ) {
		return $this->data['failure_count'];
	}

	public function get_pending_delivery( $context = 'view' ) {
		return $this->data['pending_delivery'];
	}

	public function set_name( $name ) {
		$this->set_prop( 'name', $name );
	}

	public function set_status( $status ) {
		if ( ! array_key_exists( $status, wc_get_webhook_statuses() ) ) {
			$status = 'disabled';
		}
		$this->set_prop( 'status', $status );
	}

	public function set_secret( $secret ) {
		$this->set_prop( 'secret', $secret );
	}

	public function set_topic( $topic ) {
		$this->set_prop( 'topic', $topic );
	}

	public function set_delivery_url( $url ) {
		$this->set_prop( 'delivery_url', esc_url_raw( $url, array( 'http', 'https' ) ) );
	}

	public function set_user_id( $user_id ) {
		$this->set_prop( 'user_id', (int) $user_id );
	}

	public function set_api_version( $version ) {
		if ( ! is_numeric( $version ) ) {
			$version = 'legacy_v3' === $version ? -1 : intval( substr( $version, -1 ) );
		}
		$this->set_prop( 'api_version', (int) $version );
	}

	public function set_pending_delivery( $pending_delivery ) {
		$this->set_prop( 'pending_delivery', (bool) $pending_delivery );
	}

	public function set_failure_count( $failure_count ) {
		$this->set_prop( 'failure_count', intval( $failure_count ) );
	}

	/**
	 * WC_Data::set_prop() on a read object: the value, and the change when it differs.
	 */
	private function set_prop( $prop, $value ) {
		if ( $value !== $this->data[ $prop ] || array_key_exists( $prop, $this->changes ) ) {
			$this->changes[ $prop ] = $value;
		}
		$this->data[ $prop ] = $value;
	}

	/**
	 * WC_Webhook_Data_Store::create() / update(): a new webhook is pending delivery unless
	 * set otherwise; an update pings when the webhook is active and its delivery URL
	 * changed or a ping is still pending.
	 */
	public function save() {
		$changes       = $this->changes;
		$this->changes = array();
		if ( 0 === $this->id ) {
			$this->id = OCW_Test_World::$next_webhook_id++;
			if ( ! array_key_exists( 'pending_delivery', $changes ) ) {
				$this->data['pending_delivery'] = true;
			}
			OCW_Test_World::$webhooks[ $this->id ] = $this->data;
			return $this->id;
		}
		OCW_Test_World::$webhooks[ $this->id ] = $this->data;
		if ( 'active' === $this->data['status'] && ( array_key_exists( 'delivery_url', $changes ) || $this->data['pending_delivery'] ) ) {
			$this->deliver_ping();
		}
		return $this->id;
	}

	public function delete( $force_delete = false ) {
		unset( OCW_Test_World::$webhooks[ $this->id ] );
		$this->id = 0;
		return true;
	}

	/**
	 * WC_Webhook::deliver_ping() as in WooCommerce 6.x: form POST "webhook_id=N" straight
	 * through wp_safe_remote_post() (newer versions also pass it through
	 * woocommerce_webhook_http_args); only an exact 200 clears pending_delivery (and saves).
	 */
	public function deliver_ping() {
		$args                    = array( 'user-agent' => 'WooCommerce/6.9.0 Hookshot (WordPress/6.1.12)', 'body' => 'webhook_id=' . $this->id );
		OCW_Test_World::$pings[] = array(
			'id'   => $this->id,
			'args' => $args,
		);
		$test = wp_safe_remote_post( $this->data['delivery_url'], $args );
		if ( is_wp_error( $test ) ) {
			return new WP_Error( 'error', 'Error: Delivery URL cannot be reached: ' . $test->get_error_message() );
		}
		if ( 200 !== wp_remote_retrieve_response_code( $test ) ) {
			return new WP_Error( 'error', 'Error: Delivery URL returned response code: ' . absint( wp_remote_retrieve_response_code( $test ) ) );
		}
		$this->set_pending_delivery( false );
		$this->save();
		return true;
	}
}

/**
 * WC_Settings_API / WC_Integration double: the parts OCW_Integration relies on. As in
 * WooCommerce's abstract-wc-integration.php, admin_options(), init_settings(),
 * get_method_title() and get_method_description() are final: an integration that
 * overrides one is a fatal error when its class loads.
 */
abstract class WC_Integration {
	public $id                 = '';
	public $method_title       = '';
	public $method_description = '';
	public $form_fields        = array();
	public $settings           = array();
	public $errors             = array();
	public $plugin_id          = 'woocommerce_';

	final public function init_settings() {
		$saved          = get_option( $this->get_option_key(), array() );
		$this->settings = is_array( $saved ) ? $saved : array();
	}

	final public function get_method_title() {
		return $this->method_title;
	}

	final public function get_method_description() {
		return $this->method_description;
	}

	public function get_option_key() {
		return $this->plugin_id . $this->id . '_settings';
	}

	public function get_field_key( $key ) {
		return $this->plugin_id . $this->id . '_' . $key;
	}

	public function get_option( $key, $empty_value = null ) {
		return isset( $this->settings[ $key ] ) ? $this->settings[ $key ] : $empty_value;
	}

	public function add_error( $error ) {
		$this->errors[] = $error;
	}

	public function get_errors() {
		return $this->errors;
	}

	/**
	 * WC_Settings_API::process_admin_options() (6.9 and 10.0 alike): settings read again,
	 * each field validated, the result through
	 * `woocommerce_settings_api_sanitized_fields_{id}` and stored autoloaded.
	 */
	public function process_admin_options() {
		$this->init_settings();
		foreach ( $this->form_fields as $key => $field ) {
			$posted = isset( $_POST[ $this->get_field_key( $key ) ] ) ? $_POST[ $this->get_field_key( $key ) ] : null; // phpcs:ignore
			try {
				$method                 = 'validate_' . $key . '_field';
				$this->settings[ $key ] = is_callable( array( $this, $method ) ) ? $this->$method( $key, $posted ) : ( null === $posted ? 'no' : $posted );
			} catch ( Exception $e ) {
				$this->add_error( $e->getMessage() );
			}
		}
		return update_option( $this->get_option_key(), apply_filters( 'woocommerce_settings_api_sanitized_fields_' . $this->id, $this->settings ), 'yes' );
	}

	final public function admin_options() {
		echo '<h2>' . esc_html( $this->get_method_title() ) . '</h2>';
		echo '<div><input type="hidden" name="section" value="' . esc_attr( $this->id ) . '" /></div>';
		echo '<table class="form-table">' . $this->generate_settings_html( $this->form_fields, false ) . '</table>'; // phpcs:ignore WordPress.Security.EscapeOutput
	}

	public function generate_settings_html( $form_fields = array(), $echo = true ) {
		$html = '';
		foreach ( $form_fields as $key => $field ) {
			$type  = empty( $field['type'] ) ? 'text' : $field['type'];
			$html .= method_exists( $this, 'generate_' . $type . '_html' )
				? $this->{'generate_' . $type . '_html'}( $key, $field )
				: '<tr><td><input type="' . esc_attr( $type ) . '" name="' . esc_attr( $this->get_field_key( $key ) ) . '" value="' . esc_attr( (string) $this->get_option( $key ) ) . '" /></td></tr>';
		}
		if ( ! $echo ) {
			return $html;
		}
		echo $html; // phpcs:ignore WordPress.Security.EscapeOutput
	}
}

/**
 * WC_Admin_Settings double.
 */
class WC_Admin_Settings {
	public static $errors = array();

	public static function add_error( $text ) {
		self::$errors[] = $text;
	}
}

/**
 * WC_DateTime double.
 */
class OCW_Test_Date extends DateTime {
}

/**
 * WC_Order double.
 */
class OCW_Test_Order {
	private $id;
	private $status;

	public function __construct( $id, $status ) {
		$this->id     = $id;
		$this->status = $status;
	}

	public function get_id() {
		return $this->id;
	}

	public function get_order_number() {
		return (string) $this->id;
	}

	public function get_status( $context = 'view' ) {
		return $this->status;
	}

	public function get_date_created( $context = 'view' ) {
		return new OCW_Test_Date( '2026-11-27T03:00:00+00:00' );
	}
}

/**
 * wpdb double: records every query; answers get_results/get_var through a callable.
 */
class OCW_Test_Wpdb {
	public $prefix             = 'wp_';
	public $posts              = 'wp_posts';
	public $postmeta           = 'wp_postmeta';
	public $terms              = 'wp_terms';
	public $term_taxonomy      = 'wp_term_taxonomy';
	public $term_relationships = 'wp_term_relationships';
	public $options            = 'wp_options';
	public $insert_id          = 0;
	public $queries            = array();
	public $inserted           = array();
	public $deleted            = array();

	/**
	 * Answers a SELECT: function ( string $sql ): array|string.
	 *
	 * @var callable|null
	 */
	public $answer = null;

	public function prepare( $query, ...$args ) {
		if ( isset( $args[0] ) && is_array( $args[0] ) ) {
			$args = $args[0];
		}
		$i = 0;
		return preg_replace_callback(
			'/%[ds]/',
			static function ( $m ) use ( &$i, $args ) {
				$value = $args[ $i++ ];
				return '%d' === $m[0] ? (string) (int) $value : "'" . addslashes( (string) $value ) . "'";
			},
			$query
		);
	}

	public function get_results( $query = null, $output = OBJECT ) {
		$this->queries[] = $query;
		return $this->answer ? call_user_func( $this->answer, $query ) : array();
	}

	public function get_var( $query = null, $x = 0, $y = 0 ) {
		$this->queries[] = $query;
		return $this->answer ? call_user_func( $this->answer, $query ) : null;
	}

	public function insert( $table, $data, $format = null ) {
		$this->inserted[] = array( $table, $data, $format );
		$this->insert_id  = 500 + count( $this->inserted );
		return 1;
	}

	public function delete( $table, $where, $where_format = null ) {
		$this->deleted[] = array( $table, $where );
		return 1;
	}

	public function esc_like( $text ) {
		return addcslashes( $text, '_%\\' );
	}

	public function query( $query ) {
		$this->queries[] = $query;
		return 0;
	}
}

// ---- Action Scheduler (bundled with WooCommerce). Entries of OCW_Test_World::$scheduled:
// array( hook, group, interval, timestamp, status ). As the real one: unscheduling marks
// pending actions canceled and keeps their rows; only the store's delete_action() removes.

function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
	foreach ( OCW_Test_World::$scheduled as $action ) {
		if ( $action[0] === $hook && $action[1] === $group && 'pending' === $action[4] ) {
			return $action[3];
		}
	}
	return false;
}

function as_schedule_recurring_action( $timestamp, $interval_in_seconds, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	OCW_Test_World::$scheduled[] = array( $hook, $group, $interval_in_seconds, $timestamp, 'pending' );
	return count( OCW_Test_World::$scheduled );
}

function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	foreach ( OCW_Test_World::$scheduled as $i => $action ) {
		if ( $action[0] === $hook && $action[1] === $group && 'pending' === $action[4] ) {
			OCW_Test_World::$scheduled[ $i ][4] = 'canceled';
		}
	}
}

/**
 * ActionScheduler double: store() with query_actions() (hook, group, status '' = any,
 * per_page -1 = all; answers ids) and delete_action().
 */
class ActionScheduler {
	public static function store() {
		return new OCW_Test_Action_Store();
	}
}

/**
 * The action store double over OCW_Test_World::$scheduled (ids are index + 1).
 */
class OCW_Test_Action_Store {
	public function query_actions( $query = array(), $query_type = 'select' ) {
		$query += array(
			'hook'     => '',
			'group'    => '',
			'status'   => '',
			'per_page' => 5,
		);
		$ids    = array();
		foreach ( OCW_Test_World::$scheduled as $i => $action ) {
			if ( ( '' === $query['hook'] || $action[0] === $query['hook'] ) && ( '' === $query['group'] || $action[1] === $query['group'] ) && ( '' === $query['status'] || $action[4] === $query['status'] ) ) {
				$ids[] = $i + 1;
			}
		}
		return $query['per_page'] > 0 ? array_slice( $ids, 0, $query['per_page'] ) : $ids;
	}

	public function delete_action( $action_id ) {
		unset( OCW_Test_World::$scheduled[ $action_id - 1 ] );
	}
}

/**
 * WC_Data_Store double: WC_Data_Store::load( 'webhook' ) with the webhook data store's
 * search_webhooks( $args ) and get_webhooks_ids( $status = '' ).
 */
class WC_Data_Store {
	public static function load( $object_type ) {
		return new self();
	}

	public function search_webhooks( $args ) {
		$search = isset( $args['search'] ) ? (string) $args['search'] : '';
		$ids    = array();
		foreach ( OCW_Test_World::$webhooks as $id => $data ) {
			if ( '' === $search || false !== stripos( $data['name'], $search ) ) {
				$ids[] = $id;
			}
		}
		return $ids;
	}

	public function get_webhooks_ids( $status = '' ) {
		$ids = array();
		foreach ( OCW_Test_World::$webhooks as $id => $data ) {
			if ( '' === $status || $data['status'] === $status ) {
				$ids[] = $id;
			}
		}
		return $ids;
	}
}
