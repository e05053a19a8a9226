package oncloudwine

import "time"

// MaxBatch is the most items one request of a batch call may carry.
const MaxBatch = 100

// Connection statuses reported with ReportConnection.
const (
	ConnectionActive       = "ACTIVE"
	ConnectionError        = "ERROR"
	ConnectionDisconnected = "DISCONNECTED"
)

// Mirror statuses reported with ReportMirror.
const (
	MirrorSynced = "SYNCED"
	MirrorFailed = "FAILED"
)

// Ping is the answer of GET /v1/ping.
type Ping struct {
	Organization string `json:"organization"`
	OK           bool   `json:"ok"`
}

// Connection is the body of POST /v1/woocommerce/connection.
type Connection struct {
	Status    string `json:"status"`
	StoreURL  string `json:"store_url"`
	WCVersion string `json:"wc_version"`
}

// Variant is one sellable WooCommerce item (a simple product or a variation),
// matched by SKU. Money and weights are decimal strings ("30.50"); an empty
// string means unset.
type Variant struct {
	SKU            string            `json:"sku"`
	WooProductID   int64             `json:"woo_product_id"`
	WooVariationID int64             `json:"woo_variation_id"`
	ProductName    string            `json:"product_name"`
	VariantName    string            `json:"variant_name"`
	Attributes     map[string]string `json:"attributes"`
	Status         string            `json:"status"`
	Price          string            `json:"price"`
	RegularPrice   string            `json:"regular_price"`
	SalePrice      string            `json:"sale_price"`
	Currency       string            `json:"currency"`
	Weight         string            `json:"weight"`
	WeightUnit     string            `json:"weight_unit"`
	WooModifiedAt  time.Time         `json:"woo_modified_at"`
}

// VariantResult is OnCloudWine's answer for one upserted variant.
type VariantResult struct {
	SKU          string `json:"sku"`
	OCWVariantID string `json:"ocw_variant_id"`
	Created      bool   `json:"created"`
}

// StockLevel is WooCommerce's stock of one SKU, with OnCloudWine's
// reservations deducted: Available = max(0, OnHand - Reserved).
type StockLevel struct {
	SKU         string    `json:"sku"`
	ManageStock bool      `json:"manage_stock"`
	OnHand      int       `json:"on_hand"`
	Reserved    int       `json:"reserved"`
	Available   int       `json:"available"`
	StockStatus string    `json:"stock_status"`
	ObservedAt  time.Time `json:"observed_at"`
}

// Reservation is a quantity OnCloudWine holds back for a SKU.
type Reservation struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// Address is a WooCommerce billing or shipping address.
type Address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// Customer is the buyer of an online order.
type Customer struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// OrderLineItem is one line of an online order; Total is a decimal string.
//
// SKU is "" when the product has none; Name and the WooCommerce ids then
// tell which product it is.
type OrderLineItem struct {
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	WooProductID   int64  `json:"woo_product_id,omitempty"`
	WooVariationID int64  `json:"woo_variation_id,omitempty"`
	Quantity       int    `json:"quantity"`
	Total          string `json:"total"`
}

// Order is a paid WooCommerce (online) order, matched by WooOrderID.
// WooModifiedAt is optional (docs/oncloudwine-api.md, orders:upsert): set it so that an
// order whose status goes A → B → A gets a new Idempotency-Key the third time.
type Order struct {
	WooOrderID    int64           `json:"woo_order_id"`
	Number        string          `json:"number"`
	Status        string          `json:"status"`
	Currency      string          `json:"currency"`
	Total         string          `json:"total"`
	TotalRefunded string          `json:"total_refunded"`
	DatePaid      *time.Time      `json:"date_paid"`
	Customer      Customer        `json:"customer"`
	Billing       Address         `json:"billing"`
	Shipping      Address         `json:"shipping"`
	LineItems     []OrderLineItem `json:"line_items"`
	WooModifiedAt *time.Time      `json:"woo_modified_at,omitempty"`
	// Warning, when set, tells OnCloudWine's users what to fix in
	// WooCommerce (a line whose product has no SKU).
	Warning string `json:"warning,omitempty"`
}

// ReleaseCustomer is the buyer of a release order.
type ReleaseCustomer struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone"`
}

// ReleaseLineItem is one line of a release order; UnitPrice is a decimal string.
type ReleaseLineItem struct {
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
}

// ReleaseOrder is an order placed in an OnCloudWine release (wine club
// shipment, allocation), to be mirrored into WooCommerce once paid.
type ReleaseOrder struct {
	ID            string            `json:"id"`
	ReleaseID     string            `json:"release_id"`
	Number        string            `json:"number"`
	Status        string            `json:"status"`
	Customer      ReleaseCustomer   `json:"customer"`
	Billing       Address           `json:"billing"`
	Shipping      Address           `json:"shipping"`
	LineItems     []ReleaseLineItem `json:"line_items"`
	ShippingTotal string            `json:"shipping_total"`
	Total         string            `json:"total"`
	Currency      string            `json:"currency"`
	PaidAt        time.Time         `json:"paid_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

// ReleaseOrderQuery selects a page of release orders. A zero Status means
// "paid", a zero Limit the server's default (50); AfterID needs UpdatedAfter.
type ReleaseOrderQuery struct {
	Status       string
	UpdatedAfter time.Time
	AfterID      string
	Limit        int
}

// ReleaseOrderCursor is where the next page starts: after the release order
// with (UpdatedAt, ID) = (UpdatedAfter, AfterID).
type ReleaseOrderCursor struct {
	UpdatedAfter time.Time `json:"updated_after"`
	AfterID      string    `json:"after_id"`
}

// ReleaseOrderPage is one page of release orders, oldest update first. Next
// is nil on the last page: keep the (updated_at, id) of the last order you
// handled as the cursor of your next poll.
type ReleaseOrderPage struct {
	ReleaseOrders []ReleaseOrder      `json:"release_orders"`
	Next          *ReleaseOrderCursor `json:"next"`
}

// Query is the query that fetches the page this cursor points to.
func (c ReleaseOrderCursor) Query(limit int) ReleaseOrderQuery {
	return ReleaseOrderQuery{Status: "paid", UpdatedAfter: c.UpdatedAfter, AfterID: c.AfterID, Limit: limit}
}

// MirrorReport tells OnCloudWine how mirroring a release order into
// WooCommerce went: SYNCED with the WooCommerce order id, or FAILED with the
// error text.
type MirrorReport struct {
	Status     string `json:"status"`
	WooOrderID int64  `json:"woo_order_id,omitempty"`
	Error      string `json:"error,omitempty"`
}
