<?php
/**
 * A scene-driven stand-in for the sidecar's admin API, for scripts/e2e/screenshots.sh:
 * `php -S 127.0.0.1:PORT screenshots-sidecar.php`, with OCW_SCENE_FILE naming a file that
 * holds the scene (idle, running, done, failed, wrong_secret) and OCW_FAKE_SECRET the
 * bearer secret. It answers the routes the plugin's settings screen calls, in the shapes
 * of sidecar/internal/httpapi (status, items, activity, settings, connection, jobs,
 * reconcile, the webhook ping). "Sidecar down" is this process stopped.
 *
 * @package OnCloudWine\Scripts
 */

// phpcs:disable WordPress.Security, WordPress.WP.AlternativeFunctions, WordPress.DateTime -- a stand-alone test server, not WordPress code.

$ocw_path   = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$ocw_method = $_SERVER['REQUEST_METHOD'];
$ocw_secret = (string) getenv( 'OCW_FAKE_SECRET' );
$ocw_auth   = isset( $_SERVER['HTTP_AUTHORIZATION'] ) ? $_SERVER['HTTP_AUTHORIZATION'] : '';
$ocw_scene  = trim( (string) @file_get_contents( (string) getenv( 'OCW_SCENE_FILE' ) ) );
$ocw_now    = time();

/**
 * Answers JSON and ends.
 *
 * @param int   $code HTTP status.
 * @param mixed $body Body.
 */
function ocw_answer( $code, $body ) {
	http_response_code( $code );
	header( 'Content-Type: application/json' );
	echo json_encode( $body );
	exit;
}

/**
 * An RFC 3339 UTC time with nanoseconds, as the sidecar writes them.
 *
 * @param int $t Unix time.
 * @return string
 */
function ocw_at( $t ) {
	return gmdate( 'Y-m-d\TH:i:s', $t ) . '.80067932Z';
}

if ( 'POST' === $ocw_method && '/v1/webhooks/woocommerce' === $ocw_path ) {
	// Each delivery as one JSON line (topic, body) in OCW_DELIVERY_LOG, for the block-checkout check.
	$ocw_log = (string) getenv( 'OCW_DELIVERY_LOG' );
	if ( '' !== $ocw_log && isset( $_SERVER['HTTP_X_WC_WEBHOOK_TOPIC'] ) ) {
		file_put_contents(
			$ocw_log,
			json_encode(
				array(
					'topic' => $_SERVER['HTTP_X_WC_WEBHOOK_TOPIC'],
					'body'  => json_decode( file_get_contents( 'php://input' ), true ),
				)
			) . "\n",
			FILE_APPEND | LOCK_EX
		);
	}
	http_response_code( 200 );
	exit;
}
if ( 'wrong_secret' === $ocw_scene || 'Bearer ' . $ocw_secret !== $ocw_auth ) {
	ocw_answer(
		401,
		array(
			'error' => array(
				'code'    => 'unauthorized',
				'message' => 'Missing or wrong bearer token.',
				'fix'     => 'Send Authorization: Bearer <OCW_SHARED_SECRET> (the shared secret set in the plugin).',
			),
		)
	);
}

$ocw_jobs = array();
if ( 'running' === $ocw_scene ) {
	$ocw_jobs['SYNC_WOOCOMMERCE_PRODUCTS'] = array(
		'id'         => 'job_000000000000007',
		'type'       => 'SYNC_WOOCOMMERCE_PRODUCTS',
		'state'      => 'running',
		'progress'   => array(
			'done'  => 1200,
			'total' => 5000,
		),
		'created_at' => ocw_at( $ocw_now - 3 ),
		'started_at' => ocw_at( $ocw_now - 3 ),
		'error'      => '',
	);
} elseif ( 'done' === $ocw_scene || 'failed' === $ocw_scene ) {
	$ocw_jobs['SYNC_WOOCOMMERCE_PRODUCTS'] = array(
		'id'          => 'job_000000000000007',
		'type'        => 'SYNC_WOOCOMMERCE_PRODUCTS',
		'state'       => 'done',
		'progress'    => array(
			'done'  => 5000,
			'total' => 5000,
		),
		'created_at'  => ocw_at( $ocw_now - 60 ),
		'finished_at' => ocw_at( $ocw_now - 50 ),
		'error'       => '',
	);
}
$ocw_failed = 'failed' === $ocw_scene ? 3 : 0;

switch ( $ocw_method . ' ' . $ocw_path ) {
	case 'GET /v1/status':
		ocw_answer(
			200,
			array(
				'version'    => '0.1.0',
				'connection' => array(
					'status'     => 'ACTIVE',
					'wc_version' => (string) getenv( 'OCW_FAKE_WC_VERSION' ),
				),
				'items'      => array(
					'PENDING' => 'running' === $ocw_scene ? 3800 : 0,
					'SYNCED'  => 'running' === $ocw_scene ? 1200 : 4997,
					'FAILED'  => $ocw_failed,
				),
				'jobs'       => $ocw_jobs,
			)
		);
		break;
	case 'GET /v1/items':
		$ocw_items = array();
		if ( $ocw_failed ) {
			$ocw_items = array(
				array(
					'kind'   => 'variant',
					'key'    => 'product:412',
					'status' => 'FAILED',
					'error'  => 'missing SKU — give it a SKU in WooCommerce',
					'woo_id' => 412,
					'name'   => 'Rosé de Provence 2023',
				),
				array(
					'kind'          => 'variant',
					'key'           => 'variation:977',
					'status'        => 'FAILED',
					'error'         => 'variation is Draft — publish it in WooCommerce',
					'woo_id'        => 977,
					'woo_parent_id' => 970,
					'name'          => 'Barolo 2019 — Magnum',
				),
				array(
					'kind'   => 'variant',
					'key'    => 'WINE-CAB-2021',
					'status' => 'FAILED',
					'error'  => 'SKU WINE-CAB-2021 is also used by product 388 — give each product its own SKU',
					'woo_id' => 391,
					'name'   => 'Cabernet Sauvignon 2021',
				),
			);
		}
		ocw_answer(
			200,
			array(
				'items'       => $ocw_items,
				'next_cursor' => '',
			)
		);
		break;
	case 'GET /v1/activity':
		ocw_answer(
			200,
			array(
				'entries' => array(
					array(
						'id'      => 3,
						'at'      => ocw_at( $ocw_now - 2 ),
						'level'   => 'info',
						'message' => 'running' === $ocw_scene ? 'SYNC_WOOCOMMERCE_PRODUCTS: 1,200 / 5,000 variants' : 'SYNC_WOOCOMMERCE_PRODUCTS done: 5,000 variants, 3 failed',
					),
					array(
						'id'      => 2,
						'at'      => ocw_at( $ocw_now - 70 ),
						'level'   => 'info',
						'message' => 'Stock of WINE-SYR-2020 sent: 11',
					),
					array(
						'id'      => 1,
						'at'      => ocw_at( $ocw_now - 3600 ),
						'level'   => 'info',
						'message' => 'Connected to the store (WooCommerce ' . getenv( 'OCW_FAKE_WC_VERSION' ) . ')',
					),
				),
			)
		);
		break;
	case 'GET /v1/settings':
	case 'PUT /v1/settings':
		ocw_answer(
			200,
			array(
				'mirror_release_orders' => false,
				'customer_mapping'      => 'create',
				'stock_sync_interval'   => '10m',
			)
		);
		break;
	case 'POST /v1/connection':
		ocw_answer(
			200,
			array(
				'status'     => 'ACTIVE',
				'wc_version' => (string) getenv( 'OCW_FAKE_WC_VERSION' ),
			)
		);
		break;
	case 'POST /v1/reconcile':
		if ( '' !== (string) getenv( 'OCW_RECONCILE_LOG' ) ) {
			file_put_contents( (string) getenv( 'OCW_RECONCILE_LOG' ), gmdate( 'c' ) . "\n", FILE_APPEND | LOCK_EX );
		}
		ocw_answer( 202, array( 'queued' => true ) );
		break;
}
ocw_answer(
	404,
	array(
		'error' => array(
			'code'    => 'not_found',
			'message' => 'No such route.',
			'fix'     => '',
		),
	)
);
