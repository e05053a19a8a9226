<?php
/**
 * Stock levels of every product and variation, in one query.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads `{prefix}wc_product_meta_lookup` (kept up to date by WooCommerce's product data
 * store since 3.6) joined to `posts`, keyset-paged by id. No product object is loaded.
 * Trashed products, and variations of a trashed or missing parent, are left out (REST
 * lists neither).
 *
 * The lookup table stores stock_quantity only when the product manages its stock
 * (NULL otherwise), which gives manage_stock without reading postmeta. A variation that
 * does not manage its own stock while its parent does reports "parent" and the parent's
 * quantity; a variation without its own SKU reports its parent's — as REST v3 does.
 * date_modified_gmt is the row's own (a stock change saves the product holding the
 * stock, which moves it): the sidecar orders stock readings by it.
 */
class OCW_Stock_Query {

	/**
	 * Largest page.
	 */
	const MAX_LIMIT = 5000;

	/**
	 * Database.
	 *
	 * @var wpdb
	 */
	private $db;

	/**
	 * Constructor.
	 *
	 * @param wpdb $db Database.
	 */
	public function __construct( $db ) {
		$this->db = $db;
	}

	/**
	 * One page of stock levels.
	 *
	 * @param int $after_id Last id of the previous page (0 for the first).
	 * @param int $limit    Page size, 1–5000.
	 * @return array array( 'levels' => array, 'next_after_id' => int|null ).
	 */
	public function page( $after_id, $limit ) {
		$limit    = max( 1, min( self::MAX_LIMIT, (int) $limit ) );
		$after_id = max( 0, (int) $after_id );
		$posts    = $this->db->posts;
		$lookup   = $this->db->prefix . 'wc_product_meta_lookup';

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names only.
		$sql  = $this->db->prepare(
			"SELECT p.ID AS id, p.post_parent AS parent_id, p.post_type AS post_type, p.post_modified_gmt AS date_modified_gmt,
				l.sku AS sku, l.stock_quantity AS stock_quantity, l.stock_status AS stock_status,
				pl.sku AS parent_sku, pl.stock_quantity AS parent_stock_quantity
			FROM {$posts} p
			INNER JOIN {$lookup} l ON l.product_id = p.ID
			LEFT JOIN {$lookup} pl ON p.post_type = 'product_variation' AND pl.product_id = p.post_parent
			LEFT JOIN {$posts} pp ON p.post_type = 'product_variation' AND pp.ID = p.post_parent
			WHERE p.post_type IN ('product', 'product_variation')
				AND p.post_status NOT IN ('trash', 'auto-draft')
				AND ( p.post_type = 'product' OR pp.post_status NOT IN ('trash', 'auto-draft') )
				AND p.ID > %d
			ORDER BY p.ID ASC
			LIMIT %d",
			$after_id,
			$limit + 1
		);
		$rows = $this->db->get_results( $sql, ARRAY_A );
		// phpcs:enable

		$rows = is_array( $rows ) ? $rows : array();
		$more = count( $rows ) > $limit;
		if ( $more ) {
			$rows = array_slice( $rows, 0, $limit );
		}
		$levels = array_map( array( __CLASS__, 'level' ), $rows );
		$last   = end( $levels );
		return array(
			'levels'        => $levels,
			'next_after_id' => $more && $last ? $last['id'] : null,
		);
	}

	/**
	 * One row as the route's JSON object.
	 *
	 * @param array $row Database row.
	 * @return array
	 */
	public static function level( array $row ) {
		$is_variation = 'product_variation' === $row['post_type'];
		$own_managed  = null !== $row['stock_quantity'];
		$manage_stock = $own_managed;
		$quantity     = $own_managed ? (int) $row['stock_quantity'] : null;
		if ( $is_variation && ! $own_managed && isset( $row['parent_stock_quantity'] ) && null !== $row['parent_stock_quantity'] ) {
			$manage_stock = 'parent';
			$quantity     = (int) $row['parent_stock_quantity'];
		}
		$sku = (string) $row['sku'];
		if ( $is_variation && '' === $sku && isset( $row['parent_sku'] ) ) {
			$sku = (string) $row['parent_sku'];
		}
		return array(
			'id'                => (int) $row['id'],
			'parent_id'         => $is_variation ? (int) $row['parent_id'] : 0,
			'sku'               => $sku,
			'manage_stock'      => $manage_stock,
			'stock_quantity'    => $quantity,
			'stock_status'      => (string) $row['stock_status'],
			'date_modified_gmt' => OCW_Catalog_Query::rest_date( isset( $row['date_modified_gmt'] ) ? $row['date_modified_gmt'] : '' ),
		);
	}
}
