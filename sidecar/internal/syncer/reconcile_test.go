package syncer

import (
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

func TestReconcileCatchesMissedChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	cur, _ := h.store.Cursor(CursorProducts)
	if cur != t0.Format(time.RFC3339) {
		t.Fatalf("cursor after full sync = %q, want %s", cur, t0.Format(time.RFC3339))
	}

	// No webhook: a price change and a trashed product.
	h.woo.edit(10, func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("33.00"), at(30) })
	h.woo.edit(20, func(p *woo.Product) { p.Status, p.DateModifiedGMT = "trash", at(31) })
	_, _, before := h.ocw.snapshot()
	if err := h.eng.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.start() // senders deliver what reconcile queued
	testutil.Eventually(t, "price reconciled", func() bool { p, _, _ := h.ocwVariant("WINE-PIN-2022-750"); return p == "33.00" })
	testutil.Eventually(t, "trashed product archived", func() bool { _, a, _ := h.ocwVariant("WINE-CABR-2019-750"); return a })
	if cur, _ := h.store.Cursor(CursorProducts); cur != at(31).Format(time.RFC3339) {
		t.Errorf("cursor = %s, want %s", cur, at(31).Format(time.RFC3339))
	}
	// Again: the overlap re-reads the same products; nothing is re-sent.
	if err := h.eng.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "outbox empty", func() bool { n, _ := h.eng.OutboxDepth(); return n == 0 })
	if _, _, after := h.ocw.snapshot(); after-before != 1 {
		t.Errorf("reconcile sent %d variants, want 1", after-before)
	}
}
