<?php
/**
 * The catalog route: batched queries, variations inline, keyset paging.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Shape of docs/plugin-routes.md and paging.
 */
class CatalogRouteTest extends OCW_Test_Case {

	/**
	 * A database holding the example of docs/plugin-routes.md.
	 *
	 * @return OCW_Test_Wpdb
	 */
	private function example_db() {
		$db         = new OCW_Test_Wpdb();
		$meta       = array(
			13 => array(
				'_sku'                => 'WINE-PIN-2022-750',
				'_price'              => '30.50',
				'_regular_price'      => '30.50',
				'_sale_price'         => '',
				'_weight'             => '1.3',
				'_manage_stock'       => 'yes',
				'_stock'              => '24',
				'_stock_status'       => 'instock',
				'_product_attributes' => serialize(
					array(
						'pa_vintage' => array( 'name' => 'pa_vintage', 'value' => '', 'position' => 0, 'is_visible' => 1, 'is_variation' => 0, 'is_taxonomy' => 1 ),
					)
				),
			),
			40 => array(
				'_sku'                => 'WINE-CABR',
				'_regular_price'      => '',
				'_sale_price'         => '',
				'_weight'             => '',
				'_manage_stock'       => 'no',
				'_stock'              => '',
				'_stock_status'       => 'instock',
				'_product_attributes' => serialize(
					array(
						'pa_size'  => array( 'name' => 'pa_size', 'value' => '', 'position' => 0, 'is_visible' => 1, 'is_variation' => 1, 'is_taxonomy' => 1 ),
						'closure'  => array( 'name' => 'Closure', 'value' => 'Cork | Screw cap', 'position' => 1, 'is_visible' => 1, 'is_variation' => 0, 'is_taxonomy' => 0 ),
					)
				),
			),
			41 => array(
				'_sku'                => 'WINE-CABR-2021-750',
				'_price'              => '45.00',
				'_regular_price'      => '45.00',
				'_sale_price'         => '',
				'_weight'             => '1.3',
				'_manage_stock'       => 'yes',
				'_stock'              => '12',
				'_stock_status'       => 'instock',
				'attribute_pa_size'   => '750ml',
			),
			42 => array(
				'_sku'                => '',
				'_price'              => '80.00',
				'_regular_price'      => '80.00',
				'_sale_price'         => '',
				'_weight'             => '',
				'_manage_stock'       => 'no',
				'_stock_status'       => 'outofstock',
				'attribute_pa_size'   => '1-5l',
			),
		);
		$db->answer = static function ( $sql ) use ( $meta ) {
			if ( false !== strpos( $sql, 'COUNT(*)' ) ) {
				return '2';
			}
			if ( false !== strpos( $sql, "post_type = 'product' " ) ) {
				return array(
					array( 'ID' => '13', 'post_title' => 'Pinot Noir 2022', 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 02:01:14' ),
					array( 'ID' => '40', 'post_title' => 'Cabernet Reserve', 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 02:01:14' ),
				);
			}
			if ( false !== strpos( $sql, "post_type = 'product_variation'" ) ) {
				return array(
					array( 'ID' => '41', 'post_parent' => '40', 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 02:01:14' ),
					array( 'ID' => '42', 'post_parent' => '40', 'post_status' => 'private', 'post_modified_gmt' => '0000-00-00 00:00:00' ),
				);
			}
			if ( false !== strpos( $sql, 'FROM wp_postmeta' ) ) {
				$rows = array();
				foreach ( $meta as $id => $values ) {
					foreach ( $values as $key => $value ) {
						$rows[] = array( 'post_id' => (string) $id, 'meta_key' => $key, 'meta_value' => $value );
					}
				}
				// A variable product holds one _price row per distinct child price.
				$rows[] = array( 'post_id' => '40', 'meta_key' => '_price', 'meta_value' => '80.00' );
				$rows[] = array( 'post_id' => '40', 'meta_key' => '_price', 'meta_value' => '45.00' );
				return $rows;
			}
			if ( false !== strpos( $sql, 'FROM wp_term_relationships' ) ) {
				return array(
					array( 'object_id' => '13', 'taxonomy' => 'product_type', 'name' => 'simple', 'slug' => 'simple' ),
					array( 'object_id' => '13', 'taxonomy' => 'pa_vintage', 'name' => '2022', 'slug' => '2022' ),
					array( 'object_id' => '40', 'taxonomy' => 'product_type', 'name' => 'variable', 'slug' => 'variable' ),
					array( 'object_id' => '40', 'taxonomy' => 'pa_size', 'name' => '750ml', 'slug' => '750ml' ),
					array( 'object_id' => '40', 'taxonomy' => 'pa_size', 'name' => '1.5L', 'slug' => '1-5l' ),
				);
			}
			return array();
		};
		return $db;
	}

	/**
	 * The page matches the documented JSON, field for field and type for type.
	 */
	public function test_page_shape() {
		$db   = $this->example_db();
		$page = ( new OCW_Catalog_Query( $db ) )->page( 0, 500 );
		$this->assertNull( $page['next_after_id'] );
		$this->assertCount( 2, $page['products'] );
		$this->assertSame(
			array(
				'id'                => 13,
				'name'              => 'Pinot Noir 2022',
				'type'              => 'simple',
				'status'            => 'publish',
				'sku'               => 'WINE-PIN-2022-750',
				'price'             => '30.50',
				'regular_price'     => '30.50',
				'sale_price'        => '',
				'weight'            => '1.3',
				'manage_stock'      => true,
				'stock_quantity'    => 24,
				'stock_status'      => 'instock',
				'date_modified_gmt' => '2026-11-27T02:01:14',
				'attributes'        => array(
					array( 'id' => 2, 'name' => 'Vintage', 'slug' => 'pa_vintage', 'variation' => false, 'options' => array( '2022' ) ),
				),
				'variations'        => array(),
			),
			$page['products'][0]
		);
		$variable = $page['products'][1];
		$this->assertSame( 'variable', $variable['type'] );
		$this->assertSame( '45.00', $variable['price'], 'a variable product shows its lowest variation price' );
		$this->assertFalse( $variable['manage_stock'] );
		$this->assertNull( $variable['stock_quantity'] );
		$this->assertSame(
			array(
				array( 'id' => 1, 'name' => 'Size', 'slug' => 'pa_size', 'variation' => true, 'options' => array( '750ml', '1.5L' ) ),
				array( 'id' => 0, 'name' => 'Closure', 'slug' => 'closure', 'variation' => false, 'options' => array( 'Cork', 'Screw cap' ) ),
			),
			$variable['attributes']
		);
		$this->assertSame(
			array(
				'id'                => 41,
				'parent_id'         => 40,
				'sku'               => 'WINE-CABR-2021-750',
				'status'            => 'publish',
				'price'             => '45.00',
				'regular_price'     => '45.00',
				'sale_price'        => '',
				'weight'            => '1.3',
				'manage_stock'      => true,
				'stock_quantity'    => 12,
				'stock_status'      => 'instock',
				'date_modified_gmt' => '2026-11-27T02:01:14',
				'attributes'        => array( array( 'id' => 1, 'name' => 'Size', 'slug' => 'pa_size', 'option' => '750ml' ) ),
			),
			$variable['variations'][0]
		);
		$second = $variable['variations'][1];
		$this->assertSame( 'WINE-CABR', $second['sku'], 'no own SKU: the parent\'s' );
		$this->assertSame( 'private', $second['status'] );
		$this->assertFalse( $second['manage_stock'] );
		$this->assertNull( $second['date_modified_gmt'] );
		$this->assertSame( '1.5L', $second['attributes'][0]['option'] );
	}

	/**
	 * A page costs a fixed number of queries, whatever its size (no object per row).
	 */
	public function test_batched_queries() {
		$db = $this->example_db();
		( new OCW_Catalog_Query( $db ) )->page( 0, 500 );
		$this->assertCount( 4, $db->queries );
	}

	/**
	 * A variation whose parent manages stock reports "parent" and the parent's quantity.
	 */
	public function test_parent_managed_stock() {
		$db         = new OCW_Test_Wpdb();
		$db->answer = static function ( $sql ) {
			if ( false !== strpos( $sql, "post_type = 'product' " ) ) {
				return array( array( 'ID' => '96', 'post_title' => 'Rioja', 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 01:54:30' ) );
			}
			if ( false !== strpos( $sql, "post_type = 'product_variation'" ) ) {
				return array( array( 'ID' => '102', 'post_parent' => '96', 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 01:54:30' ) );
			}
			if ( false !== strpos( $sql, 'FROM wp_postmeta' ) ) {
				return array(
					array( 'post_id' => '96', 'meta_key' => '_manage_stock', 'meta_value' => 'yes' ),
					array( 'post_id' => '96', 'meta_key' => '_stock', 'meta_value' => '60' ),
					array( 'post_id' => '96', 'meta_key' => '_weight', 'meta_value' => '2.70' ),
					array( 'post_id' => '102', 'meta_key' => '_manage_stock', 'meta_value' => 'no' ),
					array( 'post_id' => '102', 'meta_key' => '_weight', 'meta_value' => '' ),
				);
			}
			return array();
		};
		$page       = ( new OCW_Catalog_Query( $db, array() ) )->page( 0, 10 );
		$variation  = $page['products'][0]['variations'][0];
		$this->assertSame( 'parent', $variation['manage_stock'] );
		$this->assertSame( 60, $variation['stock_quantity'] );
		$this->assertSame( '2.70', $variation['weight'], 'no own weight: the parent\'s' );
	}

	/**
	 * Paging cases: ids, after_id, limit → ids on the page, next_after_id, SQL limit.
	 *
	 * @return array
	 */
	public function pages() {
		$ids = range( 10, 19 );
		return array(
			'first page'            => array( $ids, 0, 4, array( 10, 11, 12, 13 ), 13, 5 ),
			'next page'             => array( $ids, 13, 4, array( 14, 15, 16, 17 ), 17, 5 ),
			'last page'             => array( $ids, 17, 4, array( 18, 19 ), null, 5 ),
			'past the end'          => array( $ids, 19, 4, array(), null, 5 ),
			'limit above 500'       => array( $ids, 0, 1000, $ids, null, 501 ),
		);
	}

	/**
	 * Keyset paging by product id.
	 *
	 * @dataProvider pages
	 * @param int[]    $table     Product ids.
	 * @param int      $after_id  Cursor.
	 * @param int      $limit     Page size.
	 * @param int[]    $want_ids  Ids on the page.
	 * @param int|null $want_next next_after_id.
	 * @param int      $sql_limit LIMIT in the SQL.
	 */
	public function test_paging( $table, $after_id, $limit, $want_ids, $want_next, $sql_limit ) {
		$db         = new OCW_Test_Wpdb();
		$db->answer = static function ( $sql ) use ( $table ) {
			if ( false === strpos( $sql, "post_type = 'product' " ) ) {
				return array();
			}
			preg_match( '/ID > (\d+)/', $sql, $after );
			preg_match( '/LIMIT (\d+)/', $sql, $limit );
			$rows = array();
			foreach ( $table as $id ) {
				if ( $id > (int) $after[1] && count( $rows ) < (int) $limit[1] ) {
					$rows[] = array( 'ID' => (string) $id, 'post_title' => 'P' . $id, 'post_status' => 'publish', 'post_modified_gmt' => '2026-11-27 00:00:00' );
				}
			}
			return $rows;
		};
		$page       = ( new OCW_Catalog_Query( $db, array() ) )->page( $after_id, $limit );
		$this->assertSame( $want_ids, array_column( $page['products'], 'id' ) );
		$this->assertSame( $want_next, $page['next_after_id'] );
		$this->assertStringContainsString( 'LIMIT ' . $sql_limit, $db->queries[0] );
		$this->assertStringContainsString( "post_status NOT IN ('trash', 'auto-draft')", $db->queries[0] );
	}

	/**
	 * The route adds X-WP-Total and hands the cursor through.
	 */
	public function test_route_handler_total_header() {
		$db       = $this->example_db();
		$routes   = new OCW_Rest_Routes( new OCW_Catalog_Query( $db ), new OCW_Stock_Query( $db ) );
		$response = $routes->get_catalog( new WP_REST_Request( array( 'after_id' => 0, 'limit' => 500 ) ) );
		$this->assertSame( '2', $response->get_headers()['X-WP-Total'] );
		$this->assertSame( array( 13, 40 ), array_column( $response->get_data()['products'], 'id' ) );
	}

	/**
	 * modified_after values: ISO 8601 date-times to GMT MySQL dates; anything else refused.
	 *
	 * @return array
	 */
	public function modified_after_values() {
		return array(
			'no zone is GMT'      => array( '2026-11-27T02:00:00', '2026-11-27 02:00:00' ),
			'Z'                   => array( '2026-11-27T02:00:00Z', '2026-11-27 02:00:00' ),
			'offset converted'    => array( '2026-11-27T03:30:00+01:30', '2026-11-27 02:00:00' ),
			'fraction dropped'    => array( '2026-11-27T02:00:00.999Z', '2026-11-27 02:00:00' ),
			'space separator'     => array( '2026-11-27 02:00:00', '2026-11-27 02:00:00' ),
			'words'               => array( 'yesterday', '' ),
			'date only'           => array( '2026-11-27', '' ),
			'month 13'            => array( '2026-13-01T00:00:00', '' ),
			'February 30'         => array( '2026-02-30T00:00:00', '' ),
			'SQL after the date'  => array( "2026-11-27T02:00:00' OR '1'='1", '' ),
			'empty'               => array( '', '' ),
		);
	}

	/**
	 * The date conversion.
	 *
	 * @dataProvider modified_after_values
	 * @param string $value Request value.
	 * @param string $want  GMT MySQL date or ''.
	 */
	public function test_gmt_date( $value, $want ) {
		$this->assertSame( $want, OCW_Catalog_Query::gmt_date( $value ) );
	}

	/**
	 * With modified_after the page keeps its batched queries and selects the products whose
	 * own or any variation's post_modified_gmt is at or after the date, prepared (the date as
	 * a %s placeholder, the ids as %d); the total counts the same set.
	 */
	public function test_modified_after_query() {
		$db    = $this->example_db();
		$query = new OCW_Catalog_Query( $db );
		$page  = $query->page( 12, 500, '2026-11-27 02:00:00' );
		$this->assertSame( array( 13, 40 ), array_column( $page['products'], 'id' ) );
		$this->assertCount( 4, $db->queries, 'still four queries per page' );
		$sql = preg_replace( '/\s+/', ' ', $db->queries[0] );
		$this->assertStringContainsString( "post_type = 'product' AND post_status NOT IN ('trash', 'auto-draft') AND ID > 12", $sql );
		$this->assertStringContainsString(
			"AND ( post_modified_gmt >= '2026-11-27 02:00:00' OR ID IN ( SELECT post_parent FROM wp_posts WHERE post_type = 'product_variation' AND post_status <> 'auto-draft' AND post_modified_gmt >= '2026-11-27 02:00:00' ) )",
			$sql
		);
		$this->assertStringContainsString( 'ORDER BY ID ASC LIMIT 501', $sql );

		$query->total( '2026-11-27 02:00:00' );
		$count = preg_replace( '/\s+/', ' ', end( $db->queries ) );
		$this->assertStringContainsString( 'SELECT COUNT(*)', $count );
		$this->assertSame( 2, substr_count( $count, "post_modified_gmt >= '2026-11-27 02:00:00'" ) );

		$query->page( 0, 500 );
		$this->assertStringNotContainsString( 'post_modified_gmt >=', $db->queries[ count( $db->queries ) - 4 ], 'no date: the whole catalog' );
	}

	/**
	 * The route hands modified_after through as GMT and refuses a date it cannot read (400).
	 */
	public function test_route_modified_after() {
		$db       = $this->example_db();
		$routes   = new OCW_Rest_Routes( new OCW_Catalog_Query( $db ), new OCW_Stock_Query( $db ) );
		$response = $routes->get_catalog( new WP_REST_Request( array( 'after_id' => 0, 'limit' => 500, 'modified_after' => '2026-11-27T03:00:00+01:00' ) ) );
		$this->assertInstanceOf( WP_REST_Response::class, $response );
		$this->assertSame( array( 13, 40 ), array_column( $response->get_data()['products'], 'id' ) );
		$this->assertStringContainsString( "post_modified_gmt >= '2026-11-27 02:00:00'", $db->queries[0] );
		$this->assertStringContainsString( "post_modified_gmt >= '2026-11-27 02:00:00'", end( $db->queries ), 'X-WP-Total counts the same set' );

		$before = count( $db->queries );
		$error  = $routes->get_catalog( new WP_REST_Request( array( 'after_id' => 0, 'limit' => 500, 'modified_after' => "1' OR '1'='1" ) ) );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( 'rest_invalid_param', $error->get_error_code() );
		$this->assertSame( 400, $error->get_error_data()['status'] );
		$this->assertCount( $before, $db->queries, 'nothing reached the database' );
	}

	/**
	 * modified_after reaches SQL only as prepare() arguments (the strict double throws when a
	 * request value appears in a template or an unprepared query), on the page and the total.
	 */
	public function test_modified_after_is_bound() {
		$db = new OCW_Test_Prepared_Wpdb();
		$db->untrusted( '2026-11-27T03:00:00+01:00' );
		$routes   = new OCW_Rest_Routes( new OCW_Catalog_Query( $db, array() ), new OCW_Stock_Query( $db ) );
		$response = $routes->get_catalog( new WP_REST_Request( array( 'after_id' => 0, 'limit' => 500, 'modified_after' => '2026-11-27T03:00:00+01:00' ) ) );
		$this->assertInstanceOf( WP_REST_Response::class, $response );
		$this->assertCount( 2, $db->prepared, 'the page query and the total' );
		foreach ( $db->prepared as $call ) {
			$this->assertSame( 2, substr_count( $call['template'], 'post_modified_gmt >= %s' ) );
			$this->assertContains( '2026-11-27 02:00:00', $call['args'] );
			$this->assertTrue( $db->was_prepared( $call['sql'] ) );
		}
	}
}
