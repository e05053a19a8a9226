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
	 * URL of the plugin's log in WooCommerce → Status → Logs. The log viewer of
	 * WooCommerce 8.6+ (and the database handler's list) filter by `source`; the file
	 * viewer before it (6.x–8.5, or WC_Log_Handler_File chosen later) ignores `source`
	 * and opens the file named by `log_file`: the plugin's newest file, else today's.
	 *
	 * @param string|null $viewer 'files' or 'source'; default log_viewer().
	 * @return string
	 */
	public static function logs_url( $viewer = null ) {
		if ( 'files' === ( null === $viewer ? self::log_viewer() : $viewer ) ) {
			return admin_url( 'admin.php?page=wc-status&tab=logs&log_file=' . rawurlencode( self::log_file_key() ) );
		}
		return admin_url( 'admin.php?page=wc-status&tab=logs&source=' . self::SOURCE );
	}

	/**
	 * Which log viewer WooCommerce shows: 'source' (8.6+ viewer, or the database
	 * handler's list) or 'files' (the file viewer of 6.x–8.5).
	 *
	 * @return string
	 */
	public static function log_viewer() {
		$handler = defined( 'WC_LOG_HANDLER' ) ? (string) constant( 'WC_LOG_HANDLER' ) : '';
		if ( 'WC_Log_Handler_DB' === $handler || ! class_exists( 'WC_Log_Handler_File' ) ) {
			return 'source';
		}
		if ( class_exists( 'Automattic\WooCommerce\Internal\Admin\Logging\PageController' ) && 'WC_Log_Handler_File' !== $handler ) {
			return 'source';
		}
		return 'files';
	}

	/**
	 * The file viewer's key of the plugin's newest log file (today's when there is none).
	 *
	 * @return string
	 */
	public static function log_file_key() {
		$newest = '';
		foreach ( (array) WC_Log_Handler_File::get_log_files() as $name ) {
			// File names: <source>-<Y-m-d>-<hash>.log, so the newest sorts last.
			if ( 0 === strpos( (string) $name, self::SOURCE . '-' ) && strcmp( (string) $name, $newest ) > 0 ) {
				$newest = (string) $name;
			}
		}
		if ( '' === $newest ) {
			$newest = (string) WC_Log_Handler_File::get_log_file_name( self::SOURCE );
		}
		// WC_Log_Handler_File::get_log_files() keys each file by sanitize_title( name ).
		return sanitize_title( $newest );
	}
}
