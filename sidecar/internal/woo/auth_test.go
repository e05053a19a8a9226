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
	"strings"
	"sync/atomic"
	"testing"
)

func TestOAuth1OverPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"HMAC-SHA256", "HMAC-SHA1"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			f := newFakeStore(120, 2)
			// The home URL differs from the address the sidecar uses, like
			// the lab (home https://127.0.0.1:8443, requests to :8080).
			f.home = "https://127.0.0.1:8443"
			var fails atomic.Int32
			f.before = func(w http.ResponseWriter, r *http.Request, route string) bool {
				if route == "/wc/v3/products" && fails.Add(1) == 1 {
					wooErr(w, 503, "fake", "retry me") // the retry needs a fresh nonce
					return true
				}
				return false
			}
			srv := startFake(t, f, false)
			c, _ := newTestClient(t, srv, f, func(c *Config) { c.OAuthSignatureMethod = method })
			n := 0
			if err := c.Products(ctxT(t), ProductQuery{Fields: []string{"id", "sku"}}, func(Product) error { n++; return nil }); err != nil {
				t.Fatalf("Products over OAuth1: %v", err)
			}
			if n != 120 {
				t.Fatalf("%d products, want 120", n)
			}
			for _, r := range f.Requests() {
				q, _ := url.ParseQuery(r.RawQuery)
				if r.Route != "/" && (r.Auth != "oauth1" || q.Get("oauth_signature_method") != method) {
					t.Errorf("request %s auth %s", r.URI, r.Auth)
				}
			}
			if c.AuthMethod() != AuthOAuth1 {
				t.Errorf("AuthMethod = %s", c.AuthMethod())
			}
		})
	}
}

func TestOAuth1WrongSecret(t *testing.T) {
	t.Parallel()
	f := newFakeStore(3, 1)
	srv := startFake(t, f, false)
	c, _ := newTestClient(t, srv, f, func(c *Config) { c.ConsumerSecret = "cs_other" })
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
	f := newFakeStore(3, 1)
	srv := startFake(t, f, true)
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
			cfg := Config{StoreURL: srv.URL, ConsumerKey: f.ck, ConsumerSecret: f.cs, Sleep: sl.Sleep}
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
	f := newFakeStore(1, 1)
	srv := startFake(t, f, false)
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
	f := newFakeStore(3, 1)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	ctx := ctxT(t)
	if _, err := c.Product(ctx, 10); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.plain = true // the admin switches permalinks to "Plain"
	f.mu.Unlock()
	_, err := c.Product(ctx, 10)
	var we *Error
	if !errors.As(err, &we) || we.Code != CodePlainPermalinks || we.Fix != FixPlainPermalinks {
		t.Fatalf("error = %v, want woo_plain_permalinks", err)
	}
	// The next call rediscovers and works through ?rest_route=.
	if p, err := c.Product(ctx, 10); err != nil || p.ID != 10 {
		t.Fatalf("after rediscovery: %+v, %v", p, err)
	}
}

func TestOAuth1WithPlainPermalinks(t *testing.T) {
	t.Parallel()
	f := newFakeStore(5, 2)
	f.plain = true
	f.home = "https://127.0.0.1:8443"
	srv := startFake(t, f, false)
	c, _ := newTestClient(t, srv, f, nil)
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
	f := newFakeStore(3, 1)
	f.dropBasic = true // forces consumer_secret into the query string
	srv := startFake(t, f, true)
	var logs syncBuffer
	c, _ := newTestClient(t, srv, f, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx := ctxT(t)
	if info, err := c.CheckConnection(ctx); err != nil || info.AuthMethod != AuthQuery {
		t.Fatalf("CheckConnection = %+v, %v", info, err)
	}
	srv.CloseClientConnections()
	srv.Close()
	_, err := c.Product(ctx, 10)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("error = %v, want woo_unreachable", err)
	}
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), f.cs) {
			t.Fatalf("error chain leaks the consumer secret: %q", e.Error())
		}
	}
	if out := logs.String(); !strings.Contains(out, "woo request") || strings.Contains(out, f.cs) {
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
