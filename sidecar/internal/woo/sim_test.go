package woo

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	woosim "github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woo"
)

const simCK, simCS = "ck_simtest", "cs_simtest"

// startSim runs the WooCommerce simulator over TLS (or plain HTTP).
func startSim(t *testing.T, opts woosim.Options, useTLS bool) (*woosim.Sim, *httptest.Server) {
	t.Helper()
	if opts.ConsumerKey == "" {
		opts.ConsumerKey, opts.ConsumerSecret = simCK, simCS
	}
	opts.Logger = slog.New(slog.DiscardHandler)
	sim, err := woosim.New(opts)
	if err != nil {
		t.Fatalf("woosim.New: %v", err)
	}
	t.Cleanup(sim.Close)
	return sim, serveQuietly(t, sim.Handler(), useTLS)
}

func simClient(t *testing.T, srv *httptest.Server, mut func(*Config)) (*Client, *fakeSleeper) {
	t.Helper()
	return newTestClient(t, srv, &fakeStore{ck: simCK, cs: simCS}, mut)
}

// simTotal asks the simulator directly for X-WP-Total of a products query.
func simTotal(t *testing.T, srv *httptest.Server, query string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/wp-json/wc/v3/products?per_page=1&"+query, nil)
	req.SetBasicAuth(simCK, simCS)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	n, err := strconv.Atoi(resp.Header.Get("X-WP-Total"))
	if err != nil {
		t.Fatalf("X-WP-Total %q (status %d)", resp.Header.Get("X-WP-Total"), resp.StatusCode)
	}
	return n
}

func TestSimCheckConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     woosim.Options
		plainTCP bool
		mut      func(*Config)
		wantCode string
		check    func(t *testing.T, info StoreInfo)
	}{
		{name: "10.0.2", check: func(t *testing.T, info StoreInfo) {
			if info.WCVersion != "10.0.2" || info.Currency == "" || info.AuthMethod != AuthBasic || !info.CanWrite || !info.PluginRoutes || info.PlainPermalinks || info.HomeURL == "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "6.9.0", opts: woosim.Options{WCVersion: "6.9.0"}, check: func(t *testing.T, info StoreInfo) {
			if info.WCVersion != "6.9.0" || !info.CanWrite {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "5.9.0 too old", opts: woosim.Options{WCVersion: "5.9.0"}, wantCode: CodeVersionTooOld},
		{name: "read-only key", opts: woosim.Options{ReadOnlyKey: true}, wantCode: CodeReadOnlyKey, check: func(t *testing.T, info StoreInfo) {
			if info.CanWrite || info.WCVersion == "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "wrong secret", mut: func(c *Config) { c.ConsumerSecret = "cs_wrong" }, wantCode: CodeUnauthorized},
		{name: "wrong key", mut: func(c *Config) { c.ConsumerKey = "ck_wrong" }, wantCode: CodeUnauthorized},
		{name: "no plugin", opts: woosim.Options{NoPlugin: true}, check: func(t *testing.T, info StoreInfo) {
			if info.PluginRoutes || !info.CanWrite {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "plain permalinks", opts: woosim.Options{PlainPermalinks: true}, check: func(t *testing.T, info StoreInfo) {
			if !info.PlainPermalinks || info.WCVersion != "10.0.2" || !info.CanWrite || !info.PluginRoutes {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "oauth1 over http, home elsewhere", opts: woosim.Options{HomeURL: "https://127.0.0.1:8443"}, plainTCP: true, check: func(t *testing.T, info StoreInfo) {
			if info.AuthMethod != AuthOAuth1 || !info.CanWrite || info.WCVersion == "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "oauth1 HMAC-SHA1", plainTCP: true, mut: func(c *Config) { c.OAuthSignatureMethod = "HMAC-SHA1" }, check: func(t *testing.T, info StoreInfo) {
			if info.AuthMethod != AuthOAuth1 || !info.CanWrite {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "oauth1 wrong secret", plainTCP: true, mut: func(c *Config) { c.ConsumerSecret = "cs_wrong" }, wantCode: CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := startSim(t, tt.opts, !tt.plainTCP)
			c, _ := simClient(t, srv, tt.mut)
			info, err := c.CheckConnection(ctxT(t))
			if tt.wantCode == "" && err != nil {
				t.Fatalf("CheckConnection: %v", err)
			}
			if tt.wantCode != "" {
				var we *Error
				if !errors.As(err, &we) || we.Code != tt.wantCode || we.Fix == "" {
					t.Fatalf("error = %v, want %s with a fix", err, tt.wantCode)
				}
			}
			if tt.check != nil {
				tt.check(t, info)
			}
		})
	}
}

func TestSimPagingToTheLastPageAndFields(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{Products: 230, Variations: 2, Seed: 7}, true)
	c, _ := simClient(t, srv, nil)
	want := simTotal(t, srv, "")
	var ids []int64
	named := 0
	err := c.Products(ctxT(t), ProductQuery{Fields: []string{"id", "sku", "type"}}, func(p Product) error {
		ids = append(ids, p.ID)
		if p.Name != "" || p.Type == "" {
			named++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != want || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != want {
		t.Fatalf("%d products (sorted %v), want %d unique in id order", len(ids), slices.IsSorted(ids), want)
	}
	if named != 0 {
		t.Errorf("%d products carry fields outside _fields=id,sku,type", named)
	}
	var pages []int
	for _, r := range sim.Requests() {
		if r.Route == "/wc/v3/products" && strings.Contains(r.Query, "_fields=") {
			q, _ := url.ParseQuery(r.Query)
			p, _ := strconv.Atoi(q.Get("page"))
			pages = append(pages, p)
		}
	}
	wantPages := (want + 99) / 100
	if len(pages) != wantPages || pages[len(pages)-1] != wantPages {
		t.Errorf("pages requested %v, want 1..%d", pages, wantPages)
	}
}

// fakeClock is a settable clock for the simulator.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func TestSimModifiedAfter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 27, 2, 4, 58, 0, time.UTC)
	clock := &fakeClock{now: t0}
	sim, srv := startSim(t, woosim.Options{Now: clock.Now}, true)
	c, _ := simClient(t, srv, func(cfg *Config) { cfg.Now = clock.Now })
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product WINE-CAB-2021-750 missing from the simulator")
	}
	clock.Set(t0.Add(2 * time.Second))
	if err := sim.UpdateProduct(p.ID, func(p *woosim.Product) { p.RegularPrice = "41.00" }); err != nil {
		t.Fatal(err)
	}
	var got []Product
	err := c.Products(ctxT(t), ProductQuery{ModifiedAfter: t0}, func(p Product) error { got = append(got, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != p.ID || got[0].RegularPrice.String() != "41.00" || !got[0].DateModifiedGMT.After(t0) {
		t.Fatalf("modified_after %v = %+v, want only product %d at 41.00", t0, got, p.ID)
	}
}

func TestSimRetriesHonourRetryAfter(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products", Status: 429, RetryAfter: 2 * time.Second, Times: 2})
	c, sl := simClient(t, srv, nil)
	n := 0
	if err := c.Products(ctxT(t), ProductQuery{Fields: []string{"id"}}, func(Product) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no products after the retries")
	}
	waits := sl.Waits()
	if len(waits) != 2 {
		t.Fatalf("waits %v, want 2", waits)
	}
	for _, w := range waits {
		if w < 2*time.Second || w > 2200*time.Millisecond {
			t.Errorf("wait %v does not honour Retry-After: 2", w)
		}
	}
	var statuses []int
	for _, r := range sim.Requests() {
		if r.Route == "/wc/v3/products" {
			statuses = append(statuses, r.Status)
		}
	}
	if len(statuses) < 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 200 {
		t.Errorf("statuses %v, want 429 429 200", statuses)
	}
}

func TestSimDroppedConnectionAndWrites(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	if _, err := c.CheckConnection(ctx); err != nil {
		t.Fatal(err)
	}
	sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products/", Method: http.MethodGet, Drop: true, Times: 1})
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product missing")
	}
	if got, err := c.Product(ctx, p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("read after a dropped connection = %+v, %v", got, err)
	}
	sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/orders", Method: http.MethodPost, Status: 503, Times: 1})
	sim.ResetRequests()
	_, err := c.CreateOrder(ctx, OrderInput{Status: "processing", LineItems: []LineItemInput{{ProductID: p.ID, Quantity: 1}}})
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("CreateOrder on 503 = %v, want woo_unreachable", err)
	}
	posts := 0
	for _, r := range sim.Requests() {
		if r.Method == http.MethodPost && r.Route == "/wc/v3/orders" {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("order POSTed %d times, want exactly once", posts)
	}
}

func TestSimCustomCAFile(t *testing.T) {
	t.Parallel()
	_, srv := startSim(t, woosim.Options{}, true)
	caFile := writeCAFile(t, srv)
	c, err := New(Config{StoreURL: srv.URL, ConsumerKey: simCK, ConsumerSecret: simCS, CAFile: caFile, RootCAs: x509.NewCertPool()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CheckConnection(ctxT(t)); err != nil {
		t.Fatalf("with OCW_WOO_CA_FILE: %v", err)
	}
	c2, _ := New(Config{StoreURL: srv.URL, ConsumerKey: simCK, ConsumerSecret: simCS, RootCAs: x509.NewCertPool()})
	if _, err := c2.CheckConnection(ctxT(t)); !errors.Is(err, ErrTLS) {
		t.Fatalf("without the CA: %v, want woo_tls", err)
	}
}

// catalogDigest renders what the sync reads of a catalog, to compare paths.
func catalogDigest(t *testing.T, c *Client) []string {
	t.Helper()
	var out []string
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		out = append(out, fmt.Sprintf("P %d %s %s %s %s %s %v %s", p.ID, p.Type, p.Status, p.SKU, p.Price, p.Weight, p.ManageStock, p.StockStatus))
		for _, v := range vars {
			q := "null"
			if v.StockQuantity != nil {
				q = strconv.FormatInt(*v.StockQuantity, 10)
			}
			out = append(out, fmt.Sprintf("  V %d/%d %s %s %s %s %v %s %s", v.ParentID, v.ID, v.Status, v.SKU, v.RegularPrice, v.Weight, v.ManageStock, q, v.StockStatus))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSimCatalogPluginAndRESTAgree(t *testing.T) {
	t.Parallel()
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			t.Parallel()
			opts := woosim.Options{Products: 40, Variations: 3, Seed: 3, PlainPermalinks: plain}
			_, srvPlugin := startSim(t, opts, true)
			opts.NoPlugin = true
			simREST, srvREST := startSim(t, opts, true)
			cPlugin, _ := simClient(t, srvPlugin, nil)
			cREST, _ := simClient(t, srvREST, func(c *Config) { c.MaxConcurrency = 3 })
			viaPlugin := catalogDigest(t, cPlugin)
			viaREST := catalogDigest(t, cREST)
			total, err := cREST.CatalogTotal(ctxT(t))
			products := 0
			for _, l := range viaREST {
				if strings.HasPrefix(l, "P ") {
					products++
				}
			}
			if err != nil || total != products {
				t.Errorf("CatalogTotal = %d, %v; Catalog delivered %d products", total, err, products)
			}
			if len(viaREST) < 40*4 {
				t.Fatalf("REST catalog has %d lines", len(viaREST))
			}
			if !slices.Equal(viaPlugin, viaREST) {
				for i := range min(len(viaPlugin), len(viaREST)) {
					if viaPlugin[i] != viaREST[i] {
						t.Fatalf("plugin and REST differ at line %d:\nplugin %s\nREST   %s", i, viaPlugin[i], viaREST[i])
					}
				}
				t.Fatalf("plugin %d lines, REST %d lines", len(viaPlugin), len(viaREST))
			}
			var parentManaged, privateVar bool
			for _, l := range viaREST {
				parentManaged = parentManaged || strings.Contains(l, " parent ")
				privateVar = privateVar || strings.HasPrefix(l, "  V") && strings.Contains(l, " private ")
			}
			if !parentManaged || !privateVar {
				t.Errorf("edge cases missing from the catalog: parent-managed %v, private variation %v", parentManaged, privateVar)
			}
			for _, r := range simREST.Requests() {
				if strings.HasPrefix(r.Route, "/wc/v3/oncloudwine/catalog") && r.Status == 200 {
					t.Errorf("REST store served the plugin route")
				}
			}
		})
	}
}

func TestSimStockLevelsPluginAndRESTAgree(t *testing.T) {
	t.Parallel()
	opts := woosim.Options{Products: 20, Variations: 2, Seed: 5}
	_, srvPlugin := startSim(t, opts, true)
	opts.NoPlugin = true
	_, srvREST := startSim(t, opts, true)
	digest := func(c *Client) []string {
		var out []string
		err := c.StockLevels(ctxT(t), func(l StockLevel) error {
			q := "null"
			if l.StockQuantity != nil {
				q = strconv.FormatInt(*l.StockQuantity, 10)
			}
			out = append(out, fmt.Sprintf("%d %d %s %v %s %s", l.ID, l.ParentID, l.SKU, l.ManageStock, q, l.StockStatus))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	cPlugin, _ := simClient(t, srvPlugin, nil)
	cREST, _ := simClient(t, srvREST, nil)
	a, b := digest(cPlugin), digest(cREST)
	if len(a) < 20*3 || !slices.Equal(a, b) {
		t.Fatalf("stock levels differ or are missing: plugin %d, REST %d\nplugin %v\nREST   %v", len(a), len(b), a, b)
	}
}

func TestSimOrdersAndCustomers(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok || p.StockQuantity == nil {
		t.Fatal("lab product with managed stock missing")
	}
	before := *p.StockQuantity

	cu, err := c.CustomerByEmail(ctx, "alice.lab@example.test")
	if err != nil || cu == nil || cu.Email != "alice.lab@example.test" {
		t.Fatalf("CustomerByEmail = %+v, %v", cu, err)
	}
	if _, err := c.CreateCustomer(ctx, CustomerInput{Email: "alice.lab@example.test", FirstName: "Alice"}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("duplicate customer = %v, want woo_bad_request", err)
	}
	newCu, err := c.CreateCustomer(ctx, CustomerInput{Email: "erin.lab@example.test", FirstName: "Erin", LastName: "Estate"})
	if err != nil || newCu.ID == 0 {
		t.Fatalf("CreateCustomer = %+v, %v", newCu, err)
	}
	if found, err := c.CustomerByEmail(ctx, "erin.lab@example.test"); err != nil || found == nil || found.ID != newCu.ID {
		t.Fatalf("new customer lookup = %+v, %v", found, err)
	}

	o, err := c.CreateOrder(ctx, OrderInput{
		Status: "processing", SetPaid: true, CustomerID: newCu.ID, Currency: "USD", CreatedVia: "oncloudwine",
		Billing:   &Address{FirstName: "Erin", Email: "erin.lab@example.test"},
		LineItems: []LineItemInput{{ProductID: p.ID, Quantity: 2, Subtotal: MustDecimal("70.00"), Total: MustDecimal("70.00")}},
		MetaData:  []MetaInput{{Key: "_oncloudwine_release_order_id", Value: "ro_777"}},
	})
	if err != nil || o.ID == 0 || o.Status != "processing" || o.DatePaidGMT.IsZero() {
		t.Fatalf("CreateOrder = %+v, %v", o, err)
	}
	if len(o.LineItems) != 1 || o.LineItems[0].Total.String() != "70.00" {
		t.Errorf("line items = %+v", o.LineItems)
	}
	if after, _ := sim.Product(p.ID); after.StockQuantity == nil || *after.StockQuantity != before-2 {
		t.Errorf("stock %d → %v, want %d", before, after.StockQuantity, before-2)
	}
	found, err := c.OrderByRelease(ctx, "ro_777")
	if err != nil || found == nil || found.ID != o.ID {
		t.Fatalf("OrderByRelease(ro_777) = %+v, %v; want order %d", found, err, o.ID)
	}
	if none, err := c.OrderByRelease(ctx, "ro_nothing"); err != nil || none != nil {
		t.Fatalf("OrderByRelease(ro_nothing) = %+v, %v; want nil, nil", none, err)
	}

	_, srvNoPlugin := startSim(t, woosim.Options{NoPlugin: true}, true)
	c2, _ := simClient(t, srvNoPlugin, nil)
	if o, err := c2.OrderByRelease(ctx, "ro_777"); o != nil || !errors.Is(err, ErrPluginMissing) {
		t.Fatalf("without the plugin = %+v, %v; want woo_plugin_missing", o, err)
	}
	if _, err := c.Product(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown product = %v, want woo_not_found", err)
	}
}
