package woo

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
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

// authOf names how a recorded request authenticated: "oauth1", "query"
// (consumer_key in the query string) or "basic" (neither: the header).
func authOf(r woosim.RecordedRequest) string {
	q, _ := url.ParseQuery(r.Query)
	switch {
	case q.Get("oauth_signature") != "":
		return "oauth1"
	case q.Get("consumer_key") != "":
		return "query"
	}
	return "basic"
}

// countRequests counts the simulator's recorded requests that match.
func countRequests(sim *woosim.Sim, match func(woosim.RecordedRequest) bool) int {
	n := 0
	for _, r := range sim.Requests() {
		if match(r) {
			n++
		}
	}
	return n
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
