package woo

import (
	"errors"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      Config
		wantCode string
	}{
		{name: "https ok", cfg: Config{StoreURL: "https://shop.example.com", ConsumerKey: "ck", ConsumerSecret: "cs"}},
		{name: "http refused", cfg: Config{StoreURL: "http://shop.example.com", ConsumerKey: "ck", ConsumerSecret: "cs"}, wantCode: CodeHTTPSRequired},
		{name: "http allowed", cfg: Config{StoreURL: "http://shop.example.com/", ConsumerKey: "ck", ConsumerSecret: "cs", AllowHTTP: true}},
		{name: "empty url", cfg: Config{ConsumerKey: "ck", ConsumerSecret: "cs"}, wantCode: CodeConfig},
		{name: "not a url", cfg: Config{StoreURL: "shop.example.com", ConsumerKey: "ck", ConsumerSecret: "cs"}, wantCode: CodeConfig},
		{name: "no key", cfg: Config{StoreURL: "https://shop.example.com"}, wantCode: CodeConfig},
		{name: "missing CA file", cfg: Config{StoreURL: "https://shop.example.com", ConsumerKey: "ck", ConsumerSecret: "cs", CAFile: "/nonexistent/ca.pem"}, wantCode: CodeTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg)
			if tt.wantCode == "" {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			var we *Error
			if !errors.As(err, &we) || we.Code != tt.wantCode {
				t.Fatalf("New error = %v, want code %s", err, tt.wantCode)
			}
			if tt.wantCode == CodeHTTPSRequired {
				if !errors.Is(err, ErrHTTPSRequired) || !strings.HasSuffix(err.Error(), FixHTTPSRequired) {
					t.Errorf("error %q does not end with the HTTPS fix", err)
				}
			}
		})
	}
}

// The connection test against store set-ups the simulator's table in
// TestSimCheckConnection does not cover: proxies in front of PHP,
// WooCommerce switched off, and what is sent on the wire.
func TestCheckConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     woosim.Options
		mut      func(*Config)
		fault    *woosim.Fault
		wantCode string
		check    func(t *testing.T, info StoreInfo, sim *woosim.Sim)
	}{
		{name: "healthy store", check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if info.WCVersion != "10.0.2" || info.WPVersion != "6.8.8" || info.Currency != "USD" || info.WeightUnit != "kg" ||
				info.AuthMethod != AuthBasic || !info.CanWrite || !info.PluginRoutes || info.PlainPermalinks || !strings.HasPrefix(info.HomeURL, "https://") {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "basic lost behind FastCGI: query parameters", opts: woosim.Options{DropBasicAuth: true}, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if info.AuthMethod != AuthQuery || !info.CanWrite {
				t.Errorf("info = %+v, want auth query", info)
			}
			reqs := sim.Requests()
			if last := reqs[len(reqs)-1]; authOf(last) != "query" || last.Status != 200 {
				t.Errorf("last request %s?%s (%d), want query auth accepted", last.Path, last.Query, last.Status)
			}
		}},
		{name: "TLS terminated before PHP: OAuth 1.0a over https", opts: woosim.Options{TLSTerminatedByProxy: true}, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if info.AuthMethod != AuthOAuth1 || !info.CanWrite || info.WCVersion == "" {
				t.Errorf("info = %+v, want auth oauth1", info)
			}
			reqs := sim.Requests()
			if last := reqs[len(reqs)-1]; authOf(last) != "oauth1" || last.Status != 200 {
				t.Errorf("last request %s?%s (%d), want OAuth 1.0a kept and accepted", last.Path, last.Query, last.Status)
			}
		}},
		{name: "woocommerce 5.9", opts: woosim.Options{WCVersion: "5.9.0"}, wantCode: CodeVersionTooOld, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if info.WCVersion != "5.9.0" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "wrong secret: no query retry", mut: func(c *Config) { c.ConsumerSecret = "cs_wrong" }, wantCode: CodeUnauthorized, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if n := countRequests(sim, func(r woosim.RecordedRequest) bool { return authOf(r) == "query" }); n != 0 {
				t.Errorf("%d query-auth attempts after a definite wrong secret", n)
			}
		}},
		{name: "WooCommerce inactive", fault: &woosim.Fault{PathPrefix: "/wp-json/wc/", Status: 404}, wantCode: CodeNotFound, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if info.WCVersion != "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "plain permalinks: rest_route form and marker", opts: woosim.Options{PlainPermalinks: true}, check: func(t *testing.T, info StoreInfo, sim *woosim.Sim) {
			if !info.PlainPermalinks || info.WCVersion != "10.0.2" || info.AuthMethod != AuthBasic {
				t.Errorf("info = %+v", info)
			}
			for _, r := range sim.Requests() {
				if strings.HasPrefix(r.Route, "/wc/") && (!strings.Contains(r.Query, "rest_route=/wc/v3/") || !strings.HasSuffix(r.Query, "&wp-json/wc/")) {
					t.Errorf("request %s?%s without the rest_route form and marker", r.Path, r.Query)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, srv := startSim(t, tt.opts, true)
			if tt.fault != nil {
				sim.InjectFault(*tt.fault)
			}
			c, _ := simClient(t, srv, tt.mut)
			info, err := c.CheckConnection(ctxT(t))
			if tt.wantCode == "" && err != nil {
				t.Fatalf("CheckConnection: %v", err)
			}
			if tt.wantCode != "" {
				var we *Error
				if !errors.As(err, &we) || we.Code != tt.wantCode || we.Fix == "" {
					t.Fatalf("CheckConnection error = %v, want code %s with a fix", err, tt.wantCode)
				}
			}
			if tt.check != nil {
				tt.check(t, info, sim)
			}
		})
	}
}

func TestCheckConnectionMakesNoChange(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	if _, err := c.CheckConnection(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	for _, r := range sim.Requests() {
		if r.Method != "GET" && !(r.Method == "POST" && r.Route == "/wc/v3/products/batch") {
			t.Errorf("connection test sent %s %s", r.Method, r.Route)
		}
	}
}
