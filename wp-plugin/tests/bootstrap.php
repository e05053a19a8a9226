<?php
/**
 * PHPUnit bootstrap: WordPress/WooCommerce doubles, then the plugin's classes.
 *
 * @package OnCloudWine\Tests
 */

define( 'ABSPATH', __DIR__ . '/' );
define( 'MINUTE_IN_SECONDS', 60 );
define( 'HOUR_IN_SECONDS', 3600 );
define( 'ARRAY_A', 'ARRAY_A' );
define( 'OBJECT', 'OBJECT' );

$ocw_plugin_dir = dirname( __DIR__ ) . '/oncloudwine-for-woocommerce';
define( 'OCW_VERSION', '0.1.0-test' );
define( 'OCW_PLUGIN_FILE', $ocw_plugin_dir . '/oncloudwine-for-woocommerce.php' );
define( 'OCW_PLUGIN_DIR', $ocw_plugin_dir . '/' );
define( 'OCW_MIN_WC_VERSION', '6.0' );

require_once __DIR__ . '/doubles/class-ocw-test-world.php';
require_once __DIR__ . '/doubles/wp-functions.php';
require_once __DIR__ . '/doubles/wc-doubles.php';
require_once __DIR__ . '/doubles/wc-rest.php';
require_once __DIR__ . '/doubles/wc-rest-server.php';
require_once __DIR__ . '/doubles/class-ocw-test-prepared-wpdb.php';
require_once __DIR__ . '/doubles/features-util.php';
require_once __DIR__ . '/doubles/wp-cli.php';

require_once $ocw_plugin_dir . '/includes/class-ocw-plugin.php';
foreach ( OCW_Plugin::FILES as $ocw_file ) {
	require_once $ocw_plugin_dir . '/includes/' . $ocw_file;
}
require_once $ocw_plugin_dir . '/includes/class-ocw-integration.php';

require_once __DIR__ . '/class-ocw-test-case.php';
require_once $ocw_plugin_dir . '/includes/class-ocw-cli.php';
