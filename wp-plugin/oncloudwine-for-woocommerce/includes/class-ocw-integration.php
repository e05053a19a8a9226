<?php
/**
 * WooCommerce → Settings → Integration → OnCloudWine.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * The settings screen: fields through init_form_fields()/init_settings(), saved on
 * woocommerce_update_options_integration_oncloudwine, then pushed to the sidecar. The
 * shared secret is a password field that is never echoed back; leaving it blank keeps it,
 * unless the sidecar URL changes: then it must be typed again (the secret is never sent
 * to a host it was not entered for). It is stored apart from WooCommerce's autoloaded
 * settings option (OCW_Settings::SECRET_OPTION).
 * The action buttons and the status panel below the fields are printed by
 * OCW_Plugin::render_settings_extras(): WC_Integration::admin_options() is final.
 */
class OCW_Integration extends WC_Integration {

	/**
	 * Constructor (WooCommerce instantiates integrations by class name).
	 */
	public function __construct() {
		$this->id                 = OCW_Settings::SECTION;
		$this->method_title       = __( 'OnCloudWine', 'oncloudwine-for-woocommerce' );
		$this->method_description = __( 'Keeps products, stock and orders in sync with OnCloudWine through the OnCloudWine sidecar.', 'oncloudwine-for-woocommerce' );
		$this->init_form_fields();
		$this->init_settings();
		add_action( 'woocommerce_update_options_integration_' . $this->id, array( $this, 'process_admin_options' ) );
		add_filter( 'woocommerce_settings_api_sanitized_fields_' . $this->id, array( $this, 'store_secret_apart' ) );
	}

	/**
	 * The sidecar URL saved before this save (null until the URL field was validated).
	 *
	 * @var string|null
	 */
	private $previous_url = null;

	/**
	 * Filter `woocommerce_settings_api_sanitized_fields_oncloudwine` (what
	 * WC_Settings_API::process_admin_options() is about to store, autoloaded): the secret
	 * goes to its own option instead.
	 *
	 * @param array $settings Sanitised settings.
	 * @return array
	 */
	public function store_secret_apart( $settings ) {
		if ( ! is_array( $settings ) || ! array_key_exists( 'shared_secret', $settings ) ) {
			return $settings;
		}
		$secret = (string) $settings['shared_secret'];
		unset( $settings['shared_secret'] );
		if ( '' !== $secret ) {
			( new OCW_Settings() )->save_secret( $secret );
		}
		return $settings;
	}

	/**
	 * The fields.
	 */
	public function init_form_fields() {
		$this->form_fields = array(
			'sidecar_url'           => array(
				'title'       => __( 'Sidecar URL', 'oncloudwine-for-woocommerce' ),
				'type'        => 'text',
				'description' => __( 'Where the OnCloudWine sidecar listens, as this server reaches it, e.g. http://10.0.0.5:8787. It must answer directly, without a redirect.', 'oncloudwine-for-woocommerce' ),
				'placeholder' => 'http://127.0.0.1:8787',
				'default'     => '',
				'desc_tip'    => false,
			),
			'shared_secret'         => array(
				'title'       => __( 'Shared secret', 'oncloudwine-for-woocommerce' ),
				'type'        => 'ocw_secret',
				'description' => __( 'The value of OCW_SHARED_SECRET on the sidecar (at least 32 characters). It signs the webhooks and authorises the plugin. Leave blank to keep the saved secret.', 'oncloudwine-for-woocommerce' ),
				'default'     => '',
			),
			'mirror_release_orders' => array(
				'title'   => __( 'Mirror release orders', 'oncloudwine-for-woocommerce' ),
				'type'    => 'checkbox',
				'label'   => __( 'Create a WooCommerce order (status processing) for each paid OnCloudWine release order', 'oncloudwine-for-woocommerce' ),
				'default' => 'no',
			),
			'customer_mapping'      => array(
				'title'   => __( 'Customers of mirrored orders', 'oncloudwine-for-woocommerce' ),
				'type'    => 'select',
				'options' => array(
					'create' => __( 'Create matching customers (recommended)', 'oncloudwine-for-woocommerce' ),
					'single' => __( 'One "OnCloudWine" customer for every mirrored order', 'oncloudwine-for-woocommerce' ),
				),
				'default' => 'create',
			),
			'stock_sync_interval'   => array(
				'title'             => __( 'Stock sync interval (minutes)', 'oncloudwine-for-woocommerce' ),
				'type'              => 'number',
				'description'       => __( 'How often every stock level is sent in full, between 5 and 15 minutes. Changes are also sent as they happen.', 'oncloudwine-for-woocommerce' ),
				'default'           => (string) OCW_Settings::DEFAULT_INTERVAL,
				'custom_attributes' => array(
					'min'  => (string) OCW_Settings::MIN_INTERVAL,
					'max'  => (string) OCW_Settings::MAX_INTERVAL,
					'step' => '1',
				),
			),
		);
	}

	/**
	 * Renders the secret field: a password input that is always empty.
	 *
	 * @param string $key  Field key.
	 * @param array  $data Field definition.
	 * @return string
	 */
	public function generate_ocw_secret_html( $key, $data ) {
		$field_key = $this->get_field_key( $key );
		$saved     = '' !== ( new OCW_Settings() )->shared_secret();
		ob_start();
		?>
		<tr valign="top">
			<th scope="row" class="titledesc">
				<label for="<?php echo esc_attr( $field_key ); ?>"><?php echo esc_html( $data['title'] ); ?></label>
			</th>
			<td class="forminp">
				<fieldset>
					<input class="input-text regular-input" type="password" name="<?php echo esc_attr( $field_key ); ?>" id="<?php echo esc_attr( $field_key ); ?>" value="" autocomplete="new-password" placeholder="<?php echo esc_attr( $saved ? __( 'Saved — leave blank to keep', 'oncloudwine-for-woocommerce' ) : __( 'Not set', 'oncloudwine-for-woocommerce' ) ); ?>" />
					<p class="description"><?php echo esc_html( $data['description'] ); ?></p>
				</fieldset>
			</td>
		</tr>
		<?php
		return (string) ob_get_clean();
	}

	/**
	 * Validates the sidecar URL (an invalid one keeps the saved value and shows the error).
	 *
	 * @param string $key   Field key.
	 * @param mixed  $value Posted value.
	 * @return string
	 * @throws Exception When invalid.
	 */
	public function validate_sidecar_url_field( $key, $value ) {
		try {
			$url                = OCW_Settings::sanitize_sidecar_url( wp_unslash( (string) $value ) );
			$this->previous_url = (string) $this->get_option( $key );
			return $url;
		} catch ( InvalidArgumentException $e ) {
			throw new Exception( $e->getMessage() );
		}
	}

	/**
	 * Validates the shared secret: blank keeps the saved one, except with a new sidecar URL
	 * (validated just before): then the URL change is refused and the secret asked for.
	 *
	 * @param string $key   Field key.
	 * @param mixed  $value Posted value.
	 * @return string
	 * @throws Exception When too short, or blank with a changed sidecar URL.
	 */
	public function validate_shared_secret_field( $key, $value ) {
		$current = ( new OCW_Settings() )->shared_secret();
		$raw     = trim( wp_unslash( (string) $value ) );
		$new_url = isset( $this->settings['sidecar_url'] ) ? (string) $this->settings['sidecar_url'] : '';
		if ( '' === $raw && '' !== $current && null !== $this->previous_url && $new_url !== $this->previous_url ) {
			$this->settings['sidecar_url'] = $this->previous_url;
			throw new Exception( __( 'The sidecar URL was not changed: enter the shared secret again together with a new sidecar URL (the secret is never sent to a host it was not entered for).', 'oncloudwine-for-woocommerce' ) );
		}
		try {
			return OCW_Settings::sanitize_shared_secret( $raw, $current );
		} catch ( InvalidArgumentException $e ) {
			throw new Exception( $e->getMessage() );
		}
	}

	/**
	 * Validates the interval into 5–15 minutes.
	 *
	 * @param string $key   Field key.
	 * @param mixed  $value Posted value.
	 * @return string
	 */
	public function validate_stock_sync_interval_field( $key, $value ) {
		return (string) OCW_Settings::sanitize_interval( wp_unslash( (string) $value ) );
	}

	/**
	 * Validates the customer mapping.
	 *
	 * @param string $key   Field key.
	 * @param mixed  $value Posted value.
	 * @return string
	 */
	public function validate_customer_mapping_field( $key, $value ) {
		return OCW_Settings::sanitize_customer_mapping( wp_unslash( (string) $value ) );
	}

	/**
	 * Saves the posted fields only (what Connect does before connecting).
	 *
	 * @return string[] Errors of the fields that were not saved.
	 */
	public function save_posted() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return array( __( 'You are not allowed to manage OnCloudWine.', 'oncloudwine-for-woocommerce' ) );
		}
		$this->errors = array();
		parent::process_admin_options();
		return array_map( 'strval', $this->get_errors() );
	}

	/**
	 * Saves, then pushes the settings to the sidecar and brings the webhooks in line
	 * (once the sidecar accepted the secret).
	 *
	 * @return bool
	 */
	public function process_admin_options() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return false;
		}
		$this->errors = array();
		$saved        = parent::process_admin_options();
		foreach ( $this->get_errors() as $error ) {
			WC_Admin_Settings::add_error( $error );
		}
		$plugin = OCW_Plugin::instance();
		if ( $plugin && $plugin->settings()->is_configured() ) {
			$pushed = $plugin->operations()->push_settings();
			if ( ! $pushed['ok'] ) {
				WC_Admin_Settings::add_error( __( 'Saved, but the sidecar did not take the settings:', 'oncloudwine-for-woocommerce' ) . ' ' . $pushed['message'] . ' ' . $pushed['fix'] );
			}
			// A sidecar that is down costs one timeout, not one per webhook ping.
			$plugin->webhooks()->repair( false === get_transient( OCW_Sidecar_Client::UNREACHABLE_TRANSIENT ) );
			$plugin->scheduler()->ensure_scheduled( true );
		}
		return $saved;
	}
}
