<?php
/**
 * Customer e-mails of mirrored release orders.
 *
 * @package OnCloudWine\Tests
 */

/**
 * An order double with metas.
 */
class OCW_Test_Meta_Order {

	/**
	 * Metas.
	 *
	 * @var array
	 */
	private $meta;

	/**
	 * Constructor.
	 *
	 * @param array $meta Metas.
	 */
	public function __construct( array $meta ) {
		$this->meta = $meta;
	}

	/**
	 * WC_Data::get_meta().
	 *
	 * @param string $key    Key.
	 * @param bool   $single Single.
	 * @return mixed
	 */
	public function get_meta( $key, $single = true ) {
		unset( $single );
		return isset( $this->meta[ $key ] ) ? $this->meta[ $key ] : '';
	}
}

/**
 * A REST request double.
 */
class OCW_Test_Rest_Request {

	/**
	 * Method, route, params.
	 *
	 * @var array
	 */
	private $parts;

	/**
	 * Constructor.
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 * @param array  $params Params.
	 */
	public function __construct( $method, $route, array $params ) {
		$this->parts = array( $method, $route, $params );
	}

	/**
	 * Method.
	 *
	 * @return string
	 */
	public function get_method() {
		return $this->parts[0];
	}

	/**
	 * Route.
	 *
	 * @return string
	 */
	public function get_route() {
		return $this->parts[1];
	}

	/**
	 * One parameter.
	 *
	 * @param string $key Key.
	 * @return mixed
	 */
	public function get_param( $key ) {
		return isset( $this->parts[2][ $key ] ) ? $this->parts[2][ $key ] : null;
	}
}

/**
 * Customer e-mails are off for mirrored orders unless the setting turns them on; the
 * shop's e-mails and other orders are untouched.
 */
class MirrorEmailsTest extends OCW_Test_Case {

	/**
	 * A mirrored order.
	 *
	 * @var OCW_Test_Meta_Order
	 */
	private $mirrored;

	/**
	 * A shop order.
	 *
	 * @var OCW_Test_Meta_Order
	 */
	private $online;

	/**
	 * Plugin part hooked in.
	 */
	protected function setUp(): void {
		parent::setUp();
		OCW_Test_World::configure();
		list( $settings ) = $this->parts();
		( new OCW_Mirror_Emails( $settings ) )->register();
		$this->mirrored = new OCW_Test_Meta_Order( array( '_oncloudwine_release_order_id' => 'ro_000042' ) );
		$this->online   = new OCW_Test_Meta_Order( array() );
	}

	/**
	 * By default: every customer e-mail of a mirrored order is off; new order is on.
	 */
	public function test_customer_emails_suppressed_for_mirrors_by_default() {
		foreach ( OCW_Mirror_Emails::CUSTOMER_EMAILS as $id ) {
			$this->assertFalse( apply_filters( 'woocommerce_email_enabled_' . $id, true, $this->mirrored ), $id );
			$this->assertSame( '', apply_filters( 'woocommerce_email_recipient_' . $id, 'club@example.com', $this->mirrored ), $id );
			$this->assertTrue( apply_filters( 'woocommerce_email_enabled_' . $id, true, $this->online ), $id . ' of a shop order' );
			$this->assertSame( 'ana@example.com', apply_filters( 'woocommerce_email_recipient_' . $id, 'ana@example.com', $this->online ), $id );
		}
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_new_order', true, $this->mirrored ), 'the shop keeps its new-order e-mail' );
		$this->assertSame( 'shop@example.com', apply_filters( 'woocommerce_email_recipient_new_order', 'shop@example.com', $this->mirrored ) );
	}

	/**
	 * A customer e-mail the shop disabled stays disabled; an e-mail without an order is untouched.
	 */
	public function test_never_turns_an_email_on() {
		$this->assertFalse( apply_filters( 'woocommerce_email_enabled_customer_processing_order', false, $this->online ) );
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_customer_processing_order', true, null ) );
	}

	/**
	 * The setting sends them again.
	 */
	public function test_setting_turns_customer_emails_back_on() {
		OCW_Test_World::configure( array( 'mirror_customer_emails' => 'yes' ) );
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_customer_processing_order', true, $this->mirrored ) );
		$this->assertSame( 'club@example.com', apply_filters( 'woocommerce_email_recipient_customer_processing_order', 'club@example.com', $this->mirrored ) );
	}

	/**
	 * The "account created" e-mail is off in the request where the sidecar creates a
	 * release order's customer, and only there.
	 */
	public function test_new_account_email_off_for_the_sidecars_customers() {
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_customer_new_account', true, null ), 'before any request' );
		$other = new OCW_Test_Rest_Request( 'POST', '/wc/v3/customers', array( 'email' => 'a@example.com' ) );
		apply_filters( 'rest_request_before_callbacks', null, array(), $other );
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_customer_new_account', true, null ), 'a customer made by someone else' );
		$ours = new OCW_Test_Rest_Request(
			'POST',
			'/wc/v3/customers',
			array(
				'email'     => 'club@example.com',
				'meta_data' => array(
					array(
						'key'   => '_oncloudwine_customer',
						'value' => 'create',
					),
				),
			)
		);
		$this->assertNull( apply_filters( 'rest_request_before_callbacks', null, array(), $ours ) );
		$this->assertFalse( apply_filters( 'woocommerce_email_enabled_customer_new_account', true, null ) );
		OCW_Test_World::configure( array( 'mirror_customer_emails' => 'yes' ) );
		$this->assertTrue( apply_filters( 'woocommerce_email_enabled_customer_new_account', true, null ), 'the setting sends it' );
	}

	/**
	 * The setting's checkbox follows the customer mapping on the settings screen.
	 */
	public function test_field_added_after_customer_mapping() {
		$fields = apply_filters(
			'woocommerce_settings_api_form_fields_oncloudwine',
			array(
				'mirror_release_orders' => array(),
				'customer_mapping'      => array(),
				'stock_sync_interval'   => array(),
			)
		);
		$this->assertSame( array( 'mirror_release_orders', 'customer_mapping', 'mirror_customer_emails', 'stock_sync_interval' ), array_keys( $fields ) );
		$this->assertSame( 'checkbox', $fields['mirror_customer_emails']['type'] );
		$this->assertSame( 'no', $fields['mirror_customer_emails']['default'] );
	}
}
