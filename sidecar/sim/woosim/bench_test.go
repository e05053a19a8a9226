package woosim

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// BenchmarkProductsPage100 lists one page of 100 products (full objects) of a
// 5,000 × 4 catalog through the HTTP handler.
func BenchmarkProductsPage100(b *testing.B) {
	benchRoute(b, func(_ *Sim, i int) string { return fmt.Sprintf("/wp-json/wc/v3/products?per_page=100&page=%d", i%50+1) })
}

// BenchmarkVariations lists the variations of one product.
func BenchmarkVariations(b *testing.B) {
	benchRoute(b, func(s *Sim, _ int) string {
		p, _ := s.ProductBySKU("GEN-02500")
		return fmt.Sprintf("/wp-json/wc/v3/products/%d/variations?per_page=100", p.ID)
	})
}

// BenchmarkPluginCatalog500 reads one page of the plugin's catalog route.
func BenchmarkPluginCatalog500(b *testing.B) {
	benchRoute(b, func(*Sim, int) string { return "/wp-json/wc/v3/oncloudwine/catalog?limit=500" })
}

func benchRoute(b *testing.B, path func(*Sim, int) string) {
	sim, err := New(Options{ConsumerKey: testCK, ConsumerSecret: testCS, Products: 5000, Variations: 4, Seed: 1, HomeURL: "https://bench.test"})
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	h := sim.Handler()
	i := 0
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, path(sim, i), nil)
		req.SetBasicAuth(testCK, testCS)
		req.TLS = tlsState
		req.RequestURI = req.URL.RequestURI()
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
		i++
	}
}

type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

var tlsState = &tls.ConnectionState{HandshakeComplete: true}
