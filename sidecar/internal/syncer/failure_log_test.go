package syncer

import (
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// An item that stays FAILED for the same reason is logged once: a sale or a
// save moves the product's modified time, not the news. Seen on the real
// stores: every checkout repeated the catalog's known FAILED items as a warning.
func TestStillFailedItemIsNotLoggedAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	h.start()

	failedLines := func() int {
		acts, err := h.store.ListActivity(1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range acts {
			if strings.Contains(a.Message, "FAILED #10 ") {
				n++
			}
		}
		return n
	}
	deliver := func(minute int, sku string) {
		h.woo.edit(10, func(p *woo.Product) { p.SKU, p.DateModifiedGMT = sku, at(minute) })
		p, _, _ := h.woo.get(10)
		h.ingest("product.updated", productBody(t, p))
		testutil.Eventually(t, "inbox drained", func() bool { return h.store.InboxDepth() == 0 })
	}
	deliver(10, "") // the SKU removed: FAILED, logged
	testutil.Eventually(t, "the failure logged", func() bool { return failedLines() == 1 })
	deliver(11, "") // saved again, still no SKU: nothing new
	deliver(12, "") // a sale: nothing new
	if n := failedLines(); n != 1 {
		t.Fatalf("the same failure logged %d times, want once", n)
	}
	it, ok, err := h.store.GetItem(ItemKind, idItemKey(10))
	if err != nil || !ok || it.Status != store.StatusFailed {
		t.Fatalf("item woo-10 = %+v, %v, %v; want FAILED", it, ok, err)
	}
}

// The same through the simulator: a full sync FAILs the lab's private
// variation and the variation without its own SKU; a sale on their product
// (a delivery of the parent) must not log them again.
func TestE2EStillFailedVariationsNotLoggedOnASale(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{webhooks: true})
	x.runSync()
	x.start()
	var parents []int64
	for _, sku := range []string{"WINE-CHAR", "WINE-SABC"} {
		p, ok := x.woo.ProductBySKU(sku)
		if !ok {
			t.Fatalf("the lab catalog has no %s", sku)
		}
		parents = append(parents, p.ID)
	}
	for _, id := range parents {
		if err := x.woo.UpdateProduct(id, func(p *woosim.Product) { p.Name += " " }); err != nil {
			t.Fatal(err)
		}
	}
	testutil.Eventually(t, "both deliveries applied", func() bool {
		acts, _ := x.store.ListActivity(100, 0)
		n := 0
		for _, a := range acts {
			if strings.HasPrefix(a.Message, "Webhooks: ") && strings.Contains(a.Message, "product change") {
				n++
			}
		}
		return n >= 1 && x.store.InboxDepth() == 0
	})
	acts, err := x.store.ListActivity(1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts {
		if strings.Contains(a.Message, "FAILED #") {
			t.Errorf("a sale logged known failures again: %s", a.Message)
		}
	}
}
