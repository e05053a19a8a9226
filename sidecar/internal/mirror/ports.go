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

// Store is the mirror's persistence; *store.Store satisfies it.
type Store interface {
	MirrorListed(ids []string, merge func(i int, old store.MirrorRecord, ok bool) store.MirrorRecord, cursor *string) error
	PutMirror(r store.MirrorRecord, notes ...store.Note) error
	Mirror(id string) (store.MirrorRecord, bool, error)
	MirrorsDue(now time.Time, limit int) ([]store.MirrorRecord, time.Time, error)
	MirrorCustomer(key string) (int64, error)
	SetMirrorCustomer(key string, id int64, notes ...store.Note) error
	Cursor(name string) (string, error)
	SetCursor(name, value string) error
	LogActivity(level, message string) error
}

var (
	_ Woo   = (*woo.Client)(nil)
	_ OCW   = (*oncloudwine.Client)(nil)
	_ Store = (*store.Store)(nil)
)
