<?php
/**
 * WP-CLI double.
 *
 * @package OnCloudWine\Tests
 */

// phpcs:disable Squiz.Commenting.FunctionComment.Missing, Generic.Files.OneObjectStructurePerFile

namespace WP_CLI\Utils {
	function format_items( $format, $items, $fields ) {
		\WP_CLI::$output[] = array( 'table', $items );
	}
}

namespace {
	/**
	 * What `WP_CLI::error()` throws in tests (the real one exits 1).
	 */
	class OCW_Test_Cli_Exit extends Exception {
	}

	/**
	 * WP_CLI double.
	 */
	class WP_CLI {
		public static $output   = array();
		public static $commands = array();

		public static function add_command( $name, $callable, $args = array() ) {
			self::$commands[ $name ] = $callable;
			return true;
		}

		public static function line( $message = '' ) {
			self::$output[] = array( 'line', $message );
		}

		public static function success( $message ) {
			self::$output[] = array( 'success', $message );
		}

		public static function error( $message, $exit = true ) {
			self::$output[] = array( 'error', $message );
			throw new OCW_Test_Cli_Exit( is_string( $message ) ? $message : 'error' );
		}
	}
}
