<?php
/**
 * The sidecar-host filter.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Only the configured sidecar's host and port get through, for the plugin's own requests
 * only; never all private addresses.
 */
class HttpAllowlistTest extends OCW_Test_Case {

	/**
	 * Registers the filters with the sidecar at http://10.0.0.5:8787.
	 */
	protected function setUp(): void {
		parent::setUp();
		OCW_Test_World::configure( array( 'sidecar_url' => 'http://10.0.0.5:8787' ) );
		( new OCW_Http_Allowlist( new OCW_Settings() ) )->register();
	}

	/**
	 * Host cases as wp_http_validate_url() passes them.
	 *
	 * @return array
	 */
	public function hosts() {
		return array(
			'the sidecar'            => array( '10.0.0.5', 'http://10.0.0.5:8787/v1/webhooks/woocommerce', true ),
			'sidecar, other port'    => array( '10.0.0.5', 'http://10.0.0.5:9999/', false ),
			'sidecar, default port'  => array( '10.0.0.5', 'http://10.0.0.5/', false ),
			'other private address'  => array( '10.0.0.6', 'http://10.0.0.6:8787/', false ),
			'loopback'               => array( '127.0.0.1', 'http://127.0.0.1:8787/', false ),
			'router'                 => array( '192.168.1.1', 'http://192.168.1.1/', false ),
			'host only (old WP)'     => array( '10.0.0.5', '', true ),
		);
	}

	/**
	 * Filter http_request_host_is_external.
	 *
	 * @dataProvider hosts
	 * @param string $host Host.
	 * @param string $url  URL.
	 * @param bool   $want Allowed.
	 */
	public function test_host_is_external( $host, $url, $want ) {
		apply_filters( 'http_request_args', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ), $url );
		$this->assertSame( $want, apply_filters( 'http_request_host_is_external', false, $host, $url ) );
		apply_filters( 'http_request_args', array(), $url );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, $host, $url ), 'not for a request of someone else' );
	}

	/**
	 * Through wp_safe_remote_request() as WordPress runs it: the plugin's sidecar calls,
	 * its marked webhook deliveries and WooCommerce's pings reach the sidecar; the same
	 * URL requested by anyone else (another plugin, WordPress) is refused, as before the
	 * plugin was installed; after one of the plugin's requests ends, the door is shut.
	 */
	public function test_only_the_plugins_requests_reach_the_sidecar() {
		OCW_Test_World::$responder = static function () {
			return OCW_Test_World::response( 200, '{}' );
		};
		$sidecar = 'http://10.0.0.5:8787/v1/webhooks/woocommerce';
		$this->assertFalse( is_wp_error( wp_safe_remote_request( $sidecar, array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ) ) ) );
		$this->assertFalse( is_wp_error( wp_safe_remote_post( $sidecar, array( 'body' => 'webhook_id=12' ) ) ), 'WooCommerce 6.x ping' );
		$this->assertTrue( is_wp_error( wp_safe_remote_request( $sidecar, array() ) ) );
		$this->assertTrue( is_wp_error( wp_safe_remote_request( 'http://10.0.0.5:8787/v1/backup', array( 'method' => 'GET' ) ) ) );
		$this->assertTrue( is_wp_error( wp_safe_remote_request( 'http://10.0.0.6:8787/', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ) ) ) );
		$this->assertSame( array( $sidecar, 'http://10.0.0.5:8787/v1/backup', 'http://10.0.0.6:8787/' ), OCW_Test_World::$refused );

		list( , , $webhooks ) = $this->parts();
		( new OCW_Prompt_Delivery( $webhooks, static function () {} ) )->register();
		OCW_Test_World::$options[ OCW_Webhooks::IDS_OPTION ] = array( 'order.created' => 12 );
		$args = apply_filters( 'woocommerce_webhook_http_args', array( 'method' => 'POST', 'body' => '{"id":1}' ), 41, 12 );
		$this->assertFalse( is_wp_error( wp_safe_remote_request( $sidecar, $args ) ), "the plugin's webhook delivery" );
		$foreign = apply_filters( 'woocommerce_webhook_http_args', array( 'method' => 'POST', 'body' => '{"id":1}' ), 41, 7 );
		$this->assertTrue( is_wp_error( wp_safe_remote_request( $sidecar, $foreign ) ), "another webhook's delivery to the same URL" );

		apply_filters( 'http_request_args', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ), $sidecar );
		do_action( 'http_api_debug', array(), 'response', 'WpOrg\Requests\Requests', array(), $sidecar );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '10.0.0.5', $sidecar ) );
	}

	/**
	 * Filter http_allowed_safe_ports: the sidecar's port (an int, as in_array( strict ) needs)
	 * only for the sidecar's host.
	 */
	public function test_allowed_ports() {
		$default = array( 80, 443, 8080 );
		apply_filters( 'http_request_args', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ), 'http://10.0.0.5:8787/' );
		$this->assertSame( array( 80, 443, 8080, 8787 ), apply_filters( 'http_allowed_safe_ports', $default, '10.0.0.5', 'http://10.0.0.5:8787/v1/webhooks/woocommerce' ) );
		$this->assertSame( $default, apply_filters( 'http_allowed_safe_ports', $default, '10.0.0.6', 'http://10.0.0.6:8787/' ) );
		$this->assertSame( $default, apply_filters( 'http_allowed_safe_ports', $default, 'example.com', 'https://example.com:8787/' ) );
	}

	/**
	 * A host another filter already allowed stays allowed.
	 */
	public function test_keeps_other_filters_answer() {
		$this->assertTrue( apply_filters( 'http_request_host_is_external', true, '10.9.9.9', 'http://10.9.9.9/' ) );
	}

	/**
	 * With no sidecar configured nothing is allowed.
	 */
	public function test_unconfigured_allows_nothing() {
		OCW_Test_World::$options[ OCW_Settings::OPTION ] = array();
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '10.0.0.5', 'http://10.0.0.5:8787/' ) );
		$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), '10.0.0.5', 'http://10.0.0.5:8787/' ) );
	}

	/**
	 * An https sidecar without a port means port 443.
	 */
	public function test_https_default_port() {
		OCW_Test_World::configure( array( 'sidecar_url' => 'https://sidecar.internal' ) );
		apply_filters( 'http_request_args', array( OCW_Sidecar_Client::OWN_REQUEST_ARG => true ), 'https://sidecar.internal/' );
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal/v1/webhooks/woocommerce' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal:8443/' ) );
	}
}
