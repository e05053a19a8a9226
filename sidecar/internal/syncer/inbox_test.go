package syncer

import (
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

func (h *harness) start() {
	h.t.Helper()
	if err := h.eng.Start(h.t.Context()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) ocwVariant(sku string) (price string, archived, ok bool) {
	vs, arch, _ := h.ocw.snapshot()
	v, ok := vs[sku]
	return v.Price, arch[sku], ok
}

func TestWebhookDeltas(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	h.start()
	_, _, before := h.ocw.snapshot()

	// A price edit arrives as product.updated with the product as it is now.
	h.woo.edit(10, func(p *woo.Product) {
		p.Price, p.RegularPrice, p.DateModifiedGMT = woo.MustDecimal("32.00"), woo.MustDecimal("32.00"), at(10)
	})
	newer, _, _ := h.woo.get(10)
	h.ingest("product.updated", productBody(t, newer))
	testutil.Eventually(t, "price 32.00 in OnCloudWine", func() bool { p, _, _ := h.ocwVariant("WINE-PIN-2022-750"); return p == "32.00" })

	// A late delivery of an older state never overwrites the newer one.
	older := newer
	older.Price, older.RegularPrice, older.DateModifiedGMT = woo.MustDecimal("29.00"), woo.MustDecimal("29.00"), at(5)
	h.ingest("product.updated", productBody(t, older))
	// A variation edit delivers the variation alone (type "variation").
	h.woo.editVariation(20, 21, func(v *woo.Variation) { v.Price, v.DateModifiedGMT = woo.MustDecimal("47.00"), at(11) })
	_, vars, _ := h.woo.get(20)
	h.ingest("product.updated", variationBody(t, vars[0]))
	testutil.Eventually(t, "variation price 47.00", func() bool { p, _, _ := h.ocwVariant("WINE-CABR-2019-750"); return p == "47.00" })
	testutil.Eventually(t, "inbox drained", func() bool { return h.store.InboxDepth() == 0 })
	if p, _, _ := h.ocwVariant("WINE-PIN-2022-750"); p != "32.00" {
		t.Errorf("older delivery overwrote the price: %s", p)
	}
	if _, _, n := h.ocw.snapshot(); n-before != 2 {
		t.Errorf("sent %d variants for two changes, want 2", n-before)
	}

	// Trash: product.deleted carries only the id; the variable product's variants are archived.
	h.woo.edit(20, func(p *woo.Product) { p.Status = "trash"; p.DateModifiedGMT = at(12) })
	h.ingest("product.deleted", []byte(`{"id":20}`))
	testutil.Eventually(t, "trashed variation archived", func() bool { _, a, _ := h.ocwVariant("WINE-CABR-2019-750"); return a })
	if _, ok := h.item("WINE-CABR-2019-750"); ok {
		t.Error("item of a trashed product still listed")
	}
	// Restore brings it back.
	h.woo.edit(20, func(p *woo.Product) { p.Status = "publish"; p.DateModifiedGMT = at(13) })
	restored, _, _ := h.woo.get(20)
	h.ingest("product.restored", productBody(t, restored))
	testutil.Eventually(t, "restored variation un-archived", func() bool { _, a, ok := h.ocwVariant("WINE-CABR-2019-750"); return ok && !a })
	testutil.Eventually(t, "restored item synced", func() bool { it, _ := h.item("WINE-CABR-2019-750"); return it.Status == store.StatusSynced })

	// A new product, then a SKU rename by webhook.
	np := simple(40, "WINE-NEW", "New Zinfandel", "19.00")
	np.DateModifiedGMT = at(14)
	h.woo.put(np)
	h.ingest("product.created", productBody(t, np))
	testutil.Eventually(t, "new product upserted", func() bool { _, _, ok := h.ocwVariant("WINE-NEW"); return ok })
	np.SKU, np.DateModifiedGMT = "WINE-NEW-2", at(15)
	h.woo.put(np)
	h.ingest("product.updated", productBody(t, np))
	testutil.Eventually(t, "renamed SKU archived and new one upserted", func() bool {
		_, a, _ := h.ocwVariant("WINE-NEW")
		_, _, ok := h.ocwVariant("WINE-NEW-2")
		return a && ok
	})

	// A product made draft is archived; a variation made private turns FAILED and its SKU archived.
	h.woo.editVariation(20, 21, func(v *woo.Variation) { v.Status = "private"; v.DateModifiedGMT = at(16) })
	_, vars, _ = h.woo.get(20)
	h.ingest("product.updated", variationBody(t, vars[0]))
	testutil.Eventually(t, "private variation FAILED", func() bool {
		it, _ := h.item("WINE-CABR-2019-750")
		return it.Status == store.StatusFailed && it.Error == "variation is Private — publish it in WooCommerce"
	})
	testutil.Eventually(t, "private variation archived", func() bool { _, a, _ := h.ocwVariant("WINE-CABR-2019-750"); return a })
}

func TestWebhookForUnknownParentFetchesIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	h.woo.put(variable(50, "WINE-X", "Grenache"), variation(51, "WINE-X-750", "750ml", "22.00"), variation(52, "WINE-X-1500", "1.5L", "40.00"))
	h.start()
	_, vars, _ := h.woo.get(50)
	h.ingest("product.created", variationBody(t, vars[0]))
	testutil.Eventually(t, "both variations upserted", func() bool {
		_, _, a := h.ocwVariant("WINE-X-750")
		_, _, b := h.ocwVariant("WINE-X-1500")
		return a && b
	})
	// Orders are not this engine's: acknowledged and left alone.
	h.ingest("order.created", []byte(`{"id":900,"status":"processing"}`))
	testutil.Eventually(t, "inbox drained", func() bool { return h.store.InboxDepth() == 0 })
}

func TestLateTrashDeliveryDoesNotArchiveARestoredProduct(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	h.start()
	// Trashed, restored and published again before the trash delivery arrives.
	h.woo.edit(10, func(p *woo.Product) { p.Price, p.DateModifiedGMT = woo.MustDecimal("31.00"), at(20) })
	h.ingest("product.deleted", []byte(`{"id":10}`))
	testutil.Eventually(t, "current state applied", func() bool { p, _, _ := h.ocwVariant("WINE-PIN-2022-750"); return p == "31.00" })
	if _, archived, _ := h.ocwVariant("WINE-PIN-2022-750"); archived {
		t.Error("a late trash delivery archived a live product")
	}
	// A product deleted for good (404) is archived.
	h.woo.remove(10)
	h.ingest("product.deleted", []byte(`{"id":10, "x":1}`))
	testutil.Eventually(t, "deleted product archived", func() bool { _, a, _ := h.ocwVariant("WINE-PIN-2022-750"); return a })
}

func TestInboxWaitsForWooCommerceButSkipsWhatItRefuses(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	// WooCommerce unreachable: the event waits in the inbox and is retried.
	h.woo.mu.Lock()
	h.woo.productErr = &woo.Error{Status: 503, Code: woo.CodeUnreachable, Message: "down"}
	h.woo.mu.Unlock()
	h.start()
	h.woo.edit(20, func(p *woo.Product) { p.Name, p.DateModifiedGMT = "Cabernet Reserve II", at(40) })
	parent, _, _ := h.woo.get(20)
	h.ingest("product.updated", productBody(t, parent))
	testutil.Eventually(t, "a retry was attempted", func() bool { return h.store.InboxDepth() == 1 })
	h.woo.mu.Lock()
	h.woo.productErr = nil
	h.woo.mu.Unlock()
	testutil.Eventually(t, "event applied after WooCommerce came back", func() bool {
		vs, _, _ := h.ocw.snapshot()
		return vs["WINE-CABR-2019-750"].ProductName == "Cabernet Reserve II"
	})
	testutil.Eventually(t, "inbox drained", func() bool { return h.store.InboxDepth() == 0 })

	// A refusal (400) does not block the inbox.
	h.woo.mu.Lock()
	h.woo.productErr = &woo.Error{Status: 400, Code: woo.CodeBadRequest, Message: "bad request"}
	h.woo.mu.Unlock()
	h.ingest("product.deleted", []byte(`{"id":20}`))
	np := simple(41, "WINE-NEXT", "Next", "9.00")
	h.woo.put(np)
	h.ingest("product.created", productBody(t, np))
	testutil.Eventually(t, "the next event went through", func() bool { _, _, ok := h.ocwVariant("WINE-NEXT"); return ok })
	testutil.Eventually(t, "inbox drained after the refusal", func() bool { return h.store.InboxDepth() == 0 })
}
