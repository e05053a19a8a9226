<?php
/**
 * The OnCloudWine section of WooCommerce → Status → System status.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Adds sidecar URL, plugin and sidecar versions, last contact and webhook states to the
 * System Status report (and to the text report support asks for). It uses what the
 * plugin last saw; it does not call the sidecar.
 */
class OCW_System_Status {

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Webhooks.
	 *
	 * @var OCW_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings $settings Settings.
	 * @param OCW_Webhooks $webhooks Webhooks.
	 */
	public function __construct( OCW_Settings $settings, OCW_Webhooks $webhooks ) {
		$this->settings = $settings;
		$this->webhooks = $webhooks;
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		add_action( 'woocommerce_system_status_report', array( $this, 'render' ) );
	}

	/**
	 * Rows of the section: array( export label, label, value ).
	 *
	 * @return array
	 */
	public function rows() {
		$contact  = get_option( OCW_Sidecar_Client::LAST_CONTACT_OPTION, array() );
		$contact  = is_array( $contact ) ? $contact : array();
		$webhooks = array();
		foreach ( $this->webhooks->statuses() as $topic => $status ) {
			$webhooks[] = $topic . ' ' . $status;
		}
		return array(
			array( 'Plugin version', __( 'Plugin version', 'oncloudwine-for-woocommerce' ), OCW_VERSION ),
			array( 'Sidecar URL', __( 'Sidecar URL', 'oncloudwine-for-woocommerce' ), '' !== $this->settings->sidecar_url() ? $this->settings->sidecar_url() : '–' ),
			array( 'Shared secret', __( 'Shared secret', 'oncloudwine-for-woocommerce' ), '' !== $this->settings->shared_secret() ? __( 'set', 'oncloudwine-for-woocommerce' ) : __( 'not set', 'oncloudwine-for-woocommerce' ) ),
			array( 'Sidecar version', __( 'Sidecar version', 'oncloudwine-for-woocommerce' ), isset( $contact['version'] ) && '' !== $contact['version'] ? $contact['version'] : '–' ),
			array( 'Connection', __( 'Connection', 'oncloudwine-for-woocommerce' ), isset( $contact['connection'] ) && '' !== $contact['connection'] ? $contact['connection'] : '–' ),
			array( 'Last contact', __( 'Last contact', 'oncloudwine-for-woocommerce' ), isset( $contact['at'] ) ? gmdate( 'Y-m-d H:i:s', (int) $contact['at'] ) . ' UTC' : __( 'never', 'oncloudwine-for-woocommerce' ) ),
			array( 'Webhooks', __( 'Webhooks', 'oncloudwine-for-woocommerce' ), implode( ', ', $webhooks ) ),
		);
	}

	/**
	 * Prints the section.
	 */
	public function render() {
		echo '<table class="wc_status_table widefat" cellspacing="0" id="status-oncloudwine"><thead><tr><th colspan="3" data-export-label="OnCloudWine"><h2>' . esc_html__( 'OnCloudWine', 'oncloudwine-for-woocommerce' ) . '</h2></th></tr></thead><tbody>';
		foreach ( $this->rows() as $row ) {
			printf(
				'<tr><td data-export-label="%1$s">%2$s:</td><td class="help">&nbsp;</td><td>%3$s</td></tr>',
				esc_attr( $row[0] ),
				esc_html( $row[1] ),
				esc_html( (string) $row[2] )
			);
		}
		echo '</tbody></table>';
	}
}
