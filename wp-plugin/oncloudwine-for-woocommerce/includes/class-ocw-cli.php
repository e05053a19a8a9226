<?php
/**
 * WP-CLI commands: wp oncloudwine …
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Shows the sidecar's status, starts full syncs and repairs the plugin's webhooks.
 */
class OCW_CLI {

	/**
	 * Shows the connection status, item counts and jobs the sidecar reports, and the
	 * state of the plugin's webhooks.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     # Show the status as a table.
	 *     $ wp oncloudwine status
	 *
	 *     # Full status as JSON.
	 *     $ wp oncloudwine status --format=json
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function status( $args, $assoc_args ) {
		$plugin   = OCW_Plugin::instance();
		$status   = $plugin->client()->status();
		$webhooks = $plugin->webhooks()->statuses();
		$format   = isset( $assoc_args['format'] ) ? $assoc_args['format'] : 'table';
		if ( 'json' === $format ) {
			WP_CLI::line(
				(string) wp_json_encode(
					array(
						'sidecar'  => $status['ok'] ? $status['data'] : null,
						'error'    => $status['error'],
						'webhooks' => $webhooks,
					)
				)
			);
			return;
		}
		$rows = array();
		if ( $status['ok'] ) {
			$data       = is_array( $status['data'] ) ? $status['data'] : array();
			$connection = isset( $data['connection'] ) && is_array( $data['connection'] ) ? $data['connection'] : array();
			$rows[]     = array(
				'field' => 'connection',
				'value' => isset( $connection['status'] ) ? $connection['status'] : '',
			);
			if ( ! empty( $connection['last_error']['message'] ) ) {
				$rows[] = array(
					'field' => 'last_error',
					'value' => $connection['last_error']['message'] . ' ' . ( isset( $connection['last_error']['fix'] ) ? $connection['last_error']['fix'] : '' ),
				);
			}
			foreach ( array( 'PENDING', 'SYNCED', 'FAILED' ) as $state ) {
				$rows[] = array(
					'field' => $state,
					'value' => isset( $data['items'][ $state ] ) ? (string) $data['items'][ $state ] : '0',
				);
			}
			foreach ( isset( $data['jobs'] ) && is_array( $data['jobs'] ) ? $data['jobs'] : array() as $type => $job ) {
				$rows[] = array(
					'field' => $type,
					'value' => sprintf( '%s %d/%d', isset( $job['state'] ) ? $job['state'] : '', isset( $job['progress']['done'] ) ? $job['progress']['done'] : 0, isset( $job['progress']['total'] ) ? $job['progress']['total'] : 0 ),
				);
			}
		} else {
			$rows[] = array(
				'field' => 'sidecar',
				'value' => $status['error']['message'] . ' ' . $status['error']['fix'],
			);
		}
		foreach ( $webhooks as $topic => $state ) {
			$rows[] = array(
				'field' => 'webhook ' . $topic,
				'value' => $state,
			);
		}
		WP_CLI\Utils\format_items( 'table', $rows, array( 'field', 'value' ) );
		if ( ! $status['ok'] ) {
			WP_CLI::error( $status['error']['message'] );
		}
	}

	/**
	 * Starts a full sync on the sidecar.
	 *
	 * ## OPTIONS
	 *
	 * <what>
	 * : What to sync.
	 * ---
	 * options:
	 *   - products
	 *   - stock
	 *   - orders
	 * ---
	 *
	 * [--since=<date>]
	 * : Orders only: send the paid orders created since this date (YYYY-MM-DD). Default: the last 30 days.
	 *
	 * ## EXAMPLES
	 *
	 *     # Pull every product and variation (SYNC_WOOCOMMERCE_PRODUCTS).
	 *     $ wp oncloudwine sync products
	 *
	 *     # Pull every stock level (SYNC_WOOCOMMERCE_STOCK).
	 *     $ wp oncloudwine sync stock
	 *
	 *     # Send the paid orders of November (SYNC_WOOCOMMERCE_ORDERS).
	 *     $ wp oncloudwine sync orders --since=2026-11-01
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function sync( $args, $assoc_args ) {
		$since  = isset( $assoc_args['since'] ) ? (string) $assoc_args['since'] : '';
		$result = OCW_Plugin::instance()->operations()->sync( isset( $args[0] ) ? (string) $args[0] : '', $since );
		self::report( $result );
	}

	/**
	 * Manages the plugin's webhooks.
	 *
	 * ## OPTIONS
	 *
	 * <action>
	 * : What to do.
	 * ---
	 * options:
	 *   - repair
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     # Create missing webhooks, re-enable those WooCommerce disabled and ask the sidecar to reconcile.
	 *     $ wp oncloudwine webhooks repair
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function webhooks( $args, $assoc_args ) {
		if ( ! isset( $args[0] ) || 'repair' !== $args[0] ) {
			WP_CLI::error( 'Unknown action: use `wp oncloudwine webhooks repair`.' );
		}
		self::report( OCW_Plugin::instance()->operations()->repair_webhooks() );
	}

	/**
	 * Prints an operation result; a failure exits non-zero.
	 *
	 * @param array $result Operation result.
	 */
	private static function report( array $result ) {
		$text = trim( $result['message'] . ' ' . $result['fix'] );
		if ( $result['ok'] ) {
			WP_CLI::success( $text );
		} else {
			WP_CLI::error( $text );
		}
	}
}
