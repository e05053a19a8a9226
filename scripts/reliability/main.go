// Command reliability runs the sidecar's reliability suite against the built
// binary on loopback: crash storms, outages, hostile inputs and memory under
// attack. Each scenario prints one line
//
//	reliability: <name> PASS|FAIL <detail>
//
// and the suite ends with "N passed, M failed"; it exits 1 when any failed.
// --short runs the reduced version that `make test` includes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// scenario is one named check; run returns a one-line detail, or an error
// whose text is the FAIL detail.
type scenario struct {
	name string
	run  func(ctx context.Context, env *suite) (string, error)
	full bool // only in the full run (it waits for a minute-scale timer)
}

// suite is what every scenario shares: the binary, the mode and the
// figures of the closing summary.
type suite struct {
	bin   string
	short bool
	out   io.Writer
	seed  int64

	mu         sync.Mutex
	injected   int   // webhook deliveries acknowledged by a sidecar
	lost       int   // acknowledged changes missing in OnCloudWine at the end
	duplicates int   // variants applied twice with the same content
	peakKB     int64 // the largest VmHWM of any sidecar process
}

// count adds a scenario's figures to the summary.
func (s *suite) count(injected, lost, duplicates int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.injected += injected
	s.lost += lost
	s.duplicates += duplicates
}

// notePeak reads a sidecar's peak RSS before it stops.
func (s *suite) notePeak(sc *sidecar) {
	kb := sc.peakKB()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peakKB = max(s.peakKB, kb)
}

func scenarios() []scenario {
	return []scenario{
		{"crash_storm", crashStorm, false},
		{"outage_oncloudwine", outageOnCloudWine, false},
		{"outage_woo_rate_limited", outageWooRateLimited, false},
		{"outage_webhook_disabled", outageWebhookDisabled, false},
		{"outage_store_down_at_start", outageStoreDownAtStart, true},
		{"bad_input", badInput, false},
		{"memory_unsigned_flood", memoryUnsigned, false},
		{"memory_signed_looking_flood", memorySignedLooking, false},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	failed, err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(2)
	}
	if failed > 0 {
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) (int, error) {
	fs := flag.NewFlagSet("reliability", flag.ContinueOnError)
	bin := fs.String("bin", "bin/ocw-sidecar", "the ocw-sidecar binary under test")
	short := fs.Bool("short", false, "the reduced suite make test runs")
	only := fs.String("only", "", "run only the scenarios whose name contains this")
	seed := fs.Int64("seed", 0, "seed of the crash storm's kill moments (0: from the clock; printed)")
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	if _, err := os.Stat(*bin); err != nil {
		return 0, fmt.Errorf("%s: %w (run make build first)", *bin, err)
	}
	if *seed == 0 {
		*seed = time.Now().UnixNano()
	}
	env := &suite{bin: *bin, short: *short, out: out, seed: *seed}
	passed, failed := 0, 0
	for _, sc := range scenarios() {
		if (*only != "" && !strings.Contains(sc.name, *only)) || (sc.full && *short) {
			continue
		}
		start := time.Now()
		detail, err := sc.run(ctx, env)
		took := time.Since(start).Round(100 * time.Millisecond)
		if err != nil {
			failed++
			fmt.Fprintf(out, "reliability: %s FAIL %v (%s)\n", sc.name, oneLine(err.Error()), took)
			continue
		}
		passed++
		fmt.Fprintf(out, "reliability: %s PASS %s (%s)\n", sc.name, detail, took)
	}
	fmt.Fprintf(out, "reliability: summary: %d scenarios, %d deliveries injected, lost = %d, duplicates = %d, peak RSS %d MB\n",
		passed+failed, env.injected, env.lost, env.duplicates, env.peakKB>>10)
	fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
	return failed, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
