package syncer

import (
	"errors"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// A change saved in the same second as the cursor (modified_after is
// exclusive) is read again thanks to the overlap, and sent.
func TestReconcileOverlapCatchesAChangeAtTheCursorSecond(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	cur, _ := h.store.Cursor(CursorProducts)
	if cur != t0.Format(time.RFC3339) {
		t.Fatalf("cursor after full sync = %q, want %s", cur, t0.Format(time.RFC3339))
	}
	// Saved at the cursor's second, after the full sync read the product; no webhook.
	h.woo.edit(10, func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("31.00"), at(0) })
	if err := h.eng.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.eng.OutboxDepth(); n != 1 {
		t.Fatalf("reconcile queued %d changes, want the one saved at the cursor's second", n)
	}
	h.start()
	testutil.Eventually(t, "change at the cursor's second sent", func() bool { p, _, _ := h.ocwVariant("WINE-PIN-2022-750"); return p == "31.00" })
}

// The cursor moves only with the changes it covers: when the last flush
// fails (a crash there), the cursor stays where it was, and the next
// reconcile still reads and sends the change.
func TestReconcileCursorMovesOnlyWithItsChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	before, _ := h.store.Cursor(CursorProducts)

	h.woo.edit(20, func(p *woo.Product) { p.Name, p.DateModifiedGMT = "Cabernet Grande Reserve", at(30) })
	h.woo.editVariation(20, 21, func(v *woo.Variation) { v.Price, v.DateModifiedGMT = woo.MustDecimal("49.00"), at(30) })
	h.woo.mu.Lock()
	h.woo.productErr = errors.New("store went away while reading variations")
	h.woo.mu.Unlock()
	if err := h.eng.Reconcile(t.Context()); err == nil {
		t.Fatal("reconcile succeeded although its last changes could not be read")
	}
	if cur, _ := h.store.Cursor(CursorProducts); cur != before {
		t.Fatalf("cursor moved to %s although the changes it covers were not committed (was %s)", cur, before)
	}
	if n, _ := h.eng.OutboxDepth(); n != 0 {
		t.Fatalf("%d changes queued by a failed reconcile", n)
	}

	h.woo.mu.Lock()
	h.woo.productErr = nil
	h.woo.mu.Unlock()
	if err := h.eng.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	if cur, _ := h.store.Cursor(CursorProducts); cur != at(30).Format(time.RFC3339) {
		t.Errorf("cursor = %s after a good reconcile, want %s", cur, at(30).Format(time.RFC3339))
	}
	h.start()
	testutil.Eventually(t, "variation change sent", func() bool { p, _, _ := h.ocwVariant("WINE-CABR-2019-750"); return p == "49.00" })
}
