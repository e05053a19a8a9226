<?php
/**
 * The admin screen around the panel: log link, Help tab, notices.
 *
 * @package OnCloudWine\Tests
 */

/**
 * What WooCommerce 6.9 and 10 show differently, and what sits next to the panel.
 */
class AdminScreenTest extends OCW_Test_Case {

	/**
	 * WooCommerce 6.9's file viewer ignores `source`: the link names the plugin's newest
	 * log file by the key WooCommerce gives it; WooCommerce 10's viewer takes `source`.
	 */
	public function test_view_log_link_per_viewer() {
		$this->assertSame( 'files', OCW_Logger::log_viewer(), 'WooCommerce 6.9: no new log viewer' );
		WC_Log_Handler_File::$files = array(
			'oncloudwine-for-woocommerce-2026-11-28-0f1e.log',
			'fatal-errors-2026-11-30-aaaa.log',
			'oncloudwine-for-woocommerce-2026-11-30-9c3d.log',
		);
		$this->assertSame( 'https://shop.example.com/wp-admin/admin.php?page=wc-status&tab=logs&log_file=oncloudwine-for-woocommerce-2026-11-30-9c3d-log', OCW_Logger::logs_url() );
		WC_Log_Handler_File::$files = array();
		$this->assertStringContainsString( 'log_file=oncloudwine-for-woocommerce-' . gmdate( 'Y-m-d' ) . '-', OCW_Logger::logs_url() );
		$this->assertSame( 'https://shop.example.com/wp-admin/admin.php?page=wc-status&tab=logs&source=oncloudwine-for-woocommerce', OCW_Logger::logs_url( 'source' ) );
	}

	/**
	 * An "OnCloudWine" Help tab on WooCommerce's settings screens only.
	 */
	public function test_help_tab() {
		list( $settings, $client, $webhooks, $logger ) = $this->parts();
		$actions = new OCW_Admin_Actions( new OCW_Operations( $settings, $client, $webhooks, new OCW_Api_Keys( new OCW_Test_Wpdb() ), $logger ) );
		$actions->register();
		$screen     = new OCW_Test_Screen( 'woocommerce_page_wc-settings' );
		do_action( 'current_screen', $screen );
		$this->assertSame( 'oncloudwine', $screen->tabs[0]['id'] );
		$this->assertSame( 'OnCloudWine', $screen->tabs[0]['title'] );
		$this->assertStringContainsString( 'OCW_SHARED_SECRET', $screen->tabs[0]['content'] );
		$this->assertStringContainsString( 'Press Connect', $screen->tabs[0]['content'] );
		$other = new OCW_Test_Screen( 'edit-product' );
		do_action( 'current_screen', $other );
		$this->assertSame( array(), $other->tabs );
	}

	/**
	 * "Could not be reached", remembered from an earlier call, is not printed on the
	 * settings screen, where the panel asks the sidecar now (it said so above "Connection:
	 * ACTIVE" right after the sidecar came back); elsewhere it is.
	 */
	public function test_no_stale_unreachable_notice_on_the_settings_screen() {
		OCW_Test_World::configure();
		set_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT, 'cURL error 7', HOUR_IN_SECONDS );
		list( $settings, , $webhooks ) = $this->parts();
		$requirements = new OCW_Requirements( $settings, $webhooks );
		$codes        = array_column( $requirements->problems(), 'code' );
		$this->assertContains( 'sidecar_unreachable', $codes );
		$_GET  = array(
			'page'    => 'wc-settings',
			'tab'     => 'integration',
			'section' => 'oncloudwine',
		);
		$codes = array_column( $requirements->problems(), 'code' );
		$_GET  = array();
		$this->assertNotContains( 'sidecar_unreachable', $codes );
	}
}

/**
 * WP_Screen double: id and add_help_tab().
 */
class OCW_Test_Screen {
	/**
	 * Screen id.
	 *
	 * @var string
	 */
	public $id;

	/**
	 * Help tabs added.
	 *
	 * @var array
	 */
	public $tabs = array();

	/**
	 * Constructor.
	 *
	 * @param string $id Screen id.
	 */
	public function __construct( $id ) {
		$this->id = $id;
	}

	/**
	 * WP_Screen::add_help_tab().
	 *
	 * @param array $args id, title, content.
	 */
	public function add_help_tab( $args ) {
		$this->tabs[] = $args;
	}
}
