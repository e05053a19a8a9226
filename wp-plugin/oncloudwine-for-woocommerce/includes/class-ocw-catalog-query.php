<?php
/**
 * One page of the catalog (products with their variations inline) in a few batched queries.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds the catalog route's page without loading a WC_Product per row: one query for the
 * page of products, one for their variations, one for all their meta, one for their
 * product types and attribute terms. Fields and JSON types are those of REST v3 (prices
 * and weights as strings, a variation without its own SKU or weight reports its parent's,
 * manage_stock true/false/"parent").
 */
class OCW_Catalog_Query {

	/**
	 * Largest page.
	 */
	const MAX_LIMIT = 500;

	/**
	 * Meta keys read per product and variation.
	 */
	const META_KEYS = array( '_sku', '_price', '_regular_price', '_sale_price', '_weight', '_manage_stock', '_stock', '_stock_status', '_product_attributes' );

	/**
	 * Database.
	 *
	 * @var wpdb
	 */
	private $db;

	/**
	 * Attribute taxonomies: 'pa_x' => array( 'id' => int, 'label' => string ).
	 *
	 * @var array|null
	 */
	private $taxonomies;

	/**
	 * Constructor.
	 *
	 * @param wpdb       $db         Database.
	 * @param array|null $taxonomies Attribute taxonomies ('pa_x' => id, label); read from WooCommerce when null.
	 */
	public function __construct( $db, $taxonomies = null ) {
		$this->db         = $db;
		$this->taxonomies = $taxonomies;
	}

	/**
	 * Number of products in the catalog (same filter as the pages).
	 *
	 * @param string $modified_after GMT MySQL date from gmt_date(); '' for the whole catalog.
	 * @return int
	 */
	public function total( $modified_after = '' ) {
		$posts = $this->db->posts;
		if ( '' === $modified_after ) {
			// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name only.
			return (int) $this->db->get_var( "SELECT COUNT(*) FROM {$posts} WHERE post_type = 'product' AND post_status NOT IN ('trash', 'auto-draft')" );
		}
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name only; the date is a placeholder.
		return (int) $this->db->get_var(
			$this->db->prepare(
				"SELECT COUNT(*) FROM {$posts} WHERE post_type = 'product' AND post_status NOT IN ('trash', 'auto-draft')
				AND ( post_modified_gmt >= %s OR ID IN (
					SELECT post_parent FROM {$posts} WHERE post_type = 'product_variation' AND post_status <> 'auto-draft' AND post_modified_gmt >= %s
				) )",
				$modified_after,
				$modified_after
			)
		);
		// phpcs:enable
	}

	/**
	 * A modified_after value as a GMT MySQL date (Y-m-d H:i:s), or '' when it is not an
	 * ISO 8601 date-time. A value without a time zone is GMT; one with an offset is converted.
	 *
	 * @param mixed $value Request value, e.g. 2026-11-27T02:00:00, 2026-11-27T02:00:00Z or 2026-11-27T03:00:00+01:00.
	 * @return string
	 */
	public static function gmt_date( $value ) {
		$value = trim( (string) $value );
		if ( ! preg_match( '/^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/', $value, $m ) ) {
			return '';
		}
		if ( ! checkdate( (int) $m[2], (int) $m[3], (int) $m[1] ) || (int) $m[4] > 23 || (int) $m[5] > 59 || (int) $m[6] > 59 ) {
			return '';
		}
		try {
			$date = new DateTimeImmutable( $value, new DateTimeZone( 'UTC' ) );
		} catch ( Exception $e ) {
			return '';
		}
		return $date->setTimezone( new DateTimeZone( 'UTC' ) )->format( 'Y-m-d H:i:s' );
	}

	/**
	 * One page of products.
	 *
	 * With $modified_after, only the products whose own or any variation's post_modified_gmt
	 * is at or after it (each still with all its variations): the sidecar's catch-up reads
	 * what changed in a few requests, as the full sync does.
	 *
	 * @param int    $after_id       Last product id of the previous page (0 for the first).
	 * @param int    $limit          Page size, 1–500.
	 * @param string $modified_after GMT MySQL date from gmt_date(); '' for the whole catalog.
	 * @return array array( 'products' => array, 'next_after_id' => int|null ).
	 */
	public function page( $after_id, $limit, $modified_after = '' ) {
		$limit    = max( 1, min( self::MAX_LIMIT, (int) $limit ) );
		$after_id = max( 0, (int) $after_id );
		$posts    = $this->db->posts;

		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names and intval'd id lists only.
		if ( '' === $modified_after ) {
			$query = $this->db->prepare(
				"SELECT ID, post_title, post_status, post_modified_gmt FROM {$posts}
				WHERE post_type = 'product' AND post_status NOT IN ('trash', 'auto-draft') AND ID > %d
				ORDER BY ID ASC LIMIT %d",
				$after_id,
				$limit + 1
			);
		} else {
			$query = $this->db->prepare(
				"SELECT ID, post_title, post_status, post_modified_gmt FROM {$posts}
				WHERE post_type = 'product' AND post_status NOT IN ('trash', 'auto-draft') AND ID > %d
				AND ( post_modified_gmt >= %s OR ID IN (
					SELECT post_parent FROM {$posts} WHERE post_type = 'product_variation' AND post_status <> 'auto-draft' AND post_modified_gmt >= %s
				) )
				ORDER BY ID ASC LIMIT %d",
				$after_id,
				$modified_after,
				$modified_after,
				$limit + 1
			);
		}
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared just above.
		$products = $this->db->get_results( $query, ARRAY_A );
		$products = is_array( $products ) ? $products : array();
		$more     = count( $products ) > $limit;
		if ( $more ) {
			$products = array_slice( $products, 0, $limit );
		}
		if ( empty( $products ) ) {
			return array(
				'products'      => array(),
				'next_after_id' => null,
			);
		}
		$product_ids = array_map( 'intval', wp_list_pluck( $products, 'ID' ) );
		$in_products = implode( ',', $product_ids );

		$variations = $this->db->get_results(
			"SELECT ID, post_parent, post_status, post_modified_gmt FROM {$posts}
			WHERE post_type = 'product_variation' AND post_status NOT IN ('trash', 'auto-draft') AND post_parent IN ({$in_products})
			ORDER BY post_parent ASC, menu_order ASC, ID ASC",
			ARRAY_A
		);
		$variations = is_array( $variations ) ? $variations : array();

		$all_ids = implode( ',', array_merge( $product_ids, array_map( 'intval', wp_list_pluck( $variations, 'ID' ) ) ) );
		$keys    = "'" . implode( "','", self::META_KEYS ) . "'";
		$meta    = $this->db->get_results(
			"SELECT post_id, meta_key, meta_value FROM {$this->db->postmeta}
			WHERE post_id IN ({$all_ids}) AND ( meta_key IN ({$keys}) OR meta_key LIKE 'attribute\\_%' )",
			ARRAY_A
		);

		$terms = $this->db->get_results(
			"SELECT tr.object_id, tt.taxonomy, t.name, t.slug FROM {$this->db->term_relationships} tr
			INNER JOIN {$this->db->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id
			INNER JOIN {$this->db->terms} t ON t.term_id = tt.term_id
			WHERE tr.object_id IN ({$in_products}) AND ( tt.taxonomy = 'product_type' OR tt.taxonomy LIKE 'pa\\_%' )
			ORDER BY tr.object_id ASC, tr.term_order ASC, t.name ASC",
			ARRAY_A
		);
		// phpcs:enable

		$meta_by_id = self::group_meta( is_array( $meta ) ? $meta : array() );
		$types      = array();
		$term_names = array();
		foreach ( is_array( $terms ) ? $terms : array() as $term ) {
			$object_id = (int) $term['object_id'];
			if ( 'product_type' === $term['taxonomy'] ) {
				$types[ $object_id ] = (string) $term['slug'];
			} else {
				$term_names[ $object_id ][ $term['taxonomy'] ][ (string) $term['slug'] ] = (string) $term['name'];
			}
		}
		$variations_by_parent = array();
		foreach ( $variations as $variation ) {
			$variations_by_parent[ (int) $variation['post_parent'] ][] = $variation;
		}

		$out = array();
		foreach ( $products as $product ) {
			$id            = (int) $product['ID'];
			$product_meta  = isset( $meta_by_id[ $id ] ) ? $meta_by_id[ $id ] : array();
			$product_terms = isset( $term_names[ $id ] ) ? $term_names[ $id ] : array();
			$item          = $this->product(
				$product,
				isset( $types[ $id ] ) ? $types[ $id ] : 'simple',
				$product_meta,
				$product_terms
			);
			$children      = isset( $variations_by_parent[ $id ] ) ? $variations_by_parent[ $id ] : array();
			foreach ( $children as $variation ) {
				$variation_id         = (int) $variation['ID'];
				$item['variations'][] = $this->variation(
					$variation,
					isset( $meta_by_id[ $variation_id ] ) ? $meta_by_id[ $variation_id ] : array(),
					$product_meta,
					$product_terms
				);
			}
			$out[] = $item;
		}

		return array(
			'products'      => $out,
			'next_after_id' => $more ? (int) end( $product_ids ) : null,
		);
	}

	/**
	 * Meta rows grouped by post id, then key; every key holds a list of values.
	 *
	 * @param array $rows Rows post_id, meta_key, meta_value.
	 * @return array
	 */
	private static function group_meta( array $rows ) {
		$grouped = array();
		foreach ( $rows as $row ) {
			$grouped[ (int) $row['post_id'] ][ $row['meta_key'] ][] = $row['meta_value'];
		}
		return $grouped;
	}

	/**
	 * First value of a meta key, or ''.
	 *
	 * @param array  $meta Meta of one post.
	 * @param string $key  Key.
	 * @return string
	 */
	private static function first( array $meta, $key ) {
		return isset( $meta[ $key ][0] ) ? (string) $meta[ $key ][0] : '';
	}

	/**
	 * A product's JSON object (without variations yet).
	 *
	 * @param array  $post  Post row.
	 * @param string $type  Product type.
	 * @param array  $meta  Its meta.
	 * @param array  $terms Its attribute terms: taxonomy => slug => name.
	 * @return array
	 */
	private function product( array $post, $type, array $meta, array $terms ) {
		$managed = 'yes' === self::first( $meta, '_manage_stock' );
		$price   = self::first( $meta, '_price' );
		if ( 'variable' === $type && isset( $meta['_price'] ) && count( $meta['_price'] ) > 1 ) {
			$numeric = array_filter( $meta['_price'], 'is_numeric' );
			if ( ! empty( $numeric ) ) {
				usort(
					$numeric,
					static function ( $a, $b ) {
						return (float) $a <=> (float) $b;
					}
				);
				$price = function_exists( 'wc_format_decimal' ) && function_exists( 'wc_get_price_decimals' ) ? wc_format_decimal( $numeric[0], wc_get_price_decimals() ) : (string) $numeric[0];
			}
		}
		return array(
			'id'                => (int) $post['ID'],
			'name'              => (string) $post['post_title'],
			'type'              => $type,
			'status'            => (string) $post['post_status'],
			'sku'               => self::first( $meta, '_sku' ),
			'price'             => $price,
			'regular_price'     => self::first( $meta, '_regular_price' ),
			'sale_price'        => self::first( $meta, '_sale_price' ),
			'weight'            => self::first( $meta, '_weight' ),
			'manage_stock'      => $managed,
			'stock_quantity'    => $managed ? self::stock_amount( self::first( $meta, '_stock' ) ) : null,
			'stock_status'      => self::first( $meta, '_stock_status' ),
			'date_modified_gmt' => self::rest_date( $post['post_modified_gmt'] ),
			'attributes'        => $this->product_attributes( $meta, $terms ),
			'variations'        => array(),
		);
	}

	/**
	 * A variation's JSON object.
	 *
	 * @param array $post         Post row.
	 * @param array $meta         Its meta.
	 * @param array $parent_meta  Its parent's meta.
	 * @param array $parent_terms Its parent's attribute terms: taxonomy => slug => name.
	 * @return array
	 */
	private function variation( array $post, array $meta, array $parent_meta, array $parent_terms ) {
		$own_managed    = 'yes' === self::first( $meta, '_manage_stock' );
		$parent_managed = 'yes' === self::first( $parent_meta, '_manage_stock' );
		$manage_stock   = $own_managed ? true : ( $parent_managed ? 'parent' : false );
		$quantity       = null;
		if ( $own_managed ) {
			$quantity = self::stock_amount( self::first( $meta, '_stock' ) );
		} elseif ( $parent_managed ) {
			$quantity = self::stock_amount( self::first( $parent_meta, '_stock' ) );
		}
		$sku    = self::first( $meta, '_sku' );
		$weight = self::first( $meta, '_weight' );
		return array(
			'id'                => (int) $post['ID'],
			'parent_id'         => (int) $post['post_parent'],
			'sku'               => '' !== $sku ? $sku : self::first( $parent_meta, '_sku' ),
			'status'            => (string) $post['post_status'],
			'price'             => self::first( $meta, '_price' ),
			'regular_price'     => self::first( $meta, '_regular_price' ),
			'sale_price'        => self::first( $meta, '_sale_price' ),
			'weight'            => '' !== $weight ? $weight : self::first( $parent_meta, '_weight' ),
			'manage_stock'      => $manage_stock,
			'stock_quantity'    => $quantity,
			'stock_status'      => self::first( $meta, '_stock_status' ),
			'date_modified_gmt' => self::rest_date( $post['post_modified_gmt'] ),
			'attributes'        => $this->variation_attributes( $meta, $parent_meta, $parent_terms ),
		);
	}

	/**
	 * A product's attributes as REST v3 lists them.
	 *
	 * @param array $meta  Product meta.
	 * @param array $terms Attribute terms: taxonomy => slug => name.
	 * @return array
	 */
	private function product_attributes( array $meta, array $terms ) {
		$out = array();
		foreach ( self::attribute_definitions( $meta ) as $key => $attribute ) {
			$is_taxonomy = ! empty( $attribute['is_taxonomy'] );
			$name        = isset( $attribute['name'] ) ? (string) $attribute['name'] : (string) $key;
			if ( $is_taxonomy ) {
				$options = isset( $terms[ $name ] ) ? array_values( $terms[ $name ] ) : array();
			} else {
				$value   = isset( $attribute['value'] ) ? (string) $attribute['value'] : '';
				$options = array_values( array_filter( array_map( 'trim', explode( '|', $value ) ), 'strlen' ) );
			}
			$out[] = array(
				'id'        => $is_taxonomy ? $this->taxonomy_id( $name ) : 0,
				'name'      => $is_taxonomy ? $this->taxonomy_label( $name ) : $name,
				'slug'      => $is_taxonomy ? $name : (string) $key,
				'variation' => ! empty( $attribute['is_variation'] ),
				'options'   => $options,
			);
		}
		return $out;
	}

	/**
	 * A variation's attributes as REST v3 lists them ("any" values left out).
	 *
	 * @param array $meta         Variation meta.
	 * @param array $parent_meta  Parent meta.
	 * @param array $parent_terms Parent attribute terms: taxonomy => slug => name.
	 * @return array
	 */
	private function variation_attributes( array $meta, array $parent_meta, array $parent_terms ) {
		$out = array();
		foreach ( self::attribute_definitions( $parent_meta ) as $key => $attribute ) {
			if ( empty( $attribute['is_variation'] ) ) {
				continue;
			}
			$is_taxonomy = ! empty( $attribute['is_taxonomy'] );
			$name        = isset( $attribute['name'] ) ? (string) $attribute['name'] : (string) $key;
			$value       = self::first( $meta, 'attribute_' . ( $is_taxonomy ? $name : $key ) );
			if ( '' === $value ) {
				continue;
			}
			if ( $is_taxonomy ) {
				$out[] = array(
					'id'     => $this->taxonomy_id( $name ),
					'name'   => $this->taxonomy_label( $name ),
					'slug'   => $name,
					'option' => isset( $parent_terms[ $name ][ $value ] ) ? $parent_terms[ $name ][ $value ] : $value,
				);
			} else {
				$out[] = array(
					'id'     => 0,
					'name'   => $name,
					'slug'   => (string) $key,
					'option' => $value,
				);
			}
		}
		return $out;
	}

	/**
	 * The product's `_product_attributes`, ordered by position.
	 *
	 * @param array $meta Product meta.
	 * @return array key => definition.
	 */
	private static function attribute_definitions( array $meta ) {
		$raw = self::first( $meta, '_product_attributes' );
		if ( '' === $raw ) {
			return array();
		}
		$attributes = maybe_unserialize( $raw );
		if ( ! is_array( $attributes ) ) {
			return array();
		}
		$attributes = array_filter( $attributes, 'is_array' );
		uasort(
			$attributes,
			static function ( $a, $b ) {
				return ( isset( $a['position'] ) ? (int) $a['position'] : 0 ) - ( isset( $b['position'] ) ? (int) $b['position'] : 0 );
			}
		);
		return $attributes;
	}

	/**
	 * Attribute taxonomies of the store.
	 *
	 * @return array 'pa_x' => array( 'id' => int, 'label' => string ).
	 */
	private function taxonomies() {
		if ( null === $this->taxonomies ) {
			$this->taxonomies = array();
			if ( function_exists( 'wc_get_attribute_taxonomies' ) ) {
				foreach ( wc_get_attribute_taxonomies() as $tax ) {
					$this->taxonomies[ 'pa_' . $tax->attribute_name ] = array(
						'id'    => (int) $tax->attribute_id,
						'label' => (string) $tax->attribute_label,
					);
				}
			}
		}
		return $this->taxonomies;
	}

	/**
	 * Id of an attribute taxonomy (0 when unknown).
	 *
	 * @param string $taxonomy 'pa_x'.
	 * @return int
	 */
	private function taxonomy_id( $taxonomy ) {
		$all = $this->taxonomies();
		return isset( $all[ $taxonomy ] ) ? (int) $all[ $taxonomy ]['id'] : 0;
	}

	/**
	 * Label of an attribute taxonomy.
	 *
	 * @param string $taxonomy 'pa_x'.
	 * @return string
	 */
	private function taxonomy_label( $taxonomy ) {
		$all = $this->taxonomies();
		return isset( $all[ $taxonomy ] ) && '' !== $all[ $taxonomy ]['label'] ? $all[ $taxonomy ]['label'] : $taxonomy;
	}

	/**
	 * A stock amount as WooCommerce reads it.
	 *
	 * @param string $raw Meta value.
	 * @return int|float
	 */
	private static function stock_amount( $raw ) {
		return function_exists( 'wc_stock_amount' ) ? wc_stock_amount( $raw ) : (int) $raw;
	}

	/**
	 * A GMT MySQL date in REST form (Y-m-d\TH:i:s), null when unset.
	 *
	 * @param string $mysql Date.
	 * @return string|null
	 */
	public static function rest_date( $mysql ) {
		if ( empty( $mysql ) || 0 === strpos( (string) $mysql, '0000-00-00' ) ) {
			return null;
		}
		return str_replace( ' ', 'T', (string) $mysql );
	}
}
