package woosim

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		wantCodes []int // successive answers
		wantRetry string
	}{
		{"429 twice then ok", Fault{PathPrefix: "/wp-json/wc/v3/products", Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 2}, []int{429, 429, 200}, "2"},
		{"503 once", Fault{PathPrefix: "/wp-json/wc/v3/products", Status: 503, Times: 1}, []int{503, 200}, ""},
		{"other path untouched", Fault{PathPrefix: "/wp-json/wc/v3/orders", Status: 503}, []int{200, 200}, ""},
		{"method filter", Fault{PathPrefix: "/wp-json/wc/v3/products", Method: "POST", Status: 503}, []int{200}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newSimEnv(t, Options{})
			env.sim.InjectFault(tt.fault)
			for i, want := range tt.wantCodes {
				resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/products?per_page=1", "")
				if resp.StatusCode != want {
					t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
				}
				if want == 429 && resp.Header.Get("Retry-After") != tt.wantRetry {
					t.Errorf("Retry-After %q, want %q", resp.Header.Get("Retry-After"), tt.wantRetry)
				}
			}
		})
	}
}

func TestFaultDropAndDelay(t *testing.T) {
	env := newSimEnv(t, Options{})
	env.sim.InjectFault(Fault{PathPrefix: "/wp-json/wc/v3/products", Drop: true, Times: 1})
	req, _ := http.NewRequest(http.MethodGet, env.tls.URL+"/wp-json/wc/v3/products", nil)
	req.SetBasicAuth(testCK, testCS)
	if resp, err := env.tlsC.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	// The handler records the request after it closed the connection.
	testutil.Eventually(t, "dropped request recorded", func() bool { return len(env.sim.Requests()) == 1 })
	if reqs := env.sim.Requests(); len(reqs) != 1 || reqs[0].Status != 0 {
		t.Errorf("dropped request recorded as %+v, want status 0", reqs)
	}
	env.sim.InjectFault(Fault{PathPrefix: "/wp-json/wc/v3/system_status", Delay: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/system_status", "")
	if resp.StatusCode != 200 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("slow answer: %d after %v", resp.StatusCode, time.Since(start))
	}
	reqs := env.sim.Requests()
	last := reqs[len(reqs)-1]
	if last.Route != "/wc/v3/system_status" || last.Status != 200 || !strings.HasPrefix(last.Path, "/wp-json/") {
		t.Errorf("recorded %+v", last)
	}
}

func TestLatency(t *testing.T) {
	env := newSimEnv(t, Options{Latency: 80 * time.Millisecond})
	start := time.Now()
	resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/products?per_page=1", "")
	if took := time.Since(start); resp.StatusCode != 200 || took < 80*time.Millisecond {
		t.Errorf("%d after %v, want ≥ 80ms", resp.StatusCode, took)
	}
}

func TestPlainPermalinksAndVersions(t *testing.T) {
	env := newSimEnv(t, Options{PlainPermalinks: true, WCVersion: "5.9.0"})
	req, _ := http.NewRequest(http.MethodGet, env.tls.URL+"/wp-json/wc/v3/products?per_page=2", nil)
	resp, err := env.tlsC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != env.sim.HomeURL()+"/wp-json/wc/v3/products/?per_page=2" {
		t.Errorf("plain permalinks: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ = http.NewRequest(http.MethodGet, env.tls.URL+"/?rest_route=/wc/v3/system_status&wp-json/wc/", nil)
	req.SetBasicAuth(testCK, testCS)
	resp, err = env.tlsC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var raw strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		raw.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(raw.String(), `"version":"5.9.0"`) {
		t.Errorf("system_status via rest_route: %d, version 5.9.0 missing", resp.StatusCode)
	}
	if !strings.Contains(resp.Header.Get("Link"), "index.php?rest_route=/") {
		t.Errorf("Link %q should use the rest_route form", resp.Header.Get("Link"))
	}
}
