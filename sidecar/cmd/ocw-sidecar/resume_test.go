package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// TestRestartResumesJobAfterConnectionCheck: a SYNC_WOOCOMMERCE_PRODUCTS job
// that a SIGTERM (or kill -9) left running must finish after the restart. The
// store answers slowly, so the start-up connection check takes a while; the
// resumed job must wait for it instead of failing with "WooCommerce is not
// connected yet". Its debug log is checked too: JSON lines, no key twice, no
// secret.
func TestRestartResumesJobAfterConnectionCheck(t *testing.T) {
	bin := buildBinary(t)
	ws, err := woosim.New(woosim.Options{ConsumerKey: "ck_ocw_woo_sim", ConsumerSecret: "cs_ocw_woo_sim", Products: 5, Latency: 300 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ws.Close)
	wooSrv := httptest.NewServer(ws.Handler())
	t.Cleanup(wooSrv.Close)
	apiSrv := httptest.NewServer(ocwsim.New(ocwsim.Options{Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(apiSrv.Close)

	// The state a stop during a full sync leaves: the job is running.
	dataDir := t.TempDir()
	st, err := store.Open(dataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	job, _, err := st.CreateJob(store.JobSyncProducts)
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now().UTC()
	job.State, job.StartedAt = store.JobRunning, &started
	if err := st.PutJob(job); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	addr := freeAddr(t)
	var stderr syncBuffer
	cmd := startSimSidecar(t, bin, dataDir, addr, wooSrv.URL, apiSrv.URL, &stderr, "OCW_LOG_LEVEL=debug")

	client := adminclient.New(addr, testSecret)
	var (
		got     store.Job
		lastErr error
	)
	finished := func() bool {
		lastErr = client.Do(context.Background(), http.MethodGet, "/v1/jobs/"+job.ID, nil, &got)
		return lastErr == nil && !got.Active()
	}
	if !testutil.Within(60*time.Second, finished) {
		t.Fatalf("job %s still %q after 60 s (err %v)\n%s", job.ID, got.State, lastErr, stderr.String())
	}
	if got.State != store.JobSucceeded {
		b, _ := json.Marshal(got)
		t.Fatalf("resumed job: want succeeded, got %s\n%s", b, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("SIGTERM exit: %v\n%s", err, stderr.String())
	}
	checkLogLines(t, stderr.String(), testSecret, "cs_ocw_woo_sim", "ck_ocw_woo_sim", ocwsim.DefaultToken)
}

// checkLogLines: every line is one JSON object with no key twice (log
// shippers keep one of them) and no secret in it.
func checkLogLines(t *testing.T, out string, secrets ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines {
		for _, sec := range secrets {
			if strings.Contains(line, sec) {
				t.Errorf("log line holds a secret: %s", line)
			}
		}
		dec := json.NewDecoder(strings.NewReader(line))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Errorf("not a JSON object: %s", line)
			continue
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Errorf("not JSON (%v): %s", err, line)
				break
			}
			key, _ := tok.(string)
			if seen[key] {
				t.Errorf("key %q twice: %s", key, line)
			}
			seen[key] = true
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Errorf("not JSON (%v): %s", err, line)
				break
			}
		}
	}
	if len(lines) < 3 {
		t.Errorf("only %d log lines:\n%s", len(lines), out)
	}
}

// syncBuffer is a bytes.Buffer the subprocess's output copier and the test
// may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
