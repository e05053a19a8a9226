<?php
/**
 * Hourly webhook repair through Action Scheduler.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Schedules `oncloudwine_repair_webhooks` every hour in the group
 * `oncloudwine-for-woocommerce`, so it filters cleanly in WooCommerce → Status →
 * Scheduled Actions.
 */
class OCW_Scheduler {

	/**
	 * Action hook.
	 */
	const HOOK = 'oncloudwine_repair_webhooks';

	/**
	 * Action Scheduler group (the plugin slug).
	 */
	const GROUP = 'oncloudwine-for-woocommerce';

	/**
	 * Transient that spares the "is it scheduled" query on most admin pages.
	 */
	const CHECKED_TRANSIENT = 'oncloudwine_schedule_checked';

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param OCW_Webhooks $webhooks Webhooks.
	 */
	public function __construct( OCW_Webhooks $webhooks ) {
		$this->webhooks = $webhooks;
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		add_action( self::HOOK, array( $this, 'run' ) );
		add_action( 'admin_init', array( $this, 'ensure_scheduled' ) );
	}

	/**
	 * The scheduled action: repair the webhooks.
	 *
	 * @return array Repair report.
	 */
	public function run() {
		return $this->webhooks->repair();
	}

	/**
	 * Schedules the hourly repair unless it is already.
	 *
	 * @param bool $force Check even when checked recently.
	 * @return bool Whether a new schedule was created.
	 */
	public function ensure_scheduled( $force = false ) {
		if ( ! function_exists( 'as_next_scheduled_action' ) || ! function_exists( 'as_schedule_recurring_action' ) ) {
			return false;
		}
		if ( ! $force && false !== get_transient( self::CHECKED_TRANSIENT ) ) {
			return false;
		}
		set_transient( self::CHECKED_TRANSIENT, 1, HOUR_IN_SECONDS );
		if ( false !== as_next_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
			return false;
		}
		as_schedule_recurring_action( time() + HOUR_IN_SECONDS, HOUR_IN_SECONDS, self::HOOK, array(), self::GROUP );
		return true;
	}

	/**
	 * Removes the schedule (deactivation, uninstall).
	 */
	public function unschedule() {
		delete_transient( self::CHECKED_TRANSIENT );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}

	/**
	 * Removes every action of the repair, whatever its status (uninstall):
	 * as_unschedule_all_actions() only marks pending ones canceled, and those rows would
	 * stay in WooCommerce → Status → Scheduled Actions for good.
	 *
	 * @return int Actions deleted.
	 */
	public function purge() {
		$this->unschedule();
		if ( ! class_exists( 'ActionScheduler' ) || ! method_exists( 'ActionScheduler', 'store' ) ) {
			return 0;
		}
		$store = ActionScheduler::store();
		$ids   = (array) $store->query_actions(
			array(
				'hook'     => self::HOOK,
				'group'    => self::GROUP,
				'status'   => '',
				'per_page' => -1,
			)
		);
		foreach ( $ids as $id ) {
			$store->delete_action( (int) $id );
		}
		return count( $ids );
	}

	/**
	 * Deletes the repair's actions straight in Action Scheduler's tables, for when
	 * WooCommerce (and its Action Scheduler) is not active at uninstall.
	 *
	 * @param wpdb $db Database.
	 * @return int Actions deleted.
	 */
	public static function delete_without_action_scheduler( $db ) {
		delete_transient( self::CHECKED_TRANSIENT );
		$table = $db->prefix . 'actionscheduler_actions';
		if ( $table !== $db->get_var( $db->prepare( 'SHOW TABLES LIKE %s', $db->esc_like( $table ) ) ) ) {
			return 0;
		}
		$logs = $db->prefix . 'actionscheduler_logs';
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery -- table names only; Action Scheduler's API is not loaded.
		if ( $logs === $db->get_var( $db->prepare( 'SHOW TABLES LIKE %s', $db->esc_like( $logs ) ) ) ) {
			$db->query( $db->prepare( "DELETE l FROM {$logs} l INNER JOIN {$table} a ON a.action_id = l.action_id WHERE a.hook = %s", self::HOOK ) );
		}
		$deleted = (int) $db->query( $db->prepare( "DELETE FROM {$table} WHERE hook = %s", self::HOOK ) );
		// phpcs:enable
		return $deleted;
	}

	/**
	 * Cancels the pending repair straight in Action Scheduler's table, as
	 * as_unschedule_all_actions() does, for when WooCommerce (and its Action Scheduler) is
	 * not active at deactivation or uninstall.
	 *
	 * @param wpdb $db Database.
	 * @return int Actions canceled.
	 */
	public static function cancel_without_action_scheduler( $db ) {
		delete_transient( self::CHECKED_TRANSIENT );
		$table = $db->prefix . 'actionscheduler_actions';
		if ( $table !== $db->get_var( $db->prepare( 'SHOW TABLES LIKE %s', $db->esc_like( $table ) ) ) ) {
			return 0;
		}
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery -- table name only.
		return (int) $db->query( $db->prepare( "UPDATE {$table} SET status = 'canceled' WHERE hook = %s AND status = 'pending'", self::HOOK ) );
	}
}
