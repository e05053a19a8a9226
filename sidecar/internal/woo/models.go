package woo

import "encoding/json"

// Attribute is a product attribute (Size, Vintage). On a variable product,
// Variation tells whether it defines variations and Options lists the values.
type Attribute struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Slug      string   `json:"slug,omitempty"` // 10.0.2 only
	Variation bool     `json:"variation"`
	Options   []string `json:"options"`
}

// VariationAttribute is the chosen value of one attribute on a variation.
type VariationAttribute struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Slug   string `json:"slug,omitempty"` // 10.0.2 only
	Option string `json:"option"`
}

// Category is a product category reference.
type Category struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// MetaData is one meta entry; Value is any JSON.
type MetaData struct {
	ID    int64           `json:"id,omitempty"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// Product is what the sync needs of a REST v3 product. Unknown fields are
// ignored. Variations holds the ids of a variable product's variations.
type Product struct {
	ID              int64       `json:"id"`
	Name            string      `json:"name"`
	Slug            string      `json:"slug"`
	Permalink       string      `json:"permalink"`
	Type            string      `json:"type"`   // simple, variable, grouped, external, variation
	Status          string      `json:"status"` // publish, draft, pending, private, trash
	SKU             string      `json:"sku"`
	Price           Decimal     `json:"price"`
	RegularPrice    Decimal     `json:"regular_price"`
	SalePrice       Decimal     `json:"sale_price"`
	OnSale          bool        `json:"on_sale"`
	Purchasable     bool        `json:"purchasable"`
	Weight          Decimal     `json:"weight"`
	ManageStock     ManageStock `json:"manage_stock"`
	StockQuantity   *int64      `json:"stock_quantity"`
	StockStatus     string      `json:"stock_status"` // instock, outofstock, onbackorder
	ParentID        int64       `json:"parent_id"`
	DateCreatedGMT  GMTTime     `json:"date_created_gmt"`
	DateModifiedGMT GMTTime     `json:"date_modified_gmt"`
	Categories      []Category  `json:"categories"`
	Attributes      []Attribute `json:"attributes"`
	Variations      []int64     `json:"variations"`
	MetaData        []MetaData  `json:"meta_data"`
}

// Variation is a REST v3 product variation. REST quirks kept as they come:
// a variation without its own SKU reports its parent's SKU, ManageStock may
// be ManageStockParent (then StockQuantity is the parent's). ParentID is
// filled by the client on 6.9 (which does not send it).
type Variation struct {
	ID              int64                `json:"id"`
	ParentID        int64                `json:"parent_id"`
	Name            string               `json:"name"` // 10.0.2 only ("750ml, 2021")
	Permalink       string               `json:"permalink"`
	Status          string               `json:"status"` // publish, private (disabled)
	SKU             string               `json:"sku"`
	Price           Decimal              `json:"price"`
	RegularPrice    Decimal              `json:"regular_price"`
	SalePrice       Decimal              `json:"sale_price"`
	OnSale          bool                 `json:"on_sale"`
	Purchasable     bool                 `json:"purchasable"`
	Weight          Decimal              `json:"weight"`
	ManageStock     ManageStock          `json:"manage_stock"`
	StockQuantity   *int64               `json:"stock_quantity"`
	StockStatus     string               `json:"stock_status"`
	DateCreatedGMT  GMTTime              `json:"date_created_gmt"`
	DateModifiedGMT GMTTime              `json:"date_modified_gmt"`
	Attributes      []VariationAttribute `json:"attributes"`
	MetaData        []MetaData           `json:"meta_data"`
}

// StockLevel is one product's or variation's stock (the plugin's `stock`
// route, or the same fields read through REST).
type StockLevel struct {
	ID            int64       `json:"id"`
	ParentID      int64       `json:"parent_id"` // 0 for products
	SKU           string      `json:"sku"`
	ManageStock   ManageStock `json:"manage_stock"`
	StockQuantity *int64      `json:"stock_quantity"`
	StockStatus   string      `json:"stock_status"`
	// DateModifiedGMT is when the product or variation was last saved (a
	// stock change saves it); zero when the source does not tell.
	DateModifiedGMT GMTTime `json:"date_modified_gmt"`
}

// Address is a billing or shipping address. Email only exists on billing.
type Address struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Company   string `json:"company,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Country   string `json:"country,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// MetaInput is a meta entry to write; Value is marshalled as JSON.
type MetaInput struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// LineItemInput is an order line to create. Subtotal/Total, when set, keep
// the caller's prices (the release's) instead of the store's.
type LineItemInput struct {
	ProductID   int64       `json:"product_id,omitempty"`
	VariationID int64       `json:"variation_id,omitempty"`
	SKU         string      `json:"sku,omitempty"`
	Quantity    int         `json:"quantity"`
	Subtotal    Decimal     `json:"subtotal,omitzero"`
	Total       Decimal     `json:"total,omitzero"`
	MetaData    []MetaInput `json:"meta_data,omitempty"`
}

// ShippingLineInput is a shipping line to create.
type ShippingLineInput struct {
	MethodID    string  `json:"method_id"`
	MethodTitle string  `json:"method_title"`
	Total       Decimal `json:"total"`
}

// OrderInput is the body of POST /orders.
type OrderInput struct {
	Status             string              `json:"status,omitempty"`
	SetPaid            bool                `json:"set_paid,omitempty"`
	CustomerID         int64               `json:"customer_id,omitempty"`
	PaymentMethod      string              `json:"payment_method,omitempty"`
	PaymentMethodTitle string              `json:"payment_method_title,omitempty"`
	TransactionID      string              `json:"transaction_id,omitempty"`
	Currency           string              `json:"currency,omitempty"`
	CreatedVia         string              `json:"created_via,omitempty"`
	CustomerNote       string              `json:"customer_note,omitempty"`
	Billing            *Address            `json:"billing,omitempty"`
	Shipping           *Address            `json:"shipping,omitempty"`
	LineItems          []LineItemInput     `json:"line_items"`
	ShippingLines      []ShippingLineInput `json:"shipping_lines,omitempty"`
	MetaData           []MetaInput         `json:"meta_data,omitempty"`
}

// LineItem is an order line as WooCommerce returns it.
type LineItem struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	ProductID   int64      `json:"product_id"`
	VariationID int64      `json:"variation_id"`
	Quantity    int        `json:"quantity"`
	SKU         string     `json:"sku"`
	Price       Decimal    `json:"price"` // a JSON number here
	Subtotal    Decimal    `json:"subtotal"`
	Total       Decimal    `json:"total"`
	TotalTax    Decimal    `json:"total_tax"`
	MetaData    []MetaData `json:"meta_data"`
}

// ShippingLine is an order's shipping line.
type ShippingLine struct {
	ID          int64   `json:"id"`
	MethodID    string  `json:"method_id"`
	MethodTitle string  `json:"method_title"`
	Total       Decimal `json:"total"`
}

// Order is a REST v3 order.
type Order struct {
	ID                 int64          `json:"id"`
	ParentID           int64          `json:"parent_id"`
	Number             string         `json:"number"`
	Status             string         `json:"status"`
	Currency           string         `json:"currency"`
	Total              Decimal        `json:"total"`
	TotalTax           Decimal        `json:"total_tax"`
	ShippingTotal      Decimal        `json:"shipping_total"`
	DiscountTotal      Decimal        `json:"discount_total"`
	CustomerID         int64          `json:"customer_id"`
	Billing            Address        `json:"billing"`
	Shipping           Address        `json:"shipping"`
	PaymentMethod      string         `json:"payment_method"`
	PaymentMethodTitle string         `json:"payment_method_title"`
	TransactionID      string         `json:"transaction_id"`
	CreatedVia         string         `json:"created_via"`
	CustomerNote       string         `json:"customer_note"`
	DateCreatedGMT     GMTTime        `json:"date_created_gmt"`
	DateModifiedGMT    GMTTime        `json:"date_modified_gmt"`
	DatePaidGMT        GMTTime        `json:"date_paid_gmt"`
	DateCompletedGMT   GMTTime        `json:"date_completed_gmt"`
	LineItems          []LineItem     `json:"line_items"`
	ShippingLines      []ShippingLine `json:"shipping_lines"`
	MetaData           []MetaData     `json:"meta_data"`
	Refunds            []Refund       `json:"refunds"`
}

// Refund is one refund of an order as the order lists it: Total is
// negative ("-5.00"), the way WooCommerce writes it.
type Refund struct {
	ID     int64   `json:"id"`
	Reason string  `json:"reason"`
	Total  Decimal `json:"total"`
}

// Customer is a REST v3 customer.
type Customer struct {
	ID              int64      `json:"id"`
	Email           string     `json:"email"`
	FirstName       string     `json:"first_name"`
	LastName        string     `json:"last_name"`
	Role            string     `json:"role"`
	Username        string     `json:"username"`
	Billing         Address    `json:"billing"`
	Shipping        Address    `json:"shipping"`
	DateCreatedGMT  GMTTime    `json:"date_created_gmt"`
	DateModifiedGMT GMTTime    `json:"date_modified_gmt"`
	MetaData        []MetaData `json:"meta_data"`
}

// CustomerInput is the body of POST /customers. WooCommerce generates the
// username and password when they are empty.
type CustomerInput struct {
	Email     string      `json:"email"`
	FirstName string      `json:"first_name,omitempty"`
	LastName  string      `json:"last_name,omitempty"`
	Username  string      `json:"username,omitempty"`
	Password  string      `json:"password,omitempty"`
	Billing   *Address    `json:"billing,omitempty"`
	Shipping  *Address    `json:"shipping,omitempty"`
	MetaData  []MetaInput `json:"meta_data,omitempty"`
}

// Webhook is a REST v3 webhook.
type Webhook struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Status          string  `json:"status"` // active, paused, disabled
	Topic           string  `json:"topic"`
	Resource        string  `json:"resource"`
	Event           string  `json:"event"`
	DeliveryURL     string  `json:"delivery_url"`
	DateCreatedGMT  GMTTime `json:"date_created_gmt"`
	DateModifiedGMT GMTTime `json:"date_modified_gmt"`
}

// StoreInfo is what CheckConnection learned about the store.
type StoreInfo struct {
	WCVersion, WPVersion, HomeURL, Currency, WeightUnit, AuthMethod string
	// PlainPermalinks: /wp-json/ redirects to itself; the client works
	// through ?rest_route= meanwhile. Show ErrPlainPermalinks's fix.
	PlainPermalinks bool
	PluginRoutes    bool // the OnCloudWine plugin's routes answer
	CanWrite        bool // the key has read/write permission
}
