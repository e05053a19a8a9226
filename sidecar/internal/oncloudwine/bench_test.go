package oncloudwine

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

// BenchmarkUpsertVariants1000 sends 1,000 changed variants (10 requests of
// 100) per op through the client to the in-process simulator over loopback.
func BenchmarkUpsertVariants1000(b *testing.B) {
	sim := ocwsim.New(ocwsim.Options{Token: testToken, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	vs := variants(1000)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range vs {
			vs[j].WooModifiedAt = time.Unix(int64(i), 0) // new content: no replays
		}
		if _, err := c.UpsertVariants(ctx, vs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(vs))/b.Elapsed().Seconds(), "variants/s")
}
