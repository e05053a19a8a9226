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
