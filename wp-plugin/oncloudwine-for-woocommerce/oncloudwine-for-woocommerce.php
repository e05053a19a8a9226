<?php
/**
 * Plugin Name:          OnCloudWine for WooCommerce
 * Plugin URI:           https://github.com/oncloudwine/ocw-woocommerce
 * Description:          Keeps your WooCommerce products, stock and orders in sync with OnCloudWine through the OnCloudWine sidecar.
 * Version:              0.1.0
 * Author:               OnCloudWine
 * Author URI:           https://oncloudwine.com
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          oncloudwine-for-woocommerce
 * Domain Path:          /languages
 * Requires at least:    5.9
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 6.0
 * WC tested up to:      10.0
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

define( 'OCW_VERSION', '0.1.0' );
define( 'OCW_PLUGIN_FILE', __FILE__ );
define( 'OCW_PLUGIN_DIR', __DIR__ . '/' );
define( 'OCW_MIN_WC_VERSION', '6.0' );

require_once OCW_PLUGIN_DIR . 'includes/class-ocw-plugin.php';

register_activation_hook( __FILE__, array( 'OCW_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'OCW_Plugin', 'deactivate' ) );

add_action( 'before_woocommerce_init', array( 'OCW_Plugin', 'declare_compatibility' ) );
add_action( 'plugins_loaded', array( 'OCW_Plugin', 'boot' ), 20 );
