package syncer

import (
	"context"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Woo is what the engine reads from WooCommerce; *woo.Client satisfies it.
type Woo interface {
	// Catalog calls fn once per product (every status but trash) with its
	// variations, in ascending product id order.
	Catalog(ctx context.Context, fn func(woo.Product, []woo.Variation) error) error
	// Products streams the products matching q.
	Products(ctx context.Context, q woo.ProductQuery, fn func(woo.Product) error) error
	// Variations streams a variable product's variations.
	Variations(ctx context.Context, productID int64, fn func(woo.Variation) error) error
	// Product fetches one product by id.
	Product(ctx context.Context, id int64) (woo.Product, error)
}

// OCW is what the engine writes to OnCloudWine; *oncloudwine.Client
// satisfies it.
type OCW interface {
	UpsertVariants(ctx context.Context, variants []oncloudwine.Variant) ([]oncloudwine.VariantResult, error)
	ArchiveVariants(ctx context.Context, skus []string) error
}

// catalogCounter is implemented by a Woo that can tell how many products the
// catalog holds before listing it (for job progress). Optional.
type catalogCounter interface {
	CatalogTotal(ctx context.Context) (int, error)
}

// The real clients satisfy the engine's ports.
var (
	_ Woo            = (*woo.Client)(nil)
	_ catalogCounter = (*woo.Client)(nil)
	_ OCW            = (*oncloudwine.Client)(nil)
)
