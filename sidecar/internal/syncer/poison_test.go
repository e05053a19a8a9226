package syncer

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// deliver posts a signed delivery to the sidecar's HTTP edge and returns the
// answer's status.
func (x *e2e) deliver(topic string, body []byte) int {
	x.t.Helper()
	req, err := http.NewRequestWithContext(x.t.Context(), http.MethodPost, x.edge.URL+"/v1/webhooks/woocommerce", strings.NewReader(string(body)))
	if err != nil {
		x.t.Fatal(err)
	}
	req.Header.Set(webhook.HeaderTopic, topic)
	req.Header.Set(webhook.HeaderID, "1")
	req.Header.Set(webhook.HeaderSignature, webhook.Sign(body, []byte(e2eShared)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		x.t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// Issue 12 §1: a correctly signed product.updated with a 100,000-character
// SKU (a bbolt key of that size cannot be stored) once made the whole inbox
// batch fail and retry for ever. Now the poison is FAILED with its fix, the
// price change in the same batch reaches OnCloudWine, and a restart does not
// replay the poison.
func TestE2EPoisonDeliveryDoesNotBlockTheBatch(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	lab := learnLab(t, x.woo)
	x.runSync()

	poison := simple(990001, strings.Repeat("X", 100_000), "Poison", "10.00")
	poison.DateModifiedGMT = woo.GMTTime{Time: time.Now().UTC().Truncate(time.Second)}
	control := simple(990002, "WINE-\x07BELL", "Bell", "11.00")
	pinot, err := x.wc.Product(t.Context(), lab.pinotID)
	if err != nil {
		t.Fatal(err)
	}
	// The price change is only in the delivery (the simulator keeps the old
	// price), so nothing but the inbox can bring it to OnCloudWine.
	pinot.Price, pinot.RegularPrice = woo.MustDecimal("37.00"), woo.MustDecimal("37.00")
	pinot.DateModifiedGMT = woo.GMTTime{Time: pinot.DateModifiedGMT.Add(time.Minute)}
	for _, p := range []woo.Product{poison, control, pinot} {
		body, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if code := x.deliver("product.updated", body); code != http.StatusOK {
			t.Fatalf("delivery of #%d answered %d", p.ID, code)
		}
	}
	if d := x.store.InboxDepth(); d != 3 {
		t.Fatalf("inbox depth %d, want the 3 deliveries in one batch", d)
	}
	received, applied := x.ocw.VariantsReceived(), x.ocw.VariantsApplied()
	x.start()
	testutil.Eventually(t, "price 37.00 in OnCloudWine", func() bool { return x.ocw.Variants()[labPinotSKU].Price == "37.00" })
	testutil.Eventually(t, "inbox drained", func() bool { return x.store.InboxDepth() == 0 })
	if it := x.item(idItemKey(990001)); it.Status != store.StatusFailed || it.Error != failSKUTooLong {
		t.Errorf("poison item = %+v, want FAILED %q", it, failSKUTooLong)
	}
	if it := x.item(idItemKey(990002)); it.Status != store.StatusFailed || it.Error != failSKUControl {
		t.Errorf("control-character item = %+v, want FAILED %q", it, failSKUControl)
	}
	if got := x.ocw.VariantsReceived() - received; got != 1 {
		t.Errorf("OnCloudWine received %d variants, want only the price change", got)
	}
	testutil.Eventually(t, "the FAILED poison and its reason in the activity log", func() bool {
		entries, err := x.store.ListActivity(100, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Message, "#990001") && strings.Contains(e.Message, failSKUTooLong) &&
				strings.Contains(e.Message, "#990002") && strings.Contains(e.Message, failSKUControl) {
				return true
			}
		}
		return false
	})
	if st := x.eng.SyncStatus().Inbox.State; st != store.InboxRunning {
		t.Errorf("inbox state %q after a poison delivery, want running", st)
	}

	// A restart does not replay it, and WooCommerce redelivering the same
	// body is recognised.
	x.eng.Stop()
	x.eng = x.newEngine()
	x.start()
	body, _ := json.Marshal(poison)
	if code := x.deliver("product.updated", body); code != http.StatusOK {
		t.Fatalf("redelivery answered %d", code)
	}
	if d := x.store.InboxDepth(); d != 0 {
		t.Errorf("the poison was queued again after the restart (depth %d)", d)
	}
	x.eng.RequestReconcile()
	testutil.Eventually(t, "restart reconcile done", func() bool {
		return !x.eng.SyncStatus().Reconcile.Running && x.eng.SyncStatus().Reconcile.FinishedAt != nil
	})
	// Applied, not received: a batch whose outcome the stopped engine had not
	// recorded yet is sent again byte for byte after the restart, and
	// OnCloudWine answers that replay from its idempotency record.
	if got := x.ocw.VariantsApplied() - applied; got != 1 {
		t.Errorf("after the restart OnCloudWine applied %d variants in all, want 1", got)
	}
}

// When one event's commit fails for a reason the rules did not foresee, the
// batch is applied event by event: that one becomes FAILED with the reason
// and leaves the inbox, the others commit.
func TestInboxBatchIsolatesAnEventThatCannotBeCommitted(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	u := storeUnits{Currency: "USD", WeightUnit: "kg"}
	good := simple(1, "WINE-GOOD", "Good", "10.00")
	bad := simple(2, "WINE-BAD", "Bad", "10.00")
	badPlans := planProduct(bad, nil, u)
	badPlans[0].Variant.SKU = strings.Repeat("K", 40_000) // past what the rules let through: a key bbolt refuses
	h.ingest("product.updated", productBody(t, good))
	h.ingest("product.updated", productBody(t, bad))
	events, err := h.store.InboxBatch(10)
	if err != nil || len(events) != 2 {
		t.Fatalf("InboxBatch = %d, %v", len(events), err)
	}
	works := []eventWork{
		{ev: events[0], units: []unit{{plans: planProduct(good, nil, u)}}},
		{ev: events[1], units: []unit{{plans: badPlans}}},
	}
	stats, applied, err := h.eng.applyEvents(t.Context(), works)
	if err != nil {
		t.Fatalf("applyEvents: %v (an item's failure must not stop the inbox)", err)
	}
	if applied != 1 || stats.Queued != 1 {
		t.Fatalf("applied %d events, stats %+v; want the good one", applied, stats)
	}
	if it, _ := h.item("WINE-GOOD"); it.Status != store.StatusPending {
		t.Errorf("good item = %+v, want PENDING", it)
	}
	it, _ := h.item(idItemKey(2))
	if it.Status != store.StatusFailed || !strings.Contains(it.Error, "key too large") {
		t.Errorf("bad item = %+v, want FAILED naming the reason", it)
	}
	if h.store.InboxDepth() != 0 {
		t.Error("events left in the inbox")
	}
}

// A machine error (the store closed) stops the inbox and says so.
func TestInboxMachineErrorStopsAndIsShown(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := h.eng.handleInbox(t.Context())
	if !store.IsMachineError(err) {
		t.Fatalf("handleInbox on a closed store = %v, want a machine error", err)
	}
	h.eng.noteInboxHeld(err)
	if in := h.eng.SyncStatus().Inbox; in.State != store.InboxStopped || in.Fix == "" || in.Since == nil {
		t.Fatalf("inbox state = %+v, want stopped with a fix", in)
	}
	h.eng.noteInboxHeld(errors.New("woo: the store did not answer"))
	if in := h.eng.SyncStatus().Inbox; in.State != store.InboxWaiting {
		t.Fatalf("inbox state = %+v, want waiting", in)
	}
}
