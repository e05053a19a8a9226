<?php
/**
 * Settings sanitising.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Interval bounds, URL rules, secret kept when left blank.
 */
class SettingsTest extends OCW_Test_Case {

	/**
	 * Interval cases.
	 *
	 * @return array
	 */
	public function intervals() {
		return array(
			'below minimum'  => array( '1', 5 ),
			'zero'           => array( '0', 5 ),
			'negative'       => array( '-20', 5 ),
			'minimum'        => array( '5', 5 ),
			'default'        => array( '10', 10 ),
			'maximum'        => array( '15', 15 ),
			'above maximum'  => array( '16', 15 ),
			'far above'      => array( '600', 15 ),
			'decimal rounds' => array( '7.6', 8 ),
			'not a number'   => array( 'abc', 10 ),
			'empty'          => array( '', 10 ),
		);
	}

	/**
	 * The interval always lands in 5–15.
	 *
	 * @dataProvider intervals
	 * @param string $raw  Submitted.
	 * @param int    $want Stored.
	 */
	public function test_interval_bounds( $raw, $want ) {
		$this->assertSame( $want, OCW_Settings::sanitize_interval( $raw ) );
	}

	/**
	 * Valid URL cases.
	 *
	 * @return array
	 */
	public function good_urls() {
		return array(
			'private ip and port' => array( 'http://10.0.0.5:8787', 'http://10.0.0.5:8787' ),
			'trailing slash'      => array( 'http://10.0.0.5:8787/', 'http://10.0.0.5:8787' ),
			'spaces'              => array( "  https://sidecar.example.com \n", 'https://sidecar.example.com' ),
			'upper-case host'     => array( 'HTTPS://Sidecar.Example.COM:9443', 'https://sidecar.example.com:9443' ),
			'with path'           => array( 'https://example.com/ocw/', 'https://example.com/ocw' ),
			'empty stays empty'   => array( '', '' ),
		);
	}

	/**
	 * A valid URL is normalised.
	 *
	 * @dataProvider good_urls
	 * @param string $raw  Submitted.
	 * @param string $want Stored.
	 */
	public function test_sidecar_url_accepted( $raw, $want ) {
		$this->assertSame( $want, OCW_Settings::sanitize_sidecar_url( $raw ) );
	}

	/**
	 * Invalid URL cases.
	 *
	 * @return array
	 */
	public function bad_urls() {
		return array(
			'no scheme'   => array( '10.0.0.5:8787' ),
			'ftp'         => array( 'ftp://10.0.0.5' ),
			'javascript'  => array( 'javascript:alert(1)' ),
			'query'       => array( 'http://10.0.0.5:8787/?x=1' ),
			'fragment'    => array( 'http://10.0.0.5:8787/#top' ),
			'credentials' => array( 'http://user:pw@10.0.0.5:8787' ),
			'no host'     => array( 'http://' ),
		);
	}

	/**
	 * An invalid URL is refused with a message.
	 *
	 * @dataProvider bad_urls
	 * @param string $raw Submitted.
	 */
	public function test_sidecar_url_refused( $raw ) {
		$this->expectException( InvalidArgumentException::class );
		OCW_Settings::sanitize_sidecar_url( $raw );
	}

	/**
	 * Blank keeps the saved secret; a new one replaces it; a short one is refused.
	 */
	public function test_secret_kept_when_blank() {
		$saved = str_repeat( 'a', 40 );
		$this->assertSame( $saved, OCW_Settings::sanitize_shared_secret( '', $saved ) );
		$this->assertSame( $saved, OCW_Settings::sanitize_shared_secret( '   ', $saved ) );
		$new = str_repeat( 'b', 32 );
		$this->assertSame( $new, OCW_Settings::sanitize_shared_secret( $new, $saved ) );
		$this->expectException( InvalidArgumentException::class );
		OCW_Settings::sanitize_shared_secret( 'short', $saved );
	}

	/**
	 * A secret WooCommerce would change before signing (WC_Webhook::generate_signature()
	 * decodes HTML entities) is refused; a bare ampersand is fine.
	 *
	 * @dataProvider entity_secrets
	 *
	 * @param string $secret Secret holding an entity.
	 */
	public function test_secret_with_html_entity_refused( $secret ) {
		$this->expectException( InvalidArgumentException::class );
		OCW_Settings::sanitize_shared_secret( $secret, '' );
	}

	/**
	 * Secrets whose HMAC key WooCommerce would alter.
	 *
	 * @return array
	 */
	public function entity_secrets() {
		return array(
			'amp'     => array( str_repeat( 'a', 32 ) . '&amp;' ),
			'quote'   => array( str_repeat( 'a', 32 ) . '&#039;' ),
			'numeric' => array( str_repeat( 'a', 32 ) . '&#38;' ),
			'hex'     => array( str_repeat( 'a', 32 ) . '&#X26;' ),
			'lt'      => array( '&lt;' . str_repeat( 'a', 32 ) ),
		);
	}

	/**
	 * A bare ampersand and other punctuation survive as typed.
	 */
	public function test_secret_with_bare_ampersand_kept() {
		$secret = 'a&b<c>"d\'' . str_repeat( 'x', 32 ) . '&amp';
		$this->assertSame( $secret, OCW_Settings::sanitize_shared_secret( $secret, '' ) );
	}

	/**
	 * Customer mapping is create or single.
	 */
	public function test_customer_mapping() {
		$this->assertSame( 'single', OCW_Settings::sanitize_customer_mapping( 'single' ) );
		$this->assertSame( 'create', OCW_Settings::sanitize_customer_mapping( 'create' ) );
		$this->assertSame( 'create', OCW_Settings::sanitize_customer_mapping( '<script>' ) );
	}

	/**
	 * What the sidecar receives on PUT /v1/settings.
	 */
	public function test_sidecar_payload() {
		OCW_Test_World::configure(
			array(
				'mirror_release_orders' => 'yes',
				'customer_mapping'      => 'single',
				'stock_sync_interval'   => '99',
			)
		);
		$this->assertSame(
			array(
				'mirror_release_orders' => true,
				'customer_mapping'      => 'single',
				'stock_sync_interval'   => '15m',
			),
			( new OCW_Settings() )->sidecar_payload()
		);
	}

	/**
	 * Not configured until both URL and secret are set; the delivery URL follows the sidecar URL.
	 */
	public function test_configured_and_delivery_url() {
		$settings = new OCW_Settings();
		$this->assertFalse( $settings->is_configured() );
		OCW_Test_World::configure( array( 'sidecar_url' => 'http://10.0.0.5:8787/' ) );
		$this->assertTrue( $settings->is_configured() );
		$this->assertSame( 'http://10.0.0.5:8787/v1/webhooks/woocommerce', $settings->webhook_delivery_url() );
	}
}
