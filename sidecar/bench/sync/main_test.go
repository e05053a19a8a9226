package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"regexp"
	"syscall"
	"testing"
)

// TestMain lets this test binary play the simulators' child process.
func TestMain(m *testing.M) {
	if os.Getenv(roleEnv) == "sims" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestBenchPrintsItsFourLines(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"-products", "30", "-variations", "2", "-woo-latency", "0s", "-ocw-latency", "0s"}
	if err := run(t.Context(), args, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	want := regexp.MustCompile(`^bench: product_sync_20k_catalog_s \d+\.\d s\nbench: product_sync_20k_rest_s \d+\.\d s\nbench: product_sync_peak_rss_mb \d+\.\d MB\nbench: reconcile_30_changed_s \d+\.\d s\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestStockBenchPrintsItsFiveLines(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"-modes", "stock", "-products", "60", "-variations", "2", "-woo-latency", "0s", "-ocw-latency", "0s",
		"-pushes", "40", "-reservation-interval", "1s"}
	if err := run(t.Context(), args, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	want := regexp.MustCompile(`^bench: stock_sync_first_20k_s \d+\.\d\d s\nbench: sync_then_first_stock_peak_rss_mb \d+\.\d MB\n` +
		`bench: stock_push_latency_p99_ms \d+\.\d ms\nbench: reservation_to_available_s \d+\.\d s\nbench: stock_sync_20k_s \d+\.\d\d s\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("output:\n%s\n%s", out.String(), errOut.String())
	}
}
