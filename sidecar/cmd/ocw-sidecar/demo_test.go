package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDemoTellsTheWholeStory runs `ocw-sidecar demo` on a small catalog: the
// real sidecar against both simulators over loopback HTTP.
func TestDemoTellsTheWholeStory(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "--products", "40", "--latency", "0s"},
		{"demo", "--products", "10", "--latency", "0s", "--no-plugin"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(context.Background(), args, &out, &errb); err != nil {
				t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, &out, &errb)
			}
			for _, want := range []string{
				"POST /v1/connection → ACTIVE",
				"32.00 in OnCloudWine",
				"by webhook",
				"on hand 24, reserved 6, available 18",
				"variants re-sent: 0",
				"missing SKU — give it a SKU in WooCommerce",
				"give this variation its own SKU",
				"publish it in WooCommerce",
				"SYNCED ",
				"nothing is left running",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("demo output lacks %q:\n%s", want, &out)
				}
			}
		})
	}
}
