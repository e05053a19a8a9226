<?php
/**
 * Hourly repair through Action Scheduler.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Scheduled once, hourly, in the plugin's group; the action repairs.
 */
class SchedulerTest extends OCW_Test_Case {

	/**
	 * Scheduling is hourly, grouped, and not duplicated.
	 */
	public function test_schedules_once_hourly_in_group() {
		list( , , $webhooks ) = $this->parts();
		$scheduler            = new OCW_Scheduler( $webhooks );
		$this->assertTrue( $scheduler->ensure_scheduled( true ) );
		$this->assertFalse( $scheduler->ensure_scheduled( true ) );
		$this->assertFalse( $scheduler->ensure_scheduled(), 'checked recently: no query at all' );
		$this->assertCount( 1, OCW_Test_World::$scheduled );
		$this->assertSame( array( 'oncloudwine_repair_webhooks', 'oncloudwine-for-woocommerce', 3600 ), array_slice( OCW_Test_World::$scheduled[0], 0, 3 ) );
		$scheduler->unschedule();
		$this->assertFalse( as_next_scheduled_action( OCW_Scheduler::HOOK, array(), OCW_Scheduler::GROUP ) );
		$this->assertSame( 'canceled', OCW_Test_World::$scheduled[0][4], 'Action Scheduler keeps canceled rows' );
		$this->assertTrue( $scheduler->ensure_scheduled( true ), 'a canceled action is no schedule' );
		$this->assertSame( 2, $scheduler->purge(), 'purge deletes every row of the hook, canceled ones too' );
		$this->assertSame( array(), OCW_Test_World::$scheduled );
	}

	/**
	 * The scheduled action re-enables a disabled webhook and asks for a reconcile.
	 */
	public function test_action_repairs() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids = $webhooks->owned_ids();
		OCW_Test_World::$webhooks[ $ids['product.created'] ]['status'] = 'disabled';
		( new OCW_Scheduler( $webhooks ) )->register();
		do_action( OCW_Scheduler::HOOK );
		$this->assertSame( 'active', OCW_Test_World::$webhooks[ $ids['product.created'] ]['status'] );
		$this->assertCount( 1, OCW_Test_World::calls_to( '/v1/reconcile' ) );
	}
}
