<?php
/**
 * E-mails of mirrored release orders.
 *
 * @package OnCloudWine
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce sends its order e-mails for the paid orders the sidecar creates from
 * OnCloudWine release orders, but OnCloudWine already wrote to the club member. So, by
 * default, WooCommerce's *customer* e-mails are not sent for orders carrying the meta
 * `_oncloudwine_release_order_id`, nor its "account created" e-mail for a customer the
 * sidecar creates for them; the shop's own e-mails (new order, cancelled, failed) are. A
 * setting on the OnCloudWine screen sends the customer e-mails again.
 */
class OCW_Mirror_Emails {

	/**
	 * The order meta of a mirrored release order.
	 */
	const META = '_oncloudwine_release_order_id';

	/**
	 * The setting (in OCW_Settings::OPTION) that sends customer e-mails for mirrors.
	 */
	const SETTING = 'mirror_customer_emails';

	/**
	 * WooCommerce's customer e-mails about an order (ids of WC_Email classes, 6.0 → 10.x).
	 */
	const CUSTOMER_EMAILS = array(
		'customer_on_hold_order',
		'customer_processing_order',
		'customer_completed_order',
		'customer_refunded_order',
		'customer_partially_refunded_order',
		'customer_cancelled_order',
		'customer_failed_order',
		'customer_invoice',
		'customer_note',
	);

	/**
	 * The customer meta the sidecar sends when it creates a customer for release orders.
	 */
	const CUSTOMER_META = '_oncloudwine_customer';

	/**
	 * Settings.
	 *
	 * @var OCW_Settings
	 */
	private $settings;

	/**
	 * Whether this request is the sidecar creating a customer for release orders.
	 *
	 * @var bool
	 */
	private $creating_mirror_customer = false;

	/**
	 * Constructor.
	 *
	 * @param OCW_Settings $settings Settings.
	 */
	public function __construct( $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks in: one filter per customer e-mail (enabled and recipient), and the setting's
	 * field on the OnCloudWine screen.
	 */
	public function register() {
		foreach ( self::CUSTOMER_EMAILS as $id ) {
			add_filter( 'woocommerce_email_enabled_' . $id, array( $this, 'filter_enabled' ), 20, 2 );
			add_filter( 'woocommerce_email_recipient_' . $id, array( $this, 'filter_recipient' ), 20, 2 );
		}
		add_filter( 'woocommerce_settings_api_form_fields_' . OCW_Settings::SECTION, array( $this, 'add_field' ) );
		add_filter( 'rest_request_before_callbacks', array( $this, 'note_mirror_customer' ), 10, 3 );
		add_filter( 'woocommerce_email_enabled_customer_new_account', array( $this, 'filter_new_account' ), 20, 2 );
	}

	/**
	 * Filter rest_request_before_callbacks: notes a POST /wc/v3/customers whose meta_data
	 * carries _oncloudwine_customer (the sidecar creating a release order's customer).
	 * WooCommerce sends its "account created" e-mail inside that request, before the
	 * customer's meta is saved, so the request is what tells.
	 *
	 * @param mixed $response Response so far (passed through).
	 * @param mixed $handler  Route handler.
	 * @param mixed $request  WP_REST_Request.
	 * @return mixed
	 */
	public function note_mirror_customer( $response, $handler, $request ) {
		unset( $handler );
		if ( ! is_object( $request ) || ! method_exists( $request, 'get_route' ) || 'POST' !== $request->get_method() ) {
			return $response;
		}
		if ( ! preg_match( '#^/wc/v[0-9]+/customers/?$#', (string) $request->get_route() ) ) {
			return $response;
		}
		foreach ( (array) $request->get_param( 'meta_data' ) as $meta ) {
			if ( is_array( $meta ) && isset( $meta['key'] ) && self::CUSTOMER_META === $meta['key'] ) {
				$this->creating_mirror_customer = true;
			}
		}
		return $response;
	}

	/**
	 * Filter woocommerce_email_enabled_customer_new_account: off for a customer the sidecar
	 * creates for release orders (the member has an OnCloudWine account, not a shop login to
	 * be told about), unless the setting sends customer e-mails.
	 *
	 * @param bool  $enabled Whether WooCommerce would send it.
	 * @param mixed $user    The new user.
	 * @return bool
	 */
	public function filter_new_account( $enabled, $user = null ) {
		unset( $user );
		return $enabled && ! ( $this->creating_mirror_customer && 'yes' !== $this->settings->get( self::SETTING ) );
	}

	/**
	 * Filter woocommerce_email_enabled_{customer e-mail}: off for a mirrored order.
	 *
	 * @param bool  $enabled Whether WooCommerce would send it.
	 * @param mixed $order   The e-mail's object (the order, for order e-mails).
	 * @return bool
	 */
	public function filter_enabled( $enabled, $order = null ) {
		return $enabled && ! $this->suppressed( $order );
	}

	/**
	 * Filter woocommerce_email_recipient_{customer e-mail}: nobody for a mirrored order
	 * (WooCommerce sends nothing without a recipient), for e-mails sent around is_enabled().
	 *
	 * @param string $recipient Recipient(s).
	 * @param mixed  $order     The e-mail's object.
	 * @return string
	 */
	public function filter_recipient( $recipient, $order = null ) {
		return $this->suppressed( $order ) ? '' : $recipient;
	}

	/**
	 * Whether the customer e-mails of this object are suppressed: a mirrored order while
	 * the setting is off.
	 *
	 * @param mixed $order The e-mail's object.
	 * @return bool
	 */
	public function suppressed( $order ) {
		if ( ! is_object( $order ) || ! method_exists( $order, 'get_meta' ) ) {
			return false;
		}
		if ( '' === (string) $order->get_meta( self::META, true ) ) {
			return false;
		}
		return 'yes' !== $this->settings->get( self::SETTING );
	}

	/**
	 * Filter woocommerce_settings_api_form_fields_oncloudwine: the checkbox, after the
	 * customer mapping.
	 *
	 * @param array $fields Form fields.
	 * @return array
	 */
	public function add_field( $fields ) {
		$field = array(
			'title'       => __( 'Customer e-mails for mirrored orders', 'oncloudwine-for-woocommerce' ),
			'type'        => 'checkbox',
			'label'       => __( 'Send WooCommerce\'s customer e-mails for mirrored release orders', 'oncloudwine-for-woocommerce' ),
			'description' => __( 'Off by default: OnCloudWine already wrote to the club member. The shop\'s own "new order" e-mail is sent either way.', 'oncloudwine-for-woocommerce' ),
			'default'     => 'no',
		);
		$out   = array();
		foreach ( (array) $fields as $key => $value ) {
			$out[ $key ] = $value;
			if ( 'customer_mapping' === $key ) {
				$out[ self::SETTING ] = $field;
			}
		}
		if ( ! isset( $out[ self::SETTING ] ) ) {
			$out[ self::SETTING ] = $field;
		}
		return $out;
	}
}
