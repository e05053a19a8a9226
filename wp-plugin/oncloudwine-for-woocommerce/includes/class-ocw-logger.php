<?php
/**
 * Logging through WooCommerce's logger.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Writes to wc_get_logger() with the plugin's source, so entries show under
 * WooCommerce → Status → Logs → oncloudwine-for-woocommerce.
 */
class OCW_Logger {

	/**
	 * Log source (the plugin slug).
	 */
	const SOURCE = 'oncloudwine-for-woocommerce';

	/**
	 * Logs at info level.
	 *
	 * @param string $message Message.
	 * @param array  $context Extra context.
	 */
	public function info( $message, array $context = array() ) {
		$this->log( 'info', $message, $context );
	}

	/**
	 * Logs at warning level.
	 *
	 * @param string $message Message.
	 * @param array  $context Extra context.
	 */
	public function warning( $message, array $context = array() ) {
		$this->log( 'warning', $message, $context );
	}

	/**
	 * Logs at error level.
	 *
	 * @param string $message Message.
	 * @param array  $context Extra context.
	 */
	public function error( $message, array $context = array() ) {
		$this->log( 'error', $message, $context );
	}

	/**
	 * Logs a message when WooCommerce's logger exists.
	 *
	 * @param string $level   A WC_Log_Levels level.
	 * @param string $message Message.
	 * @param array  $context Extra context.
	 */
	public function log( $level, $message, array $context = array() ) {
		if ( ! function_exists( 'wc_get_logger' ) ) {
			return;
		}
		$context['source'] = self::SOURCE;
		wc_get_logger()->log( $level, $message, $context );
	}

	/**
	 * URL of the plugin's log in WooCommerce → Status → Logs.
	 *
	 * @return string
	 */
	public static function logs_url() {
		return admin_url( 'admin.php?page=wc-status&tab=logs&source=' . self::SOURCE );
	}
}
