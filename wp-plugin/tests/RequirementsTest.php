<?php
/**
 * Requirements and notices.
 *
 * @package OnCloudWine\Tests
 */

/**
 * WooCommerce version gate and the notices that name the fix.
 */
class RequirementsTest extends OCW_Test_Case {

	/**
	 * Version cases.
	 *
	 * @return array
	 */
	public function versions() {
		return array(
			'missing'   => array( null, 'missing' ),
			'empty'     => array( '', 'missing' ),
			'5.9.1'     => array( '5.9.1', 'too_old' ),
			'6.0.0'     => array( '6.0.0', '' ),
			'6.9.0'     => array( '6.9.0', '' ),
			'10.0.2'    => array( '10.0.2', '' ),
		);
	}

	/**
	 * WooCommerce ≥ 6.0 is required.
	 *
	 * @dataProvider versions
	 * @param string|null $version WC_VERSION.
	 * @param string      $want    Problem.
	 */
	public function test_woocommerce_problem( $version, $want ) {
		$this->assertSame( $want, OCW_Requirements::woocommerce_problem( $version, '6.0' ) );
	}

	/**
	 * The blocking notices say what to do.
	 */
	public function test_blocking_notices() {
		ob_start();
		OCW_Requirements::render_blocking_notice( 'missing', null );
		$missing = (string) ob_get_clean();
		$this->assertStringContainsString( 'Install and activate WooCommerce 6.0 or newer', $missing );
		$this->assertStringContainsString( 'plugin-install.php', $missing );
		ob_start();
		OCW_Requirements::render_blocking_notice( 'too_old', '5.9.1' );
		$old = (string) ob_get_clean();
		$this->assertStringContainsString( 'this site runs WooCommerce 5.9.1', $old );
		$this->assertStringContainsString( 'update-core.php', $old );
	}

	/**
	 * HTTP site, plain permalinks, unreachable sidecar, disabled webhook: one notice each, with a fix.
	 */
	public function test_problems() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( $settings, $client, $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids = $webhooks->owned_ids();
		OCW_Test_World::$webhooks[ $ids['product.deleted'] ]['status'] = 'disabled';
		OCW_Test_World::$home                                       = 'http://shop.example.com';
		OCW_Test_World::$ssl                                        = false;
		OCW_Test_World::$options['permalink_structure']             = '';
		set_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT, 'cURL error 7' );

		$requirements = new OCW_Requirements( $settings, $webhooks );
		$problems     = $requirements->problems();
		$this->assertSame( array( 'not_https', 'plain_permalinks', 'sidecar_unreachable', 'webhook_disabled' ), array_column( $problems, 'code' ) );
		foreach ( $problems as $problem ) {
			$this->assertNotSame( '', $problem['fix'] );
		}
		$this->assertSame( 'Change to Post name in Settings → Permalinks.', $problems[1]['fix'] );
		$this->assertStringContainsString( 'product.deleted', $problems[3]['message'] );

		ob_start();
		$requirements->render_notices();
		$html = (string) ob_get_clean();
		$this->assertSame( 4, substr_count( $html, 'oncloudwine-notice' ) );

		OCW_Test_World::$caps = array();
		ob_start();
		$requirements->render_notices();
		$this->assertSame( '', ob_get_clean() );
	}

	/**
	 * A healthy store has no problem; an unconfigured one is told how to start.
	 */
	public function test_healthy_and_unconfigured() {
		list( $settings, , $webhooks ) = $this->parts();
		$requirements                  = new OCW_Requirements( $settings, $webhooks );
		$this->assertSame( array( 'not_configured' ), array_column( $requirements->problems(), 'code' ) );
		OCW_Test_World::configure();
		$this->assertSame( array(), $requirements->problems() );
	}
}
