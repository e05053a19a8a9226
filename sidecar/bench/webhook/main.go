// Command webhook measures the sidecar's durable webhook ingest: it
// starts the built ocw-sidecar binary on a temporary store, sends real
// WooCommerce product.updated deliveries (a captured 2.2 KiB body, one product
// id each) over loopback at a fixed
// concurrency for a fixed time, and prints `bench:` lines (acknowledged
// deliveries per second, p50/p99 latency, the sidecar's peak RSS).
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const secret = "bench-shared-secret-0123456789abcdef0123"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench-webhook:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench-webhook", flag.ContinueOnError)
	bin := fs.String("bin", "bin/ocw-sidecar", "ocw-sidecar binary")
	conc := fs.Int("concurrency", 64, "concurrent senders")
	dur := fs.Duration("duration", 10*time.Second, "how long to send")
	body := fs.String("body", captured, "capture whose raw_body is the payload template")
	showMem := fs.Bool("mem", false, "print the sidecar's Go memory metrics after the run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmpl, err := bodyTemplate(*body)
	if err != nil {
		return err
	}
	parts, err := splitTemplate(tmpl)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ocw-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, *bin, "serve")
	cmd.Env = append(os.Environ(), "OCW_SHARED_SECRET="+secret, "OCW_DATA_DIR="+filepath.Join(dir, "data"), "OCW_LISTEN_ADDR="+addr, "OCW_LOG_LEVEL=warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", *bin, err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := waitHealthy(ctx, addr, 20*time.Second); err != nil {
		return err
	}

	const path = "/v1/webhooks/woocommerce"
	var (
		seq     atomic.Int64
		ok      atomic.Int64
		failed  atomic.Int64
		mu      sync.Mutex
		allLats []time.Duration
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(*dur)
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lats := make([]time.Duration, 0, 1<<16)
			snd := newSender(addr)
			defer snd.close()
			mac := hmac.New(sha256.New, []byte(secret))
			var buf, sum []byte
			for time.Now().Before(deadline) && ctx.Err() == nil {
				id := seq.Add(1)
				buf = parts.body(buf, id)
				mac.Reset()
				mac.Write(buf)
				sum = mac.Sum(sum[:0])
				t0 := time.Now()
				status, err := snd.post(path, buf, base64.StdEncoding.EncodeToString(sum))
				if err != nil || status != http.StatusOK {
					failed.Add(1)
					continue
				}
				lats = append(lats, time.Since(t0))
				ok.Add(1)
			}
			mu.Lock()
			allLats = append(allLats, lats...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if *showMem {
		printMemMetrics(addr)
	}
	rss, err := peakRSSMB(cmd.Process.Pid)
	if err != nil {
		return err
	}
	if ok.Load() == 0 {
		return fmt.Errorf("no delivery acknowledged (%d failed)", failed.Load())
	}
	slices.Sort(allLats)
	pct := func(p float64) float64 {
		return float64(allLats[int(float64(len(allLats)-1)*p)].Microseconds()) / 1000
	}
	fmt.Printf("bench: webhook_ingest_rps %.0f req/s\n", float64(ok.Load())/elapsed.Seconds())
	fmt.Printf("bench: webhook_ingest_p50_ms %.2f ms\n", pct(0.50))
	fmt.Printf("bench: webhook_ingest_p99_ms %.2f ms\n", pct(0.99))
	fmt.Printf("bench: webhook_ingest_failed %d requests\n", failed.Load())
	fmt.Printf("bench: sidecar_peak_rss_mb %.1f MB\n", rss)
	fmt.Fprintf(os.Stderr, "(%d acknowledged durable deliveries of about %d bytes in %s at concurrency %d)\n", ok.Load(), len(tmpl), elapsed.Round(time.Millisecond), *conc)
	return nil
}

// captured is a real WooCommerce 10.0.2 product.updated delivery (a price
// edit, 2,234 bytes of PHP json_encode output).
const captured = "testdata/woocommerce/10.0.2/webhook-product-price-edit-1-product-updated.json"

// bodyTemplate reads the captured delivery's raw body.
func bodyTemplate(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s (run from the repository root): %w", path, err)
	}
	var f struct {
		Request struct {
			RawBody string `json:"raw_body"`
		} `json:"request"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if !strings.HasPrefix(f.Request.RawBody, `{"id":13,`) {
		return "", fmt.Errorf("%s: unexpected body", path)
	}
	return f.Request.RawBody, nil
}

// bodyParts is the template split around what changes per delivery (id, SKU,
// modification time), so building a body is three appends, not three scans.
type bodyParts [4]string

func splitTemplate(tmpl string) (bodyParts, error) {
	var p bodyParts
	rest := strings.TrimPrefix(tmpl, `{"id":13,`)
	sku, mod := `"sku":"WINE-PIN-2022-750"`, `"date_modified_gmt":"2026-11-27T02:01:14"`
	i, j := strings.Index(rest, mod), strings.Index(rest, sku)
	if i < 0 || j < i {
		return p, fmt.Errorf("template lacks %s before %s", mod, sku)
	}
	p[0], p[1], p[2], p[3] = `{"id":`, rest[:i], rest[i+len(mod):j], rest[j+len(sku):]
	return p, nil
}

// body is the captured payload made a different product: its id, SKU and
// modification time change, the rest is WooCommerce's bytes.
func (p bodyParts) body(buf []byte, id int64) []byte {
	buf = append(buf[:0], p[0]...)
	buf = strconv.AppendInt(buf, id, 10)
	buf = append(buf, ',')
	buf = append(buf, p[1]...)
	buf = fmt.Appendf(buf, `"date_modified_gmt":"2026-11-27T%02d:%02d:%02d"`, id/3600%24, id/60%60, id%60)
	buf = append(buf, p[2]...)
	buf = fmt.Appendf(buf, `"sku":"WINE-%07d-750"`, id)
	return append(buf, p[3]...)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(ctx context.Context, addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("sidecar at %s not healthy within %s", addr, within)
}

// peakRSSMB reads VmHWM (the peak resident set) of a Linux process.
func peakRSSMB(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read peak RSS: %w", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0, fmt.Errorf("parse VmHWM %q: %w", rest, err)
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// printMemMetrics shows where the sidecar's memory went (Go heap vs the rest).
func printMemMetrics(addr string) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		fmt.Fprintln(os.Stderr, "metrics:", err)
		return
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		for _, name := range []string{"go_memstats_heap_inuse_bytes ", "go_memstats_sys_bytes ", "process_resident_memory_bytes ", "go_goroutines ", "ocw_store_commit_seconds", "go_gc_duration_seconds"} {
			if strings.HasPrefix(line, name) {
				fmt.Fprintln(os.Stderr, line)
			}
		}
	}
}
