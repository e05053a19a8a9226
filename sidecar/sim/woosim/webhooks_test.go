package woosim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
)

// gate is a webhook receiver whose first request waits until released.
type gate struct {
	srv     *httptest.Server
	entered chan struct{}
	release chan struct{}
	once    sync.Once
	mu      sync.Mutex
	bodies  [][]byte
	topics  []string
}

func newGate(t *testing.T) *gate {
	g := &gate{entered: make(chan struct{}), release: make(chan struct{})}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		first := false
		g.once.Do(func() { first = true })
		if first {
			close(g.entered)
			<-g.release
		}
		g.mu.Lock()
		g.bodies = append(g.bodies, b)
		g.topics = append(g.topics, r.Header.Get("X-WC-Webhook-Topic"))
		g.mu.Unlock()
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.bodies)
}

func TestWebhookCoalescing(t *testing.T) {
	env := newSimEnv(t, Options{})
	sim := env.sim
	g := newGate(t)
	if _, err := sim.CreateWebhook("created", "product.created", g.srv.URL, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.CreateWebhook("updated", "product.updated", g.srv.URL, "s2"); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.CreateProduct(Product{Name: "Gatekeeper", SKU: "GATE-1", RegularPrice: "9.00"}); err != nil {
		t.Fatal(err)
	}
	<-g.entered // the sender is busy with product.created
	pin, _ := sim.ProductBySKU("WINE-PIN-2022-750")
	for _, price := range []string{"40.00", "41.00"} {
		if err := sim.UpdateProduct(pin.ID, func(p *Product) { p.RegularPrice = price }); err != nil {
			t.Fatal(err)
		}
	}
	if n := sim.Pending(); n != 1 {
		t.Fatalf("%d deliveries pending after two edits, want 1 (coalesced)", n)
	}
	close(g.release)
	testutil.Eventually(t, "two deliveries", func() bool { return g.count() == 2 && sim.Pending() == 0 })
	var p map[string]any
	if err := json.Unmarshal(g.bodies[1], &p); err != nil {
		t.Fatal(err)
	}
	if g.topics[1] != "product.updated" || p["regular_price"] != "41.00" {
		t.Errorf("coalesced delivery %s carries price %v, want the latest (41.00)", g.topics[1], p["regular_price"])
	}
}

func TestWebhookDisabledAfterSevenFailures(t *testing.T) {
	env := newSimEnv(t, Options{})
	sim, recv := env.sim, env.receive
	recv.setStatus(http.StatusInternalServerError)
	id, err := sim.CreateWebhook("updated", "product.updated", recv.srv.URL, "s")
	if err != nil {
		t.Fatal(err)
	}
	mal, _ := sim.ProductBySKU("WINE-MAL-2021-750")
	hook := func() Webhook {
		for _, w := range sim.Webhooks() {
			if w.ID == id {
				return w
			}
		}
		t.Fatal("webhook gone")
		return Webhook{}
	}
	for i := 1; i <= 7; i++ {
		if err := sim.SetStock(mal.ID, 30+i); err != nil {
			t.Fatal(err)
		}
		testutil.Eventually(t, "failed delivery", func() bool {
			return len(recv.all()) == i && sim.Pending() == 0 && (hook().FailureCount == i || hook().Status == "disabled")
		})
		w := hook()
		switch {
		case i < 7 && (w.Status != "active" || w.FailureCount != i):
			t.Fatalf("after failure %d: %s, count %d", i, w.Status, w.FailureCount)
		case i == 7 && (w.Status != "disabled" || w.FailureCount != 6):
			t.Fatalf("after failure 7: %s, count %d; WooCommerce disables on the 7th", w.Status, w.FailureCount)
		}
	}
	if err := sim.SetStock(mal.ID, 1); err != nil {
		t.Fatal(err)
	}
	if sim.Pending() != 0 {
		t.Error("a disabled webhook still gets deliveries queued")
	}
	if err := sim.SetWebhookStatus(id, "active"); err != nil {
		t.Fatal(err)
	}
	if w := hook(); w.Status != "active" || w.FailureCount != 0 {
		t.Errorf("re-enabled: %s count %d", w.Status, w.FailureCount)
	}
	recv.setStatus(http.StatusFound) // 2xx–302 counts as success
	if err := sim.SetStock(mal.ID, 2); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "successful delivery", func() bool { return hook().Deliveries == 1 })
}

func TestWebhookEvents(t *testing.T) {
	env := newSimEnv(t, Options{})
	sim, recv := env.sim, env.receive
	for _, topic := range []string{"product.updated", "product.deleted", "product.restored"} {
		if _, err := sim.CreateWebhook(topic, topic, recv.srv.URL, "s"); err != nil {
			t.Fatal(err)
		}
	}
	v, _ := sim.ProductBySKU("WINE-CHAR-2020-750")
	steps := []struct {
		name      string
		act       func() error
		wantTopic string
		wantBody  func(map[string]any) bool
	}{
		{"variation edit delivers the variation", func() error {
			return sim.UpdateProduct(v.ID, func(p *Product) { p.SalePrice = "29.00" })
		}, "product.updated", func(b map[string]any) bool { return b["type"] == "variation" && b["id"].(float64) == float64(v.ID) }},
		{"trash delivers only the id", func() error { return sim.TrashProduct(14) }, "product.deleted",
			func(b map[string]any) bool { return len(b) == 1 && b["id"].(float64) == 14 }},
		{"restore", func() error { return sim.RestoreProduct(14) }, "product.restored",
			func(b map[string]any) bool { return b["status"] == "draft" }},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.act(); err != nil {
				t.Fatal(err)
			}
			testutil.Eventually(t, st.name, func() bool { return len(recv.all()) == i+1 })
			got := recv.all()[i]
			var b map[string]any
			if err := json.Unmarshal(got.body, &b); err != nil {
				t.Fatal(err)
			}
			if got.header.Get("X-WC-Webhook-Topic") != st.wantTopic || !st.wantBody(b) {
				t.Errorf("%s: %.120s", got.header.Get("X-WC-Webhook-Topic"), got.body)
			}
		})
	}
	t.Run("force delete fires nothing", func(t *testing.T) {
		if err := sim.DeleteProduct(15); err != nil {
			t.Fatal(err)
		}
		if sim.Pending() != 0 {
			t.Error("force delete queued a delivery")
		}
	})
}

func TestWebhookDelayAndClose(t *testing.T) {
	env := newSimEnv(t, Options{WebhookDelay: 200 * time.Millisecond})
	sim, recv := env.sim, env.receive
	if _, err := sim.CreateWebhook("u", "product.updated", recv.srv.URL, "s"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := sim.SetStock(12, 5); err != nil {
		t.Fatal(err)
	}
	select {
	case <-recv.notify:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Errorf("delivered after %v, want ≥ 200ms", took)
	}
	sim.Close()
	sim.Close() // idempotent
}

func TestRefuseUnsafeWebhookURLs(t *testing.T) {
	env := newSimEnv(t, Options{RefuseUnsafeWebhookURLs: true})
	id, err := env.sim.CreateWebhook("u", "product.updated", env.receive.srv.URL, "s")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.sim.SetStock(12, 5); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "refused delivery counted", func() bool {
		for _, w := range env.sim.Webhooks() {
			if w.ID == id {
				return w.FailureCount == 1
			}
		}
		return false
	})
	if n := len(env.receive.all()); n != 0 {
		t.Errorf("%d requests reached the non-standard port", n)
	}
}

func TestWebhooksWaitForTraffic(t *testing.T) {
	env := newSimEnv(t, Options{WebhooksOnTraffic: true})
	sim, recv := env.sim, env.receive
	if _, err := sim.CreateWebhook("u", "product.updated", recv.srv.URL, "s"); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetStock(12, 7); err != nil {
		t.Fatal(err)
	}
	// Nothing reaches the store: the delivery stays queued. Give the sender
	// every chance to run (a wake-up without traffic must not release it).
	sim.sender.wake <- struct{}{}
	if sim.Pending() != 1 || len(recv.all()) != 0 {
		t.Fatalf("delivered without traffic: pending %d, received %d", sim.Pending(), len(recv.all()))
	}
	resp, _ := env.do(t, http.MethodGet, "/wp-json/", "") // a visitor
	if resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
	testutil.Eventually(t, "delivery after traffic", func() bool { return len(recv.all()) == 1 })
}

func TestWebhooksOnTrafficNotReleasedByTheirOwnRequest(t *testing.T) {
	env := newSimEnv(t, Options{WebhooksOnTraffic: true})
	sim, recv := env.sim, env.receive
	if _, err := sim.CreateWebhook("u", "product.updated", recv.srv.URL, "s"); err != nil {
		t.Fatal(err)
	}
	resp, _ := env.do(t, http.MethodPut, "/wp-json/wc/v3/products/12", `{"regular_price":"23.00"}`)
	if resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
	sim.sender.wake <- struct{}{}
	if sim.Pending() != 1 {
		t.Fatalf("pending %d after the edit's own request, want 1", sim.Pending())
	}
	env.do(t, http.MethodGet, "/wp-json/", "")
	testutil.Eventually(t, "delivery after the next request", func() bool { return len(recv.all()) == 1 })
}
