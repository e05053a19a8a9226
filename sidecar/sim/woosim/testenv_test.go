package woosim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testCK     = "ck_0123456789abcdef0123456789abcdef01234567"
	testCS     = "cs_76543210fedcba9876543210fedcba9876543210"
	labSecret  = "lab-webhook-secret"
	captureDir = "../../../testdata/woocommerce"
)

// testClock is a settable clock; it only moves forward.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// simEnv is a simulator served over HTTPS (its home) and plain HTTP.
type simEnv struct {
	sim     *Sim
	tls     *httptest.Server
	plain   *httptest.Server
	clock   *testClock
	tlsC    *http.Client
	plainC  *http.Client
	receive *receiver
}

// newSimEnv starts a simulator whose home URL is its HTTPS server.
func newSimEnv(t *testing.T, opts Options) *simEnv {
	t.Helper()
	e := &simEnv{receive: newReceiver(t)}
	e.tls = httptest.NewUnstartedServer(nil)
	e.plain = httptest.NewUnstartedServer(nil)
	if opts.Now == nil {
		e.clock = newTestClock(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
		opts.Now = e.clock.Now
	}
	if opts.ConsumerKey == "" {
		opts.ConsumerKey, opts.ConsumerSecret = testCK, testCS
	}
	opts.HomeURL = "https://" + e.tls.Listener.Addr().String()
	sim, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(sim.Close)
	e.sim = sim
	e.tls.Config.Handler = sim.Handler()
	e.plain.Config.Handler = sim.Handler()
	e.tls.StartTLS()
	e.plain.Start()
	t.Cleanup(e.tls.Close)
	t.Cleanup(e.plain.Close)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	e.tlsC = e.tls.Client()
	e.tlsC.CheckRedirect = noRedirect
	e.plainC = &http.Client{CheckRedirect: noRedirect, Timeout: 10 * time.Second}
	return e
}

// get does an authenticated GET over HTTPS and decodes the JSON answer.
func (e *simEnv) do(t *testing.T, method, path string, body string) (*http.Response, any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.tls.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(testCK, testCS)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.tlsC.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, path, raw, err)
		}
	}
	return resp, v
}

// received is one request the test receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint that records deliveries.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	status int
	notify chan struct{}
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: http.StatusOK, notify: make(chan struct{}, 1024)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: b})
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status)
		select {
		case r.notify <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setStatus(code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = code
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// capture is one file of testdata/woocommerce/<version>.
type capture struct {
	name    string
	Request struct {
		Method        string         `json:"method"`
		Scheme        string         `json:"scheme"`
		PathWithQuery string         `json:"path_with_query"`
		Headers       map[string]any `json:"headers"`
		Body          any            `json:"body"`
		RawBody       string         `json:"raw_body"`
	} `json:"request"`
	SignatureCheck struct {
		Matches bool `json:"matches_X-WC-Webhook-Signature"`
	} `json:"signature_check"`
	Response struct {
		Status     int            `json:"status"`
		Headers    map[string]any `json:"headers"`
		Body       any            `json:"body"`
		BodyIsJSON *bool          `json:"body_is_json"`
	} `json:"response"`
}

func (c *capture) respHeader(name string) (string, bool) {
	for k, v := range c.Response.Headers {
		if strings.EqualFold(k, name) {
			switch x := v.(type) {
			case string:
				return x, true
			case []any:
				var parts []string
				for _, p := range x {
					s, _ := p.(string)
					parts = append(parts, s)
				}
				return strings.Join(parts, ", "), true
			}
		}
	}
	return "", false
}

func (c *capture) reqHeader(name string) string {
	for k, v := range c.Request.Headers {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

func loadCaptures(t *testing.T, version, prefix string) []*capture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(captureDir, version, prefix+"*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s/%s: %v", captureDir, version, err)
	}
	sort.Strings(files)
	var out []*capture
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasPrefix(base, "_") || base == "webhook-findings.json" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &capture{name: base}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		if err := dec.Decode(c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, c)
	}
	return out
}
