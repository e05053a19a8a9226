package woosim

import (
	"net/http"
	"strconv"
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

// An AfterEffect fault applies the request (the order exists, stock went
// down) and only then answers 500, or holds the answer.
func TestFaultAfterEffect(t *testing.T) {
	env := newSimEnv(t, Options{})
	p, _ := env.sim.ProductBySKU("WINE-CHA-2022-750")
	before := *p.StockQuantity
	body := `{"status":"processing","set_paid":true,"line_items":[{"product_id":` + itoa(p.ID) + `,"quantity":2}],"meta_data":[{"key":"_oncloudwine_release_order_id","value":"ro_1"}]}`
	env.sim.InjectFault(Fault{PathPrefix: "/wp-json/wc/v3/orders", Method: http.MethodPost, AfterEffect: true, Status: 500, Times: 1})
	resp, _ := env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", body)
	if resp.StatusCode != 500 {
		t.Fatalf("answer %d, want 500", resp.StatusCode)
	}
	resp, found := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/orders/by-release/ro_1", "")
	if resp.StatusCode != 200 {
		t.Fatalf("the order was not created before the 500: %d %v", resp.StatusCode, found)
	}
	if q, _ := env.sim.ProductBySKU("WINE-CHA-2022-750"); *q.StockQuantity != before-2 {
		t.Errorf("stock %d, want %d", *q.StockQuantity, before-2)
	}
	release, hit := make(chan struct{}), make(chan struct{}, 1)
	env.sim.InjectFault(Fault{PathPrefix: "/wp-json/wc/v3/orders", Method: http.MethodPost, AfterEffect: true, Times: 1,
		Hold: release, Hit: func() { hit <- struct{}{} }})
	answered := make(chan int, 1)
	go func() {
		resp, _ := env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", strings.Replace(body, "ro_1", "ro_2", 1))
		answered <- resp.StatusCode
	}()
	<-hit
	if n := len(env.sim.Orders()); n == 0 {
		t.Fatal("no orders")
	}
	select {
	case code := <-answered:
		t.Fatalf("a held answer arrived: %d", code)
	default:
	}
	resp, _ = env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/orders/by-release/ro_2", "")
	if resp.StatusCode != 200 {
		t.Errorf("held order not created: %d", resp.StatusCode)
	}
	close(release)
	if code := <-answered; code != 201 {
		t.Errorf("released answer %d, want 201", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
