<?php
/**
 * The status panel on the settings screen.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Shows what the sidecar reports — connection (ACTIVE / ERROR with the fix), item counts,
 * the latest FAILED items (error on hover), running jobs with progress, the tail of the
 * activity log — and keeps working, saying so, when the sidecar is down. Loading it also
 * repairs webhooks WooCommerce disabled.
 */
class OCW_Status_Panel {

	/**
	 * Admin actions posted by the panel's buttons (hooked on plugins_loaded, before
	 * translations may load, so without their labels).
	 */
	const ACTIONS = array(
		'oncloudwine_connect',
		'oncloudwine_test',
		'oncloudwine_sync_products',
		'oncloudwine_sync_stock',
		'oncloudwine_sync_orders',
		'oncloudwine_repair_webhooks',
	);

	/**
	 * Admin actions posted by the panel's buttons: action => label.
	 *
	 * @return array
	 */
	public static function buttons() {
		return array(
			'oncloudwine_connect'         => __( 'Connect', 'oncloudwine-for-woocommerce' ),
			'oncloudwine_test'            => __( 'Test connection', 'oncloudwine-for-woocommerce' ),
			'oncloudwine_sync_products'   => __( 'Sync products', 'oncloudwine-for-woocommerce' ),
			'oncloudwine_sync_stock'      => __( 'Sync stock', 'oncloudwine-for-woocommerce' ),
			'oncloudwine_sync_orders'     => __( 'Sync orders (last 30 days)', 'oncloudwine-for-woocommerce' ),
			'oncloudwine_repair_webhooks' => __( 'Repair webhooks', 'oncloudwine-for-woocommerce' ),
		);
	}

	/**
	 * Sidecar client.
	 *
	 * @var OCW_Sidecar_Client
	 */
	private $client;

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param OCW_Sidecar_Client $client   Sidecar client.
	 * @param OCW_Webhooks       $webhooks Webhooks.
	 */
	public function __construct( OCW_Sidecar_Client $client, OCW_Webhooks $webhooks ) {
		$this->client   = $client;
		$this->webhooks = $webhooks;
	}

	/**
	 * Gathers what the panel shows. A sidecar that does not answer costs one short
	 * timeout: the other calls are skipped.
	 *
	 * @return array
	 */
	public function snapshot() {
		$statuses = $this->webhooks->statuses();
		if ( in_array( 'disabled', $statuses, true ) ) {
			$this->webhooks->repair();
			$statuses = $this->webhooks->statuses();
		}
		$snapshot = array(
			'reachable' => false,
			'error'     => null,
			'status'    => null,
			'failed'    => array(),
			'activity'  => array(),
			'webhooks'  => $statuses,
		);
		$status   = $this->client->status();
		if ( ! $status['ok'] ) {
			$snapshot['error'] = $status['error'];
			return $snapshot;
		}
		$snapshot['reachable'] = true;
		$snapshot['status']    = is_array( $status['data'] ) ? $status['data'] : array();
		$failed                = $this->client->items( 'FAILED', 10 );
		if ( $failed['ok'] && isset( $failed['data']['items'] ) && is_array( $failed['data']['items'] ) ) {
			$snapshot['failed'] = $failed['data']['items'];
		}
		$activity = $this->client->activity( 15 );
		if ( $activity['ok'] && isset( $activity['data']['entries'] ) && is_array( $activity['data']['entries'] ) ) {
			$snapshot['activity'] = $activity['data']['entries'];
		}
		return $snapshot;
	}

	/**
	 * Prints the panel.
	 *
	 * @param array $snapshot From snapshot().
	 */
	public function render( array $snapshot ) {
		echo '<div class="oncloudwine-status" id="oncloudwine-status">';
		echo '<h2>' . esc_html__( 'Status', 'oncloudwine-for-woocommerce' ) . '</h2>';

		if ( ! $snapshot['reachable'] ) {
			$error = is_array( $snapshot['error'] ) ? $snapshot['error'] : array();
			echo '<div class="notice notice-error inline"><p><strong>' . esc_html__( 'Sidecar unreachable.', 'oncloudwine-for-woocommerce' ) . '</strong> ';
			echo esc_html( isset( $error['message'] ) ? $error['message'] : '' ) . ' <em>' . esc_html( isset( $error['fix'] ) ? $error['fix'] : '' ) . '</em></p>';
			echo '<p>' . esc_html__( 'The store keeps working: changes are caught up by the sidecar when it is back.', 'oncloudwine-for-woocommerce' ) . '</p></div>';
		} else {
			$this->render_connection( $snapshot['status'] );
			$this->render_counts( $snapshot['status'] );
			$this->render_jobs( $snapshot['status'] );
			$this->render_failed( $snapshot['failed'] );
			$this->render_activity( $snapshot['activity'] );
		}
		$this->render_webhooks( $snapshot['webhooks'] );
		echo '</div>';
	}

	/**
	 * Connection line.
	 *
	 * @param array $status Sidecar status.
	 */
	private function render_connection( array $status ) {
		$connection = isset( $status['connection'] ) && is_array( $status['connection'] ) ? $status['connection'] : array();
		$state      = isset( $connection['status'] ) ? (string) $connection['status'] : 'DISCONNECTED';
		$class      = 'ACTIVE' === $state ? 'notice-success' : ( 'ERROR' === $state ? 'notice-error' : 'notice-warning' );
		echo '<div class="notice inline ' . esc_attr( $class ) . '"><p><strong>' . esc_html__( 'Connection:', 'oncloudwine-for-woocommerce' ) . ' ' . esc_html( $state ) . '</strong>';
		if ( ! empty( $connection['wc_version'] ) ) {
			/* translators: %s: WooCommerce version */
			echo ' — ' . esc_html( sprintf( __( 'WooCommerce %s', 'oncloudwine-for-woocommerce' ), $connection['wc_version'] ) );
		}
		if ( isset( $status['version'] ) ) {
			/* translators: %s: sidecar version */
			echo ' — ' . esc_html( sprintf( __( 'sidecar %s', 'oncloudwine-for-woocommerce' ), $status['version'] ) );
		}
		if ( 'ERROR' === $state && isset( $connection['last_error'] ) && is_array( $connection['last_error'] ) ) {
			$error = $connection['last_error'];
			echo '<br>' . esc_html( isset( $error['message'] ) ? $error['message'] : '' );
			if ( ! empty( $error['fix'] ) ) {
				echo ' <strong>' . esc_html__( 'Fix:', 'oncloudwine-for-woocommerce' ) . '</strong> ' . esc_html( $error['fix'] );
			}
		} elseif ( 'DISCONNECTED' === $state ) {
			echo '<br>' . esc_html__( 'Press Connect to give the sidecar a REST key for this store.', 'oncloudwine-for-woocommerce' );
		}
		echo '</p></div>';
	}

	/**
	 * Item counts by status.
	 *
	 * @param array $status Sidecar status.
	 */
	private function render_counts( array $status ) {
		$items = isset( $status['items'] ) && is_array( $status['items'] ) ? $status['items'] : array();
		echo '<p class="oncloudwine-counts">';
		foreach ( array( 'PENDING', 'SYNCED', 'FAILED' ) as $state ) {
			$count = isset( $items[ $state ] ) ? (int) $items[ $state ] : 0;
			echo '<span class="oncloudwine-count oncloudwine-count-' . esc_attr( strtolower( $state ) ) . '">' . esc_html( $state ) . ': <strong>' . esc_html( number_format_i18n( $count ) ) . '</strong></span> &nbsp; ';
		}
		echo '</p>';
		if ( isset( $status['items_by_kind']['order'] ) && is_array( $status['items_by_kind']['order'] ) ) {
			$orders = $status['items_by_kind']['order'];
			printf(
				'<p class="oncloudwine-counts oncloudwine-order-counts">%s</p>',
				esc_html(
					sprintf(
						/* translators: 1: orders synced, 2: orders pending, 3: orders failed */
						__( 'Orders: %1$s synced, %2$s pending, %3$s failed', 'oncloudwine-for-woocommerce' ),
						number_format_i18n( isset( $orders['SYNCED'] ) ? (int) $orders['SYNCED'] : 0 ),
						number_format_i18n( isset( $orders['PENDING'] ) ? (int) $orders['PENDING'] : 0 ),
						number_format_i18n( isset( $orders['FAILED'] ) ? (int) $orders['FAILED'] : 0 )
					)
				)
			);
		}
	}

	/**
	 * Jobs with progress.
	 *
	 * @param array $status Sidecar status.
	 */
	private function render_jobs( array $status ) {
		$jobs = isset( $status['jobs'] ) && is_array( $status['jobs'] ) ? $status['jobs'] : array();
		if ( empty( $jobs ) ) {
			return;
		}
		echo '<h3>' . esc_html__( 'Jobs', 'oncloudwine-for-woocommerce' ) . '</h3><table class="widefat striped"><tbody>';
		foreach ( $jobs as $type => $job ) {
			if ( ! is_array( $job ) ) {
				continue;
			}
			$done  = isset( $job['progress']['done'] ) ? (int) $job['progress']['done'] : 0;
			$total = isset( $job['progress']['total'] ) ? (int) $job['progress']['total'] : 0;
			$state = isset( $job['state'] ) ? (string) $job['state'] : '';
			echo '<tr><td>' . esc_html( (string) $type ) . '</td><td>' . esc_html( $state ) . '</td><td>';
			if ( $total > 0 ) {
				echo '<progress max="' . esc_attr( (string) $total ) . '" value="' . esc_attr( (string) $done ) . '"></progress> ';
			}
			echo esc_html( number_format_i18n( $done ) . ' / ' . number_format_i18n( $total ) );
			if ( ! empty( $job['error'] ) ) {
				echo ' — ' . esc_html( (string) $job['error'] );
			}
			echo '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * Latest FAILED items; the error shows on hover and in the row.
	 *
	 * @param array $items Items.
	 */
	private function render_failed( array $items ) {
		if ( empty( $items ) ) {
			return;
		}
		echo '<h3>' . esc_html__( 'Latest failed items', 'oncloudwine-for-woocommerce' ) . '</h3><ul class="oncloudwine-failed">';
		foreach ( $items as $item ) {
			if ( ! is_array( $item ) ) {
				continue;
			}
			$error = isset( $item['error'] ) ? (string) $item['error'] : '';
			$label = isset( $item['name'] ) && '' !== $item['name'] ? (string) $item['name'] : ( isset( $item['key'] ) ? (string) $item['key'] : '' );
			echo '<li title="' . esc_attr( $error ) . '"><code>' . esc_html( isset( $item['key'] ) ? (string) $item['key'] : '' ) . '</code> ' . esc_html( $label ) . ' — <span class="oncloudwine-error">' . esc_html( $error ) . '</span></li>';
		}
		echo '</ul>';
	}

	/**
	 * Tail of the activity log.
	 *
	 * @param array $entries Entries, newest first.
	 */
	private function render_activity( array $entries ) {
		if ( empty( $entries ) ) {
			return;
		}
		echo '<h3>' . esc_html__( 'Activity', 'oncloudwine-for-woocommerce' ) . '</h3><ul class="oncloudwine-activity">';
		foreach ( $entries as $entry ) {
			if ( ! is_array( $entry ) ) {
				continue;
			}
			echo '<li><code>' . esc_html( isset( $entry['at'] ) ? (string) $entry['at'] : '' ) . '</code> [' . esc_html( isset( $entry['level'] ) ? (string) $entry['level'] : '' ) . '] ' . esc_html( isset( $entry['message'] ) ? (string) $entry['message'] : '' ) . '</li>';
		}
		echo '</ul>';
	}

	/**
	 * The plugin's webhooks and their WooCommerce status.
	 *
	 * @param array $statuses topic => status.
	 */
	private function render_webhooks( array $statuses ) {
		echo '<h3>' . esc_html__( 'Webhooks', 'oncloudwine-for-woocommerce' ) . '</h3><p class="oncloudwine-webhooks">';
		foreach ( $statuses as $topic => $status ) {
			echo '<span><code>' . esc_html( (string) $topic ) . '</code> ' . esc_html( (string) $status ) . '</span> &nbsp; ';
		}
		echo '</p>';
	}

	/**
	 * Prints the action buttons and the Connect key fields. They live inside
	 * WooCommerce's settings form, so each button posts to admin-post.php through its
	 * formaction, with the plugin's own nonce.
	 */
	public static function render_actions() {
		echo '<h2>' . esc_html__( 'Connection and sync', 'oncloudwine-for-woocommerce' ) . '</h2>';
		echo '<p>' . esc_html__( 'Connect hands the sidecar this store\'s URL and a REST key. Paste an existing read/write key, or leave both fields empty to let the plugin create one for the sidecar.', 'oncloudwine-for-woocommerce' ) . '</p>';
		echo '<table class="form-table"><tbody>';
		echo '<tr><th scope="row"><label for="oncloudwine_consumer_key">' . esc_html__( 'Consumer key (optional)', 'oncloudwine-for-woocommerce' ) . '</label></th>';
		echo '<td><input type="text" class="regular-text" id="oncloudwine_consumer_key" name="oncloudwine_consumer_key" value="" autocomplete="off" placeholder="ck_…"></td></tr>';
		echo '<tr><th scope="row"><label for="oncloudwine_consumer_secret">' . esc_html__( 'Consumer secret (optional)', 'oncloudwine-for-woocommerce' ) . '</label></th>';
		echo '<td><input type="password" class="regular-text" id="oncloudwine_consumer_secret" name="oncloudwine_consumer_secret" value="" autocomplete="new-password" placeholder="cs_…"></td></tr>';
		echo '</tbody></table>';
		wp_nonce_field( OCW_Admin_Actions::NONCE_ACTION, OCW_Admin_Actions::NONCE_FIELD, false );
		// Enter in a settings field submits the form's first button: keep that "Save changes".
		echo '<button type="submit" name="save" value="' . esc_attr__( 'Save changes', 'oncloudwine-for-woocommerce' ) . '" style="position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden" tabindex="-1" aria-hidden="true">' . esc_html__( 'Save changes', 'oncloudwine-for-woocommerce' ) . '</button>';
		echo '<p class="oncloudwine-actions">';
		foreach ( self::buttons() as $action => $label ) {
			printf(
				'<button type="submit" class="button" name="oncloudwine_button" value="%1$s" formaction="%2$s" formnovalidate>%3$s</button> ',
				esc_attr( $action ),
				esc_url( admin_url( 'admin-post.php?action=' . $action ) ),
				esc_html( $label )
			);
		}
		echo '</p>';
	}
}
