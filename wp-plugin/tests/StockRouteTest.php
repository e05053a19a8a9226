<?php
/**
 * The stock route: one query, keyset paging.
 *
 * @package OnCloudWine\Tests
 */

/**
 * Paging and the REST quirks (parent-managed stock, parent SKU).
 */
class StockRouteTest extends OCW_Test_Case {

	/**
	 * A lookup row.
	 *
	 * @param int         $id        Id.
	 * @param string      $type      product or product_variation.
	 * @param int         $parent    Parent id.
	 * @param string      $sku       SKU.
	 * @param string|null $qty       Stock quantity (NULL when not managed).
	 * @param string|null $parent_qty Parent's stock quantity.
	 * @param string|null $parent_sku Parent's SKU.
	 * @return array
	 */
	private static function row( $id, $type = 'product', $parent = 0, $sku = '', $qty = null, $parent_qty = null, $parent_sku = null ) {
		return array(
			'id'                    => (string) $id,
			'parent_id'             => (string) $parent,
			'post_type'             => $type,
			'sku'                   => $sku,
			'stock_quantity'        => $qty,
			'stock_status'          => 'instock',
			'parent_sku'            => $parent_sku,
			'parent_stock_quantity' => $parent_qty,
			'date_modified_gmt'     => '2026-11-27 02:0' . ( $id % 10 ) . ':14',
		);
	}

	/**
	 * Rows → levels, exactly as docs/plugin-routes.md shows them.
	 */
	public function test_levels_follow_rest_semantics() {
		$db         = new OCW_Test_Wpdb();
		$db->answer = static function () {
			return array(
				self::row( 13, 'product', 0, 'WINE-PIN-2022-750', '24.0000' ),
				self::row( 40, 'product', 0, 'WINE-CABR', null ),
				self::row( 41, 'product_variation', 40, 'WINE-CABR-2021-750', null, '7', 'WINE-CABR' ),
				self::row( 42, 'product_variation', 40, '', '3', '7', 'WINE-CABR' ),
				self::row( 43, 'product_variation', 50, 'X', null, null, 'P' ),
			);
		};
		$page = ( new OCW_Stock_Query( $db ) )->page( 0, 5000 );
		$this->assertNull( $page['next_after_id'] );
		$this->assertSame(
			array(
				array( 'id' => 13, 'parent_id' => 0, 'sku' => 'WINE-PIN-2022-750', 'manage_stock' => true, 'stock_quantity' => 24, 'stock_status' => 'instock', 'date_modified_gmt' => '2026-11-27T02:03:14' ),
				array( 'id' => 40, 'parent_id' => 0, 'sku' => 'WINE-CABR', 'manage_stock' => false, 'stock_quantity' => null, 'stock_status' => 'instock', 'date_modified_gmt' => '2026-11-27T02:00:14' ),
				array( 'id' => 41, 'parent_id' => 40, 'sku' => 'WINE-CABR-2021-750', 'manage_stock' => 'parent', 'stock_quantity' => 7, 'stock_status' => 'instock', 'date_modified_gmt' => '2026-11-27T02:01:14' ),
				array( 'id' => 42, 'parent_id' => 40, 'sku' => 'WINE-CABR', 'manage_stock' => true, 'stock_quantity' => 3, 'stock_status' => 'instock', 'date_modified_gmt' => '2026-11-27T02:02:14' ),
				array( 'id' => 43, 'parent_id' => 50, 'sku' => 'X', 'manage_stock' => false, 'stock_quantity' => null, 'stock_status' => 'instock', 'date_modified_gmt' => '2026-11-27T02:03:14' ),
			),
			$page['levels']
		);
		$this->assertCount( 1, $db->queries, 'one query per page' );
	}

	/**
	 * Paging cases: rows in the table, after_id, limit → ids, next_after_id, SQL limit.
	 *
	 * @return array
	 */
	public function pages() {
		$ids = range( 1, 12 );
		return array(
			'first page, more to come' => array( $ids, 0, 5, array( 1, 2, 3, 4, 5 ), 5, 6 ),
			'middle page'              => array( $ids, 5, 5, array( 6, 7, 8, 9, 10 ), 10, 6 ),
			'last partial page'        => array( $ids, 10, 5, array( 11, 12 ), null, 6 ),
			'exactly full last page'   => array( $ids, 7, 5, array( 8, 9, 10, 11, 12 ), null, 6 ),
			'past the end'             => array( $ids, 12, 5, array(), null, 6 ),
			'limit above 5000 clamped' => array( $ids, 0, 9000, $ids, null, 5001 ),
			'limit below 1 clamped'    => array( $ids, 0, 0, array( 1 ), 1, 2 ),
		);
	}

	/**
	 * Keyset paging by id.
	 *
	 * @dataProvider pages
	 * @param int[]    $table     Ids in the table.
	 * @param int      $after_id  Cursor.
	 * @param int      $limit     Page size.
	 * @param int[]    $want_ids  Ids on the page.
	 * @param int|null $want_next next_after_id.
	 * @param int      $sql_limit LIMIT in the SQL.
	 */
	public function test_paging( $table, $after_id, $limit, $want_ids, $want_next, $sql_limit ) {
		$db         = new OCW_Test_Wpdb();
		$db->answer = static function ( $sql ) use ( $table ) {
			preg_match( '/p\.ID > (\d+)/', $sql, $after );
			preg_match( '/LIMIT (\d+)/', $sql, $limit );
			$rows = array();
			foreach ( $table as $id ) {
				if ( $id > (int) $after[1] && count( $rows ) < (int) $limit[1] ) {
					$rows[] = self::row( $id, 'product', 0, 'S' . $id, '1' );
				}
			}
			return $rows;
		};
		$page       = ( new OCW_Stock_Query( $db ) )->page( $after_id, $limit );
		$this->assertSame( $want_ids, array_column( $page['levels'], 'id' ) );
		$this->assertSame( $want_next, $page['next_after_id'] );
		$this->assertStringContainsString( 'LIMIT ' . $sql_limit, $db->queries[0] );
		$this->assertStringContainsString( 'wp_wc_product_meta_lookup', $db->queries[0] );
		$this->assertStringContainsString( 'ORDER BY p.ID ASC', $db->queries[0] );
		$this->assertStringContainsString( "pp.post_status NOT IN ('trash', 'auto-draft')", $db->queries[0] );
	}

	/**
	 * The route hands after_id and limit to the query and wraps the page.
	 */
	public function test_route_handler() {
		$db         = new OCW_Test_Wpdb();
		$db->answer = static function () {
			return array( self::row( 8, 'product', 0, 'A', '2' ), self::row( 9, 'product', 0, 'B', '2' ) );
		};
		$routes     = new OCW_Rest_Routes( new OCW_Catalog_Query( $db, array() ), new OCW_Stock_Query( $db ) );
		$response   = $routes->get_stock( new WP_REST_Request( array( 'after_id' => 7, 'limit' => 1 ) ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 8, $response->get_data()['next_after_id'] );
		$this->assertSame( array( 8 ), array_column( $response->get_data()['levels'], 'id' ) );
		$this->assertStringContainsString( 'p.ID > 7', $db->queries[0] );
	}
}
