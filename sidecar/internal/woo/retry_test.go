package woo

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func TestReadsRetryHonouringRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		retryAfter  time.Duration
		fails       int // 0: every attempt
		wantMin     time.Duration
		wantMax     time.Duration
		wantCode    string // "" = success after retries
		wantAttempt int
	}{
		{name: "429 Retry-After 3", status: 429, retryAfter: 3 * time.Second, fails: 2, wantMin: 3 * time.Second, wantMax: 3300 * time.Millisecond, wantAttempt: 3},
		{name: "503 Retry-After 1", status: 503, retryAfter: time.Second, fails: 1, wantMin: time.Second, wantMax: 1100 * time.Millisecond, wantAttempt: 2},
		{name: "502 without Retry-After: backoff", status: 502, fails: 2, wantMin: 250 * time.Millisecond, wantMax: 1000 * time.Millisecond, wantAttempt: 3},
		{name: "429 forever: gives up", status: 429, retryAfter: 2 * time.Second, wantMin: 2 * time.Second, wantMax: 2200 * time.Millisecond, wantCode: CodeRateLimited, wantAttempt: 5},
		{name: "503 forever: unreachable", status: 503, wantMin: 250 * time.Millisecond, wantMax: 15 * time.Second, wantCode: CodeUnreachable, wantAttempt: 5},
		{name: "Retry-After one hour: not waited", status: 429, retryAfter: time.Hour, wantCode: CodeRateLimited, wantAttempt: 1},
		{name: "400 is not retried", status: 400, wantCode: CodeBadRequest, wantAttempt: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, srv := startSim(t, woosim.Options{}, true)
			p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
			if !ok {
				t.Fatal("lab product missing")
			}
			route := "/wc/v3/products/" + strconv.FormatInt(p.ID, 10)
			sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json" + route, Status: tt.status, RetryAfter: tt.retryAfter, Times: tt.fails})
			c, sl := simClient(t, srv, nil)
			_, err := c.Product(ctxT(t), p.ID)
			if tt.wantCode == "" && err != nil {
				t.Fatalf("Product: %v", err)
			}
			if tt.wantCode != "" {
				var we *Error
				if !errors.As(err, &we) || we.Code != tt.wantCode {
					t.Fatalf("error = %v, want %s", err, tt.wantCode)
				}
			}
			attempts := countRequests(sim, func(r woosim.RecordedRequest) bool { return r.Route == route })
			if attempts != tt.wantAttempt {
				t.Errorf("%d attempts, want %d", attempts, tt.wantAttempt)
			}
			waits := sl.Waits()
			if len(waits) != tt.wantAttempt-1 {
				t.Fatalf("waits %v, want %d", waits, tt.wantAttempt-1)
			}
			for i, w := range waits {
				if tt.retryAfter == 0 && i > 0 && w < waits[0] { // backoff grows (half of each step is fixed)
					continue
				}
				if w < tt.wantMin || (i == 0 && w > tt.wantMax) {
					t.Errorf("wait %d = %v, want within [%v, %v]", i, w, tt.wantMin, tt.wantMax)
				}
			}
		})
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault woosim.Fault
		code  string
	}{
		{name: "503", fault: woosim.Fault{Status: 503, RetryAfter: time.Second}, code: CodeUnreachable},
		{name: "429", fault: woosim.Fault{Status: 429, RetryAfter: time.Second}, code: CodeRateLimited},
		{name: "dropped connection", fault: woosim.Fault{Drop: true}, code: CodeUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, srv := startSim(t, woosim.Options{}, true)
			p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
			if !ok {
				t.Fatal("lab product missing")
			}
			tt.fault.PathPrefix, tt.fault.Method = "/wp-json/wc/v3/orders", http.MethodPost
			sim.InjectFault(tt.fault)
			c, sl := simClient(t, srv, nil)
			_, err := c.CreateOrder(ctxT(t), OrderInput{Status: "processing", SetPaid: true, LineItems: []LineItemInput{{ProductID: p.ID, Quantity: 1}}})
			var we *Error
			if !errors.As(err, &we) || we.Code != tt.code {
				t.Fatalf("CreateOrder error = %v, want %s", err, tt.code)
			}
			// A dropped request is recorded once its handler returns.
			posted := func() int {
				return countRequests(sim, func(r woosim.RecordedRequest) bool { return r.Method == http.MethodPost && r.Route == "/wc/v3/orders" })
			}
			testutil.Eventually(t, "the order POST recorded", func() bool { return posted() >= 1 })
			if n := posted(); n != 1 {
				t.Errorf("order POSTed %d times, want exactly 1", n)
			}
			if len(sl.Waits()) != 0 {
				t.Errorf("waited %v before a write retry", sl.Waits())
			}
		})
	}
}

func TestReadTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product missing")
	}
	// The first answer would take a minute: the client gives up at its timeout.
	sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products/", Delay: time.Minute, Times: 1})
	c, sl := simClient(t, srv, func(c *Config) { c.Timeout = 2 * time.Second }) // generous: a loaded machine under -race must still answer in time
	got, err := c.Product(ctxT(t), p.ID)
	if err != nil || got.ID != p.ID {
		t.Fatalf("Product after a timeout = %+v, %v", got, err)
	}
	if len(sl.Waits()) != 1 {
		t.Errorf("waits = %v, want one backoff", sl.Waits())
	}
}

func TestDroppedConnectionReadIsRetried(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	want := simTotal(t, srv, "")
	sim.ResetRequests()
	sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products", Drop: true, Times: 1})
	c, _ := simClient(t, srv, nil)
	count := 0
	if err := c.Products(ctxT(t), ProductQuery{}, func(Product) error { count++; return nil }); err != nil {
		t.Fatal(err)
	}
	listed := func(status int) int {
		return countRequests(sim, func(r woosim.RecordedRequest) bool { return r.Route == "/wc/v3/products" && r.Status == status })
	}
	testutil.Eventually(t, "the dropped request recorded", func() bool { return listed(0) == 1 })
	if count != want || listed(200) != 1 {
		t.Errorf("%d of %d products after %d dropped and %d answered attempts", count, want, listed(0), listed(200))
	}
}

func TestRateLimitSpendsTokensPerAttempt(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product missing")
	}
	// 20 requests/s with a burst of 1: four requests need ≥ 150 ms.
	c, _ := simClient(t, srv, func(c *Config) { c.RateLimit = 20; c.MaxConcurrency = 1 })
	start := time.Now()
	for range 3 {
		if _, err := c.Product(ctxT(t), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Errorf("4 limited requests took %v, want ≥ 150ms", d)
	}
	if n := len(sim.Requests()); n != 4 {
		t.Errorf("%d requests, want 4 (index + 3)", n)
	}
}
