package main

import (
	"bytes"
	"regexp"
	"testing"
)

func TestBenchPrintsItsTwoLines(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"-deliveries", "20", "-every", "1ms", "-orders", "150", "-woo-latency", "0s", "-ocw-latency", "0s"}
	if err := run(t.Context(), args, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	want := regexp.MustCompile(`^bench: order_to_ocw_p99_ms \d+\.\d ms\nbench: order_backfill_10k_s \d+\.\d s\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("output:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
}
