<?php
/**
 * Bootstrap without WooCommerce.
 *
 * @package OnCloudWine\Tests
 */

/**
 * With WooCommerce missing nothing loads but the notice.
 */
class BootTest extends OCW_Test_Case {

	/**
	 * Only an admin notice is hooked, and it says what to do.
	 */
	public function test_boot_without_woocommerce() {
		$this->assertFalse( defined( 'WC_VERSION' ) );
		OCW_Plugin::boot();
		$this->assertNull( OCW_Plugin::instance() );
		$this->assertSame( array( 'init', 'admin_notices' ), array_keys( OCW_Test_World::$hooks ) );
		$this->assertSame( array( 'OCW_Plugin', 'load_textdomain' ), OCW_Test_World::$hooks['init'][10][0][0] );
		ob_start();
		do_action( 'admin_notices' );
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'OnCloudWine for WooCommerce needs WooCommerce', $html );
		$this->assertStringContainsString( 'notice-error', $html );
	}

	/**
	 * Activation and deactivation without WooCommerce do nothing and do not fail.
	 */
	public function test_activation_without_woocommerce() {
		OCW_Plugin::activate();
		$this->assertNull( OCW_Plugin::instance() );
		$this->assertSame( array(), OCW_Test_World::$scheduled );
	}

	/**
	 * HPOS compatibility is declared for this plugin file, true.
	 */
	public function test_hpos_declared() {
		OCW_Plugin::declare_compatibility();
		$this->assertSame(
			array( array( 'custom_order_tables', OCW_PLUGIN_FILE, true ) ),
			\Automattic\WooCommerce\Utilities\FeaturesUtil::$declared
		);
	}
}
