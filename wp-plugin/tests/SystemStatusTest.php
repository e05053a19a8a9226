<?php
/**
 * System Status report section.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Sidecar URL, versions, last contact, webhooks — never the secret.
 */
class SystemStatusTest extends OCW_Test_Case {

	/**
	 * The section lists what support needs and hides the secret.
	 */
	public function test_section() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( $settings, $client, $webhooks ) = $this->parts();
		$client->status();
		$status = new OCW_System_Status( $settings, $webhooks );
		$status->register();
		ob_start();
		do_action( 'woocommerce_system_status_report' );
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'data-export-label="OnCloudWine"', $html );
		$this->assertStringContainsString( 'http://10.0.0.5:8787', $html );
		$this->assertStringContainsString( '<td>0.1.0</td>', $html );
		$this->assertStringContainsString( '<td>ACTIVE</td>', $html );
		$this->assertStringContainsString( 'product.created missing', $html );
		$this->assertStringNotContainsString( str_repeat( 's', 40 ), $html );
	}
}
