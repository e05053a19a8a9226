package woosim

import "time"

// Product is a product or a variation as the simulator stores it. Type is
// "simple", "variable" or "variation"; a variation has ParentID set. Rendering
// to JSON applies WooCommerce's REST quirks (parent SKU for a variation without
// its own SKU, manage_stock "parent", prices as strings).
type Product struct {
	ID       int64
	ParentID int64
	Type     string // simple, variable, variation
	Name     string // for a variation: its attribute summary, e.g. "750ml, 2021"
	Slug     string
	Status   string // publish, draft, pending, private, trash

	SKU          string // "" = none (a variation then reports its parent's)
	RegularPrice string // "" when unset, else 2 decimals as WooCommerce stores what it was given
	SalePrice    string
	Weight       string

	ManageStock   bool
	StockQuantity *int // nil = null
	StockStatus   string
	Backorders    string

	Description      string
	ShortDescription string
	Categories       []Term
	Attributes       []Attribute // a variation: one per attribute, with Option set
	DefaultAttrs     []Attribute
	Variations       []int64 // variable: children ids, ascending
	MetaData         []Meta
	TotalSales       int
	MenuOrder        int

	DateCreated  time.Time // UTC
	DateModified time.Time // UTC
}

// Variation is a Product of type "variation".
type Variation = Product

// Term is a product category.
type Term struct {
	ID   int64
	Name string
	Slug string
}

// Attribute is a product attribute (Options) or a variation's value (Option).
type Attribute struct {
	ID        int64
	Name      string
	Slug      string
	Position  int
	Visible   bool
	Variation bool
	Options   []string
	Option    string
}

// Meta is one meta_data entry.
type Meta struct {
	ID    int64
	Key   string
	Value any // string, number, bool, or a JSON-ish value decoded from a request
}

// Address is a billing or shipping address.
type Address struct {
	FirstName, LastName, Company, Address1, Address2 string
	City, State, Postcode, Country, Email, Phone     string
}

// LineItem is one product line of an order.
type LineItem struct {
	ID           int64
	Name         string
	ProductID    int64
	VariationID  int64
	Quantity     int
	Subtotal     string
	Total        string
	SKU          string
	Price        float64
	MetaData     []Meta
	ParentName   string // "" = null (simple product)
	ReducedStock int
}

// ShippingLine is one shipping line of an order.
type ShippingLine struct {
	ID          int64
	MethodTitle string
	MethodID    string
	Total       string
}

// Order is a shop order.
type Order struct {
	ID                 int64
	Status             string // pending, processing, on-hold, completed, cancelled, refunded, failed
	Currency           string
	CustomerID         int64
	OrderKey           string
	Billing, Shipping  Address
	PaymentMethod      string
	PaymentMethodTitle string
	TransactionID      string
	CreatedVia         string
	CustomerNote       string
	MetaData           []Meta
	LineItems          []LineItem
	ShippingLines      []ShippingLine
	DateCreated        time.Time
	DateModified       time.Time
	DatePaid           *time.Time
	DateCompleted      *time.Time
	Version            string
	StockReduced       bool
	Refunds            []Refund // oldest first
}

// Refund is a refund of part or all of an order.
type Refund struct {
	ID          int64
	Amount      string // "5.00", positive
	Reason      string
	DateCreated time.Time
}

// Customer is a WordPress user with a WooCommerce customer profile.
type Customer struct {
	ID                int64
	Email             string
	FirstName         string
	LastName          string
	Role              string // customer, administrator, shop_manager, subscriber
	Username          string
	Billing, Shipping Address
	IsPayingCustomer  bool
	DateCreated       time.Time
	DateModified      time.Time
	MetaData          []Meta
}

// Webhook is a WooCommerce webhook as the REST API and the sender see it.
type Webhook struct {
	ID              int64
	Name            string
	Status          string // active, paused, disabled
	Topic           string // e.g. product.updated
	DeliveryURL     string
	Secret          string
	APIVersion      string
	FailureCount    int
	PendingDelivery bool
	Deliveries      int // successful deliveries (simulator bookkeeping)
	DateCreated     time.Time
	DateModified    *time.Time
}

// RecordedRequest is one request the simulator answered.
type RecordedRequest struct {
	Method string
	Path   string // URL path as requested
	Route  string // REST route, e.g. /wc/v3/products/12 ("" when none)
	Query  string
	Status int
	At     time.Time
}

// Fault is an injected failure for requests whose path or REST route starts
// with PathPrefix (and whose method is Method, when set). Times is how many
// requests it hits (0 = every one from then on).
type Fault struct {
	PathPrefix string
	Method     string
	Status     int           // e.g. 429, 503; 0 = answer normally after Delay
	RetryAfter time.Duration // sent as Retry-After (whole seconds, at least 1)
	Delay      time.Duration // slow answer: wait this long first
	Drop       bool          // hijack and close the connection without an answer
	// Proxy answers Status the way a proxy in front of WordPress does: an
	// nginx HTML page without a WooCommerce error code (5xx always are).
	Proxy bool
	Times int
	// AfterEffect applies the request first (an order is created, stock is
	// reduced) and only then answers with the fault instead of the real
	// answer: Status (500 after the effect), Drop (connection cut), Delay (an
	// answer later than the client waits: a timeout) or Hold.
	AfterEffect bool
	// Hold keeps the answer until the channel is closed or the client goes
	// away (the sidecar is killed while it waits).
	Hold <-chan struct{}
	// Hit, when set, is called each time the fault applies (for an
	// AfterEffect fault: once the request was applied, before the answer is
	// held), so a test knows the moment to kill its client.
	Hit func()
}
