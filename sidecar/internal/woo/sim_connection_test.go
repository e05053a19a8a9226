package woo

import (
	"crypto/x509"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

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
			if info.WCVersion != "10.0.2" || info.Currency == "" || info.WeightUnit != "kg" || info.AuthMethod != AuthBasic || !info.CanWrite || !info.PluginRoutes || info.PlainPermalinks || info.HomeURL == "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "6.9.0", opts: woosim.Options{WCVersion: "6.9.0"}, check: func(t *testing.T, info StoreInfo) {
			if info.WCVersion != "6.9.0" || !info.CanWrite || info.WeightUnit != "kg" {
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
