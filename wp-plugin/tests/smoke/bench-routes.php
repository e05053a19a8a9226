<?php
/**
 * Run by scripts/wp-smoke-bench.sh inside a real WordPress on MariaDB: seeds a large wine
 * catalog straight into the tables (N variable products × V variations, like the lab's
 * 5,000 × 4 store) and times reading all of it through the plugin's stock and catalog
 * routes (real REST server, real SQL). Prints one line per measurement.
 *
 * Expects $ocw_wp_dir; OCW_BENCH_PRODUCTS / OCW_BENCH_VARIATIONS from the environment.
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL

require $ocw_wp_dir . '/wp-load.php';

global $wpdb;
$ocw_products   = max( 1, (int) getenv( 'OCW_BENCH_PRODUCTS' ) ?: 5000 );
$ocw_variations = max( 1, (int) getenv( 'OCW_BENCH_VARIATIONS' ) ?: 4 );
$ocw_lookup     = $wpdb->prefix . 'wc_product_meta_lookup';

$wpdb->query( "DROP TABLE IF EXISTS {$ocw_lookup}" );
$wpdb->query( "CREATE TABLE {$ocw_lookup} ( product_id bigint(20) NOT NULL, sku varchar(100) NULL default '', stock_quantity double NULL default NULL, stock_status varchar(100) NULL default 'instock', PRIMARY KEY (product_id) ) {$wpdb->get_charset_collate()}" );

$ocw_t0     = microtime( true );
$ocw_now    = gmdate( 'Y-m-d H:i:s' );
$ocw_next   = (int) $wpdb->get_var( "SELECT COALESCE(MAX(ID), 0) + 1 FROM {$wpdb->posts}" );
$ocw_type   = wp_insert_term( 'variable', 'product_type' );
$ocw_tt     = is_wp_error( $ocw_type ) ? (int) $ocw_type->get_error_data() : (int) $ocw_type['term_taxonomy_id'];
$ocw_attrs  = serialize( array( 'size' => array( 'name' => 'Size', 'value' => '750ml | 1.5L | 3L | 6L', 'position' => 0, 'is_visible' => 1, 'is_variation' => 1, 'is_taxonomy' => 0 ) ) );
$ocw_sizes  = array( '750ml', '1.5L', '3L', '6L' );
$ocw_posts  = array();
$ocw_meta   = array();
$ocw_look   = array();
$ocw_rels   = array();
$ocw_flush  = static function ( $force ) use ( &$ocw_posts, &$ocw_meta, &$ocw_look, &$ocw_rels, $wpdb, $ocw_lookup ) {
	if ( $force || count( $ocw_meta ) > 5000 ) {
		if ( $ocw_posts ) {
			$wpdb->query( "INSERT INTO {$wpdb->posts} (ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, post_modified, post_modified_gmt, post_parent, post_type, to_ping, pinged, post_content_filtered, menu_order) VALUES " . implode( ',', $ocw_posts ) );
		}
		if ( $ocw_meta ) {
			$wpdb->query( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES " . implode( ',', $ocw_meta ) );
		}
		if ( $ocw_look ) {
			$wpdb->query( "INSERT INTO {$ocw_lookup} (product_id, sku, stock_quantity, stock_status) VALUES " . implode( ',', $ocw_look ) );
		}
		if ( $ocw_rels ) {
			$wpdb->query( "INSERT INTO {$wpdb->term_relationships} (object_id, term_taxonomy_id) VALUES " . implode( ',', $ocw_rels ) );
		}
		$ocw_posts = $ocw_meta = $ocw_look = $ocw_rels = array(); // phpcs:ignore Squiz.PHP.DisallowMultipleAssignments
	}
};
$ocw_id = $ocw_next;
for ( $p = 0; $p < $ocw_products; $p++ ) {
	$parent      = $ocw_id++;
	$sku         = sprintf( 'WINE-%05d', $p );
	$ocw_posts[] = $wpdb->prepare( "(%d, 1, %s, %s, '', %s, '', 'publish', %s, %s, %s, 0, 'product', '', '', '', 0)", $parent, $ocw_now, $ocw_now, 'Wine ' . $p, 'wine-' . $p, $ocw_now, $ocw_now );
	foreach ( array( '_sku' => $sku, '_manage_stock' => 'no', '_stock_status' => 'instock', '_weight' => '1.3', '_product_attributes' => $ocw_attrs, '_price' => '19.00' ) as $k => $v ) {
		$ocw_meta[] = $wpdb->prepare( '(%d, %s, %s)', $parent, $k, $v );
	}
	$ocw_look[] = $wpdb->prepare( "(%d, %s, NULL, 'instock')", $parent, $sku );
	$ocw_rels[] = $wpdb->prepare( '(%d, %d)', $parent, $ocw_tt );
	for ( $v = 0; $v < $ocw_variations; $v++ ) {
		$vid         = $ocw_id++;
		$vsku        = $sku . '-' . $v;
		$ocw_posts[] = $wpdb->prepare( "(%d, 1, %s, %s, '', %s, '', 'publish', %s, %s, %s, %d, 'product_variation', '', '', '', %d)", $vid, $ocw_now, $ocw_now, 'Wine ' . $p . ' ' . $v, 'wine-' . $p . '-' . $v, $ocw_now, $ocw_now, $parent, $v );
		foreach ( array( '_sku' => $vsku, '_price' => '19.00', '_regular_price' => '19.00', '_manage_stock' => 'yes', '_stock' => (string) ( $v * 3 ), '_stock_status' => 'instock', 'attribute_size' => $ocw_sizes[ $v % 4 ] ) as $k => $val ) {
			$ocw_meta[] = $wpdb->prepare( '(%d, %s, %s)', $vid, $k, $val );
		}
		$ocw_look[] = $wpdb->prepare( "(%d, %s, %d, 'instock')", $vid, $vsku, $v * 3 );
	}
	$ocw_flush( false );
}
$ocw_flush( true );
$ocw_rows = $ocw_id - $ocw_next;
printf( "seeded %d products × %d variations = %d rows in %.1f s\n", $ocw_products, $ocw_variations, $ocw_rows, microtime( true ) - $ocw_t0 );

OCW_Plugin::start();
$ocw_routes = new OCW_Rest_Routes( new OCW_Catalog_Query( $wpdb, array() ), new OCW_Stock_Query( $wpdb ) );
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
 * Reads a route to the end; answers items, pages, seconds and the slowest page.
 *
 * @param string $route Route.
 * @param string $key   Items key.
 * @param int    $limit Page size.
 * @return array
 */
function ocw_bench_read( $route, $key, $limit ) {
	$after = 0;
	$items = 0;
	$pages = 0;
	$worst = 0.0;
	$t0    = microtime( true );
	do {
		$request = new WP_REST_Request( 'GET', $route );
		$request->set_query_params( array( 'after_id' => $after, 'limit' => $limit ) );
		$t        = microtime( true );
		$response = rest_do_request( $request );
		$worst    = max( $worst, microtime( true ) - $t );
		if ( 200 !== $response->get_status() ) {
			fwrite( STDERR, wp_json_encode( $response->get_data() ) );
			exit( 1 );
		}
		$data   = $response->get_data();
		$items += count( $data[ $key ] );
		if ( 'products' === $key ) {
			foreach ( $data['products'] as $product ) {
				$items += count( $product['variations'] );
			}
		}
		++$pages;
		$after = $data['next_after_id'];
	} while ( null !== $after );
	return array( $items, $pages, microtime( true ) - $t0, $worst );
}

list( $items, $pages, $secs, $worst ) = ocw_bench_read( '/wc/v3/oncloudwine/stock', 'levels', 5000 );
printf( "stock route: %d levels in %d pages of 5000: %.3f s total, slowest page %.3f s\n", $items, $pages, $secs, $worst );
printf( "bench: plugin_stock_route_%dk_s %.3f s\n", (int) round( $items / 1000 ), $secs );
list( $items, $pages, $secs, $worst ) = ocw_bench_read( '/wc/v3/oncloudwine/catalog', 'products', 500 );
printf( "catalog route: %d products+variations in %d pages of 500: %.3f s total, slowest page %.3f s\n", $items, $pages, $secs, $worst );
printf( "bench: plugin_catalog_route_%dk_s %.3f s\n", (int) round( $items / 1000 ), $secs );
if ( $items < $ocw_rows ) {
	fwrite( STDERR, "catalog read $items items, seeded $ocw_rows\n" );
	exit( 1 );
}
echo "ok\n";
