package connection

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// fakeClock is the checker's clock: Now moves only when a wait fires.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan fakeWait
}

type fakeWait struct {
	d  time.Duration
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC), waits: make(chan fakeWait, 16)}
}

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *fakeClock) advance(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() }

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	f.waits <- fakeWait{d: d, ch: ch}
	return ch
}

// next returns the wait the checker asked for (failing after a real-time
// deadline: the checker is expected to ask at once).
func (f *fakeClock) next(t *testing.T) fakeWait {
	t.Helper()
	select {
	case w := <-f.waits:
		return w
	case <-time.After(testutil.DefaultWait):
		t.Fatal("the checker asked for no wait")
		return fakeWait{}
	}
}

// fire lets a wait end, moving the clock by its length.
func (f *fakeClock) fire(w fakeWait) {
	f.advance(w.d)
	w.ch <- f.Now()
}

// flakyStore is the simulator behind a switch: down, it answers 503 to
// everything, as a store whose PHP or database is down does.
type flakyStore struct {
	down atomic.Bool
	url  string
	pool *x509.CertPool
}

func newFlakyStore(t *testing.T) *flakyStore {
	t.Helper()
	sim, err := woosim.New(woosim.Options{ConsumerKey: ck, ConsumerSecret: cs, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	f := &flakyStore{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		sim.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.pool = x509.NewCertPool()
	f.pool.AddCert(srv.Certificate())
	return f
}

func newSupervised(t *testing.T, st *store.Store, rec *recorder, pool *x509.CertPool, clock *fakeClock) *Checker {
	return &Checker{
		Store: st, Clients: rec, Reporter: rec, Log: slog.New(slog.DiscardHandler), Now: clock.Now, After: clock.After,
		Base: woo.Config{RootCAs: pool, MaxRetries: -1},
	}
}

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func (r *recorder) clientCount() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.clients) }

// Issue 12 §2: with the connection ACTIVE, a POST /v1/connection with a
// wrong key or URL is recorded as last_attempt and changes nothing else;
// a restart re-tests the good credentials, not the bad ones.
func TestFailedConnectKeepsTheConnectionInForce(t *testing.T) {
	fs := newFlakyStore(t)
	dir := t.TempDir()
	st := openStore(t, dir)
	rec := &recorder{}
	clock := newFakeClock()
	c := newSupervised(t, st, rec, fs.pool, clock)
	good, err := c.Connect(t.Context(), httpapi.ConnectRequest{StoreURL: fs.url, ConsumerKey: ck, ConsumerSecret: cs})
	if err != nil || good.Status != store.ConnActive {
		t.Fatalf("Connect = %+v, %v", good, err)
	}
	for _, bad := range []httpapi.ConnectRequest{
		{StoreURL: fs.url, ConsumerKey: ck, ConsumerSecret: "cs_wrong"},
		{StoreURL: "https://127.0.0.1:1", ConsumerKey: "ck_other", ConsumerSecret: "cs_other"},
	} {
		clock.advance(time.Second)
		conn, err := c.Connect(t.Context(), bad)
		if err != nil || conn.Status != store.ConnError || conn.LastError == nil {
			t.Fatalf("bad Connect = %+v, %v; want the attempt's ERROR", conn, err)
		}
		stored, _ := st.Connection()
		if stored.Status != store.ConnActive || stored.Currency != good.Currency || stored.StoreURL != fs.url ||
			stored.ConsumerKey != ck || stored.ConsumerSecret != cs {
			t.Fatalf("a failed attempt changed the connection in force: %+v", stored)
		}
		if a := stored.LastAttempt; a == nil || a.Code != conn.LastError.Code || a.Error == "" || a.Fix == "" || !a.At.Equal(clock.Now()) {
			t.Fatalf("last_attempt = %+v, want the failure with its fix", stored.LastAttempt)
		}
	}
	if n := rec.clientCount(); n != 1 {
		t.Fatalf("%d clients handed to the engine, want only the good one", n)
	}
	if a := lastActivity(t, st); a.Level != "error" || !strings.Contains(a.Message, "is kept") {
		t.Fatalf("activity = %+v", a)
	}

	// A restart tests the credentials in force: ACTIVE again, the failed
	// attempt still shown.
	_ = st.Close()
	st2 := openStore(t, dir)
	rec2 := &recorder{}
	c2 := newSupervised(t, st2, rec2, fs.pool, clock)
	c2.Startup(t.Context(), "", "", "")
	stored, _ := st2.Connection()
	if stored.Status != store.ConnActive || rec2.clientCount() != 1 || stored.LastAttempt == nil {
		t.Fatalf("after restart: %+v (last attempt %+v), %d clients", stored, stored.LastAttempt, rec2.clientCount())
	}
	// A new connection that passes clears the failed attempt.
	if conn, err := c2.Connect(t.Context(), httpapi.ConnectRequest{StoreURL: fs.url, ConsumerKey: ck, ConsumerSecret: cs}); err != nil || conn.LastAttempt != nil {
		t.Fatalf("good Connect = %+v, %v", conn, err)
	}
	if stored, _ := st2.Connection(); stored.LastAttempt != nil {
		t.Fatalf("last_attempt kept after a good connection: %+v", stored.LastAttempt)
	}
}

// A connection that goes bad by itself is re-tested with backoff (1 min,
// doubling, at most 10 min) and becomes ACTIVE again by itself when the
// store is back.
func TestConnectionGoneBadIsRecheckedWithBackoff(t *testing.T) {
	fs := newFlakyStore(t)
	st := openStore(t, t.TempDir())
	rec := &recorder{}
	clock := newFakeClock()
	c := newSupervised(t, st, rec, fs.pool, clock)
	if conn, err := c.Connect(t.Context(), httpapi.ConnectRequest{StoreURL: fs.url, ConsumerKey: ck, ConsumerSecret: cs}); err != nil || conn.Status != store.ConnActive {
		t.Fatalf("Connect = %+v, %v", conn, err)
	}
	// The Connect above signalled "changed". Left pending, Supervise would
	// take it at a random point relative to the trouble below and register a
	// second 1-minute timer on the fake clock (harmless with a real clock:
	// the abandoned channel is never read), so the order of waits would vary.
	select {
	case <-c.changed:
	default:
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); c.Supervise(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	fs.down.Store(true)
	c.Trouble(&woo.Error{Status: 503, Code: woo.CodeUnreachable, Message: "down"}) // within a minute of the last test: ignored
	clock.advance(2 * time.Minute)
	c.Trouble(&woo.Error{Status: 503, Code: woo.CodeUnreachable, Message: "down"})
	var waits []time.Duration
	for range 6 {
		w := clock.next(t)
		stored, _ := st.Connection()
		if stored.Status != store.ConnError || stored.ConsumerSecret != cs || stored.Currency == "" || stored.NextCheckAt == nil {
			t.Fatalf("while down: %+v", stored)
		}
		if !stored.NextCheckAt.Equal(stored.CheckedAt.Add(w.d)) {
			t.Errorf("next_check_at %v, want checked_at + %v", stored.NextCheckAt, w.d)
		}
		waits = append(waits, w.d)
		if len(waits) == 6 {
			fs.down.Store(false) // the store is back before the 6th re-check
		}
		clock.fire(w)
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits = %v, want %v", waits, want)
		}
	}
	testutil.Eventually(t, "ACTIVE again after the store came back", func() bool {
		stored, _ := st.Connection()
		return stored.Status == store.ConnActive && rec.clientCount() == 2 && strings.Contains(lastActivity(t, st).Message, "restored")
	})
}

// A start-up check that fails (store briefly down) keeps the credentials and
// what the store told before, and is retried by itself.
func TestFailedStartupCheckIsRetried(t *testing.T) {
	fs := newFlakyStore(t)
	st := openStore(t, t.TempDir())
	if err := st.PutConnection(store.Connection{Status: store.ConnActive, StoreURL: fs.url, Currency: "EUR", WeightUnit: "kg",
		ConsumerKey: ck, ConsumerSecret: cs}); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	clock := newFakeClock()
	c := newSupervised(t, st, rec, fs.pool, clock)
	fs.down.Store(true)
	c.Startup(t.Context(), "", "", "")
	stored, _ := st.Connection()
	if stored.Status != store.ConnError || stored.Currency != "EUR" || stored.ConsumerKey != ck || stored.LastError == nil {
		t.Fatalf("after a failed start-up check: %+v", stored)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); c.Supervise(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	w := clock.next(t)
	if w.d != time.Minute {
		t.Fatalf("first re-check after %v, want 1m", w.d)
	}
	fs.down.Store(false)
	clock.fire(w)
	testutil.Eventually(t, "the start-up check retried", func() bool { return rec.clientCount() == 1 })
	if stored, _ := st.Connection(); stored.Status != store.ConnActive || stored.NextCheckAt != nil {
		t.Fatalf("after the retry: %+v", stored)
	}
}
