package woo

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// failFirst answers the first n requests matching route with status and
// Retry-After (when not empty), then lets them through.
func failFirst(n int32, routeSuffix string, status int, retryAfter string) func(http.ResponseWriter, *http.Request, string) bool {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, route string) bool {
		if !strings.HasSuffix(route, routeSuffix) || seen.Add(1) > n {
			return false
		}
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		wooErr(w, status, "fake_fault", "injected")
		return true
	}
}

func TestReadsRetryHonouringRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		retryAfter  string
		fails       int32
		wantMin     time.Duration
		wantMax     time.Duration
		wantCode    string // "" = success after retries
		wantAttempt int
	}{
		{name: "429 Retry-After 3", status: 429, retryAfter: "3", fails: 2, wantMin: 3 * time.Second, wantMax: 3300 * time.Millisecond, wantAttempt: 3},
		{name: "503 Retry-After 1", status: 503, retryAfter: "1", fails: 1, wantMin: time.Second, wantMax: 1100 * time.Millisecond, wantAttempt: 2},
		{name: "502 without Retry-After: backoff", status: 502, fails: 2, wantMin: 250 * time.Millisecond, wantMax: 1000 * time.Millisecond, wantAttempt: 3},
		{name: "429 forever: gives up", status: 429, retryAfter: "2", fails: 100, wantMin: 2 * time.Second, wantMax: 2200 * time.Millisecond, wantCode: CodeRateLimited, wantAttempt: 5},
		{name: "503 forever: unreachable", status: 503, fails: 100, wantMin: 250 * time.Millisecond, wantMax: 15 * time.Second, wantCode: CodeUnreachable, wantAttempt: 5},
		{name: "Retry-After one hour: not waited", status: 429, retryAfter: "3600", fails: 100, wantCode: CodeRateLimited, wantAttempt: 1},
		{name: "400 is not retried", status: 400, fails: 100, wantCode: CodeBadRequest, wantAttempt: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeStore(3, 1)
			f.before = failFirst(tt.fails, "/wc/v3/products/10", tt.status, tt.retryAfter)
			srv := startFake(t, f, true)
			c, sl := newTestClient(t, srv, f, nil)
			_, err := c.Product(ctxT(t), 10)
			if tt.wantCode == "" && err != nil {
				t.Fatalf("Product: %v", err)
			}
			if tt.wantCode != "" {
				var we *Error
				if !errors.As(err, &we) || we.Code != tt.wantCode {
					t.Fatalf("error = %v, want %s", err, tt.wantCode)
				}
			}
			attempts := countRoute(f.Requests(), func(r fakeRequest) bool { return r.Route == "/wc/v3/products/10" })
			if attempts != tt.wantAttempt {
				t.Errorf("%d attempts, want %d", attempts, tt.wantAttempt)
			}
			waits := sl.Waits()
			if len(waits) != tt.wantAttempt-1 {
				t.Fatalf("waits %v, want %d", waits, tt.wantAttempt-1)
			}
			for i, w := range waits {
				if tt.retryAfter == "" && i > 0 && w < waits[0] { // backoff grows (half of each step is fixed)
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
		name   string
		before func(http.ResponseWriter, *http.Request, string) bool
		code   string
	}{
		{name: "503", before: failFirst(100, "/wc/v3/orders", 503, "1"), code: CodeUnreachable},
		{name: "429", before: failFirst(100, "/wc/v3/orders", 429, "1"), code: CodeRateLimited},
		{name: "dropped connection", before: func(w http.ResponseWriter, r *http.Request, route string) bool {
			if route != "/wc/v3/orders" {
				return false
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}, code: CodeUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeStore(3, 1)
			f.before = tt.before
			srv := startFake(t, f, true)
			c, sl := newTestClient(t, srv, f, nil)
			_, err := c.CreateOrder(ctxT(t), OrderInput{Status: "processing", SetPaid: true, LineItems: []LineItemInput{{ProductID: 10, Quantity: 1}}})
			var we *Error
			if !errors.As(err, &we) || we.Code != tt.code {
				t.Fatalf("CreateOrder error = %v, want %s", err, tt.code)
			}
			if n := countRoute(f.Requests(), func(r fakeRequest) bool { return r.Route == "/wc/v3/orders" }); n != 1 {
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
	f := newFakeStore(3, 1)
	var first atomic.Bool
	f.before = func(w http.ResponseWriter, r *http.Request, route string) bool {
		if route == "/wc/v3/products/10" && first.CompareAndSwap(false, true) {
			<-r.Context().Done() // hang until the client gives up
			return true
		}
		return false
	}
	srv := startFake(t, f, true)
	c, sl := newTestClient(t, srv, f, func(c *Config) { c.Timeout = 300 * time.Millisecond })
	p, err := c.Product(ctxT(t), 10)
	if err != nil || p.ID != 10 {
		t.Fatalf("Product after a timeout = %+v, %v", p, err)
	}
	if len(sl.Waits()) != 1 {
		t.Errorf("waits = %v, want one backoff", sl.Waits())
	}
}

func TestDroppedConnectionReadIsRetried(t *testing.T) {
	t.Parallel()
	f := newFakeStore(3, 1)
	var n atomic.Int32
	f.before = func(w http.ResponseWriter, r *http.Request, route string) bool {
		if route == "/wc/v3/products" && n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}
		return false
	}
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	count := 0
	if err := c.Products(ctxT(t), ProductQuery{}, func(Product) error { count++; return nil }); err != nil {
		t.Fatal(err)
	}
	if count != 3 || n.Load() != 2 {
		t.Errorf("%d products after %d attempts", count, n.Load())
	}
}

func TestRateLimitSpendsTokensPerAttempt(t *testing.T) {
	t.Parallel()
	f := newFakeStore(3, 1)
	srv := startFake(t, f, true)
	// 20 requests/s with a burst of 1: four requests need ≥ 150 ms.
	c, _ := newTestClient(t, srv, f, func(c *Config) { c.RateLimit = 20; c.MaxConcurrency = 1 })
	start := time.Now()
	for range 3 {
		if _, err := c.Product(ctxT(t), 10); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Errorf("4 limited requests took %v, want ≥ 150ms", d)
	}
	if n := len(f.Requests()); n != 4 {
		t.Errorf("%d requests, want 4 (index + 3)", n)
	}
}
