package woo

import (
	"crypto/x509"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// BenchmarkCatalogREST lists a scaled-down catalog (200 variable products ×
// 4 variations, 5 ms per request) through the REST path at the default
// concurrency. The full figure (5,000 × 4 at 80 ms) comes from
// go run ./sidecar/bench/woolist.
func BenchmarkCatalogREST(b *testing.B) {
	sim, err := woosim.New(woosim.Options{ConsumerKey: simCK, ConsumerSecret: simCS, NoPlugin: true,
		Products: 200, Variations: 4, Seed: 1, Latency: 5 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	srv := httptest.NewTLSServer(sim.Handler())
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err := New(Config{StoreURL: srv.URL, ConsumerKey: simCK, ConsumerSecret: simCS, RootCAs: pool})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	for b.Loop() {
		n := 0
		if err := c.Catalog(ctx, func(_ Product, vars []Variation) error { n += len(vars); return nil }); err != nil {
			b.Fatal(err)
		}
		if n < 800 {
			b.Fatalf("%d variations, want ≥ 800", n)
		}
	}
}
