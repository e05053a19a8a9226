<?php
/**
 * The WC_Integration settings screen.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Saving through the integration: validation per field, secret never echoed.
 */
class IntegrationTest extends OCW_Test_Case {

	/**
	 * A save with the secret left blank keeps it; the interval is clamped; a bad URL keeps
	 * the old URL and reports an error.
	 */
	public function test_save_sanitises_fields() {
		$secret = str_repeat( 'k', 40 );
		OCW_Test_World::configure( array( 'shared_secret' => $secret ) );
		$integration = new OCW_Integration();
		$_POST       = array(
			'woocommerce_oncloudwine_sidecar_url'         => 'ftp://nope',
			'woocommerce_oncloudwine_shared_secret'       => '',
			'woocommerce_oncloudwine_stock_sync_interval' => '2',
			'woocommerce_oncloudwine_customer_mapping'    => 'single',
		);
		$integration->process_admin_options();
		$saved = OCW_Test_World::$options[ OCW_Settings::OPTION ];
		$this->assertArrayNotHasKey( 'shared_secret', $saved, 'the secret is not in the autoloaded option' );
		$this->assertSame( $secret, OCW_Test_World::$options[ OCW_Settings::SECRET_OPTION ] );
		$this->assertSame( 'http://10.0.0.5:8787', $saved['sidecar_url'] );
		$this->assertSame( '5', $saved['stock_sync_interval'] );
		$this->assertSame( 'single', $saved['customer_mapping'] );
		$this->assertCount( 1, WC_Admin_Settings::$errors );
		$this->assertStringContainsString( 'http://', WC_Admin_Settings::$errors[0] );
	}

	/**
	 * A new sidecar URL with the secret left blank is refused: the URL stays, the secret is
	 * asked for again (a shop manager cannot send the saved secret to a host of their
	 * choosing). With the secret typed again, both are saved.
	 */
	public function test_changed_url_requires_the_secret_again() {
		$secret = str_repeat( 'k', 40 );
		OCW_Test_World::configure( array( 'shared_secret' => $secret ) );
		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'   => 'http://attacker.example:9000',
			'woocommerce_oncloudwine_shared_secret' => '',
		);
		( new OCW_Integration() )->save_posted();
		$this->assertSame( 'http://10.0.0.5:8787', OCW_Test_World::$options[ OCW_Settings::OPTION ]['sidecar_url'] );
		$this->assertSame( $secret, ( new OCW_Settings() )->shared_secret() );

		$errors = ( new OCW_Integration() )->save_posted();
		$this->assertCount( 1, $errors );
		$this->assertStringContainsString( 'enter the shared secret again', $errors[0] );

		$new   = str_repeat( 'm', 40 );
		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'   => 'http://10.0.0.9:8787',
			'woocommerce_oncloudwine_shared_secret' => $new,
		);
		$this->assertSame( array(), ( new OCW_Integration() )->save_posted() );
		$this->assertSame( 'http://10.0.0.9:8787', ( new OCW_Settings() )->sidecar_url() );
		$this->assertSame( $new, ( new OCW_Settings() )->shared_secret() );

		// The same URL with a blank secret keeps both.
		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'   => 'http://10.0.0.9:8787/',
			'woocommerce_oncloudwine_shared_secret' => '',
		);
		$this->assertSame( array(), ( new OCW_Integration() )->save_posted() );
		$this->assertSame( $new, ( new OCW_Settings() )->shared_secret() );
	}

	/**
	 * The secret is saved in an option that is not autoloaded (WooCommerce stores its
	 * integration settings autoloaded), and a secret an earlier version kept in that
	 * option moves out on first read.
	 */
	public function test_secret_option_not_autoloaded() {
		$_POST = array(
			'woocommerce_oncloudwine_sidecar_url'   => 'http://10.0.0.5:8787',
			'woocommerce_oncloudwine_shared_secret' => str_repeat( 'q', 40 ),
		);
		( new OCW_Integration() )->save_posted();
		$this->assertSame( 'yes', OCW_Test_World::$autoload[ OCW_Settings::OPTION ] );
		$this->assertArrayNotHasKey( 'shared_secret', OCW_Test_World::$options[ OCW_Settings::OPTION ] );
		$this->assertSame( 'no', OCW_Test_World::$autoload[ OCW_Settings::SECRET_OPTION ] );

		OCW_Test_World::reset();
		update_option( OCW_Settings::OPTION, array( 'sidecar_url' => 'http://10.0.0.5:8787', 'shared_secret' => str_repeat( 'o', 40 ) ) );
		$this->assertSame( str_repeat( 'o', 40 ), ( new OCW_Settings() )->shared_secret() );
		$this->assertArrayNotHasKey( 'shared_secret', OCW_Test_World::$options[ OCW_Settings::OPTION ] );
		$this->assertSame( 'no', OCW_Test_World::$autoload[ OCW_Settings::SECRET_OPTION ] );
		$this->assertTrue( ( new OCW_Settings() )->is_configured() );
	}

	/**
	 * Slashed input (WordPress slashes $_POST) is unslashed before it is stored.
	 */
	public function test_secret_is_unslashed() {
		OCW_Test_World::configure();
		$integration = new OCW_Integration();
		$new         = str_repeat( 'x', 32 ) . "'quote";
		$this->assertSame( $new, $integration->validate_shared_secret_field( 'shared_secret', addslashes( $new ) ) );
	}

	/**
	 * Without manage_woocommerce nothing is saved.
	 */
	public function test_save_requires_capability() {
		OCW_Test_World::configure();
		OCW_Test_World::$caps = array();
		$integration          = new OCW_Integration();
		$_POST                = array( 'woocommerce_oncloudwine_stock_sync_interval' => '7' );
		$this->assertFalse( $integration->process_admin_options() );
		$this->assertArrayNotHasKey( 'stock_sync_interval', OCW_Test_World::$options[ OCW_Settings::OPTION ] );
	}

	/**
	 * The password field renders empty: the secret never reaches the browser.
	 */
	public function test_secret_field_never_echoed() {
		$secret = 'super-secret-value-' . str_repeat( 'z', 30 );
		OCW_Test_World::configure( array( 'shared_secret' => $secret ) );
		$integration = new OCW_Integration();
		$html        = $integration->generate_ocw_secret_html( 'shared_secret', $integration->form_fields['shared_secret'] );
		$this->assertStringNotContainsString( $secret, $html );
		$this->assertStringContainsString( 'type="password"', $html );
		$this->assertStringContainsString( 'value=""', $html );
	}

	/**
	 * The fields the issue asks for exist, with the interval's bounds on the input.
	 */
	public function test_fields() {
		$fields = ( new OCW_Integration() )->form_fields;
		$this->assertSame( array( 'sidecar_url', 'shared_secret', 'mirror_release_orders', 'customer_mapping', 'stock_sync_interval' ), array_keys( $fields ) );
		$this->assertSame( '5', $fields['stock_sync_interval']['custom_attributes']['min'] );
		$this->assertSame( '15', $fields['stock_sync_interval']['custom_attributes']['max'] );
		$this->assertSame( array( 'create', 'single' ), array_keys( $fields['customer_mapping']['options'] ) );
	}

	/**
	 * Saving pushes the settings to the sidecar, makes the webhooks exist and schedules the repair.
	 */
	public function test_save_pushes_settings_and_creates_webhooks() {
		$this->with_plugin(
			function () {
				OCW_Test_World::configure();
				$this->sidecar_up();
				$_POST = array(
					'woocommerce_oncloudwine_sidecar_url'           => 'http://10.0.0.5:8787/',
					'woocommerce_oncloudwine_mirror_release_orders' => 'yes',
					'woocommerce_oncloudwine_customer_mapping'      => 'single',
					'woocommerce_oncloudwine_stock_sync_interval'   => '12',
				);
				( new OCW_Integration() )->process_admin_options();
				$calls = OCW_Test_World::calls_to( '/v1/settings' );
				$this->assertSame( array( 'GET', 'PUT' ), array_column( array_column( $calls, 'args' ), 'method' ) );
				$put = $calls[1];
				$this->assertSame( array( 'mirror_release_orders' => true, 'customer_mapping' => 'single', 'stock_sync_interval' => '12m' ), json_decode( $put['args']['body'], true ) );
				$this->assertCount( 6, OCW_Test_World::$webhooks );
				$this->assertCount( 6, OCW_Test_World::$pings );
				$this->assertCount( 1, OCW_Test_World::$scheduled );
				$this->assertSame( array(), WC_Admin_Settings::$errors );
			}
		);
	}

	/**
	 * With the sidecar down, saving still works: one failed call, an error that says so,
	 * webhooks created without pings.
	 */
	public function test_save_with_sidecar_down() {
		$this->with_plugin(
			function () {
				OCW_Test_World::configure();
				$_POST = array(
					'woocommerce_oncloudwine_sidecar_url'         => 'http://10.0.0.5:8787',
					'woocommerce_oncloudwine_stock_sync_interval' => '7',
				);
				( new OCW_Integration() )->process_admin_options();
				$this->assertSame( '7', OCW_Test_World::$options[ OCW_Settings::OPTION ]['stock_sync_interval'] );
				$this->assertCount( 1, OCW_Test_World::$http );
				$this->assertCount( 0, OCW_Test_World::$webhooks, 'the sidecar never accepted the secret: no webhooks yet' );
				$this->assertSame( array(), OCW_Test_World::$pings );
				$this->assertStringContainsString( 'cannot be reached', WC_Admin_Settings::$errors[0] );
			}
		);
	}

	/**
	 * The OnCloudWine section: WooCommerce prints the fields (admin_options(), final), then
	 * the plugin's woocommerce_settings_integration action at 20 adds the log link, the
	 * buttons and the status panel; on another integration's section it prints nothing.
	 */
	public function test_settings_screen_extras() {
		$this->with_plugin(
			function () {
				global $current_section;
				OCW_Test_World::configure();
				$this->sidecar_up();
				$register = new ReflectionMethod( 'OCW_Plugin', 'register' );
				$register->setAccessible( true );
				$register->invoke( OCW_Plugin::instance() );
				$this->assertSame( array( 'OCW_Plugin', 'render_settings_extras' ), OCW_Test_World::$hooks['woocommerce_settings_integration'][20][0][0] );
				$integration = new OCW_Integration();
				add_action(
					'woocommerce_settings_integration',
					static function () use ( $integration ) {
						$integration->admin_options();
					}
				);

				$current_section = 'oncloudwine';
				ob_start();
				do_action( 'woocommerce_settings_integration' );
				$html = (string) ob_get_clean();
				$this->assertStringContainsString( 'name="woocommerce_oncloudwine_shared_secret"', $html );
				$this->assertLessThan( strpos( $html, 'View log' ), strpos( $html, '</table>' ) );
				$this->assertStringContainsString( 'name="_oncloudwine_nonce"', $html );
				$this->assertStringContainsString( 'id="oncloudwine-status"', $html );
				$this->assertStringNotContainsString( str_repeat( 's', 40 ), $html );

				$current_section = 'google_analytics';
				ob_start();
				OCW_Plugin::render_settings_extras();
				$this->assertSame( '', ob_get_clean() );
				$current_section = null;
			}
		);
	}

	/**
	 * Runs a test with a started plugin, then forgets it.
	 *
	 * @param callable $test Test body.
	 */
	private function with_plugin( $test ) {
		$GLOBALS['wpdb'] = new OCW_Test_Wpdb();
		OCW_Plugin::start();
		try {
			$test();
		} finally {
			$instance = new ReflectionProperty( 'OCW_Plugin', 'instance' );
			$instance->setAccessible( true );
			$instance->setValue( null, null );
			unset( $GLOBALS['wpdb'] );
		}
	}
}
