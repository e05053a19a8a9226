<?php
/**
 * uninstall.php.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Deletes the webhooks, the key, the schedule and every option.
 */
class UninstallTest extends OCW_Test_Case {

	/**
	 * Everything the plugin stored is gone; other data stays.
	 */
	public function test_uninstall_removes_everything() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		( new OCW_Scheduler( $webhooks ) )->ensure_scheduled( true );
		// Deactivated once before: Action Scheduler keeps that canceled action's row.
		( new OCW_Scheduler( $webhooks ) )->unschedule();
		( new OCW_Scheduler( $webhooks ) )->ensure_scheduled( true );
		$this->assertCount( 2, OCW_Test_World::$scheduled );
		update_option( OCW_Api_Keys::KEY_ID_OPTION, 77 );
		update_option( OCW_Sidecar_Client::LAST_CONTACT_OPTION, array( 'at' => 1 ) );
		update_option( 'blogname', 'Wine shop' );
		OCW_Test_World::$webhooks[7] = array_merge( OCW_Test_World::$webhooks[100], array( 'name' => 'Zapier' ) );
		$GLOBALS['wpdb']              = new OCW_Test_Wpdb();

		define( 'WP_UNINSTALL_PLUGIN', 'oncloudwine-for-woocommerce/oncloudwine-for-woocommerce.php' );
		require dirname( __DIR__ ) . '/oncloudwine-for-woocommerce/uninstall.php';

		$this->assertSame( array( 7 ), array_keys( OCW_Test_World::$webhooks ) );
		foreach ( array( OCW_Settings::OPTION, OCW_Settings::SECRET_OPTION, OCW_Settings::ACCEPTED_OPTION, OCW_Webhooks::IDS_OPTION, OCW_Api_Keys::KEY_ID_OPTION, OCW_Sidecar_Client::LAST_CONTACT_OPTION ) as $option ) {
			$this->assertArrayNotHasKey( $option, OCW_Test_World::$options );
		}
		$this->assertSame( 'Wine shop', get_option( 'blogname' ) );
		$this->assertSame( array(), OCW_Test_World::$scheduled );
		$this->assertSame( array( array( 'wp_woocommerce_api_keys', array( 'key_id' => 77 ) ) ), $GLOBALS['wpdb']->deleted );
		unset( $GLOBALS['wpdb'] );
	}
}
