<?php
/**
 * FeaturesUtil double (WooCommerce 7.1+).
 *
 * @package OnCloudWine\Tests
 */

namespace Automattic\WooCommerce\Utilities;

/**
 * Records declarations.
 */
class FeaturesUtil {

	/**
	 * Declarations: list of array( feature, plugin file, positive ).
	 *
	 * @var array
	 */
	public static $declared = array();

	/**
	 * Same signature as WooCommerce's.
	 *
	 * @param string $feature_id  Feature.
	 * @param string $plugin_file Main plugin file.
	 * @param bool   $positive_compatibility Compatible or not.
	 * @return bool
	 */
	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		self::$declared[] = array( $feature_id, $plugin_file, $positive_compatibility );
		return true;
	}
}
