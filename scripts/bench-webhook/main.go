// Command bench-webhook measures the sidecar's durable webhook ingest: it
// starts the built ocw-sidecar binary on a temporary store, sends real-shaped
// 2 KiB signed product.updated deliveries over loopback at a fixed
// concurrency for a fixed time, and prints `bench:` lines (acknowledged
// deliveries per second, p50/p99 latency, the sidecar's peak RSS).
package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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
	size := fs.Int("size", 2048, "body size in bytes")
	showMem := fs.Bool("mem", false, "print the sidecar's Go memory metrics after the run")
	if err := fs.Parse(args); err != nil {
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

	url := "http://" + addr + "/v1/webhooks/woocommerce"
	transport := &http.Transport{MaxIdleConns: *conc * 2, MaxIdleConnsPerHost: *conc * 2, MaxConnsPerHost: *conc}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
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
			for time.Now().Before(deadline) && ctx.Err() == nil {
				id := seq.Add(1)
				body := deliveryBody(id, *size)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				setHeaders(req.Header, body)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
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
	fmt.Fprintf(os.Stderr, "\n(%d acknowledged durable deliveries of %d bytes in %s at concurrency %d)\n", ok.Load(), *size, elapsed.Round(time.Millisecond), *conc)
	return nil
}

// deliveryBody is a product.updated payload shaped like WooCommerce's (PHP
// json_encode, escaped slashes), padded to size bytes.
func deliveryBody(id int64, size int) []byte {
	head := fmt.Sprintf(`{"id":%d,"name":"Cabernet Sauvignon Reserve %d","slug":"cabernet-sauvignon-reserve-%d","permalink":"https:\/\/shop.example.com\/product\/cabernet-%d\/","date_created":"2026-11-27T01:54:27","date_created_gmt":"2026-11-27T01:54:27","date_modified":"2026-11-27T02:01:14","date_modified_gmt":"2026-11-27T02:01:14","type":"simple","status":"publish","sku":"WINE-CAB-%06d-750","price":"30.50","regular_price":"30.50","sale_price":"","manage_stock":true,"stock_quantity":24,"weight":"1.3","description":"`, id, id, id, id, id)
	tail := `","categories":[{"id":25,"name":"Red","slug":"red"}],"meta_data":[]}`
	pad := size - len(head) - len(tail)
	if pad < 0 {
		pad = 0
	}
	return []byte(head + strings.Repeat("a", pad) + tail)
}

func setHeaders(h http.Header, body []byte) {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)")
	h.Set("X-WC-Webhook-Source", "https://shop.example.com/")
	h.Set("X-WC-Webhook-Topic", "product.updated")
	h.Set("X-WC-Webhook-Resource", "product")
	h.Set("X-WC-Webhook-Event", "updated")
	h.Set("X-WC-Webhook-ID", "17")
	h.Set("X-WC-Webhook-Delivery-ID", "c2b4d76da0c51544f6a678e7f7a5314b")
	h.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
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
		for _, name := range []string{"go_memstats_heap_inuse_bytes ", "go_memstats_sys_bytes ", "process_resident_memory_bytes ", "go_goroutines "} {
			if strings.HasPrefix(line, name) {
				fmt.Fprintln(os.Stderr, line)
			}
		}
	}
}
