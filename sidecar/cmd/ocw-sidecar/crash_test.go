package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

const testSecret = "test-shared-secret-0123456789abcdef0123"

// buildBinary compiles ocw-sidecar once for the subprocess tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ocw-sidecar")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type sidecarProc struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
}

func startSidecar(t *testing.T, bin, dataDir, addr string) *sidecarProc {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "OCW_SHARED_SECRET="+testSecret, "OCW_DATA_DIR="+dataDir, "OCW_LISTEN_ADDR="+addr, "OCW_LOG_LEVEL=warn")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &sidecarProc{cmd: cmd, addr: addr, stderr: &stderr}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var lastErr error
	healthy := func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			lastErr = err
			return false
		}
		resp.Body.Close()
		lastErr = fmt.Errorf("healthz answered %d", resp.StatusCode)
		return resp.StatusCode == 200
	}
	if !testutil.Within(20*time.Second, healthy) {
		t.Fatalf("sidecar not healthy: %v\n%s", lastErr, stderr.String())
	}
	return p
}

func httpClient() *http.Client { return &http.Client{Timeout: 5 * time.Second} }

func productDelivery(id int) (http.Header, []byte) {
	body := fmt.Appendf(nil, `{"id":%d,"name":"Wine %d","sku":"WINE-%05d","date_modified_gmt":"2026-11-27T02:01:14","price":"30.50","permalink":"https:\/\/shop.example\/p\/%d\/"}`, id, id, id, id)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(webhook.HeaderTopic, "product.updated")
	h.Set(webhook.HeaderResource, "product")
	h.Set(webhook.HeaderEvent, "updated")
	h.Set(webhook.HeaderID, "17")
	h.Set(webhook.HeaderDeliveryID, "same-within-a-second")
	h.Set(webhook.HeaderSignature, webhook.Sign(body, []byte(testSecret)))
	return h, body
}

func post(ctx context.Context, c *http.Client, addr string, id int) (int, string, error) {
	h, body := productDelivery(id)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/v1/webhooks/woocommerce", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header = h
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String(), nil
}

// TestKill9LosesNoAcknowledgedDelivery sends signed deliveries concurrently,
// kill -9s the sidecar mid-stream, restarts it and checks that every delivery
// answered 200 is in the store exactly once.
func TestKill9LosesNoAcknowledgedDelivery(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	p := startSidecar(t, bin, dataDir, addr)

	client := &http.Client{Timeout: 5 * time.Second}
	var (
		next  atomic.Int64
		acked sync.Map
		nAck  atomic.Int64
		wg    sync.WaitGroup
	)
	killAt := int64(1500)
	killed := make(chan struct{})
	var killOnce sync.Once
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				id := int(next.Add(1))
				code, _, err := post(context.Background(), client, addr, id)
				if err != nil {
					return // the process is gone
				}
				if code == 200 {
					acked.Store(id, true)
					if nAck.Add(1) == killAt {
						killOnce.Do(func() {
							_ = p.cmd.Process.Signal(syscall.SIGKILL)
							close(killed)
						})
					}
				}
			}
		}()
	}
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatalf("never reached %d acknowledgements\n%s", killAt, p.stderr)
	}
	wg.Wait()
	_ = p.cmd.Wait()

	p2 := startSidecar(t, bin, dataDir, addr)
	// Every acknowledged delivery re-sent is a duplicate: it was stored.
	ackedIDs := []int{}
	acked.Range(func(k, _ any) bool { ackedIDs = append(ackedIDs, k.(int)); return true })
	if len(ackedIDs) < int(killAt) {
		t.Fatalf("only %d acknowledged", len(ackedIDs))
	}
	for _, id := range ackedIDs[:50] {
		code, body, err := post(context.Background(), client, addr, id)
		if err != nil || code != 200 || !strings.Contains(body, `"duplicate":true`) {
			t.Fatalf("acknowledged delivery %d not found after restart: %d %s %v", id, code, body, err)
		}
	}
	// Graceful stop, then read the store directly.
	if err := p2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p2.cmd.Wait(); err != nil {
		t.Fatalf("SIGTERM exit: %v\n%s", err, p2.stderr)
	}
	st, err := store.Open(dataDir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.InboxBatch(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, ev := range evs {
		seen[ev.ResourceID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("product %d stored %d times", id, n)
		}
	}
	for _, id := range ackedIDs {
		if seen[int64(id)] != 1 {
			t.Fatalf("acknowledged delivery %d lost (store has %d events, %d acknowledged)", id, len(evs), len(ackedIDs))
		}
	}
	t.Logf("acknowledged %d, stored %d (unacknowledged but committed: %d)", len(ackedIDs), len(evs), len(evs)-len(ackedIDs))
}

func TestBadConfigExitsWithOneLine(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		env     []string
		wantVar string
	}{
		{[]string{}, "OCW_SHARED_SECRET"},
		{[]string{"OCW_SHARED_SECRET=" + testSecret, "OCW_STOCK_SYNC_INTERVAL=1m"}, "OCW_STOCK_SYNC_INTERVAL"},
		{[]string{"OCW_SHARED_SECRET=" + testSecret, "OCW_WOO_URL=not a url"}, "OCW_WOO_URL"},
	} {
		cmd := exec.Command(bin, "serve")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "OCW_DATA_DIR=" + t.TempDir()}, tc.env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("%v: exit 0", tc.env)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], tc.wantVar) {
			t.Fatalf("%v: want one line naming %s, got %q", tc.env, tc.wantVar, out)
		}
	}
}
