// Command sync measures the full product sync (SYNC_WOOCOMMERCE_PRODUCTS):
// 5,000 variable products × 4 variations (20,000 variants), the WooCommerce simulator
// answering in 80 ms per request, the OnCloudWine simulator in 20 ms, the
// WooCommerce client at its default concurrency (4). It prints:
//
//	bench: product_sync_20k_catalog_s <seconds> s   (plugin catalog route)
//	bench: product_sync_20k_rest_s <seconds> s      (REST fallback)
//	bench: product_sync_peak_rss_mb <MB> MB
//	bench: reconcile_5000_changed_s <seconds> s    (catch-up after 5,000 products changed)
//
// Each sync starts from an empty store and ends when OnCloudWine accepted
// every variant (RunJob returns). Both simulators run in a child process
// (this binary re-executed with -role=sims), so the peak RSS
// (VmHWM of /proc/self/status) is that of the process doing the sync: the
// engine, the store (bbolt mmap included) and both clients.
//
// Run: go run ./sidecar/bench/sync [-products 5000 -variations 4 -modes catalog,rest]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
)

// roleEnv marks the child process that serves the simulators.
const roleEnv = "OCW_BENCH_SYNC_ROLE"

const (
	benchKey    = "ck_bench_0123456789"
	benchSecret = "cs_bench_0123456789"
	benchToken  = "ock_bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sync bench:", err)
		os.Exit(1)
	}
}

type options struct {
	role                   string
	products, variations   int
	wooLatency, ocwLatency time.Duration
	noPlugin               bool
	modes                  string
	caOut                  string
	reservationInterval    time.Duration
	pushes                 int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.role, "role", "bench", "bench (default) or sims (internal: serve both simulators)")
	fs.IntVar(&o.products, "products", 5000, "variable products")
	fs.IntVar(&o.variations, "variations", 4, "variations per product")
	fs.DurationVar(&o.wooLatency, "woo-latency", 80*time.Millisecond, "WooCommerce simulator latency per request")
	fs.DurationVar(&o.ocwLatency, "ocw-latency", 20*time.Millisecond, "OnCloudWine simulator latency per request")
	fs.BoolVar(&o.noPlugin, "no-plugin", false, "sims role: hide the plugin routes")
	fs.StringVar(&o.modes, "modes", "catalog,rest,reconcile", "what to time: catalog, rest (full syncs), reconcile (the catch-up after a change to every product), stock (run stock alone: its peak RSS is a figure)")
	fs.StringVar(&o.caOut, "ca-out", "", "sims role: write the WooCommerce simulator's CA here")
	fs.DurationVar(&o.reservationInterval, "reservation-interval", time.Minute, "stock mode: OCW_RELEASE_POLL_INTERVAL (its default)")
	fs.IntVar(&o.pushes, "pushes", 500, "stock mode: stock deliveries timed (50 a second)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the syncing process here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stderr = &lockedWriter{w: stderr} // the child's output is copied in by another goroutine
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if o.role == "sims" {
		return serveSims(ctx, o, stdout, logger)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	productSyncs, reconcile := 0, false
	for _, mode := range strings.Split(o.modes, ",") {
		var name string
		switch mode {
		case "reconcile":
			reconcile = true // last: its simulators run in this process
			continue
		case "stock":
			if err := benchStock(ctx, o, stdout, stderr, logger); err != nil {
				return fmt.Errorf("stock: %w", err)
			}
			continue
		case "catalog":
			name = "product_sync_20k_catalog_s"
		case "rest":
			name = "product_sync_20k_rest_s"
		default:
			return fmt.Errorf("unknown mode %q", mode)
		}
		secs, err := timeSync(ctx, o, mode == "rest", stderr, logger)
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		fmt.Fprintf(stdout, "bench: %s %.1f s\n", name, secs)
		productSyncs++
	}
	if productSyncs > 0 {
		rss, err := peakRSSMB()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "bench: product_sync_peak_rss_mb %.1f MB\n", rss)
	}
	if reconcile {
		secs, via, err := timeReconcile(ctx, o, stderr, logger)
		if err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
		if via != "plugin" {
			return fmt.Errorf("reconcile: read via %s, not the plugin's catalog route", via)
		}
		fmt.Fprintf(stdout, "bench: reconcile_%d_changed_s %.1f s\n", o.products, secs)
	}
	return nil
}

// timeSync starts the simulators in a child process and times one full
// product sync into an empty store.
func timeSync(ctx context.Context, o options, noPlugin bool, stderr io.Writer, logger *slog.Logger) (float64, error) {
	dir, err := os.MkdirTemp("", "ocw-bench-sync-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	caFile := filepath.Join(dir, "woo-ca.pem")
	sm, err := startSims(ctx, o, noPlugin, caFile, stderr)
	if err != nil {
		return 0, err
	}
	defer sm.stop()
	wooURL, ocwURL := sm.wooURL, sm.ocwURL

	st, wc, info, err := connectStore(ctx, dir, wooURL, caFile, logger)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	oc, err := oncloudwine.New(oncloudwine.Config{BaseURL: ocwURL, Token: benchToken, Logger: logger})
	if err != nil {
		return 0, err
	}
	eng, err := syncer.New(syncer.Config{Store: st, Woo: wc, OCW: oc, Logger: logger})
	if err != nil {
		return 0, err
	}
	defer eng.Stop()

	start := time.Now()
	job, err := eng.RunJob(ctx, store.JobSyncProducts, nil)
	elapsed := time.Since(start)
	if err != nil {
		return 0, err
	}
	counts, err := st.ItemCounts()
	if err != nil {
		return 0, err
	}
	want := o.products * o.variations
	if counts[store.StatusSynced] < want {
		return 0, fmt.Errorf("%d variants synced, want at least %d (%v)", counts[store.StatusSynced], want, counts)
	}
	fmt.Fprintf(stderr, "%s: %d products, items %v, plugin routes %v, in %s\n",
		job.Type, job.Progress.Done, counts, info.PluginRoutes, elapsed.Round(time.Millisecond))
	return elapsed.Seconds(), nil
}

// sims is the simulators' child process.
type sims struct {
	wooURL, ocwURL string
	in             io.WriteCloser
	lines          chan string // what the child prints after "ready"
	stop           func()
}

// command sends a line to the child and waits for its answer.
func (s *sims) command(ctx context.Context, line string) error {
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case ans, ok := <-s.lines:
		switch {
		case !ok:
			return errors.New("simulators exited")
		case ans != "done":
			return fmt.Errorf("simulators: %s", ans)
		}
		return nil
	}
}

// startSims re-executes this binary with -role=sims and reads the two URLs
// it prints.
func startSims(ctx context.Context, o options, noPlugin bool, caFile string, stderr io.Writer) (*sims, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-role=sims", "-products", strconv.Itoa(o.products), "-variations", strconv.Itoa(o.variations),
		"-woo-latency", o.wooLatency.String(), "-ocw-latency", o.ocwLatency.String(), "-ca-out", caFile}
	if noPlugin {
		args = append(args, "-no-plugin")
	}
	cctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(cctx, exe, args...)
	cmd.Stderr = stderr
	cmd.Env = append(os.Environ(), roleEnv+"=sims") // lets a test binary recognise the child role
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	stop := func() {
		_ = in.Close()
		cancel()
		_ = cmd.Wait()
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "ready" {
			s := &sims{wooURL: f[1], ocwURL: f[2], in: in, lines: make(chan string, 1), stop: stop}
			go func() {
				defer close(s.lines)
				for sc.Scan() {
					s.lines <- sc.Text()
				}
			}()
			return s, nil
		}
	}
	stop()
	return nil, errors.New("simulators exited before they were ready")
}

// peakRSSMB is this process's peak resident set size (VmHWM).
func peakRSSMB() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			kb, err := strconv.ParseFloat(f[0], 64)
			if err != nil {
				return 0, fmt.Errorf("peak RSS: %w", err)
			}
			return kb / 1024, nil
		}
	}
	return 0, errors.New("peak RSS: no VmHWM in /proc/self/status")
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
