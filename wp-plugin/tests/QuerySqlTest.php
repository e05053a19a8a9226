<?php
/**
 * What the catalog and stock queries hand to $wpdb: request values only as prepare() arguments.
 *
 * @package OnCloudWine\Tests
 */

/**
 * SQL injection through after_id and limit.
 */
class QuerySqlTest extends OCW_Test_Case {

	/**
	 * Hostile cursors and page sizes, and the integers they must become.
	 *
	 * @return array
	 */
	public function hostile() {
		return array(
			'or 1=1'        => array( '1 OR 1=1', 10, 1, 11 ),
			'closing paren' => array( '0) OR (1=1', 10, 0, 11 ),
			'union'         => array( '5 UNION SELECT user_pass FROM wp_users', 10, 5, 11 ),
			'negative'      => array( '-7 OR 1=1', 10, 0, 11 ),
			'hostile limit' => array( 3, '2 OR 1=1', 3, 3 ),
		);
	}

	/**
	 * A strict double that answers nothing.
	 *
	 * @param mixed $after_id Cursor.
	 * @param mixed $limit    Page size.
	 * @return OCW_Test_Prepared_Wpdb
	 */
	private static function db( $after_id, $limit ) {
		$db = new OCW_Test_Prepared_Wpdb();
		$db->untrusted( $after_id, $limit );
		return $db;
	}

	/**
	 * The page query carries after_id and limit as %d arguments of prepare(), as integers.
	 *
	 * @param OCW_Test_Prepared_Wpdb $db        The double after the call.
	 * @param string                 $id_column Column compared with after_id.
	 * @param int                    $want_id   The cursor's integer.
	 * @param int                    $want_lim  LIMIT (page size + 1).
	 */
	private function assert_page_query_prepared( $db, $id_column, $want_id, $want_lim ) {
		$this->assertNotEmpty( $db->queries, 'no query ran' );
		$this->assertTrue( $db->was_prepared( $db->queries[0] ), 'the page query did not go through prepare(): ' . $db->queries[0] );
		$this->assertMatchesRegularExpression( '/' . preg_quote( $id_column, '/' ) . ' > %d\b/', $db->prepared[0]['template'] );
		$this->assertMatchesRegularExpression( '/LIMIT %d\b/', $db->prepared[0]['template'] );
		$this->assertStringContainsString( $id_column . ' > ' . $want_id . "\n", $db->queries[0] );
		$this->assertMatchesRegularExpression( '/LIMIT ' . $want_lim . '$/', $db->queries[0] );
	}

	/**
	 * Catalog: after_id and limit reach SQL only through prepare().
	 *
	 * @dataProvider hostile
	 * @param mixed $after_id Cursor from the request.
	 * @param mixed $limit    Page size from the request.
	 * @param int   $want_id  The integer after_id must become.
	 * @param int   $want_lim LIMIT in the SQL.
	 */
	public function test_catalog_query_binds_request_values( $after_id, $limit, $want_id, $want_lim ) {
		$db   = self::db( $after_id, $limit );
		$page = ( new OCW_Catalog_Query( $db, array() ) )->page( $after_id, $limit );
		$this->assertSame( array(), $page['products'] );
		$this->assert_page_query_prepared( $db, 'ID', $want_id, $want_lim );
	}

	/**
	 * Stock: after_id and limit reach SQL only through prepare().
	 *
	 * @dataProvider hostile
	 * @param mixed $after_id Cursor from the request.
	 * @param mixed $limit    Page size from the request.
	 * @param int   $want_id  The integer after_id must become.
	 * @param int   $want_lim LIMIT in the SQL.
	 */
	public function test_stock_query_binds_request_values( $after_id, $limit, $want_id, $want_lim ) {
		$db   = self::db( $after_id, $limit );
		$page = ( new OCW_Stock_Query( $db ) )->page( $after_id, $limit );
		$this->assertSame( array(), $page['levels'] );
		$this->assert_page_query_prepared( $db, 'p.ID', $want_id, $want_lim );
	}

	/**
	 * The double itself refuses an untrusted value interpolated into SQL or a template,
	 * and takes it as a prepare() argument.
	 */
	public function test_double_refuses_interpolated_values() {
		$db = self::db( '1 OR 1=1', '' );
		$db->get_results( $db->prepare( 'SELECT ID FROM wp_posts WHERE ID > %d', '1 OR 1=1' ) );
		$this->assertSame( 'SELECT ID FROM wp_posts WHERE ID > 1', $db->queries[0] );
		foreach ( array( 'get_results', 'prepare' ) as $method ) {
			try {
				$db->$method( 'SELECT ID FROM wp_posts WHERE ID > 1 OR 1=1 LIMIT %d', 5 );
				$this->fail( $method . ' took an interpolated untrusted value' );
			} catch ( RuntimeException $e ) {
				$this->assertStringContainsString( "'1 OR 1=1'", $e->getMessage() );
			}
		}
	}
}
