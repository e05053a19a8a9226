package mirror

import (
	"context"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Woo is what the mirror needs of WooCommerce; *woo.Client satisfies it.
type Woo interface {
	CreateOrder(ctx context.Context, in woo.OrderInput) (woo.Order, error)
	OrderByRelease(ctx context.Context, releaseOrderID string) (*woo.Order, error)
	OrderByReleaseREST(ctx context.Context, releaseOrderID string, since time.Time) (*woo.Order, error)
	SetOrderStatus(ctx context.Context, id int64, status string) (woo.Order, error)
	CustomerByEmail(ctx context.Context, email string) (*woo.Customer, error)
	CustomerByID(ctx context.Context, id int64) (*woo.Customer, error)
	CreateCustomer(ctx context.Context, in woo.CustomerInput) (woo.Customer, error)
	ProductBySKU(ctx context.Context, sku string) (woo.ProductRef, bool, error)
}

// OCW is what the mirror needs of OnCloudWine; *oncloudwine.Client
// satisfies it.
type OCW interface {
	ReleaseOrders(ctx context.Context, q oncloudwine.ReleaseOrderQuery) (oncloudwine.ReleaseOrderPage, error)
	ReportMirror(ctx context.Context, releaseOrderID string, r oncloudwine.MirrorReport) error
}

// Store is the mirror's persistence: transactions of store.Tx named
// operations; *store.Store satisfies it.
type Store interface {
	Update(fn func(tx *store.Tx) error) error
	View(fn func(tx *store.Tx) error) error
	LogActivity(level, message string) error
}

var (
	_ Woo   = (*woo.Client)(nil)
	_ OCW   = (*oncloudwine.Client)(nil)
	_ Store = (*store.Store)(nil)
)
