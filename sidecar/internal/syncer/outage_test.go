package syncer

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/connection"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// manualClock is the connection checker's clock: its waits end when the
// test says so.
type manualClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan chan time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.waits <- ch
	return ch
}

func (c *manualClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type clientSink struct{}

func (clientSink) Set(*woo.Client) {}

// Issue 12 §2: the store goes down by itself. Deliveries wait in the inbox
// (the status says so), the connection turns ERROR and is re-tested by
// itself; when the store is back the connection is ACTIVE again and the
// waiting change reaches OnCloudWine — nothing lost, nobody pressed Connect.
func TestE2EStoreDownThenBack(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	lab := learnLab(t, x.woo)
	clock := &manualClock{now: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC), waits: make(chan chan time.Time, 8)}
	checker := &connection.Checker{Store: x.store, Clients: clientSink{}, Log: slog.New(slog.DiscardHandler), Now: clock.Now, After: clock.After,
		Base: woo.Config{RootCAs: x.pool, MaxRetries: -1}}
	if conn, err := checker.Connect(t.Context(), httpapi.ConnectRequest{StoreURL: x.wooURL, ConsumerKey: e2eKey, ConsumerSecret: e2eSecret}); err != nil || conn.Status != store.ConnActive {
		t.Fatalf("Connect = %+v, %v", conn, err)
	}
	x.onTrouble = checker.Trouble
	x.eng = x.newEngine()
	x.runSync()
	x.start()
	ctx, cancel := context.WithCancel(t.Context())
	supervised := make(chan struct{})
	go func() { defer close(supervised); checker.Supervise(ctx) }()
	t.Cleanup(func() { cancel(); <-supervised })
	testutil.Eventually(t, "start-up reconcile done", func() bool { return x.eng.SyncStatus().Reconcile.FinishedAt != nil })

	// A variation's new price arrives while the store is down: the engine
	// must ask the store for the product's other variations.
	parent, err := x.wc.Product(t.Context(), lab.cabParentID)
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(2 * time.Minute)
	x.down.Store(true)
	parent.DateModifiedGMT = woo.GMTTime{Time: parent.DateModifiedGMT.Add(time.Minute)}
	body, _ := json.Marshal(parent)
	if code := x.deliver("product.updated", body); code != http.StatusOK {
		t.Fatalf("delivery answered %d", code)
	}
	testutil.Eventually(t, "the connection turned ERROR by itself", func() bool {
		c, _ := x.store.Connection()
		return c.Status == store.ConnError && c.NextCheckAt != nil && c.Currency != ""
	})
	if in := x.eng.SyncStatus().Inbox; in.State != store.InboxWaiting || x.store.InboxDepth() != 1 {
		t.Fatalf("inbox %+v, depth %d; want the delivery waiting", in, x.store.InboxDepth())
	}
	if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) { p.RegularPrice = "61.00" }); err != nil {
		t.Fatal(err)
	}
	x.down.Store(false)
	wait := <-clock.waits // the supervisor's re-check, about a minute later
	wait <- clock.Now()
	testutil.Eventually(t, "ACTIVE again", func() bool { c, _ := x.store.Connection(); return c.Status == store.ConnActive })
	testutil.Eventually(t, "the waiting change delivered", func() bool { return x.ocw.Variants()[lab.cabVarSKU].Price == "61.00" })
	testutil.Eventually(t, "inbox drained and running", func() bool {
		return x.store.InboxDepth() == 0 && x.eng.SyncStatus().Inbox.State == store.InboxRunning
	})
}
