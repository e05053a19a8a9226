<?php
/**
 * Small doubles of the WordPress functions the plugin calls, with their real signatures.
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable Squiz.Commenting.FunctionComment.Missing, Universal.Files.SeparateFunctionsFromOO

// ---- Hooks.

function add_filter( $hook_name, $callback, $priority = 10, $accepted_args = 1 ) {
	OCW_Test_World::$hooks[ $hook_name ][ $priority ][] = array( $callback, $accepted_args );
	return true;
}

function add_action( $hook_name, $callback, $priority = 10, $accepted_args = 1 ) {
	return add_filter( $hook_name, $callback, $priority, $accepted_args );
}

function remove_filter( $hook_name, $callback, $priority = 10 ) {
	if ( empty( OCW_Test_World::$hooks[ $hook_name ][ $priority ] ) ) {
		return false;
	}
	foreach ( OCW_Test_World::$hooks[ $hook_name ][ $priority ] as $i => $entry ) {
		if ( $entry[0] === $callback ) {
			unset( OCW_Test_World::$hooks[ $hook_name ][ $priority ][ $i ] );
			if ( empty( OCW_Test_World::$hooks[ $hook_name ][ $priority ] ) ) {
				unset( OCW_Test_World::$hooks[ $hook_name ][ $priority ] );
			}
			if ( empty( OCW_Test_World::$hooks[ $hook_name ] ) ) {
				unset( OCW_Test_World::$hooks[ $hook_name ] );
			}
			return true;
		}
	}
	return false;
}

function apply_filters( $hook_name, $value, ...$args ) {
	if ( empty( OCW_Test_World::$hooks[ $hook_name ] ) ) {
		return $value;
	}
	$by_priority = OCW_Test_World::$hooks[ $hook_name ];
	ksort( $by_priority );
	OCW_Test_World::$current[] = $hook_name;
	foreach ( $by_priority as $callbacks ) {
		foreach ( $callbacks as $entry ) {
			$all   = array_merge( array( $value ), $args );
			$value = call_user_func_array( $entry[0], array_slice( $all, 0, max( 1, (int) $entry[1] ) ) );
		}
	}
	array_pop( OCW_Test_World::$current );
	return $value;
}

function do_action( $hook_name, ...$arg ) {
	if ( empty( OCW_Test_World::$hooks[ $hook_name ] ) ) {
		return;
	}
	$by_priority = OCW_Test_World::$hooks[ $hook_name ];
	ksort( $by_priority );
	OCW_Test_World::$current[] = $hook_name;
	foreach ( $by_priority as $callbacks ) {
		foreach ( $callbacks as $entry ) {
			call_user_func_array( $entry[0], array_slice( $arg, 0, (int) $entry[1] ) );
		}
	}
	array_pop( OCW_Test_World::$current );
}

function current_action() {
	$current = end( OCW_Test_World::$current );
	return false === $current ? '' : $current;
}

// ---- Options and transients.

function get_option( $option, $default_value = false ) {
	return array_key_exists( $option, OCW_Test_World::$options ) ? OCW_Test_World::$options[ $option ] : $default_value;
}

/**
 * As WordPress: a new option is autoloaded unless $autoload says no (null is "auto",
 * which autoloads); an existing one changes its autoload only when its value changes and
 * $autoload is given.
 */
function update_option( $option, $value, $autoload = null ) {
	$exists  = array_key_exists( $option, OCW_Test_World::$options );
	$changed = ! $exists || OCW_Test_World::$options[ $option ] !== $value;
	if ( ! $exists || ( $changed && null !== $autoload ) ) {
		OCW_Test_World::$autoload[ $option ] = ocw_test_autoload( $autoload );
	}
	OCW_Test_World::$options[ $option ] = $value;
	return $changed;
}

function add_option( $option, $value = '', $deprecated = '', $autoload = 'yes' ) {
	if ( array_key_exists( $option, OCW_Test_World::$options ) ) {
		return false;
	}
	OCW_Test_World::$options[ $option ]  = $value;
	OCW_Test_World::$autoload[ $option ] = ocw_test_autoload( $autoload );
	return true;
}

function ocw_test_autoload( $autoload ) {
	return in_array( $autoload, array( false, 'no', 'off' ), true ) ? 'no' : 'yes';
}

function delete_option( $option ) {
	$had = array_key_exists( $option, OCW_Test_World::$options );
	unset( OCW_Test_World::$options[ $option ], OCW_Test_World::$autoload[ $option ] );
	return $had;
}

function get_transient( $transient ) {
	return array_key_exists( $transient, OCW_Test_World::$transients ) ? OCW_Test_World::$transients[ $transient ] : false;
}

function set_transient( $transient, $value, $expiration = 0 ) {
	OCW_Test_World::$transients[ $transient ]    = $value;
	OCW_Test_World::$transient_ttl[ $transient ] = $expiration;
	return true;
}

function delete_transient( $transient ) {
	$had = array_key_exists( $transient, OCW_Test_World::$transients );
	unset( OCW_Test_World::$transients[ $transient ] );
	return $had;
}

// ---- i18n, escaping, sanitising.

function __( $text, $domain = 'default' ) {
	OCW_Test_World::$translated[] = $domain;
	return $text;
}

function esc_html__( $text, $domain = 'default' ) {
	return esc_html( __( $text, $domain ) );
}

function esc_attr__( $text, $domain = 'default' ) {
	return esc_attr( __( $text, $domain ) );
}

function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_url( $url, $protocols = null, $_context = 'display' ) {
	return htmlspecialchars( esc_url_raw( $url, $protocols ), ENT_QUOTES, 'UTF-8' );
}

function esc_url_raw( $url, $protocols = null ) {
	$url = trim( (string) $url );
	if ( '' === $url ) {
		return '';
	}
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	$allowed = null === $protocols ? array( 'http', 'https' ) : $protocols;
	if ( '' !== $scheme && ! in_array( $scheme, $allowed, true ) ) {
		return '';
	}
	return str_replace( array( ' ', '"', "'", '<', '>' ), array( '%20', '%22', '%27', '%3C', '%3E' ), $url );
}

function wp_specialchars_decode( $text, $quote_style = ENT_NOQUOTES ) {
	$text = (string) $text;
	if ( false === strpos( $text, '&' ) ) {
		return $text;
	}
	$map = array( '&lt;' => '<', '&#060;' => '<', '&gt;' => '>', '&#062;' => '>', '&amp;' => '&', '&#038;' => '&', '&#x26;' => '&' );
	if ( ENT_QUOTES === $quote_style ) {
		$map = array_merge( $map, array( '&#039;' => "'", '&#x27;' => "'", '&quot;' => '"', '&#034;' => '"', '&#x22;' => '"' ) );
	}
	$text = preg_replace( array( '/&#0*60;/', '/&#0*62;/', '/&#0*38;/', '/&#x0*26;/i', '/&#0*39;/', '/&#x0*27;/i', '/&#0*34;/', '/&#x0*22;/i' ), array( '&#060;', '&#062;', '&#038;', '&#x26;', '&#039;', '&#x27;', '&#034;', '&#x22;' ), $text );
	return strtr( $text, $map );
}

function sanitize_text_field( $str ) {
	return trim( preg_replace( '/[\r\n\t ]+/', ' ', wp_strip_all_tags( (string) $str ) ) );
}

function wp_strip_all_tags( $text, $remove_breaks = false ) {
	return strip_tags( (string) $text );
}

function sanitize_key( $key ) {
	return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( (string) $key ) );
}

/**
 * sanitize_title() for ASCII file names: lower case, runs of other characters to "-".
 */
function sanitize_title( $title ) {
	return trim( preg_replace( '/[^a-z0-9_\-]+/', '-', strtolower( (string) $title ) ), '-' );
}

function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : stripslashes( (string) $value );
}

function untrailingslashit( $value ) {
	return rtrim( (string) $value, '/\\' );
}

function trailingslashit( $value ) {
	return untrailingslashit( $value ) . '/';
}

function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}

function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}

function absint( $maybeint ) {
	return abs( (int) $maybeint );
}

function number_format_i18n( $number, $decimals = 0 ) {
	return number_format( (float) $number, $decimals );
}

function wp_list_pluck( $input_list, $field, $index_key = null ) {
	return array_map(
		static function ( $row ) use ( $field ) {
			return is_object( $row ) ? $row->$field : $row[ $field ];
		},
		$input_list
	);
}

function maybe_unserialize( $data ) {
	if ( is_string( $data ) && preg_match( '/^(a|O|s|i|b|d):/', $data ) ) {
		return unserialize( $data ); // phpcs:ignore
	}
	return $data;
}

function home_url( $path = '', $scheme = null ) {
	return OCW_Test_World::$home . ( '' === $path ? '' : '/' . ltrim( $path, '/' ) );
}

function admin_url( $path = '', $scheme = 'admin' ) {
	return 'https://shop.example.com/wp-admin/' . ltrim( $path, '/' );
}

function is_ssl() {
	return OCW_Test_World::$ssl;
}

function plugin_basename( $file ) {
	return 'oncloudwine-for-woocommerce/' . basename( $file );
}

function load_plugin_textdomain( $domain, $deprecated = false, $plugin_rel_path = false ) {
	return true;
}

// ---- HTTP.

/**
 * WP_Error double.
 */
class WP_Error {
	public $code;
	public $message;
	public $data;

	public function __construct( $code = '', $message = '', $data = '' ) {
		$this->code    = $code;
		$this->message = $message;
		$this->data    = $data;
	}

	public function get_error_code() {
		return $this->code;
	}

	public function get_error_message( $code = '' ) {
		return $this->message;
	}

	public function get_error_data( $code = '' ) {
		return $this->data;
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

function ocw_test_http( $fn, $url, $args ) {
	// WP_Http::request(): defaults (timeout 5 s), then http_request_args, then a
	// pre_http_request answer other than false is the response and no request is made.
	$args += array( 'timeout' => 5 );
	$args  = apply_filters( 'http_request_args', $args, $url );
	$pre   = apply_filters( 'pre_http_request', false, $args, $url );
	if ( false !== $pre ) {
		return $pre;
	}
	if ( 0 === strpos( $fn, 'wp_safe_' ) && ! ocw_test_validate_url( $url ) ) {
		OCW_Test_World::$refused[] = $url;
		return new WP_Error( 'http_request_failed', 'A valid URL was not provided.' );
	}
	OCW_Test_World::$http[] = array(
		'fn'   => $fn,
		'url'  => $url,
		'args' => $args,
	);
	if ( null === OCW_Test_World::$responder ) {
		return new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
	}
	return call_user_func( OCW_Test_World::$responder, $url, $args );
}

/**
 * wp_http_validate_url() of WordPress 6.8 (what wp_safe_remote_*() run after
 * http_request_args and pre_http_request): a private or loopback address must be let
 * through by `http_request_host_is_external`, an explicit port be one of
 * `http_allowed_safe_ports` (80, 443, 8080). Host names other than localhost count as
 * public here (WordPress resolves them).
 */
function ocw_test_validate_url( $url ) {
	$parts = parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['host'] ) || ! in_array( strtolower( (string) $parts['scheme'] ), array( 'http', 'https' ), true ) ) {
		return false;
	}
	$host = strtolower( $parts['host'] );
	$ip   = 'localhost' === $host ? '127.0.0.1' : $host;
	if ( filter_var( $ip, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
		$octets  = array_map( 'intval', explode( '.', $ip ) );
		$private = 127 === $octets[0] || 10 === $octets[0] || 0 === $octets[0]
			|| ( 172 === $octets[0] && $octets[1] >= 16 && $octets[1] <= 31 )
			|| ( 192 === $octets[0] && 168 === $octets[1] );
		if ( $private && ! apply_filters( 'http_request_host_is_external', false, $host, $url ) ) {
			return false;
		}
	}
	if ( ! isset( $parts['port'] ) ) {
		return true;
	}
	$allowed = apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), $host, $url );
	return is_array( $allowed ) && in_array( $parts['port'], $allowed, true );
}

function wp_remote_request( $url, $args = array() ) {
	return ocw_test_http( 'wp_remote_request', $url, $args );
}

function wp_safe_remote_request( $url, $args = array() ) {
	return ocw_test_http( 'wp_safe_remote_request', $url, $args );
}

function wp_safe_remote_post( $url, $args = array() ) {
	$args['method'] = 'POST';
	return ocw_test_http( 'wp_safe_remote_post', $url, $args );
}

function wp_remote_retrieve_response_code( $response ) {
	if ( is_wp_error( $response ) || ! isset( $response['response']['code'] ) ) {
		return '';
	}
	return $response['response']['code'];
}

function wp_remote_retrieve_body( $response ) {
	if ( is_wp_error( $response ) || ! isset( $response['body'] ) ) {
		return '';
	}
	return $response['body'];
}

function wp_remote_retrieve_header( $response, $header ) {
	if ( is_wp_error( $response ) || ! isset( $response['headers'] ) ) {
		return '';
	}
	$header = strtolower( $header );
	return isset( $response['headers'][ $header ] ) ? $response['headers'][ $header ] : '';
}

// ---- Users, nonces, requests.

function get_current_user_id() {
	return OCW_Test_World::$user_id;
}

function current_user_can( $capability, ...$args ) {
	return in_array( $capability, OCW_Test_World::$caps, true );
}

function user_can( $user, $capability, ...$args ) {
	return (int) $user === OCW_Test_World::$user_id && current_user_can( $capability );
}

function get_users( $args = array() ) {
	return OCW_Test_World::$users;
}

function wp_die( $message = '', $title = '', $args = array() ) {
	throw new OCW_Test_Died( (string) $message );
}

function check_admin_referer( $action = -1, $query_arg = '_wpnonce' ) {
	if ( ! OCW_Test_World::$nonce_ok ) {
		wp_die( 'The link you followed has expired.', '', array( 'response' => 403 ) );
	}
	return 1;
}

/**
 * check_ajax_referer(): as WordPress with $stop, dies (-1, 403) on a bad nonce.
 */
function check_ajax_referer( $action = -1, $query_arg = false, $stop = true ) {
	if ( ! OCW_Test_World::$nonce_ok ) {
		wp_die( '-1', '', array( 'response' => 403 ) );
	}
	return 1;
}

function wp_send_json_success( $data = null, $status_code = null, $flags = 0 ) {
	throw new OCW_Test_Json( true, $data, $status_code );
}

function wp_send_json_error( $data = null, $status_code = null, $flags = 0 ) {
	throw new OCW_Test_Json( false, $data, $status_code );
}

function wp_register_script( $handle, $src, $deps = array(), $ver = false, $args = array() ) {
	OCW_Test_World::$scripts[ $handle ] = array(
		'src'      => $src,
		'enqueued' => false,
		'inline'   => array(),
	);
	return true;
}

function wp_register_style( $handle, $src, $deps = array(), $ver = false, $media = 'all' ) {
	OCW_Test_World::$scripts[ 'style:' . $handle ] = array(
		'src'      => $src,
		'enqueued' => false,
		'inline'   => array(),
	);
	return true;
}

function wp_enqueue_style( $handle, $src = '', $deps = array(), $ver = false, $media = 'all' ) {
	OCW_Test_World::$scripts[ 'style:' . $handle ]['enqueued'] = true;
}

function wp_add_inline_style( $handle, $data ) {
	OCW_Test_World::$scripts[ 'style:' . $handle ]['inline'][] = $data;
	return true;
}

function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $args = array() ) {
	OCW_Test_World::$scripts[ $handle ]['enqueued'] = true;
}

function wp_add_inline_script( $handle, $data, $position = 'after' ) {
	OCW_Test_World::$scripts[ $handle ]['inline'][] = $data;
	return true;
}

/**
 * wp_date(): the timestamp in the site's time zone (option timezone_string, else the
 * gmt_offset hours), formatted.
 */
function wp_date( $format, $timestamp = null, $timezone = null ) {
	$zone = get_option( 'timezone_string' );
	if ( ! $zone ) {
		$offset = (float) get_option( 'gmt_offset', 0 );
		$zone   = sprintf( '%s%02d:%02d', $offset < 0 ? '-' : '+', abs( (int) $offset ), abs( $offset - (int) $offset ) * 60 );
	}
	$date = new DateTime( '@' . ( null === $timestamp ? time() : (int) $timestamp ) );
	$date->setTimezone( $timezone ? $timezone : new DateTimeZone( $zone ) );
	return $date->format( $format );
}

function wp_create_nonce( $action = -1 ) {
	return 'nonce-' . $action;
}

function wp_nonce_field( $action = -1, $name = '_wpnonce', $referer = true, $display = true ) {
	$field = '<input type="hidden" id="' . esc_attr( $name ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( wp_create_nonce( $action ) ) . '" />';
	if ( $display ) {
		echo $field; // phpcs:ignore
	}
	return $field;
}

function wp_safe_redirect( $location, $status = 302, $x_redirect_by = 'WordPress' ) {
	throw new OCW_Test_Redirected( $location );
}

// ---- REST.

function register_rest_route( $route_namespace, $route, $args = array(), $override = false ) {
	OCW_Test_World::$routes[] = array( $route_namespace, $route, $args );
	if ( ! empty( $GLOBALS['wp_rest_server'] ) ) {
		$GLOBALS['wp_rest_server']->register_route( $route_namespace, '/' . trim( $route_namespace, '/' ) . $route, $args, $override );
	}
	return true;
}

function rest_authorization_required_code() {
	return is_user_logged_in() ? 403 : 401;
}

function is_user_logged_in() {
	return OCW_Test_World::$user_id > 0;
}

function rest_validate_request_arg( $value, $request, $param ) {
	return true;
}

/**
 * WP_REST_Request double (array access to parameters).
 */
class WP_REST_Request implements ArrayAccess {
	private $params;

	public function __construct( array $params = array() ) {
		$this->params = $params;
	}

	#[\ReturnTypeWillChange]
	public function offsetExists( $offset ) {
		return isset( $this->params[ $offset ] );
	}

	#[\ReturnTypeWillChange]
	public function offsetGet( $offset ) {
		return isset( $this->params[ $offset ] ) ? $this->params[ $offset ] : null;
	}

	#[\ReturnTypeWillChange]
	public function offsetSet( $offset, $value ) {
		$this->params[ $offset ] = $value;
	}

	#[\ReturnTypeWillChange]
	public function offsetUnset( $offset ) {
		unset( $this->params[ $offset ] );
	}
}

/**
 * WP_REST_Response double.
 */
class WP_REST_Response {
	public $data;
	public $status;
	public $headers = array();

	public function __construct( $data = null, $status = 200, $headers = array() ) {
		$this->data    = $data;
		$this->status  = $status;
		$this->headers = $headers;
	}

	public function header( $key, $value, $replace = true ) {
		$this->headers[ $key ] = $value;
	}

	public function get_data() {
		return $this->data;
	}

	public function get_status() {
		return $this->status;
	}

	public function get_headers() {
		return $this->headers;
	}
}
