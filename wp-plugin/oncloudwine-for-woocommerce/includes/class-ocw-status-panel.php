<?php
/**
 * The status panel on the settings screen.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Shows what the sidecar reports — connection (ACTIVE / ERROR with the fix, and the last
 * failed attempt when the sidecar reports one), item counts, the latest FAILED items
 * (error on hover), jobs with a progress bar, the tail of the activity log in the site's
 * date format and time zone — and keeps working, saying so, when the sidecar is down or
 * refuses the secret. While a job runs, a script refreshes the panel every second through
 * the authenticated admin-ajax action `oncloudwine_status` (nonce + manage_woocommerce)
 * and shows the outcome when it ends, without a reload. Loading it also repairs webhooks
 * WooCommerce disabled, once the sidecar has accepted the secret.
 */
class OCW_Status_Panel {

	/**
	 * The admin-ajax action (and nonce action) that answers the panel's HTML.
	 */
	const AJAX_ACTION = 'oncloudwine_status';

	/**
	 * Milliseconds between two refreshes while a job runs.
	 */
	const REFRESH_MS = 1000;

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
	 * Hooks the refresh endpoint.
	 */
	public function register() {
		add_action( 'wp_ajax_' . self::AJAX_ACTION, array( $this, 'ajax_refresh' ) );
	}

	/**
	 * Admin-ajax `oncloudwine_status`: the panel's fresh HTML and whether a job still runs.
	 * Only for users who manage WooCommerce, with the panel's nonce.
	 */
	public function ajax_refresh() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_send_json_error( array( 'message' => __( 'You are not allowed to manage OnCloudWine.', 'oncloudwine-for-woocommerce' ) ), 403 );
			return;
		}
		check_ajax_referer( self::AJAX_ACTION, 'nonce' );
		$snapshot = $this->snapshot();
		ob_start();
		$this->render( $snapshot );
		wp_send_json_success(
			array(
				'html'    => (string) ob_get_clean(),
				'running' => self::has_active_job( $snapshot ),
			)
		);
	}

	/**
	 * Enqueues the refresh script (inline, in the footer): while the panel says a job runs,
	 * it asks `oncloudwine_status` every REFRESH_MS and swaps the panel for the answer; it
	 * stops when no job runs any more (the last answer shows the outcome).
	 */
	public static function enqueue_script() {
		wp_register_script( 'oncloudwine-status-panel', false, array(), OCW_VERSION, true );
		wp_enqueue_script( 'oncloudwine-status-panel' );
		wp_add_inline_script( 'oncloudwine-status-panel', self::script() );
		wp_register_style( 'oncloudwine-status-panel', false, array(), OCW_VERSION );
		wp_enqueue_style( 'oncloudwine-status-panel' );
		wp_add_inline_style( 'oncloudwine-status-panel', self::style() );
	}

	/**
	 * The screen's style. WooCommerce 10's admin layout keeps a fixed, empty footer bar
	 * (`.woocommerce-layout__footer`: 1 px, border-top and a shadow) at the bottom of the
	 * window; on this long screen it drew a line with a shadow through whatever field sat
	 * there, which read as the end of a card with the buttons and panel outside it. Only
	 * its line and shadow go, on this screen only (the style is printed with the panel).
	 *
	 * @return string
	 */
	public static function style() {
		return 'body.woocommerce_page_wc-settings .woocommerce-layout__footer{border-top:0;box-shadow:none}'
			. '.oncloudwine-status progress{width:12em;vertical-align:middle}'
			. '.oncloudwine-status .oncloudwine-error{color:#b32d2e}'
			. '.oncloudwine-status .oncloudwine-jobs td{vertical-align:middle}';
	}

	/**
	 * The refresh script.
	 *
	 * @return string
	 */
	public static function script() {
		return <<<'JS'
(function () {
	var panel = document.getElementById('oncloudwine-status');
	if (!panel || !window.fetch || !window.URLSearchParams) {
		return;
	}
	var failures = 0;
	function schedule() {
		if (panel.getAttribute('data-running') === '1') {
			window.setTimeout(refresh, parseInt(panel.getAttribute('data-refresh-ms'), 10) || 1000);
		}
	}
	function refresh() {
		var body = new URLSearchParams();
		body.append('action', 'oncloudwine_status');
		body.append('nonce', panel.getAttribute('data-nonce'));
		window.fetch(panel.getAttribute('data-refresh-url'), { method: 'POST', credentials: 'same-origin', body: body })
			.then(function (response) { return response.json(); })
			.then(function (answer) {
				if (!answer || !answer.success || !answer.data || typeof answer.data.html !== 'string') {
					throw new Error('refused');
				}
				var holder = document.createElement('div');
				holder.innerHTML = answer.data.html;
				var fresh = holder.querySelector('#oncloudwine-status');
				if (fresh) {
					panel.parentNode.replaceChild(fresh, panel);
					panel = fresh;
				}
				failures = 0;
				schedule();
			})
			.catch(function () {
				failures++;
				if (failures < 5) {
					window.setTimeout(refresh, 5000);
				}
			});
	}
	schedule();
})();
JS;
	}

	/**
	 * Whether the snapshot shows a job queued or running.
	 *
	 * @param array $snapshot From snapshot().
	 * @return bool
	 */
	public static function has_active_job( array $snapshot ) {
		$jobs = isset( $snapshot['status']['jobs'] ) && is_array( $snapshot['status']['jobs'] ) ? $snapshot['status']['jobs'] : array();
		foreach ( $jobs as $job ) {
			if ( is_array( $job ) && isset( $job['state'] ) && in_array( $job['state'], array( 'queued', 'running' ), true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Gathers what the panel shows. A sidecar that does not answer costs one short
	 * timeout: the other calls are skipped.
	 *
	 * @return array
	 */
	public function snapshot() {
		$snapshot = array(
			'reachable' => false,
			'error'     => null,
			'status'    => null,
			'failed'    => array(),
			'activity'  => array(),
			'webhooks'  => array(),
		);
		$status   = $this->client->status();
		$statuses = $this->webhooks->statuses();
		if ( $status['ok'] && in_array( 'disabled', $statuses, true ) ) {
			$this->webhooks->repair();
			$statuses = $this->webhooks->statuses();
		}
		$snapshot['webhooks'] = $statuses;
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
		printf(
			'<div class="oncloudwine-status" id="oncloudwine-status" data-refresh-url="%1$s" data-nonce="%2$s" data-running="%3$s" data-refresh-ms="%4$d">',
			esc_url( admin_url( 'admin-ajax.php' ) ),
			esc_attr( wp_create_nonce( self::AJAX_ACTION ) ),
			self::has_active_job( $snapshot ) ? '1' : '0',
			(int) self::REFRESH_MS
		);
		echo '<h2>' . esc_html__( 'Status', 'oncloudwine-for-woocommerce' ) . '</h2>';

		if ( ! $snapshot['reachable'] ) {
			$this->render_error( is_array( $snapshot['error'] ) ? $snapshot['error'] : array() );
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
	 * Why the sidecar's status could not be read: unreachable (the store keeps working and
	 * catches up), a secret it refuses (nothing is synced until it matches), or another
	 * answer.
	 *
	 * @param array $error Error: code, message, fix.
	 */
	private function render_error( array $error ) {
		$code = isset( $error['code'] ) ? (string) $error['code'] : '';
		if ( 'sidecar_unreachable' === $code ) {
			$title = __( 'Sidecar unreachable.', 'oncloudwine-for-woocommerce' );
			// The fix already says that changes are caught up: no second promise.
			$after = __( 'The store keeps working meanwhile.', 'oncloudwine-for-woocommerce' );
		} elseif ( 'wrong_secret' === $code ) {
			$title = __( 'Wrong shared secret.', 'oncloudwine-for-woocommerce' );
			$after = __( 'Nothing reaches OnCloudWine until the secrets match: no webhook is created or repaired with a secret the sidecar refuses.', 'oncloudwine-for-woocommerce' );
		} else {
			$title = __( 'The sidecar answered with an error.', 'oncloudwine-for-woocommerce' );
			$after = '';
		}
		echo '<div class="notice notice-error inline oncloudwine-error-' . esc_attr( '' !== $code ? $code : 'other' ) . '"><p><strong>' . esc_html( $title ) . '</strong> ';
		echo esc_html( isset( $error['message'] ) ? (string) $error['message'] : '' );
		if ( ! empty( $error['fix'] ) ) {
			echo ' <strong>' . esc_html__( 'Fix:', 'oncloudwine-for-woocommerce' ) . '</strong> ' . esc_html( (string) $error['fix'] );
		}
		echo '</p>';
		if ( '' !== $after ) {
			echo '<p>' . esc_html( $after ) . '</p>';
		}
		echo '</div>';
	}

	/**
	 * A time from the sidecar (RFC 3339, UTC) in the site's date and time format and
	 * time zone; the raw text when it cannot be read.
	 *
	 * @param string $at Time.
	 * @return string
	 */
	public static function format_time( $at ) {
		$timestamp = strtotime( (string) $at );
		if ( false === $timestamp ) {
			return (string) $at;
		}
		return (string) wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $timestamp );
	}

	/**
	 * The last failed connection attempt the sidecar reports (`last_attempt`: at, error,
	 * fix), which left the working connection in force.
	 *
	 * @param array $status Sidecar status.
	 */
	private function render_last_attempt( array $status ) {
		$attempt = null;
		if ( isset( $status['connection']['last_attempt'] ) && is_array( $status['connection']['last_attempt'] ) ) {
			$attempt = $status['connection']['last_attempt'];
		} elseif ( isset( $status['last_attempt'] ) && is_array( $status['last_attempt'] ) ) {
			$attempt = $status['last_attempt'];
		}
		if ( null === $attempt || empty( $attempt['error'] ) ) {
			return;
		}
		$error = $attempt['error'];
		$fix   = isset( $attempt['fix'] ) ? (string) $attempt['fix'] : '';
		if ( is_array( $error ) ) {
			$fix   = '' === $fix && isset( $error['fix'] ) ? (string) $error['fix'] : $fix;
			$error = isset( $error['message'] ) ? (string) $error['message'] : '';
		}
		echo '<div class="notice notice-warning inline oncloudwine-last-attempt"><p><strong>' . esc_html__( 'Last connection attempt failed', 'oncloudwine-for-woocommerce' ) . '</strong>';
		if ( ! empty( $attempt['at'] ) ) {
			echo ' (' . esc_html( self::format_time( (string) $attempt['at'] ) ) . ')';
		}
		echo ': ' . esc_html( (string) $error );
		if ( '' !== $fix ) {
			echo ' <strong>' . esc_html__( 'Fix:', 'oncloudwine-for-woocommerce' ) . '</strong> ' . esc_html( $fix );
		}
		echo '<br>' . esc_html__( 'The connection that worked before stays in use.', 'oncloudwine-for-woocommerce' ) . '</p></div>';
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
		$this->render_last_attempt( $status );
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
		echo '<h3>' . esc_html__( 'Jobs', 'oncloudwine-for-woocommerce' ) . '</h3><table class="widefat striped oncloudwine-jobs"><tbody>';
		foreach ( $jobs as $type => $job ) {
			if ( ! is_array( $job ) ) {
				continue;
			}
			$done   = isset( $job['progress']['done'] ) ? (int) $job['progress']['done'] : 0;
			$total  = isset( $job['progress']['total'] ) ? (int) $job['progress']['total'] : 0;
			$state  = isset( $job['state'] ) ? (string) $job['state'] : '';
			$active = in_array( $state, array( 'queued', 'running' ), true );
			echo '<tr class="oncloudwine-job oncloudwine-job-' . esc_attr( $state ) . '"><td>' . esc_html( (string) $type ) . '</td><td>' . esc_html( $state ) . '</td><td>';
			if ( $total > 0 ) {
				echo '<progress max="' . esc_attr( (string) $total ) . '" value="' . esc_attr( (string) min( $done, $total ) ) . '"></progress> ';
				echo esc_html( number_format_i18n( $done ) . ' / ' . number_format_i18n( $total ) );
			} elseif ( $active ) {
				// Total not known yet: an indeterminate bar.
				echo '<progress></progress> ' . esc_html__( 'counting…', 'oncloudwine-for-woocommerce' );
			} else {
				echo esc_html( number_format_i18n( $done ) );
			}
			if ( ! empty( $job['finished_at'] ) ) {
				/* translators: %s: date and time */
				echo ' — ' . esc_html( sprintf( __( 'ended %s', 'oncloudwine-for-woocommerce' ), self::format_time( (string) $job['finished_at'] ) ) );
			}
			if ( ! empty( $job['error'] ) ) {
				echo ' — <span class="oncloudwine-error">' . esc_html( (string) $job['error'] ) . '</span>';
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
			echo '<li title="' . esc_attr( $error ) . '"><code>' . esc_html( isset( $item['key'] ) ? (string) $item['key'] : '' ) . '</code> ' . esc_html( $label ) . ' — <span class="oncloudwine-error">' . esc_html( $error ) . '</span>';
			$product = ! empty( $item['woo_parent_id'] ) ? (int) $item['woo_parent_id'] : ( ! empty( $item['woo_id'] ) ? (int) $item['woo_id'] : 0 );
			if ( $product > 0 ) {
				echo ' <a href="' . esc_url( admin_url( 'post.php?post=' . $product . '&action=edit' ) ) . '">' . esc_html__( 'Edit in WooCommerce', 'oncloudwine-for-woocommerce' ) . '</a>';
			}
			echo '</li>';
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
			echo '<li><time datetime="' . esc_attr( isset( $entry['at'] ) ? (string) $entry['at'] : '' ) . '">' . esc_html( isset( $entry['at'] ) ? self::format_time( (string) $entry['at'] ) : '' ) . '</time> [' . esc_html( isset( $entry['level'] ) ? (string) $entry['level'] : '' ) . '] ' . esc_html( isset( $entry['message'] ) ? (string) $entry['message'] : '' ) . '</li>';
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
