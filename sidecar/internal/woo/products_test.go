package woo

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestProductsPagesToTheLastPage(t *testing.T) {
	t.Parallel()
	f := newFakeStore(250, 2)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	var ids []int64
	err := c.Products(ctxT(t), ProductQuery{}, func(p Product) error {
		ids = append(ids, p.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 250 || !slices.IsSorted(ids) {
		t.Fatalf("got %d products (sorted=%v), want 250 in id order", len(ids), slices.IsSorted(ids))
	}
	var pages []string
	for _, r := range f.Requests() {
		if r.Route == "/wc/v3/products" {
			q, _ := url.ParseQuery(r.RawQuery)
			if q.Get("per_page") != "100" || q.Get("orderby") != "id" || q.Get("order") != "asc" {
				t.Errorf("page request %s lacks per_page=100&orderby=id&order=asc", r.RawQuery)
			}
			pages = append(pages, q.Get("page"))
		}
	}
	if !slices.Equal(pages, []string{"1", "2", "3"}) {
		t.Errorf("pages requested %v, want 1 2 3 (stop at X-WP-TotalPages)", pages)
	}
}

func TestProductsQueryParameters(t *testing.T) {
	t.Parallel()
	f := newFakeStore(5, 2)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	since := time.Date(2026, 11, 27, 2, 4, 58, 0, time.FixedZone("CET", 3600))
	var got []Product
	err := c.Products(ctxT(t), ProductQuery{ModifiedAfter: since, Status: "publish", Type: "simple", SKU: "WINE-0000", Fields: []string{"id", "sku"}}, func(p Product) error {
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Name != "" || got[0].SKU == "" {
		t.Errorf("_fields=id,sku not applied: %+v", got)
	}
	reqs := f.Requests()
	q, _ := url.ParseQuery(reqs[len(reqs)-1].RawQuery)
	want := map[string]string{
		"modified_after": "2026-11-27T01:04:58", "dates_are_gmt": "true", "status": "publish",
		"type": "simple", "sku": "WINE-0000", "_fields": "id,sku",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q (query %s)", k, q.Get(k), v, reqs[len(reqs)-1].RawQuery)
		}
	}
}

func TestProductsCallbackErrorStops(t *testing.T) {
	t.Parallel()
	f := newFakeStore(250, 2)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	stop := errors.New("enough")
	n := 0
	err := c.Products(ctxT(t), ProductQuery{}, func(Product) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Fatalf("err = %v after %d products, want the callback's error after 5", err, n)
	}
	if pages := countRoute(f.Requests(), func(r fakeRequest) bool { return r.Route == "/wc/v3/products" }); pages != 1 {
		t.Errorf("%d pages fetched after the callback stopped on page 1", pages)
	}
}

func TestProductAndVariations(t *testing.T) {
	t.Parallel()
	f := newFakeStore(5, 3)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	ctx := ctxT(t)
	p, err := c.Product(ctx, 11)
	if err != nil || p.Type != "variable" || len(p.Variations) != 3 {
		t.Fatalf("Product(11) = %+v, %v", p, err)
	}
	var vs []Variation
	if err := c.Variations(ctx, 11, func(v Variation) error { vs = append(vs, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[0].ParentID != 11 || vs[0].ManageStock != ManageStockParent {
		t.Errorf("variations = %+v", vs)
	}
	_, err = c.Product(ctx, 999999)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Product(999999) error = %v, want woo_not_found", err)
	}
	var we *Error
	if !errors.As(err, &we) || we.WooCode != "woocommerce_rest_product_invalid_id" || we.Status != 404 {
		t.Errorf("error = %+v", we)
	}
}

func TestCatalogRESTOrderAndConcurrency(t *testing.T) {
	t.Parallel()
	f := newFakeStore(330, 4) // 110 variable products × 4
	f.plugin = false
	var held atomic.Int32
	f.before = func(_ http.ResponseWriter, r *http.Request, route string) bool {
		// A barrier: the first three variation requests wait (polling with
		// a deadline) until three requests are in flight at once, so the
		// bound is reached deterministically; a fourth would show as 4.
		if strings.HasSuffix(route, "/variations") && held.Add(1) <= 3 {
			deadline := time.Now().Add(5 * time.Second)
			for f.MaxInflight() < 3 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		}
		return false
	}
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, func(c *Config) { c.MaxConcurrency = 3 })
	var ids []int64
	nv := 0
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		ids = append(ids, p.ID)
		if p.Type == "variable" && len(vars) != 4 {
			t.Errorf("product %d: %d variations", p.ID, len(vars))
		}
		if p.Type != "variable" && vars != nil {
			t.Errorf("simple product %d with variations", p.ID)
		}
		for _, v := range vars {
			if v.ParentID != p.ID {
				t.Errorf("variation %d parent %d, want %d", v.ID, v.ParentID, p.ID)
			}
		}
		nv += len(vars)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 330 || !slices.IsSorted(ids) || nv != 440 {
		t.Fatalf("%d products (sorted=%v), %d variations; want 330 sorted, 440", len(ids), slices.IsSorted(ids), nv)
	}
	if m := f.MaxInflight(); m != 3 {
		t.Errorf("max requests in flight = %d, want exactly the bound 3", m)
	}
	reqs := f.Requests()
	for _, r := range reqs {
		q, _ := url.ParseQuery(r.RawQuery)
		if strings.HasPrefix(r.Route, "/wc/v3/products") && !strings.Contains(q.Get("_fields"), "date_modified_gmt") {
			t.Errorf("%s without the model's _fields projection", r.URI)
		}
	}
	if n := countRoute(reqs, func(r fakeRequest) bool { return strings.HasSuffix(r.Route, "/variations") }); n != 110 {
		t.Errorf("%d variation requests, want one per variable product (110)", n)
	}
}
