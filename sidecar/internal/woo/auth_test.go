package woo

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// OAuth 1.0a over plain HTTP, with the home URL elsewhere than the address
// the sidecar uses (the lab: home https://127.0.0.1:8443, requests to
// :8080). The simulator checks every signature with its own implementation
// of WooCommerce's algorithm (woosim.OAuthSignature), not the client's, and
// refuses a reused nonce: the retry after a 503 must sign afresh.
func TestOAuth1OverPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"HMAC-SHA256", "HMAC-SHA1"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			sim, srv := startSim(t, woosim.Options{HomeURL: "https://127.0.0.1:8443", Products: 120, Variations: 1, Seed: 1}, false)
			want := simTotal(t, serveQuietly(t, sim.Handler(), true), "")
			sim.ResetRequests()
			sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products", Status: 503, Times: 1})
			c, _ := simClient(t, srv, func(c *Config) { c.OAuthSignatureMethod = method })
			n := 0
			if err := c.Products(ctxT(t), ProductQuery{Fields: []string{"id", "sku"}}, func(Product) error { n++; return nil }); err != nil {
				t.Fatalf("Products over OAuth1: %v", err)
			}
			if n != want || want <= 100 {
				t.Fatalf("%d products, want %d (more than one page)", n, want)
			}
			var statuses []int
			for _, r := range sim.Requests() {
				if !strings.HasPrefix(r.Route, "/wc/") {
					continue
				}
				q, _ := url.ParseQuery(r.Query)
				if authOf(r) != "oauth1" || q.Get("oauth_signature_method") != method {
					t.Errorf("request %s?%s not signed with %s", r.Path, r.Query, method)
				}
				if r.Route == "/wc/v3/products" {
					statuses = append(statuses, r.Status)
				}
			}
			if len(statuses) < 3 || statuses[0] != 503 || slices.Contains(statuses[1:], 401) {
				t.Errorf("product page statuses %v, want 503 then accepted signatures", statuses)
			}
			if c.AuthMethod() != AuthOAuth1 {
				t.Errorf("AuthMethod = %s", c.AuthMethod())
			}
		})
	}
}

func TestOAuth1WrongSecret(t *testing.T) {
	t.Parallel()
	_, srv := startSim(t, woosim.Options{}, false)
	c, _ := simClient(t, srv, func(c *Config) { c.ConsumerSecret = "cs_other" })
	_, err := c.CheckConnection(ctxT(t))
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeUnauthorized || !strings.Contains(we.Message, "Invalid signature") || we.Fix != FixUnauthorized {
		t.Fatalf("error = %v", err)
	}
}

func writeCAFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCustomCAOverRealTLS(t *testing.T) {
	t.Parallel()
	_, srv := startSim(t, woosim.Options{}, true)
	caFile := writeCAFile(t, srv)
	tests := []struct {
		name     string
		mut      func(*Config)
		wantCode string
	}{
		{name: "CA file trusted", mut: func(c *Config) { c.RootCAs = x509.NewCertPool(); c.CAFile = caFile }},
		{name: "unknown CA", mut: func(c *Config) { c.RootCAs = x509.NewCertPool() }, wantCode: CodeTLS},
		{name: "CA file with garbage", mut: func(c *Config) {
			bad := filepath.Join(t.TempDir(), "bad.pem")
			_ = os.WriteFile(bad, []byte("not a certificate"), 0o600)
			c.CAFile = bad
		}, wantCode: CodeTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sl := &fakeSleeper{}
			cfg := Config{StoreURL: srv.URL, ConsumerKey: simCK, ConsumerSecret: simCS, Sleep: sl.Sleep}
			tt.mut(&cfg)
			c, err := New(cfg)
			if err == nil {
				_, err = c.CheckConnection(ctxT(t))
			}
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("CheckConnection with the CA file: %v", err)
				}
				return
			}
			var we *Error
			if !errors.As(err, &we) || we.Code != tt.wantCode || !strings.Contains(we.Fix, "OCW_WOO_CA_FILE") {
				t.Fatalf("error = %v, want %s mentioning OCW_WOO_CA_FILE", err, tt.wantCode)
			}
			if len(sl.Waits()) != 0 {
				t.Errorf("TLS failure retried: %v", sl.Waits())
			}
		})
	}
}

func TestHTTPSClientOnPlainServerIsTLSError(t *testing.T) {
	t.Parallel()
	_, srv := startSim(t, woosim.Options{}, false)
	c, err := New(Config{StoreURL: strings.Replace(srv.URL, "http://", "https://", 1), ConsumerKey: "ck", ConsumerSecret: "cs"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CheckConnection(ctxT(t))
	if !errors.Is(err, ErrTLS) {
		t.Fatalf("error = %v, want woo_tls", err)
	}
}

func TestUnreachableStore(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	sl := &fakeSleeper{}
	c, err := New(Config{StoreURL: addr, ConsumerKey: "ck", ConsumerSecret: "cs", AllowHTTP: true, Sleep: sl.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CheckConnection(ctxT(t))
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeUnreachable || we.Fix != FixUnreachable {
		t.Fatalf("error = %v, want woo_unreachable", err)
	}
}

func TestPlainPermalinksAppearingLater(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product missing")
	}
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	if _, err := c.Product(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	sim.SetPlainPermalinks(true) // the admin switches permalinks to "Plain"
	_, err := c.Product(ctx, p.ID)
	var we *Error
	if !errors.As(err, &we) || we.Code != CodePlainPermalinks || we.Fix != FixPlainPermalinks {
		t.Fatalf("error = %v, want woo_plain_permalinks", err)
	}
	// The next call rediscovers and works through ?rest_route=.
	if got, err := c.Product(ctx, p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("after rediscovery: %+v, %v", got, err)
	}
	if r := sim.Requests(); !strings.Contains(r[len(r)-1].Query, "rest_route=") {
		t.Errorf("last request %s?%s not through ?rest_route=", r[len(r)-1].Path, r[len(r)-1].Query)
	}
}

func TestOAuth1WithPlainPermalinks(t *testing.T) {
	t.Parallel()
	_, srv := startSim(t, woosim.Options{PlainPermalinks: true, HomeURL: "https://127.0.0.1:8443"}, false)
	c, _ := simClient(t, srv, nil)
	info, err := c.CheckConnection(ctxT(t))
	if err != nil {
		t.Fatalf("CheckConnection: %v", err)
	}
	if !info.PlainPermalinks || info.AuthMethod != AuthOAuth1 || !info.CanWrite {
		t.Fatalf("info = %+v", info)
	}
}

func TestErrorsNeverCarryTheSecret(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{DropBasicAuth: true}, true) // forces consumer_secret into the query string
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product missing")
	}
	var logs syncBuffer
	c, _ := simClient(t, srv, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx := ctxT(t)
	if info, err := c.CheckConnection(ctx); err != nil || info.AuthMethod != AuthQuery {
		t.Fatalf("CheckConnection = %+v, %v", info, err)
	}
	srv.CloseClientConnections()
	srv.Close()
	_, err := c.Product(ctx, p.ID)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("error = %v, want woo_unreachable", err)
	}
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), simCS) {
			t.Fatalf("error chain leaks the consumer secret: %q", e.Error())
		}
	}
	if out := logs.String(); !strings.Contains(out, "woo request") || strings.Contains(out, simCS) {
		t.Fatalf("debug log missing or leaking the secret: %s", out)
	}
}

func TestRedirectElsewhereIsNotPlainPermalinks(t *testing.T) {
	t.Parallel()
	// http:// store URL of a site whose web server forces https.
	srv := serveQuietly(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://shop.example.com"+r.URL.RequestURI(), http.StatusMovedPermanently)
	}), false)
	sl := &fakeSleeper{}
	c, err := New(Config{StoreURL: srv.URL, ConsumerKey: "ck", ConsumerSecret: "cs", AllowHTTP: true, Sleep: sl.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.CheckConnection(ctxT(t))
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeBadResponse || !strings.Contains(we.Message, "https://shop.example.com") || info.PlainPermalinks {
		t.Fatalf("CheckConnection = %+v, %v; want a redirect error naming the target", info, err)
	}
	if strings.Contains(we.Message, "oauth_signature=") {
		t.Errorf("redirect message carries the query: %s", we.Message)
	}
}
