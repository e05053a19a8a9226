package connection

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const ck, cs = "ck_conn_test", "cs_conn_test"

type recorder struct {
	mu      sync.Mutex
	clients []*woo.Client
	reports []oncloudwine.Connection
}

func (r *recorder) Set(c *woo.Client) { r.mu.Lock(); r.clients = append(r.clients, c); r.mu.Unlock() }

func (r *recorder) ReportConnection(_ context.Context, c oncloudwine.Connection) error {
	r.mu.Lock()
	r.reports = append(r.reports, c)
	r.mu.Unlock()
	return nil
}

type harness struct {
	checker *Checker
	store   *store.Store
	rec     *recorder
	url     string
}

func setup(t *testing.T, opts woosim.Options) *harness {
	t.Helper()
	opts.ConsumerKey, opts.ConsumerSecret = ck, cs
	opts.Logger = slog.New(slog.DiscardHandler)
	sim, err := woosim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	srv := httptest.NewTLSServer(sim.Handler())
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	rec := &recorder{}
	c := &Checker{
		Store: st, Clients: rec, Reporter: rec, Log: slog.New(slog.DiscardHandler), Now: time.Now,
		Base: woo.Config{RootCAs: pool, MaxRetries: -1},
	}
	return &harness{checker: c, store: st, rec: rec, url: srv.URL}
}

func lastActivity(t *testing.T, st *store.Store) store.Activity {
	t.Helper()
	a, err := st.ListActivity(1, 0)
	if err != nil || len(a) != 1 {
		t.Fatalf("activity: %v %v", a, err)
	}
	return a[0]
}

func TestConnectActive(t *testing.T) {
	h := setup(t, woosim.Options{})
	conn, err := h.checker.Connect(context.Background(), httpapi.ConnectRequest{StoreURL: h.url + "/", ConsumerKey: ck, ConsumerSecret: cs})
	if err != nil {
		t.Fatal(err)
	}
	if conn.Status != store.ConnActive || conn.WCVersion != "10.0.2" || conn.Currency == "" || conn.WeightUnit == "" || !conn.PluginRoutes {
		t.Fatalf("connection = %+v", conn)
	}
	stored, _ := h.store.Connection()
	if stored.Status != store.ConnActive || stored.ConsumerSecret != cs || stored.StoreURL != h.url {
		t.Fatalf("stored = %+v", stored)
	}
	if len(h.rec.clients) != 1 || len(h.rec.reports) != 1 || h.rec.reports[0].Status != store.ConnActive {
		t.Fatalf("clients %d, reports %+v", len(h.rec.clients), h.rec.reports)
	}
	if a := lastActivity(t, h.store); !strings.Contains(a.Message, "Connected to WooCommerce 10.0.2") || a.Level != "info" {
		t.Fatalf("activity = %+v", a)
	}
}

func TestConnectFailuresCarryTheFix(t *testing.T) {
	tests := []struct {
		name     string
		opts     woosim.Options
		url      func(h *harness) string
		secret   string
		wantCode string
		wantFix  string
	}{
		{"wrong secret", woosim.Options{}, func(h *harness) string { return h.url }, "cs_wrong", woo.CodeUnauthorized, "Regenerate in Woo and reconnect"},
		{"read-only key", woosim.Options{ReadOnlyKey: true}, func(h *harness) string { return h.url }, cs, woo.CodeReadOnlyKey, "Read/Write"},
		{"too old", woosim.Options{WCVersion: "5.9.0"}, func(h *harness) string { return h.url }, cs, woo.CodeVersionTooOld, "6.0"},
		{"plain http", woosim.Options{}, func(h *harness) string { return strings.Replace(h.url, "https://", "http://", 1) }, cs, woo.CodeHTTPSRequired, "HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := setup(t, tt.opts)
			conn, err := h.checker.Connect(context.Background(), httpapi.ConnectRequest{StoreURL: tt.url(h), ConsumerKey: ck, ConsumerSecret: tt.secret})
			if err != nil {
				t.Fatal(err)
			}
			if conn.Status != store.ConnError || conn.LastError == nil || conn.LastError.Code != tt.wantCode || !strings.Contains(conn.LastError.Fix, tt.wantFix) {
				t.Fatalf("connection = %+v, last error %+v", conn, conn.LastError)
			}
			if len(h.rec.clients) != 0 {
				t.Fatal("a failing client was handed to the engine")
			}
			if a := lastActivity(t, h.store); a.Level != "error" || !strings.Contains(a.Message, tt.wantFix) {
				t.Fatalf("activity = %+v", a)
			}
			// Nothing was connected before: nothing changes but the attempt's record.
			stored, _ := h.store.Connection()
			if stored.Status != store.ConnDisconnected || stored.ConsumerKey != "" || stored.LastAttempt == nil ||
				stored.LastAttempt.Code != tt.wantCode || !strings.Contains(stored.LastAttempt.Fix, tt.wantFix) {
				t.Fatalf("stored = %+v, last attempt %+v", stored, stored.LastAttempt)
			}
			if len(h.rec.reports) != 0 {
				t.Fatalf("a failed attempt was reported to OnCloudWine as the connection: %+v", h.rec.reports)
			}
		})
	}
}

func TestPlainPermalinksAreActiveWithAWarning(t *testing.T) {
	h := setup(t, woosim.Options{PlainPermalinks: true})
	conn, err := h.checker.Check(context.Background(), h.url, ck, cs)
	if err != nil {
		t.Fatal(err)
	}
	if conn.Status != store.ConnActive || conn.Warning == nil || conn.Warning.Code != woo.CodePlainPermalinks {
		t.Fatalf("connection = %+v, warning %+v", conn, conn.Warning)
	}
	if a := lastActivity(t, h.store); !strings.Contains(a.Message, "Post name") {
		t.Fatalf("activity = %+v", a)
	}
}

func TestStartupRechecksStoredCredentials(t *testing.T) {
	h := setup(t, woosim.Options{})
	h.checker.Startup(context.Background(), "", "", "")
	if len(h.rec.clients) != 0 {
		t.Fatal("checked without any credentials")
	}
	if _, err := h.checker.Check(context.Background(), h.url, ck, cs); err != nil {
		t.Fatal(err)
	}
	h.checker.Startup(context.Background(), "", "", "")
	if len(h.rec.clients) != 2 {
		t.Fatalf("start-up did not re-check the stored key: %d clients", len(h.rec.clients))
	}
}

func TestConnectOutlivesItsCaller(t *testing.T) {
	h := setup(t, woosim.Options{Latency: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the plugin gave up before the test began
	conn, err := h.checker.Connect(ctx, httpapi.ConnectRequest{StoreURL: h.url, ConsumerKey: ck, ConsumerSecret: cs})
	if err != nil {
		t.Fatal(err)
	}
	if conn.Status != store.ConnActive {
		t.Fatalf("a caller that stopped waiting aborted the test: %+v %+v", conn, conn.LastError)
	}
	if stored, _ := h.store.Connection(); stored.Status != store.ConnActive {
		t.Fatalf("stored = %+v", stored)
	}
}
