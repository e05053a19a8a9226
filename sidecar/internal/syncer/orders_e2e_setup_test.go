package syncer

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const ordersUpsert = "/v1/woocommerce/orders:upsert"

// orderTopics are the order webhooks the plugin registers, and trash's.
var orderTopics = []string{"order.created", "order.updated", "order.deleted"}

// hookOrders registers the order webhooks on the WooCommerce simulator.
func (x *e2e) hookOrders() {
	x.t.Helper()
	for _, topic := range orderTopics {
		if _, err := x.woo.CreateWebhook("OnCloudWine: "+topic, topic, x.edge.URL+"/v1/webhooks/woocommerce", e2eShared); err != nil {
			x.t.Fatal(err)
		}
	}
}

// logBuffer collects what the engine logs (every level).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// useLoggedEngine replaces the (never started) engine by one that logs at
// info level into the returned buffer.
func (x *e2e) useLoggedEngine() *logBuffer {
	x.t.Helper()
	logs := &logBuffer{}
	e, err := New(Config{Store: x.store, Woo: x.wc, OCW: x.oc, RetryMin: time.Millisecond, RetryMax: 20 * time.Millisecond,
		IdlePoll: 50 * time.Millisecond, ReconcileInterval: time.Hour, ReconcileOverlap: time.Second,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		x.t.Fatal(err)
	}
	x.t.Cleanup(e.Stop)
	x.eng = e
	return logs
}

// ocwOrder waits until OnCloudWine's copy of a WooCommerce order satisfies
// cond and returns it.
func (x *e2e) ocwOrder(id int64, what string, cond func(o ocwsim.Order) bool) ocwsim.Order {
	x.t.Helper()
	var got ocwsim.Order
	testutil.Eventually(x.t, what, func() bool {
		o, ok := x.ocw.Orders()[id]
		got = o
		return ok && cond(o)
	})
	return got
}

// settled waits until every delivery was applied and every queued order
// sent.
func (x *e2e) settled() {
	x.t.Helper()
	testutil.Eventually(x.t, "inbox and order outbox drained", func() bool {
		n, err := x.eng.OrderOutboxDepth()
		return err == nil && n == 0 && x.store.InboxDepth() == 0
	})
}

// orderItem reads the item of a WooCommerce order.
func (x *e2e) orderItem(id int64) (store.Item, bool) {
	x.t.Helper()
	it, ok, err := x.store.GetItem(store.ItemKindOrder, store.OrderItemKey(id))
	if err != nil {
		x.t.Fatal(err)
	}
	return it, ok
}

// snapshot reads an order through REST, as a delivery would carry it.
func (x *e2e) snapshot(id int64) woo.Order {
	x.t.Helper()
	o, err := x.wc.Order(x.t.Context(), id)
	if err != nil {
		x.t.Fatal(err)
	}
	return o
}

// postOrder posts body (marshalled) as a signed delivery, as WooCommerce
// does, and wants it accepted.
func (x *e2e) postOrder(topic string, body any) {
	x.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		x.t.Fatal(err)
	}
	x.postRaw(topic, raw)
}

// postRaw posts raw as a signed delivery and wants it accepted.
func (x *e2e) postRaw(topic string, raw []byte) {
	x.t.Helper()
	if code := x.deliver(topic, raw); code != http.StatusOK {
		x.t.Fatalf("delivery %s answered %d", topic, code)
	}
}

// steppingClock moves one second at every reading, so every change the
// simulator stamps has its own date_modified_gmt.
func steppingClock() func() time.Time {
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	var n atomic.Int64
	return func() time.Time { return base.Add(time.Duration(n.Add(1)) * time.Second) }
}

// productNamed finds a lab product by name.
func productNamed(t *testing.T, sim *woosim.Sim, name string) woosim.Product {
	t.Helper()
	nProducts, nVariations := sim.Counts()
	for id, seen := int64(1), 0; seen < nProducts+nVariations && id < 100000; id++ {
		p, ok := sim.Product(id)
		if !ok {
			continue
		}
		seen++
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no product %q in the lab catalog", name)
	return woosim.Product{}
}
