package oncloudwine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

func TestRetryHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     ocwsim.Fault
		wantWaits []time.Duration
	}{
		{"429 Retry-After 7s", ocwsim.Fault{Kind: ocwsim.FaultRateLimit, RetryAfter: 7 * time.Second}, []time.Duration{7 * time.Second}},
		{"503 Retry-After 3s twice", ocwsim.Fault{Kind: ocwsim.FaultDown, Requests: 2, RetryAfter: 3 * time.Second}, []time.Duration{3 * time.Second, 3 * time.Second}},
		// Retry-After above RetryWaitMax (2s) is still honoured: the server knows best.
		{"503 Retry-After 40s", ocwsim.Fault{Kind: ocwsim.FaultDown, RetryAfter: 40 * time.Second}, []time.Duration{40 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, nil, nil)
			if err := f.sim.InjectFault(tt.fault); err != nil {
				t.Fatal(err)
			}
			if _, err := f.client.UpsertVariants(context.Background(), []Variant{testVariant("A")}); err != nil {
				t.Fatalf("UpsertVariants: %v", err)
			}
			if diff := cmp.Diff(tt.wantWaits, f.sleep.Waits()); diff != "" {
				t.Fatalf("waits (-want +got):\n%s", diff)
			}
			if n, want := f.sim.Calls("/v1/woocommerce/variants:upsert"), len(tt.wantWaits)+1; n != want {
				t.Fatalf("calls = %d, want %d", n, want)
			}
			if n := len(f.sim.Variants()); n != 1 {
				t.Fatalf("variants = %d, want 1", n)
			}
		})
	}
}

func TestRetryWithoutRetryAfterBacksOffExponentially(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, func(c *Config) { c.RetryMax = 4 })
	f.client.jitter = func(d time.Duration) time.Duration { return d } // top of the jitter range
	if err := f.sim.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultDown, Requests: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}
	if diff := cmp.Diff(want, f.sleep.Waits()); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
}

func TestErrorAfterEffectAppliesOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	for _, path := range []string{"/v1/woocommerce/variants:upsert", "/v1/woocommerce/orders:upsert"} {
		if err := f.sim.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultErrorAfterEffect, Path: path}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := f.client.UpsertVariants(ctx, []Variant{testVariant("WINE-CAB-2021-750")})
	if err != nil {
		t.Fatalf("UpsertVariants: %v", err)
	}
	// The retry got the stored answer of the first attempt: created once.
	if len(res) != 1 || !res[0].Created {
		t.Fatalf("results = %+v, want the replayed created=true", res)
	}
	if err := f.client.UpsertOrders(ctx, []Order{testOrder(7)}); err != nil {
		t.Fatalf("UpsertOrders: %v", err)
	}
	for _, path := range []string{"/v1/woocommerce/variants:upsert", "/v1/woocommerce/orders:upsert"} {
		if n := f.sim.Calls(path); n != 2 {
			t.Errorf("%s calls = %d, want 2 (500, then replay)", path, n)
		}
	}
	if n := f.sim.VariantsApplied(); n != 1 {
		t.Errorf("variants applied = %d, want exactly 1", n)
	}
	if n := len(f.sim.Variants()); n != 1 {
		t.Errorf("sim variants = %d, want 1", n)
	}
	if n := len(f.sim.Orders()); n != 1 {
		t.Errorf("sim orders = %d, want 1", n)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		edit       func(*Config)
		call       func(*Client) error
		path       string
		wantStatus int
		wantText   string
	}{
		{
			name:       "revoked token",
			edit:       func(c *Config) { c.Token = "ock_revoked" },
			call:       func(c *Client) error { _, err := c.Ping(context.Background()); return err },
			path:       "/v1/ping",
			wantStatus: 401,
			wantText:   "OnCloudWine said: The API key is missing, invalid or revoked (unauthorized)",
		},
		{
			name: "invalid variant",
			call: func(c *Client) error {
				v := testVariant("WINE-X")
				v.Currency = "euro"
				_, err := c.UpsertVariants(context.Background(), []Variant{v})
				return err
			},
			path:       "/v1/woocommerce/variants:upsert",
			wantStatus: 400,
			wantText:   `OnCloudWine said: variants[0].currency must be an ISO 4217 code like "EUR", not "euro" (invalid_field)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, nil, tt.edit)
			err := tt.call(f.client)
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Status != tt.wantStatus {
				t.Fatalf("err = %v, want *Error with status %d", err, tt.wantStatus)
			}
			if err.Error() != tt.wantText {
				t.Fatalf("err.Error() = %q, want %q", err.Error(), tt.wantText)
			}
			if tt.wantStatus == 401 && !IsUnauthorized(err) {
				t.Fatalf("IsUnauthorized = false")
			}
			if n := f.sim.Calls(tt.path); n != 1 {
				t.Fatalf("calls = %d, want 1 (no retry)", n)
			}
			if len(f.sleep.Waits()) != 0 {
				t.Fatalf("waited %v", f.sleep.Waits())
			}
		})
	}
}

func TestRetriesExhaustedReturnsLastError(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, func(c *Config) { c.RetryMax = 2 })
	if err := f.sim.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultDown, Requests: 10, RetryAfter: time.Second}); err != nil {
		t.Fatal(err)
	}
	err := f.client.ArchiveVariants(context.Background(), []string{"A"})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Code != "unavailable" || !apiErr.Temporary() {
		t.Fatalf("err = %#v, want 503 unavailable", err)
	}
	if n := f.sim.Calls("/v1/woocommerce/variants:archive"); n != 3 {
		t.Fatalf("calls = %d, want 3 (1 + RetryMax 2)", n)
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	fs := &fakeSleeper{}
	c, err := New(Config{BaseURL: "http://" + addr, Token: testToken, RetryMax: 2, Sleep: fs.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(context.Background())
	var apiErr *Error
	if err == nil || errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if n := len(fs.Waits()); n != 2 {
		t.Fatalf("waits = %d, want 2 (retried)", n)
	}
}

func TestCancellationStopsRetriesPromptly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault ocwsim.Fault
	}{
		{"while waiting out Retry-After", ocwsim.Fault{Kind: ocwsim.FaultDown, For: time.Hour, RetryAfter: time.Minute}},
		{"while a request hangs", ocwsim.Fault{Kind: ocwsim.FaultSlow, Delay: time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The real sleeper: the wait is a timer that only the context can cut short.
			f := setup(t, nil, func(c *Config) { c.Sleep = nil; c.RetryMax = 10 })
			if err := f.sim.InjectFault(tt.fault); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := f.client.Ping(ctx)
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
			if elapsed > 5*time.Second {
				t.Fatalf("returned after %v, want promptly after the 200ms deadline", elapsed)
			}
			if n := f.sim.Calls("/v1/ping"); n != 1 {
				t.Fatalf("calls = %d, want 1", n)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	noJitter := func(time.Duration) time.Duration { return 0 }
	resp := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	tests := []struct {
		name    string
		attempt int
		resp    *http.Response
		want    time.Duration
	}{
		{"network error, attempt 0", 0, nil, 50 * time.Millisecond},
		{"500 attempt 3", 3, resp(500, ""), 400 * time.Millisecond},
		{"capped at max", 20, resp(502, ""), time.Second},
		{"429 seconds", 0, resp(429, "5"), 5 * time.Second},
		{"503 http date", 0, resp(503, now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second},
		{"503 date in the past", 0, resp(503, now.Add(-time.Minute).Format(http.TimeFormat)), 0},
		{"429 absurd Retry-After capped", 0, resp(429, "86400"), maxRetryAfter},
		{"429 garbage Retry-After falls back", 1, resp(429, "soon"), 100 * time.Millisecond},
		{"500 Retry-After ignored", 0, resp(500, "30"), 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := retryWait(100*time.Millisecond, 2*time.Second, tt.attempt, tt.resp, now, noJitter)
			if got != tt.want {
				t.Fatalf("retryWait = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBackoffJitterStaysInRange(t *testing.T) {
	t.Parallel()
	for range 1000 {
		got := retryWait(time.Second, time.Minute, 2, nil, time.Time{}, backoff.Uniform)
		if got < 2*time.Second || got > 4*time.Second {
			t.Fatalf("retryWait = %v, want within [2s, 4s]", got)
		}
	}
}

func TestCheckRetry(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		status  int
		err     error
		want    bool
		wantErr bool
	}{
		{"200", context.Background(), 200, nil, false, false},
		{"400", context.Background(), 400, nil, false, false},
		{"401", context.Background(), 401, nil, false, false},
		{"409", context.Background(), 409, nil, false, false},
		{"422", context.Background(), 422, nil, false, false},
		{"429", context.Background(), 429, nil, true, false},
		{"500", context.Background(), 500, nil, true, false},
		{"501", context.Background(), 501, nil, false, false},
		{"503", context.Background(), 503, nil, true, false},
		{"connection refused", context.Background(), 0, &url.Error{Op: "Get", URL: "x", Err: errors.New("connection refused")}, true, false},
		{"redirect loop", context.Background(), 0, &url.Error{Op: "Get", URL: "x", Err: errors.New("stopped after 10 redirects")}, false, true},
		{"cancelled", cancelled, 503, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var resp *http.Response
			if tt.status != 0 {
				resp = &http.Response{StatusCode: tt.status}
			}
			got, err := checkRetry(tt.ctx, resp, tt.err)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("checkRetry = %v, %v; want %v, err %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{Token: "t"},
		{BaseURL: "ftp://x", Token: "t"},
		{BaseURL: "/relative", Token: "t"},
		{BaseURL: "https://api.example.com"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error", cfg)
		}
	}
	c, err := New(Config{BaseURL: "https://api.example.com/", Token: "t", RetryMax: -1})
	if err != nil || c.retryMax != 0 || c.waitMin != DefaultRetryWaitMin || c.waitMax != DefaultRetryWaitMax {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
}
