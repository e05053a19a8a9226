<?php
/**
 * Run by scripts/wp-smoke.sh inside a real WordPress on MariaDB (WooCommerce absent): creates
 * WooCommerce's product lookup table and a small wine catalog, then calls the plugin's
 * catalog and stock routes through the real REST server, so their SQL runs on MariaDB and
 * WordPress validates their arguments. Prints "ok" or exits 1 with the reason.
 *
 * Expects $ocw_wp_dir (the WordPress tree) to be set by the caller.
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.WP.AlternativeFunctions

require $ocw_wp_dir . '/wp-load.php';

/**
 * Fails the check.
 *
 * @param string $why Reason.
 * @param mixed  $got What was seen.
 */
function ocw_smoke_fail( $why, $got = null ) {
	fwrite( STDERR, 'routes-on-mariadb: ' . $why . ( null === $got ? '' : ': ' . wp_json_encode( $got ) ) . "\n" );
	exit( 1 );
}

/**
 * Asserts equality.
 *
 * @param mixed  $want Expected.
 * @param mixed  $got  Actual.
 * @param string $what Label.
 */
function ocw_smoke_same( $want, $got, $what ) {
	if ( $want !== $got ) {
		ocw_smoke_fail( $what . ' — want ' . wp_json_encode( $want ) . ', got', $got );
	}
}

global $wpdb;
$ocw_lookup = $wpdb->prefix . 'wc_product_meta_lookup';
$wpdb->query( "DROP TABLE IF EXISTS {$ocw_lookup}" );
$wpdb->query(
	"CREATE TABLE {$ocw_lookup} (
	`product_id` bigint(20) NOT NULL,
	`sku` varchar(100) NULL default '',
	`virtual` tinyint(1) NULL default 0,
	`downloadable` tinyint(1) NULL default 0,
	`min_price` decimal(19,4) NULL default NULL,
	`max_price` decimal(19,4) NULL default NULL,
	`onsale` tinyint(1) NULL default 0,
	`stock_quantity` double NULL default NULL,
	`stock_status` varchar(100) NULL default 'instock',
	`rating_count` bigint(20) NULL default 0,
	`average_rating` decimal(3,2) NULL default 0.00,
	`total_sales` bigint(20) NULL default 0,
	`tax_status` varchar(100) NULL default 'taxable',
	`tax_class` varchar(100) NULL default '',
	PRIMARY KEY (`product_id`)
	) {$wpdb->get_charset_collate()}"
) || ocw_smoke_fail( 'cannot create the lookup table', $wpdb->last_error );

register_taxonomy( 'product_type', array( 'product' ) );
register_taxonomy( 'pa_size', array( 'product' ) );

/**
 * Creates a product or variation with its meta and lookup row.
 *
 * @param array $p Fields: type, title, status, parent, meta, lookup (sku, qty, status), product_type, sizes.
 * @return int
 */
function ocw_smoke_product( array $p ) {
	global $wpdb;
	$id = wp_insert_post(
		array(
			'post_type'   => $p['type'],
			'post_title'  => $p['title'],
			'post_status' => $p['status'],
			'post_parent' => isset( $p['parent'] ) ? $p['parent'] : 0,
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		ocw_smoke_fail( 'wp_insert_post', $id->get_error_message() );
	}
	foreach ( $p['meta'] as $key => $value ) {
		update_post_meta( $id, $key, $value );
	}
	if ( isset( $p['product_type'] ) ) {
		wp_set_object_terms( $id, $p['product_type'], 'product_type' );
	}
	if ( isset( $p['sizes'] ) ) {
		wp_set_object_terms( $id, $p['sizes'], 'pa_size' );
	}
	$wpdb->insert(
		$wpdb->prefix . 'wc_product_meta_lookup',
		array(
			'product_id'     => $id,
			'sku'            => $p['lookup'][0],
			'stock_quantity' => $p['lookup'][1],
			'stock_status'   => $p['lookup'][2],
		)
	);
	return $id;
}

$ocw_simple   = ocw_smoke_product(
	array(
		'type'         => 'product',
		'title'        => 'Pinot Noir 2022',
		'status'       => 'publish',
		'product_type' => 'simple',
		'meta'         => array( '_sku' => 'WINE-PIN-2022-750', '_price' => '30.50', '_regular_price' => '30.50', '_sale_price' => '', '_weight' => '1.3', '_manage_stock' => 'yes', '_stock' => '24', '_stock_status' => 'instock' ),
		'lookup'       => array( 'WINE-PIN-2022-750', 24, 'instock' ),
	)
);
$ocw_variable = ocw_smoke_product(
	array(
		'type'         => 'product',
		'title'        => 'Cabernet Reserve',
		'status'       => 'publish',
		'product_type' => 'variable',
		'sizes'        => array( '750ml', '1.5L' ),
		'meta'         => array(
			'_sku'                => 'WINE-CABR',
			'_weight'             => '1.4',
			'_manage_stock'       => 'yes',
			'_stock'              => '7',
			'_stock_status'       => 'instock',
			'_product_attributes' => array(
				'pa_size' => array( 'name' => 'pa_size', 'value' => '', 'position' => 0, 'is_visible' => 1, 'is_variation' => 1, 'is_taxonomy' => 1 ),
			),
		),
		'lookup'       => array( 'WINE-CABR', 7, 'instock' ),
	)
);
add_post_meta( $ocw_variable, '_price', '45.00' );
add_post_meta( $ocw_variable, '_price', '80.00' );
$ocw_own    = ocw_smoke_product(
	array(
		'type'   => 'product_variation',
		'title'  => 'Cabernet Reserve 750ml',
		'status' => 'publish',
		'parent' => $ocw_variable,
		'meta'   => array( '_sku' => 'WINE-CABR-2021-750', '_price' => '45.00', '_regular_price' => '45.00', '_weight' => '1.3', '_manage_stock' => 'yes', '_stock' => '12', '_stock_status' => 'instock', 'attribute_pa_size' => '750ml' ),
		'lookup' => array( 'WINE-CABR-2021-750', 12, 'instock' ),
	)
);
$ocw_parent = ocw_smoke_product(
	array(
		'type'   => 'product_variation',
		'title'  => 'Cabernet Reserve 1.5L',
		'status' => 'private',
		'parent' => $ocw_variable,
		'meta'   => array( '_sku' => '', '_price' => '80.00', '_regular_price' => '80.00', '_weight' => '', '_manage_stock' => 'no', '_stock_status' => 'instock', 'attribute_pa_size' => '1-5l' ),
		'lookup' => array( '', null, 'instock' ),
	)
);
$ocw_trashed = ocw_smoke_product(
	array(
		'type'         => 'product',
		'title'        => 'Trashed',
		'status'       => 'trash',
		'product_type' => 'simple',
		'meta'         => array( '_sku' => 'TRASHED' ),
		'lookup'       => array( 'TRASHED', null, 'instock' ),
	)
);

$ocw_trashed_parent = ocw_smoke_product(
	array(
		'type'         => 'product',
		'title'        => 'Trashed variable',
		'status'       => 'trash',
		'product_type' => 'variable',
		'meta'         => array( '_sku' => 'TRASHED-VAR' ),
		'lookup'       => array( 'TRASHED-VAR', null, 'instock' ),
	)
);
ocw_smoke_product(
	array(
		'type'   => 'product_variation',
		'title'  => 'Variation of a trashed product',
		'status' => 'publish',
		'parent' => $ocw_trashed_parent,
		'meta'   => array( '_sku' => 'ORPHAN-750', '_manage_stock' => 'yes', '_stock' => '5' ),
		'lookup' => array( 'ORPHAN-750', 5, 'instock' ),
	)
);

// The routes, as the plugin registers them; the current user manages WooCommerce.
OCW_Plugin::start();
$ocw_routes = new OCW_Rest_Routes( new OCW_Catalog_Query( $wpdb, array( 'pa_size' => array( 'id' => 1, 'label' => 'Size' ) ) ), new OCW_Stock_Query( $wpdb ) );
add_action( 'rest_api_init', array( $ocw_routes, 'register_routes' ) );
add_filter(
	'user_has_cap',
	static function ( $caps ) {
		$caps['manage_woocommerce'] = true;
		return $caps;
	}
);
wp_set_current_user( 1 );

/**
 * A post's post_modified_gmt as the routes answer it.
 *
 * @param int $id Post id.
 * @return string
 */
function ocw_smoke_modified( $id ) {
	return str_replace( ' ', 'T', (string) get_post_field( 'post_modified_gmt', $id ) );
}

/**
 * One GET through the REST server.
 *
 * @param string $route Route.
 * @param array  $query Query.
 * @return WP_REST_Response
 */
function ocw_smoke_get( $route, array $query ) {
	$request = new WP_REST_Request( 'GET', $route );
	$request->set_query_params( $query );
	return rest_do_request( $request );
}

// Stock: every product and variation but the trashed one, by id, one page then the next.
$ocw_page = ocw_smoke_get( '/wc/v3/oncloudwine/stock', array( 'after_id' => 0, 'limit' => 3 ) );
ocw_smoke_same( 200, $ocw_page->get_status(), 'stock status' );
$ocw_data = $ocw_page->get_data();
ocw_smoke_same( array( $ocw_simple, $ocw_variable, $ocw_own ), array_column( $ocw_data['levels'], 'id' ), 'stock page 1 ids' );
ocw_smoke_same( $ocw_own, $ocw_data['next_after_id'], 'stock next_after_id' );
ocw_smoke_same(
	array( 'id' => $ocw_simple, 'parent_id' => 0, 'sku' => 'WINE-PIN-2022-750', 'manage_stock' => true, 'stock_quantity' => 24, 'stock_status' => 'instock', 'date_modified_gmt' => ocw_smoke_modified( $ocw_simple ) ),
	$ocw_data['levels'][0],
	'stock simple'
);
$ocw_data = ocw_smoke_get( '/wc/v3/oncloudwine/stock', array( 'after_id' => $ocw_own, 'limit' => 3 ) )->get_data();
ocw_smoke_same(
	array(
		array( 'id' => $ocw_parent, 'parent_id' => $ocw_variable, 'sku' => 'WINE-CABR', 'manage_stock' => 'parent', 'stock_quantity' => 7, 'stock_status' => 'instock', 'date_modified_gmt' => ocw_smoke_modified( $ocw_parent ) ),
	),
	$ocw_data['levels'],
	'stock page 2 (parent-managed variation, parent SKU; trashed product and its variation left out)'
);
ocw_smoke_same( null, $ocw_data['next_after_id'], 'stock last page' );

// Limits are validated by WordPress: 400 rest_invalid_param.
$ocw_bad = ocw_smoke_get( '/wc/v3/oncloudwine/stock', array( 'limit' => 5001 ) );
ocw_smoke_same( 400, $ocw_bad->get_status(), 'stock limit 5001' );
ocw_smoke_same( 'rest_invalid_param', $ocw_bad->get_data()['code'], 'stock limit 5001 code' );
ocw_smoke_same( 400, ocw_smoke_get( '/wc/v3/oncloudwine/catalog', array( 'limit' => 501 ) )->get_status(), 'catalog limit 501' );

// Catalog: variations inline, REST types.
$ocw_page = ocw_smoke_get( '/wc/v3/oncloudwine/catalog', array( 'after_id' => 0, 'limit' => 1 ) );
ocw_smoke_same( 200, $ocw_page->get_status(), 'catalog status' );
ocw_smoke_same( '2', (string) $ocw_page->get_headers()['X-WP-Total'], 'catalog X-WP-Total' );
$ocw_data = $ocw_page->get_data();
ocw_smoke_same( $ocw_simple, $ocw_data['next_after_id'], 'catalog next_after_id' );
ocw_smoke_same( 'simple', $ocw_data['products'][0]['type'], 'catalog simple type' );
ocw_smoke_same( 24, $ocw_data['products'][0]['stock_quantity'], 'catalog simple stock' );
$ocw_data = ocw_smoke_get( '/wc/v3/oncloudwine/catalog', array( 'after_id' => $ocw_simple ) )->get_data();
ocw_smoke_same( null, $ocw_data['next_after_id'], 'catalog last page' );
$ocw_cab = $ocw_data['products'][0];
ocw_smoke_same( 'variable', $ocw_cab['type'], 'variable type' );
ocw_smoke_same( '45.00', $ocw_cab['price'], 'variable price' );
ocw_smoke_same( array( $ocw_own, $ocw_parent ), array_column( $ocw_cab['variations'], 'id' ), 'variations inline' );
ocw_smoke_same( 'parent', $ocw_cab['variations'][1]['manage_stock'], 'variation manage_stock parent' );
ocw_smoke_same( 7, $ocw_cab['variations'][1]['stock_quantity'], 'variation parent quantity' );
ocw_smoke_same( 'WINE-CABR', $ocw_cab['variations'][1]['sku'], 'variation parent SKU' );
ocw_smoke_same( '1.4', $ocw_cab['variations'][1]['weight'], 'variation parent weight' );
ocw_smoke_same( 'private', $ocw_cab['variations'][1]['status'], 'private variation listed' );
ocw_smoke_same( array( array( 'id' => 1, 'name' => 'Size', 'slug' => 'pa_size', 'option' => '1.5L' ) ), $ocw_cab['variations'][1]['attributes'], 'variation attribute' );

// SQL injection through the cursor, on the real database: the query classes take the
// integer prefix only. Unbound, "ID > $simple OR 1=1" would list every post of the site
// (pages, trashed products) and "p.ID > ... OR 1=1" every lookup row.
$ocw_hostile = $ocw_simple . ' OR 1=1';
ocw_smoke_same(
	array( $ocw_variable ),
	array_column( ( new OCW_Catalog_Query( $wpdb, array() ) )->page( $ocw_hostile, 100 )['products'], 'id' ),
	'catalog after_id "' . $ocw_hostile . '"'
);
ocw_smoke_same(
	array( $ocw_variable, $ocw_own, $ocw_parent ),
	array_column( ( new OCW_Stock_Query( $wpdb ) )->page( $ocw_hostile, 100 )['levels'], 'id' ),
	'stock after_id "' . $ocw_hostile . '"'
);
ocw_smoke_same( '', $wpdb->last_error, 'SQL error after a hostile after_id' );
// Through the REST server WordPress refuses it before the query runs.
ocw_smoke_same( 400, ocw_smoke_get( '/wc/v3/oncloudwine/catalog', array( 'after_id' => '1 OR 1=1' ) )->get_status(), 'catalog REST after_id "1 OR 1=1"' );
ocw_smoke_same( 400, ocw_smoke_get( '/wc/v3/oncloudwine/stock', array( 'after_id' => '1 OR 1=1' ) )->get_status(), 'stock REST after_id "1 OR 1=1"' );

// Without manage_woocommerce: refused.
remove_all_filters( 'user_has_cap' );
wp_set_current_user( 0 );
ocw_smoke_same( 401, ocw_smoke_get( '/wc/v3/oncloudwine/stock', array() )->get_status(), 'anonymous stock' );

$wpdb->query( "DROP TABLE IF EXISTS {$ocw_lookup}" );
echo "ok\n";
