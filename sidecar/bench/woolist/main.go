// Command woolist measures bench: woo_list_20k_variants_s — listing 5,000
// variable products × 4 variations through the REST path (no plugin) of the
// WooCommerce simulator with 80 ms per request, at the client's default
// concurrency — and prints exactly one line:
//
//	bench: woo_list_20k_variants_s <seconds> s
//
// Run: go run ./sidecar/bench/woolist [-products 5000 -variations 4 -latency 80ms -v]
package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "woolist:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("woolist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	products := fs.Int("products", 5000, "variable products")
	variations := fs.Int("variations", 4, "variations per product")
	latency := fs.Duration("latency", 80*time.Millisecond, "simulator latency per request")
	concurrency := fs.Int("concurrency", 0, "client concurrency (0 = the client's default)")
	verbose := fs.Bool("v", false, "also print counts to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	const ck, cs = "ck_bench", "cs_bench"
	sim, err := woosim.New(woosim.Options{
		ConsumerKey: ck, ConsumerSecret: cs, NoPlugin: true,
		Products: *products, Variations: *variations, Seed: 1,
		Latency: *latency, Logger: logger,
	})
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	defer sim.Close()
	srv := httptest.NewTLSServer(sim.Handler())
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	client, err := woo.New(woo.Config{
		StoreURL: srv.URL, ConsumerKey: ck, ConsumerSecret: cs,
		RootCAs: pool, MaxConcurrency: *concurrency, Logger: logger,
	})
	if err != nil {
		return err
	}
	var nProducts, nVariations int
	start := time.Now()
	err = client.Catalog(ctx, func(p woo.Product, vars []woo.Variation) error {
		nProducts++
		nVariations += len(vars)
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	want := *products * *variations
	if nVariations < want {
		return fmt.Errorf("listed %d variations, want at least %d", nVariations, want)
	}
	if *verbose {
		fmt.Fprintf(stderr, "listed %d products, %d variations with concurrency %d in %s\n", nProducts, nVariations, client.MaxConcurrency(), elapsed.Round(time.Millisecond))
	}
	fmt.Fprintf(stdout, "bench: woo_list_20k_variants_s %.1f s\n", elapsed.Seconds())
	return nil
}
