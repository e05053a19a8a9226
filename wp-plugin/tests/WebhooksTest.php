<?php
/**
 * Webhook lifecycle.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Creation, repair (re-enable + reconcile), pause, delete.
 */
class WebhooksTest extends OCW_Test_Case {

	/**
	 * Repair on an empty store creates the six webhooks of docs/plugin-routes.md and pings them.
	 */
	public function test_repair_creates_six_webhooks() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		( new OCW_Prompt_Delivery( $webhooks, static function () {} ) )->register();

		$report = $webhooks->repair();

		$this->assertSame( 6, $report['created'] );
		$this->assertSame( array(), $report['errors'] );
		$this->assertCount( 6, OCW_Test_World::$webhooks );
		$topics = array();
		foreach ( OCW_Test_World::$webhooks as $id => $data ) {
			$topics[] = $data['topic'];
			$this->assertSame( 'OnCloudWine: ' . $data['topic'], $data['name'] );
			$this->assertSame( 'http://10.0.0.5:8787/v1/webhooks/woocommerce', $data['delivery_url'] );
			$this->assertSame( str_repeat( 's', 40 ), $data['secret'] );
			$this->assertSame( 3, $data['api_version'] );
			$this->assertSame( 'active', $data['status'] );
			$this->assertSame( 1, $data['user_id'] );
			$this->assertTrue( $webhooks->is_owned( $id ) );
		}
		$this->assertSame( OCW_Webhooks::TOPICS, $topics );
		$this->assertCount( 6, OCW_Test_World::$pings );
		$sent = OCW_Test_World::calls_to( '/v1/webhooks/woocommerce' );
		$this->assertCount( 6, $sent );
		foreach ( $sent as $ping ) {
			// WooCommerce 6.x pings without woocommerce_webhook_http_args: http_request_args shortens it.
			$this->assertSame( 3.0, $ping['args']['timeout'], 'the ping of a plugin webhook waits the short timeout, not 5 s' );
		}
		$this->assertSame( array(), OCW_Test_World::calls_to( '/v1/reconcile' ) );
	}

	/**
	 * A webhook WooCommerce disabled is re-enabled with its failure count reset, and the
	 * sidecar is asked to reconcile with the bearer secret.
	 */
	public function test_repair_reenables_disabled_and_reconciles() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids      = $webhooks->owned_ids();
		$disabled = $ids['product.updated'];
		OCW_Test_World::$webhooks[ $disabled ]['status']        = 'disabled';
		OCW_Test_World::$webhooks[ $disabled ]['failure_count'] = 6;
		OCW_Test_World::$http                                   = array();

		$report = $webhooks->repair();

		$this->assertSame( 1, $report['reenabled'] );
		$this->assertSame( 0, $report['created'] );
		$this->assertTrue( $report['reconcile'] );
		$this->assertSame( 'active', OCW_Test_World::$webhooks[ $disabled ]['status'] );
		$this->assertSame( 0, OCW_Test_World::$webhooks[ $disabled ]['failure_count'] );
		$calls = OCW_Test_World::calls_to( '/v1/reconcile' );
		$this->assertCount( 1, $calls );
		$this->assertSame( 'POST', $calls[0]['args']['method'] );
		$this->assertSame( 'Bearer ' . str_repeat( 's', 40 ), $calls[0]['args']['headers']['Authorization'] );
		$this->assertSame( array(), $webhooks->disabled_topics() );
	}

	/**
	 * Nothing disabled: no reconcile call, nothing saved.
	 */
	public function test_repair_without_damage_does_not_reconcile() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		OCW_Test_World::$http = array();
		$report               = $webhooks->repair();
		$this->assertSame( array( 0, 0, 0 ), array( $report['created'], $report['reenabled'], $report['updated'] ) );
		$this->assertNull( $report['reconcile'] );
		$this->assertSame( array(), OCW_Test_World::$http );
	}

	/**
	 * A sidecar that is down while repairing: the webhook is still re-enabled, the failed
	 * reconcile is reported.
	 */
	public function test_repair_with_sidecar_down() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$ids = $webhooks->owned_ids();
		OCW_Test_World::$webhooks[ $ids['order.created'] ]['status'] = 'disabled';
		OCW_Test_World::$responder                                  = null;

		$report = $webhooks->repair();

		$this->assertSame( 1, $report['reenabled'] );
		$this->assertFalse( $report['reconcile'] );
		$this->assertNotEmpty( $report['errors'] );
		$this->assertSame( 'active', OCW_Test_World::$webhooks[ $ids['order.created'] ]['status'] );
	}

	/**
	 * A changed sidecar URL or secret is applied to the existing webhooks.
	 */
	public function test_repair_follows_settings() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		OCW_Test_World::configure(
			array(
				'sidecar_url'   => 'http://10.0.0.9:9000',
				'shared_secret' => str_repeat( 'n', 40 ),
			)
		);
		$report = $webhooks->repair();
		$this->assertSame( 6, $report['updated'] );
		foreach ( OCW_Test_World::$webhooks as $data ) {
			$this->assertSame( 'http://10.0.0.9:9000/v1/webhooks/woocommerce', $data['delivery_url'] );
			$this->assertSame( str_repeat( 'n', 40 ), $data['secret'] );
		}
	}

	/**
	 * Someone else's webhooks are never touched; a lost id list is rebuilt by name.
	 */
	public function test_foreign_webhooks_untouched_and_ids_rebuilt() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		OCW_Test_World::$webhooks[7] = array(
			'status'           => 'disabled',
			'delivery_url'     => 'https://zapier.example/hook',
			'secret'           => 'x',
			'name'             => 'Zapier',
			'topic'            => 'product.updated',
			'failure_count'    => 9,
			'user_id'          => 1,
			'api_version'      => 3,
			'pending_delivery' => false,
		);
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$this->assertFalse( $webhooks->is_owned( 7 ) );
		$this->assertSame( 'disabled', OCW_Test_World::$webhooks[7]['status'] );

		$before = $webhooks->owned_ids();
		delete_option( OCW_Webhooks::IDS_OPTION );
		$report = $webhooks->repair();
		$this->assertSame( 0, $report['created'] );
		$this->assertSame( $before, $webhooks->owned_ids() );
	}

	/**
	 * With the sidecar known to be down, webhooks are created without pings.
	 */
	public function test_repair_without_ping() {
		OCW_Test_World::configure();
		list( $settings, , $webhooks ) = $this->parts();
		$settings->set_secret_accepted( true );
		$report               = $webhooks->repair( false );
		$this->assertSame( 6, $report['created'] );
		$this->assertSame( array(), OCW_Test_World::$pings );
		$this->assertSame( array(), OCW_Test_World::$http );
	}

	/**
	 * WooCommerce's update() pings an active webhook whose delivery URL changed, or whose
	 * first ping is pending (WC_Webhook_Data_Store::update()). With the sidecar known to be
	 * down, a repair without pings moves the webhooks to the new URL without one request;
	 * with pings, WooCommerce tries each. The filter does not outlive the repair.
	 */
	public function test_repair_without_ping_sends_none_on_url_change() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$this->assertCount( 6, OCW_Test_World::$pings );

		OCW_Test_World::configure( array( 'sidecar_url' => 'http://10.0.0.9:8787' ) );
		( new OCW_Settings() )->set_secret_accepted( true );
		OCW_Test_World::$responder = null;
		OCW_Test_World::$http      = array();
		$report                    = $webhooks->repair( false );
		$this->assertSame( 6, $report['updated'] );
		$this->assertSame( array(), OCW_Test_World::$http );
		foreach ( $webhooks->owned_ids() as $id ) {
			$this->assertSame( 'http://10.0.0.9:8787/v1/webhooks/woocommerce', OCW_Test_World::$webhooks[ $id ]['delivery_url'] );
		}
		$this->assertArrayNotHasKey( 'pre_http_request', OCW_Test_World::$hooks );

		OCW_Test_World::configure( array( 'sidecar_url' => 'http://10.0.0.7:8787' ) );
		( new OCW_Settings() )->set_secret_accepted( true );
		$webhooks->repair();
		$this->assertCount( 6, OCW_Test_World::calls_to( '/v1/webhooks/woocommerce' ) );
	}

	/**
	 * Webhooks created while the sidecar was down keep their ping pending; a later repair
	 * without pings that saves them (new secret) sends none either.
	 */
	public function test_pending_pings_not_sent_while_down() {
		OCW_Test_World::configure();
		list( $settings, , $webhooks ) = $this->parts();
		$settings->set_secret_accepted( true );
		$webhooks->repair( false );
		foreach ( $webhooks->owned_ids() as $id ) {
			$this->assertTrue( OCW_Test_World::$webhooks[ $id ]['pending_delivery'] );
		}
		OCW_Test_World::configure( array( 'shared_secret' => str_repeat( 't', 40 ) ) );
		$settings->set_secret_accepted( true );
		$report = $webhooks->repair( false );
		$this->assertSame( 6, $report['updated'] );
		$this->assertSame( array(), OCW_Test_World::$http );
		$this->assertTrue( OCW_Test_World::$webhooks[ $webhooks->owned_ids()['order.updated'] ]['pending_delivery'] );
	}

	/**
	 * A secret the sidecar refuses (401): no webhook is created, none is repaired or moved
	 * to the new secret; once the sidecar accepts it, the repair goes ahead. With the
	 * sidecar down and the URL and secret never accepted, nothing is created either.
	 */
	public function test_nothing_created_or_repaired_before_the_secret_is_accepted() {
		OCW_Test_World::configure();
		list( $settings, , $webhooks ) = $this->parts();
		$this->assertSame( 0, $webhooks->repair( false )['created'], 'sidecar down, never accepted' );
		$refuse = static function () {
			return OCW_Test_World::response( 401, array( 'error' => array( 'code' => 'unauthorized' ) ) );
		};
		$this->sidecar_up( array( '/v1/status' => $refuse ) );
		$report = $webhooks->repair();
		$this->assertSame( 0, $report['created'] );
		$this->assertSame( array(), OCW_Test_World::$webhooks );
		$this->assertStringContainsString( 'accepted the shared secret', $report['errors'][0] );
		$this->assertSame( array(), OCW_Test_World::$pings );

		$this->sidecar_up();
		$this->assertSame( 6, $webhooks->repair()['created'] );
		$this->assertTrue( $settings->is_secret_accepted() );

		// A new secret the sidecar refuses: the webhooks keep the secret it accepted.
		$old = ( new OCW_Settings() )->shared_secret();
		OCW_Test_World::configure( array( 'shared_secret' => str_repeat( 'w', 40 ) ) );
		$this->sidecar_up( array( '/v1/status' => $refuse ) );
		$this->assertSame( 0, $webhooks->repair()['updated'] );
		foreach ( $webhooks->owned_ids() as $id ) {
			$this->assertSame( $old, OCW_Test_World::$webhooks[ $id ]['secret'] );
		}
	}

	/**
	 * Reactivation: the webhooks paused on deactivation are set active again and the sidecar
	 * is asked to reconcile (changes made meanwhile reached no webhook). The same for a
	 * webhook WooCommerce disabled, and for one deleted and re-created; a repair with
	 * nothing to re-enable asks for nothing.
	 */
	public function test_reenabling_paused_or_disabled_webhooks_asks_for_reconcile() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$this->assertCount( 0, OCW_Test_World::calls_to( '/v1/reconcile' ), 'first connect: no catch-up needed' );

		$webhooks->pause();
		$report = $webhooks->repair();
		$this->assertSame( 6, $report['reenabled'] );
		$this->assertTrue( $report['reconcile'] );
		$this->assertCount( 1, OCW_Test_World::calls_to( '/v1/reconcile' ) );
		$this->assertSame( 'POST', OCW_Test_World::calls_to( '/v1/reconcile' )[0]['args']['method'] );
		foreach ( OCW_Test_World::$webhooks as $data ) {
			$this->assertSame( 'active', $data['status'] );
		}

		$webhooks->repair();
		$this->assertCount( 1, OCW_Test_World::calls_to( '/v1/reconcile' ), 'nothing re-enabled, no reconcile' );

		unset( OCW_Test_World::$webhooks[ $webhooks->owned_ids()['product.updated'] ] );
		$this->assertSame( 1, $webhooks->repair()['created'] );
		$this->assertCount( 2, OCW_Test_World::calls_to( '/v1/reconcile' ) );
	}

	/**
	 * Deactivation pauses; uninstall deletes and forgets.
	 */
	public function test_pause_and_delete() {
		OCW_Test_World::configure();
		$this->sidecar_up();
		list( , , $webhooks ) = $this->parts();
		$webhooks->repair();
		$this->assertSame( 6, $webhooks->pause() );
		foreach ( OCW_Test_World::$webhooks as $data ) {
			$this->assertSame( 'paused', $data['status'] );
		}
		$this->assertSame( 6, $webhooks->delete_all() );
		$this->assertSame( array(), OCW_Test_World::$webhooks );
		$this->assertFalse( get_option( OCW_Webhooks::IDS_OPTION ) );
	}

	/**
	 * With WooCommerce inactive (no WC_Webhook), deactivation pauses and uninstall deletes
	 * the plugin's rows in {prefix}wc_webhooks, only those, and drops WooCommerce's id caches;
	 * no table or no ids: no query.
	 */
	public function test_rows_changed_without_woocommerce() {
		$db         = new OCW_Test_Wpdb();
		$tables     = array();
		$db->answer = static function ( $sql ) use ( &$tables ) {
			foreach ( $tables as $table ) {
				if ( "SHOW TABLES LIKE '" . addslashes( addcslashes( $table, '_%\\' ) ) . "'" === $sql ) {
					return $table;
				}
			}
			return null;
		};
		$this->assertSame( 0, OCW_Webhooks::change_rows_without_woocommerce( $db, 'pause' ), 'no ids' );
		$this->assertSame( array(), $db->queries );

		update_option( OCW_Webhooks::IDS_OPTION, array( 'product.created' => 100, 'order.updated' => '105' ) );
		OCW_Test_World::$transients['woocommerce_webhook_ids_status_active'] = array( 100, 105, 7 );
		OCW_Webhooks::change_rows_without_woocommerce( $db, 'pause' );
		$this->assertCount( 1, $db->queries, 'no table: only the SHOW TABLES' );

		$tables      = array( 'wp_wc_webhooks' );
		$db->queries = array();
		OCW_Webhooks::change_rows_without_woocommerce( $db, 'pause' );
		$this->assertSame( "UPDATE wp_wc_webhooks SET status = 'paused' WHERE webhook_id IN (100,105) AND name LIKE 'OnCloudWine: %' AND status <> 'paused'", end( $db->queries ) );
		$this->assertFalse( get_transient( 'woocommerce_webhook_ids_status_active' ) );

		OCW_Webhooks::change_rows_without_woocommerce( $db, 'delete' );
		$this->assertSame( "DELETE FROM wp_wc_webhooks WHERE webhook_id IN (100,105) AND name LIKE 'OnCloudWine: %'", end( $db->queries ) );

		OCW_Scheduler::cancel_without_action_scheduler( $db );
		$this->assertStringStartsWith( 'SHOW TABLES', end( $db->queries ), 'no Action Scheduler table: nothing to cancel' );
		$tables[] = 'wp_actionscheduler_actions';
		OCW_Scheduler::cancel_without_action_scheduler( $db );
		$this->assertSame( "UPDATE wp_actionscheduler_actions SET status = 'canceled' WHERE hook = 'oncloudwine_repair_webhooks' AND status = 'pending'", end( $db->queries ) );
	}

	/**
	 * Not configured: nothing is created and the report says why.
	 */
	public function test_unconfigured_repair_does_nothing() {
		list( , , $webhooks ) = $this->parts();
		$report               = $webhooks->repair();
		$this->assertSame( 0, $report['created'] );
		$this->assertNotEmpty( $report['errors'] );
		$this->assertSame( array(), OCW_Test_World::$webhooks );
	}
}
