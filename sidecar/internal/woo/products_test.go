package woo

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func TestProductsPagesToTheLastPage(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{Products: 230, Variations: 1, Seed: 2}, true)
	want := simTotal(t, srv, "")
	sim.ResetRequests()
	c, _ := simClient(t, srv, nil)
	var ids []int64
	err := c.Products(ctxT(t), ProductQuery{}, func(p Product) error {
		ids = append(ids, p.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != want || !slices.IsSorted(ids) {
		t.Fatalf("got %d products (sorted=%v), want %d in id order", len(ids), slices.IsSorted(ids), want)
	}
	var pages []string
	for _, r := range sim.Requests() {
		if r.Route == "/wc/v3/products" {
			q, _ := url.ParseQuery(r.Query)
			if q.Get("per_page") != "100" || q.Get("orderby") != "id" || q.Get("order") != "asc" {
				t.Errorf("page request %s lacks per_page=100&orderby=id&order=asc", r.Query)
			}
			pages = append(pages, q.Get("page"))
		}
	}
	var wantPages []string
	for i := 1; i <= (want+99)/100; i++ {
		wantPages = append(wantPages, strconv.Itoa(i))
	}
	if len(wantPages) < 3 || !slices.Equal(pages, wantPages) {
		t.Errorf("pages requested %v, want %v (stop at X-WP-TotalPages)", pages, wantPages)
	}
}

func TestProductsQueryParameters(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	since := time.Now().Add(-48 * time.Hour).Truncate(time.Second).In(time.FixedZone("CET", 3600))
	var got []Product
	err := c.Products(ctxT(t), ProductQuery{ModifiedAfter: since, Status: "publish", Type: "simple", SKU: "WINE-CAB-2021-750", Fields: []string{"id", "sku"}}, func(p Product) error {
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "" || got[0].SKU != "WINE-CAB-2021-750" {
		t.Errorf("want the one product, with _fields=id,sku applied: %+v", got)
	}
	reqs := sim.Requests()
	q, _ := url.ParseQuery(reqs[len(reqs)-1].Query)
	want := map[string]string{
		"modified_after": since.UTC().Format("2006-01-02T15:04:05"), "dates_are_gmt": "true", "status": "publish",
		"type": "simple", "sku": "WINE-CAB-2021-750", "_fields": "id,sku",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q (query %s)", k, q.Get(k), v, reqs[len(reqs)-1].Query)
		}
	}
}

func TestProductsCallbackErrorStops(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{Products: 230, Variations: 1, Seed: 2}, true)
	c, _ := simClient(t, srv, nil)
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
	if pages := countRequests(sim, func(r woosim.RecordedRequest) bool { return r.Route == "/wc/v3/products" }); pages != 1 {
		t.Errorf("%d pages fetched after the callback stopped on page 1", pages)
	}
}

func TestProductAndVariations(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	rioja, ok := sim.ProductBySKU("WINE-RIOG")
	if !ok {
		t.Fatal("lab Rioja (stock managed on the parent) missing")
	}
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	p, err := c.Product(ctx, rioja.ID)
	if err != nil || p.Type != "variable" || len(p.Variations) != 6 || p.ManageStock != ManageStockYes {
		t.Fatalf("Product(%d) = %+v, %v", rioja.ID, p, err)
	}
	var vs []Variation
	if err := c.Variations(ctx, rioja.ID, func(v Variation) error { vs = append(vs, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 6 {
		t.Fatalf("%d variations, want 6", len(vs))
	}
	for _, v := range vs {
		if v.ParentID != rioja.ID || v.ManageStock != ManageStockParent || v.StockQuantity == nil || *v.StockQuantity != 60 {
			t.Errorf("variation %+v, want parent %d, manage_stock parent, 60", v, rioja.ID)
		}
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

// inFlight wraps a handler and records the most requests it served at once.
type inFlight struct {
	next     http.Handler
	mu       sync.Mutex
	now, max int
	// hold, when set, runs before a request is served (a barrier).
	hold func(r *http.Request)
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	if f.hold != nil {
		f.hold(r)
	}
	f.next.ServeHTTP(w, r)
}

func (f *inFlight) Max() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.max
}

func TestCatalogRESTOrderAndConcurrency(t *testing.T) {
	t.Parallel()
	sim, _ := startSim(t, woosim.Options{NoPlugin: true, Products: 110, Variations: 4, Seed: 4}, true)
	var held atomic.Int32
	counter := &inFlight{next: sim.Handler()}
	counter.hold = func(r *http.Request) {
		// A barrier: the first three variation requests wait until three
		// requests are in flight at once, so the bound is reached
		// deterministically; a fourth would show as 4.
		if strings.HasSuffix(r.URL.Path, "/variations") && held.Add(1) <= 3 {
			testutil.Within(5*time.Second, func() bool { return counter.Max() >= 3 })
		}
	}
	srv := serveQuietly(t, counter, true)
	c, _ := simClient(t, srv, func(c *Config) { c.MaxConcurrency = 3 })
	var ids []int64
	variable := 0
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		ids = append(ids, p.ID)
		if p.Type == "variable" {
			variable++
			if len(vars) == 0 {
				t.Errorf("variable product %d without variations", p.ID)
			}
		}
		if p.Type != "variable" && vars != nil {
			t.Errorf("simple product %d with variations", p.ID)
		}
		for _, v := range vars {
			if v.ParentID != p.ID {
				t.Errorf("variation %d parent %d, want %d", v.ID, v.ParentID, p.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 110 || !slices.IsSorted(ids) || variable < 110 {
		t.Fatalf("%d products (sorted=%v), %d variable; want ≥ 110 sorted, ≥ 110 variable", len(ids), slices.IsSorted(ids), variable)
	}
	if m := counter.Max(); m != 3 {
		t.Errorf("max requests in flight = %d, want exactly the bound 3", m)
	}
	for _, r := range sim.Requests() {
		q, _ := url.ParseQuery(r.Query)
		if strings.HasPrefix(r.Route, "/wc/v3/products") && !strings.Contains(q.Get("_fields"), "date_modified_gmt") {
			t.Errorf("%s?%s without the model's _fields projection", r.Path, r.Query)
		}
	}
	if n := countRequests(sim, func(r woosim.RecordedRequest) bool { return strings.HasSuffix(r.Route, "/variations") }); n != variable {
		t.Errorf("%d variation requests, want one per variable product (%d)", n, variable)
	}
}
