<?php
/**
 * The sidecar-host filter.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Only the configured sidecar's host and port get through; never all private addresses.
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
		$this->assertSame( $want, apply_filters( 'http_request_host_is_external', false, $host, $url ) );
	}

	/**
	 * Filter http_allowed_safe_ports: the sidecar's port (an int, as in_array( strict ) needs)
	 * only for the sidecar's host.
	 */
	public function test_allowed_ports() {
		$default = array( 80, 443, 8080 );
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
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal/v1/webhooks/woocommerce' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal:8443/' ) );
	}
}
