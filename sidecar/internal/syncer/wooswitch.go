package syncer

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// ErrWooNotConnected is returned by a WooSwitch that holds no client yet.
var ErrWooNotConnected = errors.New("WooCommerce is not connected yet: set the store URL and key (POST /v1/connection)")

// WooSwitch is a Woo whose client can be replaced while the engine runs: the
// admin API's POST /v1/connection builds a new *woo.Client for the new key
// and Sets it. Until then every call fails with ErrWooNotConnected (webhook
// events wait in the inbox; a job fails with that text).
type WooSwitch struct {
	cur atomic.Pointer[woo.Client]
}

// Set makes c the client used from now on (nil: disconnected).
func (s *WooSwitch) Set(c *woo.Client) { s.cur.Store(c) }

// Client returns the current client, or nil.
func (s *WooSwitch) Client() *woo.Client { return s.cur.Load() }

func (s *WooSwitch) client() (*woo.Client, error) {
	if c := s.cur.Load(); c != nil {
		return c, nil
	}
	return nil, ErrWooNotConnected
}

// Catalog calls the current client's Catalog.
func (s *WooSwitch) Catalog(ctx context.Context, fn func(woo.Product, []woo.Variation) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.Catalog(ctx, fn)
}

// CatalogChangedSince calls the current client's CatalogChangedSince.
func (s *WooSwitch) CatalogChangedSince(ctx context.Context, since time.Time, fn func(woo.Product, []woo.Variation) error) (bool, error) {
	c, err := s.client()
	if err != nil {
		return false, err
	}
	return c.CatalogChangedSince(ctx, since, fn)
}

// Products calls the current client's Products.
func (s *WooSwitch) Products(ctx context.Context, q woo.ProductQuery, fn func(woo.Product) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.Products(ctx, q, fn)
}

// Variations calls the current client's Variations.
func (s *WooSwitch) Variations(ctx context.Context, productID int64, fn func(woo.Variation) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.Variations(ctx, productID, fn)
}

// Product calls the current client's Product.
func (s *WooSwitch) Product(ctx context.Context, id int64) (woo.Product, error) {
	c, err := s.client()
	if err != nil {
		return woo.Product{}, err
	}
	return c.Product(ctx, id)
}

// CatalogTotal calls the current client's CatalogTotal.
func (s *WooSwitch) CatalogTotal(ctx context.Context) (int, error) {
	c, err := s.client()
	if err != nil {
		return 0, err
	}
	return c.CatalogTotal(ctx)
}

// StockLevels calls the current client's StockLevels.
func (s *WooSwitch) StockLevels(ctx context.Context, fn func(woo.StockLevel) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.StockLevels(ctx, fn)
}

var (
	_ Woo            = (*WooSwitch)(nil)
	_ catalogCounter = (*WooSwitch)(nil)
	_ stockSource    = (*WooSwitch)(nil)
	_ changedCatalog = (*WooSwitch)(nil)
	_ changedCatalog = (*woo.Client)(nil)
)
