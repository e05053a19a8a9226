package woo

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	woosim "github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woo"
)

const simCK, simCS = "ck_simtest", "cs_simtest"

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

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }
