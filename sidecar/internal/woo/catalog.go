package woo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// catalogWindow bounds how many products (with their variations) the REST
// pipeline holds between the pager and the caller.
const catalogWindow = 2 * perPage

// Catalog calls fn once per product with its variations (nil for products
// that are not variable), in ascending product id order. It reads the
// plugin's catalog route when the plugin is installed, otherwise REST v3:
// product pages plus one /variations listing per variable product, with at
// most MaxConcurrency requests in flight and product paging overlapped with
// variation fetching. Memory is bounded by a window of a few hundred
// products, never the catalog. An error from fn stops everything and is
// returned. Products of every status but trash are listed; the caller
// decides what to sync.
func (c *Client) Catalog(ctx context.Context, fn func(Product, []Variation) error) error {
	if c.plugin.Load() != pluginAbsent {
		err := c.catalogPlugin(ctx, fn)
		if !errors.Is(err, errNoPlugin) {
			return err
		}
	}
	pf, vf := catalogFields()
	return c.catalogREST(ctx, pf, vf, fn)
}

// errNoPlugin: the plugin route answered 404 rest_no_route before anything
// was delivered; fall back to REST.
var errNoPlugin = errors.New("plugin routes absent")

// pluginCatalogPage is the plugin's catalog answer (docs/plugin-routes.md).
type pluginCatalogPage struct {
	Products []struct {
		Product
		Variations []Variation `json:"variations"`
	} `json:"products"`
	NextAfterID *int64 `json:"next_after_id"`
}

// CatalogChangedSince calls fn, like Catalog, for every product (every
// status but trash) whose own or any variation's modification time is at or
// after since, with all its variations, through the plugin's catalog route
// (modified_after): a few requests per 500 products, where REST v3 needs
// one more per variable product. It reports false, having called fn for
// nothing, when the plugin's routes are absent; the caller then reads REST.
func (c *Client) CatalogChangedSince(ctx context.Context, since time.Time, fn func(Product, []Variation) error) (bool, error) {
	if c.plugin.Load() == pluginAbsent {
		return false, nil
	}
	err := c.catalogPluginQuery(ctx, url.Values{"modified_after": {since.UTC().Format(wooTimeLayout)}}, fn)
	if errors.Is(err, errNoPlugin) {
		return false, nil
	}
	return true, err
}

func (c *Client) catalogPlugin(ctx context.Context, fn func(Product, []Variation) error) error {
	return c.catalogPluginQuery(ctx, nil, fn)
}

// catalogPluginQuery pages through the plugin's catalog route with extra
// query parameters.
func (c *Client) catalogPluginQuery(ctx context.Context, extra url.Values, fn func(Product, []Variation) error) error {
	const route = "/wc/v3/oncloudwine/catalog"
	var after int64
	for first := true; ; first = false {
		q := url.Values{"after_id": {strconv.FormatInt(after, 10)}, "limit": {"500"}}
		for k, v := range extra {
			q[k] = v
		}
		var page pluginCatalogPage
		if _, err := c.getJSON(ctx, route, q, &page); err != nil {
			if first && c.notePluginAbsent(err) {
				return errNoPlugin
			}
			return fmt.Errorf("woo catalog: %w", err)
		}
		c.plugin.Store(pluginPresent)
		for i := range page.Products {
			p := page.Products[i].Product
			vars := page.Products[i].Variations
			p.Variations = make([]int64, 0, len(vars))
			for j := range vars {
				if vars[j].ParentID == 0 {
					vars[j].ParentID = p.ID
				}
				p.Variations = append(p.Variations, vars[j].ID)
			}
			if p.Type != "variable" {
				vars = nil
			}
			if err := fn(p, vars); err != nil {
				return err
			}
		}
		if page.NextAfterID == nil || *page.NextAfterID <= after || len(page.Products) == 0 {
			return nil
		}
		after = *page.NextAfterID
	}
}

// notePluginAbsent records a 404 rest_no_route from a plugin route.
func (c *Client) notePluginAbsent(err error) bool {
	var we *Error
	if errors.As(err, &we) && we.Status == http.StatusNotFound && we.WooCode == "rest_no_route" {
		if c.plugin.Swap(pluginAbsent) != pluginAbsent {
			c.log.Info("woo: OnCloudWine plugin routes not found; using REST v3")
		}
		return true
	}
	return false
}

// catalogSlot is one product travelling through the REST pipeline.
type catalogSlot struct {
	p    Product
	vars []Variation
	err  error
	done chan struct{}
}

// catalogREST is the REST pipeline: a pager goroutine streams product
// pages; variable products go to MaxConcurrency workers fetching their
// variations; the caller's goroutine takes the slots in listing order and
// waits for each one, so fn sees products in id order. All requests share
// the client's in-flight bound.
func (c *Client) catalogREST(parent context.Context, productFields, variationFields []string, fn func(Product, []Variation) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		cancel()
	}

	order := make(chan *catalogSlot, catalogWindow)
	jobs := make(chan *catalogSlot, catalogWindow)
	var wg sync.WaitGroup

	wg.Go(func() {
		defer close(order)
		defer close(jobs)
		err := c.Products(ctx, ProductQuery{Fields: productFields}, func(p Product) error {
			s := &catalogSlot{p: p, done: make(chan struct{})}
			if p.Type != "variable" {
				close(s.done)
			}
			select {
			case order <- s:
			case <-ctx.Done():
				return ctx.Err()
			}
			if p.Type == "variable" {
				select {
				case jobs <- s:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
		if err != nil {
			fail(fmt.Errorf("woo catalog: %w", err))
		}
	})
	for range c.cfg.MaxConcurrency {
		wg.Go(func() {
			for s := range jobs {
				if ctx.Err() == nil {
					s.err = c.variations(ctx, s.p.ID, variationFields, func(v Variation) error {
						s.vars = append(s.vars, v)
						return nil
					})
					if s.err != nil {
						fail(fmt.Errorf("woo catalog: %w", s.err))
					}
				}
				close(s.done)
			}
		})
	}

	complete := true
	for s := range order {
		select {
		case <-s.done:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			complete = false
			break
		}
		if err := fn(s.p, s.vars); err != nil {
			fail(err)
			break
		}
	}
	cancel()
	for range order { // unblock the pager if we stopped early
	}
	wg.Wait()
	if firstErr == nil && !complete {
		return fmt.Errorf("woo catalog: %w", context.Cause(parent))
	}
	return firstErr
}

// CatalogTotal returns how many products Catalog will deliver (X-WP-Total
// of the REST listing: every status but trash), for progress reporting.
// One small request.
func (c *Client) CatalogTotal(ctx context.Context) (int, error) {
	q := url.Values{"per_page": {"1"}, "_fields": {"id"}}
	resp, err := c.getJSON(ctx, "/wc/v3/products", q, nil)
	if err != nil {
		return 0, fmt.Errorf("woo catalog total: %w", err)
	}
	n, err := strconv.Atoi(resp.header.Get("X-WP-Total"))
	if err != nil {
		return 0, fmt.Errorf("woo catalog total: %w", newError(ErrBadResponse, resp.status, "", "GET /wc/v3/products: no X-WP-Total header.", err))
	}
	return n, nil
}
