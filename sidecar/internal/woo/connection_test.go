package woo

import (
	"errors"
	"net/http"
	"strings"
	"testing"
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

func TestCheckConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		setup    func(*fakeStore)
		mut      func(*Config)
		wantCode string
		check    func(t *testing.T, info StoreInfo, f *fakeStore)
	}{
		{name: "healthy store", check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.WCVersion != "10.0.2" || info.WPVersion != "6.8.8" || info.Currency != "USD" || info.WeightUnit != "kg" ||
				info.AuthMethod != AuthBasic || !info.CanWrite || !info.PluginRoutes || info.PlainPermalinks || !strings.HasPrefix(info.HomeURL, "https://") {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "basic lost behind FastCGI: query parameters", setup: func(f *fakeStore) { f.dropBasic = true }, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.AuthMethod != AuthQuery || !info.CanWrite {
				t.Errorf("info = %+v, want auth query", info)
			}
		}},
		{name: "TLS terminated before PHP: OAuth 1.0a over https", setup: func(f *fakeStore) { f.tlsHidden = true }, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.AuthMethod != AuthOAuth1 || !info.CanWrite || info.WCVersion == "" {
				t.Errorf("info = %+v, want auth oauth1", info)
			}
			reqs := f.Requests()
			if last := reqs[len(reqs)-1]; last.Auth != "oauth1" {
				t.Errorf("last request auth %s, want oauth1 kept", last.Auth)
			}
		}},
		{name: "read-only key", setup: func(f *fakeStore) { f.readOnly = true }, wantCode: CodeReadOnlyKey, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.CanWrite || info.WCVersion != "10.0.2" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "woocommerce 5.9", setup: func(f *fakeStore) { f.version = "5.9.0" }, wantCode: CodeVersionTooOld, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.WCVersion != "5.9.0" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "wrong secret: no query retry", mut: func(c *Config) { c.ConsumerSecret = "cs_wrong" }, wantCode: CodeUnauthorized, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if n := countRoute(f.Requests(), func(r fakeRequest) bool { return strings.Contains(r.RawQuery, "consumer_key") }); n != 0 {
				t.Errorf("%d query-auth attempts after a definite wrong secret", n)
			}
		}},
		{name: "WooCommerce inactive", setup: func(f *fakeStore) {
			f.before = func(w http.ResponseWriter, r *http.Request, route string) bool {
				if strings.HasPrefix(route, "/wc/") {
					wooErr(w, 404, "rest_no_route", "No route was found matching the URL and request method.")
					return true
				}
				return false
			}
		}, wantCode: CodeNotFound, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.WCVersion != "" {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "no plugin", setup: func(f *fakeStore) { f.plugin = false }, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if info.PluginRoutes || !info.CanWrite {
				t.Errorf("info = %+v", info)
			}
		}},
		{name: "plain permalinks: rest_route fallback works", setup: func(f *fakeStore) { f.plain = true }, check: func(t *testing.T, info StoreInfo, f *fakeStore) {
			if !info.PlainPermalinks || info.WCVersion != "10.0.2" || info.AuthMethod != AuthBasic {
				t.Errorf("info = %+v", info)
			}
			for _, r := range f.Requests() {
				if strings.HasPrefix(r.Route, "/wc/") && (!strings.Contains(r.URI, "rest_route=/wc/v3/") || !strings.HasSuffix(r.URI, "&wp-json/wc/")) {
					t.Errorf("request %s without the rest_route form and marker", r.URI)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeStore(3, 2)
			if tt.setup != nil {
				tt.setup(f)
			}
			srv := startFake(t, f, true)
			c, _ := newTestClient(t, srv, f, tt.mut)
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
				tt.check(t, info, f)
			}
		})
	}
}

func TestCheckConnectionMakesNoChange(t *testing.T) {
	t.Parallel()
	f := newFakeStore(3, 2)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	if _, err := c.CheckConnection(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Requests() {
		if r.Method != "GET" && !(r.Method == "POST" && r.Route == "/wc/v3/products/batch") {
			t.Errorf("connection test sent %s %s", r.Method, r.Route)
		}
	}
}
