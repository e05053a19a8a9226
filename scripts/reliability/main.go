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
	"syscall"
	"time"
)

// scenario is one named check; run returns a one-line detail, or an error
// whose text is the FAIL detail.
type scenario struct {
	name string
	run  func(ctx context.Context, env *suite) (string, error)
}

// suite is what every scenario shares: the binary and the mode.
type suite struct {
	bin   string
	short bool
	out   io.Writer
}

func scenarios() []scenario {
	return []scenario{
		{"memory_unsigned_flood", memoryUnsigned},
		{"memory_signed_looking_flood", memorySignedLooking},
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
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	if _, err := os.Stat(*bin); err != nil {
		return 0, fmt.Errorf("%s: %w (run make build first)", *bin, err)
	}
	env := &suite{bin: *bin, short: *short, out: out}
	passed, failed := 0, 0
	for _, sc := range scenarios() {
		if *only != "" && !strings.Contains(sc.name, *only) {
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
	fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
	return failed, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
