// Command orders measures the online-order sync of issue 14 and prints:
//
//	bench: order_to_ocw_p99_ms <ms> ms    a delivery accepted (200) → its orders:upsert answered; OnCloudWine 20 ms per request
//	bench: order_backfill_10k_s <s> s     SYNC_WOOCOMMERCE_ORDERS over 10,000 orders; WooCommerce 80 ms, OnCloudWine 20 ms per request
//
// Both simulators run in this process behind real HTTP (WooCommerce over
// TLS); the sidecar's own HTTP edge takes the signed deliveries.
//
// Run: go run ./sidecar/bench/orders [-deliveries 300 -orders 10000]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "orders bench:", err)
		os.Exit(1)
	}
}

type options struct {
	deliveries             int
	every                  time.Duration
	orders                 int
	wooLatency, ocwLatency time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("orders", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.deliveries, "deliveries", 300, "order deliveries timed")
	fs.DurationVar(&o.every, "every", 20*time.Millisecond, "one delivery this often (50 orders a second)")
	fs.IntVar(&o.orders, "orders", 10000, "orders the backfill reads")
	fs.DurationVar(&o.wooLatency, "woo-latency", 80*time.Millisecond, "WooCommerce simulator latency per request")
	fs.DurationVar(&o.ocwLatency, "ocw-latency", 20*time.Millisecond, "OnCloudWine simulator latency per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p99, err := benchLatency(ctx, o, stderr, logger)
	if err != nil {
		return fmt.Errorf("order_to_ocw: %w", err)
	}
	fmt.Fprintf(stdout, "bench: order_to_ocw_p99_ms %.1f ms\n", p99)
	secs, err := benchBackfill(ctx, o, stderr, logger)
	if err != nil {
		return fmt.Errorf("order_backfill: %w", err)
	}
	fmt.Fprintf(stdout, "bench: order_backfill_10k_s %.1f s\n", secs)
	return nil
}
