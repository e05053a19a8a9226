package ocwsim

import "time"

// Variant is a variant as received by variants:upsert.
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

// StockLevel is a stock level as received by stock:update.
type StockLevel struct {
	SKU         string    `json:"sku"`
	ManageStock bool      `json:"manage_stock"`
	OnHand      int       `json:"on_hand"`
	Reserved    int       `json:"reserved"`
	Available   int       `json:"available"`
	StockStatus string    `json:"stock_status"`
	ObservedAt  time.Time `json:"observed_at"`
}

// Address is a billing or shipping address.
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

// OrderLineItem is a line of an online order.
type OrderLineItem struct {
	SKU            string `json:"sku"`
	Name           string `json:"name,omitempty"`
	WooProductID   int64  `json:"woo_product_id,omitempty"`
	WooVariationID int64  `json:"woo_variation_id,omitempty"`
	Quantity       int    `json:"quantity"`
	Total          string `json:"total"`
}

// Order is an online order as received by orders:upsert.
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
	Warning       string          `json:"warning,omitempty"`
}

// ReleaseCustomer is the buyer of a release order.
type ReleaseCustomer struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone"`
}

// ReleaseLineItem is a line of a release order.
type ReleaseLineItem struct {
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
}

// ReleaseOrder is an order of an OnCloudWine release.
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

// MirrorReport is the last mirror report received for a release order.
type MirrorReport struct {
	Status     string `json:"status"`
	WooOrderID int64  `json:"woo_order_id,omitempty"`
	Error      string `json:"error,omitempty"`
}

// Connection is the last connection report received.
type Connection struct {
	Status    string `json:"status"`
	StoreURL  string `json:"store_url"`
	WCVersion string `json:"wc_version"`
}

// Reservation is a quantity held back for a SKU.
type Reservation struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// VariantResult is the answer for one upserted variant.
type VariantResult struct {
	SKU          string `json:"sku"`
	OCWVariantID string `json:"ocw_variant_id"`
	Created      bool   `json:"created"`
}

// OrderResult is the answer for one upserted online order.
type OrderResult struct {
	WooOrderID int64  `json:"woo_order_id"`
	OCWOrderID string `json:"ocw_order_id"`
	Created    bool   `json:"created"`
}
