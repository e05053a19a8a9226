<?php
/**
 * Creates the sidecar's REST key the way WC_Auth::create_keys() does.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce's app-authorization flow refuses a non-https callback, so it cannot hand a
 * key to a sidecar on a private http address. The plugin, running inside WordPress, adds
 * the row to `{prefix}woocommerce_api_keys` itself: consumer key stored as wc_api_hash(),
 * secret in clear, truncated_key = last 7 characters, permissions read_write. The clear
 * key goes to the sidecar once, server-side, and is never shown or stored by the plugin.
 */
class OCW_Api_Keys {

	/**
	 * Option holding the key_id of the key the plugin created (to replace it later).
	 */
	const KEY_ID_OPTION = 'oncloudwine_api_key_id';

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
	 * Creates a read/write key for a user. The key the plugin created before stays until
	 * commit() (the sidecar confirmed the new one): the store is never left without a key.
	 *
	 * @param int $user_id Owner of the key (needs manage_woocommerce).
	 * @return array consumer_key, consumer_secret, key_id.
	 * @throws RuntimeException When the row cannot be written.
	 */
	public function create( $user_id ) {
		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$inserted        = $this->db->insert(
			$this->db->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => (int) $user_id,
				'description'     => sprintf( 'OnCloudWine sidecar - API (%s)', gmdate( 'Y-m-d H:i:s' ) ),
				'permissions'     => 'read_write',
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		if ( ! $inserted ) {
			throw new RuntimeException( __( 'The REST API key could not be created.', 'oncloudwine-for-woocommerce' ) );
		}
		$key_id = (int) $this->db->insert_id;
		return array(
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
			'key_id'          => $key_id,
		);
	}

	/**
	 * The sidecar confirmed a connection with a key created by create(): it becomes the
	 * plugin's key and the one before is revoked.
	 *
	 * @param int $key_id New key.
	 */
	public function commit( $key_id ) {
		$key_id = (int) $key_id;
		$before = (int) get_option( self::KEY_ID_OPTION, 0 );
		if ( $before !== $key_id ) {
			$this->revoke();
		}
		update_option( self::KEY_ID_OPTION, $key_id, false );
	}

	/**
	 * The sidecar refused a connection with a key created by create(): that key goes, the
	 * plugin's key before it stays (the sidecar still uses it).
	 *
	 * @param int $key_id New key.
	 * @return bool Whether it was deleted.
	 */
	public function discard( $key_id ) {
		$key_id  = (int) $key_id;
		$working = (int) get_option( self::KEY_ID_OPTION, 0 );
		if ( $key_id <= 0 || $working === $key_id ) {
			return false;
		}
		return (bool) $this->db->delete( $this->db->prefix . 'woocommerce_api_keys', array( 'key_id' => $key_id ), array( '%d' ) );
	}

	/**
	 * Deletes the key the plugin created, if any.
	 *
	 * @return bool Whether a key was deleted.
	 */
	public function revoke() {
		$key_id = (int) get_option( self::KEY_ID_OPTION, 0 );
		if ( $key_id <= 0 ) {
			return false;
		}
		delete_option( self::KEY_ID_OPTION );
		return (bool) $this->db->delete( $this->db->prefix . 'woocommerce_api_keys', array( 'key_id' => $key_id ), array( '%d' ) );
	}
}
