package syncer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

func TestOnCloudWineRefusalFailsOnlyThatSKU(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 150 {
		h.woo.put(simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	h.ocw.refuse["WINE-042"] = &oncloudwine.Error{Status: 400, Code: "invalid_field", Message: "variants[0].price must be a decimal string"}
	h.runSync()

	variants, _, _ := h.ocw.snapshot()
	if len(variants) != 149 {
		t.Errorf("OnCloudWine has %d variants, want 149", len(variants))
	}
	it, _ := h.item("WINE-042")
	want := "OnCloudWine said: variants[0].price must be a decimal string (invalid_field)"
	if it.Status != store.StatusFailed || it.Error != want {
		t.Errorf("refused item = %s %q, want FAILED %q", it.Status, it.Error, want)
	}
	acts, _ := h.store.ListActivity(100, 0)
	found := false
	for _, a := range acts {
		found = found || a.Message == "SKU WINE-042: "+want
	}
	if !found {
		t.Errorf("no activity line %q", "SKU WINE-042: "+want)
	}
	// The same content is not sent again; a change is.
	_, _, before := h.ocw.snapshot()
	h.runSync()
	if _, _, after := h.ocw.snapshot(); after != before {
		t.Errorf("refused variant re-sent unchanged (%d)", after-before)
	}
	if it, _ := h.item("WINE-042"); it.Status != store.StatusFailed {
		t.Errorf("refused item after a second sync = %s", it.Status)
	}
}

func TestOnCloudWineDownNothingDropped(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 250 {
		h.woo.put(simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	h.ocw.down = 7
	h.runSync()
	variants, _, _ := h.ocw.snapshot()
	if len(variants) != 250 {
		t.Errorf("OnCloudWine has %d variants after an outage, want 250", len(variants))
	}
	for sku, n := range h.ocw.created {
		if n != 1 {
			t.Errorf("SKU %s created %d times", sku, n)
		}
	}
	if c, _ := h.store.ItemCounts(); c[store.StatusSynced] != 250 {
		t.Errorf("item counts = %v", c)
	}
	// The sender notes the recovery after it recorded the batch that
	// emptied the outbox, which may be after the job saw it empty.
	testutil.Eventually(t, "the activity log to tell the outage and the recovery", func() bool {
		acts, _ := h.store.ListActivity(100, 0)
		var msgs []string
		for _, a := range acts {
			msgs = append(msgs, a.Message)
		}
		all := strings.Join(msgs, "\n")
		return strings.Contains(all, "OnCloudWine unreachable") && strings.Contains(all, "OnCloudWine reachable again")
	})
}

func TestBatchesAtMost100(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 333 {
		h.woo.put(simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	h.runSync() // the fake answers 413 to more than 100
	if v, _, _ := h.ocw.snapshot(); len(v) != 333 {
		t.Errorf("OnCloudWine has %d variants, want 333", len(v))
	}
	h.ocw.mu.Lock()
	defer h.ocw.mu.Unlock()
	if len(h.ocw.batches) < 4 {
		t.Errorf("%d calls for 333 variants; batches must be ≤ 100", len(h.ocw.batches))
	}
	for _, n := range h.ocw.batches {
		if n > oncloudwine.MaxBatch {
			t.Errorf("a request carried %d variants (batches %v)", n, h.ocw.batches)
		}
	}
}

func TestOutboxCoalescesPerSKU(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	u := storeUnits{Currency: "USD", WeightUnit: "kg"}
	// Three changes of one product before anything is sent: one entry.
	for i, price := range []string{"10.00", "11.00", "12.00"} {
		p := simple(10, "WINE-A", "A", price)
		p.DateModifiedGMT = at(i)
		if _, err := h.eng.commit(nil, func(a *applier) error { return a.applyUnit(planProduct(p, nil, u), false) }); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := h.eng.OutboxDepth(); n != 1 {
		t.Fatalf("outbox depth = %d, want 1", n)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if n, err := h.eng.sendOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sendOnce = %d, %v", n, err)
	}
	if p, _, _ := h.ocwVariant("WINE-A"); p != "12.00" || h.ocw.received != 1 {
		t.Errorf("sent price %s in %d variants, want 12.00 once", p, h.ocw.received)
	}
}

func TestRevertToAcceptedContentAfterARefusalIsSynced(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	h.woo.put(simple(10, "WINE-A", "A", "10.00"))
	h.runSync()
	// A new price OnCloudWine refuses, then back to the accepted one.
	h.woo.edit(10, func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("10.5"), at(1) })
	h.ocw.mu.Lock()
	h.ocw.refuse["WINE-A"] = &oncloudwine.Error{Status: 400, Code: "invalid_field", Message: "price refused"}
	h.ocw.mu.Unlock()
	h.runSync()
	if it, _ := h.item("WINE-A"); it.Status != store.StatusFailed {
		t.Fatalf("refused change: item = %+v", it)
	}
	h.woo.edit(10, func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("10.00"), at(2) })
	_, _, before := h.ocw.snapshot()
	h.runSync()
	if it, _ := h.item("WINE-A"); it.Status != store.StatusSynced || it.Error != "" {
		t.Errorf("reverted to what OnCloudWine has: item = %+v", it)
	}
	if _, _, after := h.ocw.snapshot(); after != before {
		t.Errorf("the accepted content was sent again (%d)", after-before)
	}
}

// The sender itself takes at most oncloudwine.MaxBatch outbox entries per
// request (the client's re-chunking and the API's 413 are not what keeps
// it there): 250 queued changes go as 100, 100 and 50.
func TestSenderTakesAtMostMaxBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 250 {
		h.woo.put(simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	h.runSync()
	for i := range 250 {
		h.woo.edit(int64(100+i), func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("11.00"), at(30) })
	}
	if err := h.eng.Reconcile(t.Context()); err != nil { // queues 250 upserts; no sender runs
		t.Fatal(err)
	}
	h.ocw.mu.Lock()
	h.ocw.batches = nil
	h.ocw.mu.Unlock()
	var sizes []int
	for {
		n, err := h.eng.sendOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		sizes = append(sizes, n)
	}
	if !slices.Equal(sizes, []int{100, 100, 50}) {
		t.Errorf("sender batches %v, want [100 100 50]", sizes)
	}
	h.ocw.mu.Lock()
	defer h.ocw.mu.Unlock()
	if !slices.Equal(h.ocw.batches, []int{100, 100, 50}) {
		t.Errorf("OnCloudWine received batches %v, want [100 100 50]", h.ocw.batches)
	}
}
