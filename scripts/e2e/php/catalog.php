<?php
/**
 * The e2e catalog, through WooCommerce's own PHP API (what wp-admin's product screens call).
 *
 *   php catalog.php seed          the small catalog with the edge cases; prints its ids (JSON)
 *   php catalog.php bulk N        N more published simple products (SKU E2E-BULK-n)
 *   php catalog.php expect        what OnCloudWine must hold: every published simple product
 *                                 and published variation with its own SKU, as WooCommerce
 *                                 reports it (price, weight, stock) (JSON keyed by SKU)
 *   php catalog.php set-price SKU PRICE     regular price of a product or variation; prints
 *   php catalog.php set-stock SKU QTY       the stock of a product or variation  the ms
 *                                           timestamp just before save()
 *   php catalog.php stock SKU     the stock quantity WooCommerce holds (a parent-managed
 *                                 variation answers its parent's)
 *
 * @package OnCloudWine
 */

$cmd = isset( $argv[1] ) ? $argv[1] : '';

/**
 * A product of the catalog by SKU (0 when none).
 *
 * @param string $sku SKU.
 * @return WC_Product
 */
function ocw_e2e_product( $sku ) {
	$id = wc_get_product_id_by_sku( $sku );
	if ( ! $id ) {
		fwrite( STDERR, "no product with SKU $sku\n" );
		exit( 1 );
	}
	return wc_get_product( $id );
}

/**
 * A simple product.
 *
 * @param array $p name, sku, price, sale, weight, stock, status.
 * @return int
 */
function ocw_e2e_simple( array $p ) {
	$product = new WC_Product_Simple();
	$product->set_name( $p['name'] );
	$product->set_status( isset( $p['status'] ) ? $p['status'] : 'publish' );
	if ( isset( $p['sku'] ) ) {
		$product->set_sku( $p['sku'] );
	}
	$product->set_regular_price( $p['price'] );
	if ( isset( $p['sale'] ) ) {
		$product->set_sale_price( $p['sale'] );
	}
	$product->set_weight( isset( $p['weight'] ) ? $p['weight'] : '' );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( isset( $p['stock'] ) ? $p['stock'] : 10 );
	return $product->save();
}

switch ( $cmd ) {
	case 'seed':
		$ids                    = array();
		$ids['simple']          = ocw_e2e_simple( array( 'name' => 'Pinot Noir 2022', 'sku' => 'E2E-PINOT-2022', 'price' => '30.50', 'weight' => '1.3', 'stock' => 24 ) );
		$ids['sale']            = ocw_e2e_simple( array( 'name' => 'Rosé 2023', 'sku' => 'E2E-ROSE-2023', 'price' => '18.00', 'sale' => '14.90', 'weight' => '1.25', 'stock' => 40 ) );
		$ids['order']           = ocw_e2e_simple( array( 'name' => 'House Red', 'sku' => 'E2E-HOUSE-RED', 'price' => '9.90', 'weight' => '1.2', 'stock' => 100 ) );
		$ids['draft']           = ocw_e2e_simple( array( 'name' => 'Unreleased Syrah', 'sku' => 'E2E-DRAFT-SYRAH', 'price' => '40.00', 'weight' => '1.3', 'status' => 'draft' ) );
		$ids['no_sku']          = ocw_e2e_simple( array( 'name' => 'Gift wrapping', 'price' => '3.00' ) );
		$attribute              = new WC_Product_Attribute();
		$attribute->set_name( 'Size' );
		$attribute->set_options( array( '375ml', '750ml', '1.5L', '3L' ) );
		$attribute->set_visible( true );
		$attribute->set_variation( true );
		$parent = new WC_Product_Variable();
		$parent->set_name( 'Cabernet Reserve 2021' );
		$parent->set_status( 'publish' );
		$parent->set_sku( 'E2E-CAB' );
		$parent->set_weight( '1.4' );
		$parent->set_manage_stock( true );
		$parent->set_stock_quantity( 30 );
		$parent->set_attributes( array( $attribute ) );
		$ids['variable'] = $parent->save();
		$variations      = array(
			// Own SKU, own stock, own weight.
			'var_own'     => array( 'size' => '750ml', 'sku' => 'E2E-CAB-750', 'price' => '45.00', 'weight' => '1.3', 'stock' => 12, 'status' => 'publish' ),
			// Own SKU, stock managed by the parent, weight inherited from the parent.
			'var_parent'  => array( 'size' => '1.5L', 'sku' => 'E2E-CAB-1500', 'price' => '95.00', 'weight' => '', 'stock' => null, 'status' => 'publish' ),
			// Private variation (disabled in wp-admin).
			'var_private' => array( 'size' => '375ml', 'sku' => 'E2E-CAB-375', 'price' => '25.00', 'weight' => '0.8', 'stock' => 5, 'status' => 'private' ),
			// No SKU of its own: REST reports the parent's SKU.
			'var_no_sku'  => array( 'size' => '3L', 'sku' => '', 'price' => '210.00', 'weight' => '4.5', 'stock' => 2, 'status' => 'publish' ),
		);
		foreach ( $variations as $key => $v ) {
			$variation = new WC_Product_Variation();
			$variation->set_parent_id( $ids['variable'] );
			$variation->set_attributes( array( 'size' => $v['size'] ) );
			$variation->set_status( $v['status'] );
			if ( '' !== $v['sku'] ) {
				$variation->set_sku( $v['sku'] );
			}
			$variation->set_regular_price( $v['price'] );
			$variation->set_weight( $v['weight'] );
			if ( null === $v['stock'] ) {
				$variation->set_manage_stock( false );
			} else {
				$variation->set_manage_stock( true );
				$variation->set_stock_quantity( $v['stock'] );
			}
			$ids[ $key ] = $variation->save();
		}
		WC_Product_Variable::sync( $ids['variable'] );
		echo wp_json_encode( $ids ) . PHP_EOL;
		break;

	case 'bulk':
		$n = (int) $argv[2];
		for ( $i = 1; $i <= $n; $i++ ) {
			ocw_e2e_simple( array( 'name' => "Bulk wine $i", 'sku' => "E2E-BULK-$i", 'price' => sprintf( '%d.%02d', 10 + $i % 50, $i % 100 ), 'weight' => '1.3', 'stock' => $i % 60 ) );
		}
		echo $n . PHP_EOL;
		break;

	case 'expect':
		$expect = array();
		$query  = new WC_Product_Query(
			array(
				'limit'  => -1,
				'status' => 'publish',
				'type'   => array( 'simple', 'variable' ),
				'sku'    => 'E2E-',
			)
		);
		foreach ( $query->get_products() as $product ) {
			$items = $product->is_type( 'variable' ) ? array_filter( array_map( 'wc_get_product', $product->get_children() ) ) : array( $product );
			foreach ( $items as $item ) {
				if ( 'publish' !== $item->get_status() || '' === $item->get_sku( 'edit' ) || $item->is_type( 'variable' ) ) {
					continue;
				}
				$stock_owner                        = $item->is_type( 'variation' ) && 'parent' === $item->get_manage_stock() ? $product : $item;
				$expect[ $item->get_sku( 'edit' ) ] = array(
					'id'            => $item->get_id(),
					'price'         => (string) $item->get_price(),
					'regular_price' => (string) $item->get_regular_price(),
					'sale_price'    => (string) $item->get_sale_price(),
					'weight'        => (string) $item->get_weight(),
					'stock'         => $stock_owner->get_stock_quantity(),
				);
			}
		}
		ksort( $expect );
		echo wp_json_encode( $expect ) . PHP_EOL;
		break;

	case 'set-price':
		$product = ocw_e2e_product( $argv[2] );
		$product->set_regular_price( $argv[3] );
		echo (int) floor( microtime( true ) * 1000 ) . PHP_EOL;
		$product->save();
		break;

	case 'set-stock':
		$product = ocw_e2e_product( $argv[2] );
		echo (int) floor( microtime( true ) * 1000 ) . PHP_EOL;
		wc_update_product_stock( $product, (int) $argv[3], 'set' );
		break;

	case 'stock':
		$product = ocw_e2e_product( $argv[2] );
		if ( $product->is_type( 'variation' ) && 'parent' === $product->get_manage_stock() ) {
			$product = wc_get_product( $product->get_parent_id() );
		}
		echo (int) $product->get_stock_quantity() . PHP_EOL;
		break;

	default:
		fwrite( STDERR, "catalog.php: unknown command $cmd\n" );
		exit( 2 );
}
