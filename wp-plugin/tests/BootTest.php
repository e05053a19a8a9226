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
		OCW_Test_World::$hooks = array();
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
	 * Hooking the parts in (plugins_loaded, before init) asks for no translation: with a
	 * translation file present, WordPress 6.7+ reports "Translation loading ... was triggered
	 * too early". The buttons' actions are hooked by name.
	 */
	public function test_registering_translates_nothing() {
		global $wpdb;
		$wpdb                                          = new OCW_Test_Wpdb();
		list( $settings, $client, $webhooks, $logger ) = $this->parts();
		$ops   = new OCW_Operations( $settings, $client, $webhooks, new OCW_Api_Keys( $wpdb ), $logger );
		$parts = array(
			new OCW_Http_Allowlist( $settings ),
			new OCW_Prompt_Delivery( $webhooks ),
			new OCW_Rest_Routes( new OCW_Catalog_Query( $wpdb ), new OCW_Stock_Query( $wpdb ) ),
			new OCW_Admin_Actions( $ops ),
			new OCW_Scheduler( $webhooks ),
			new OCW_System_Status( $settings, $webhooks ),
			new OCW_Requirements( $settings, $webhooks ),
		);
		foreach ( $parts as $part ) {
			$part->register();
		}
		$this->assertSame( array(), OCW_Test_World::$translated );
		$this->assertSame( OCW_Status_Panel::ACTIONS, array_keys( OCW_Status_Panel::buttons() ) );
		foreach ( OCW_Status_Panel::ACTIONS as $action ) {
			$this->assertArrayHasKey( 'admin_post_' . $action, OCW_Test_World::$hooks );
		}
		unset( $GLOBALS['wpdb'] );
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
