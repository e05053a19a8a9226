package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// wineCatalog has one product for every product sync rule (rules.go).
func wineCatalog(w *fakeWoo) {
	w.put(simple(10, "WINE-PIN-2022-750", "Pinot Noir 2022", "30.50"))
	w.put(simple(11, "", "Rosé without SKU", "12.00"))
	draft := simple(12, "WINE-DRAFT", "Draft Merlot", "20.00")
	draft.Status = "draft"
	w.put(draft)
	w.put(simple(13, "WINE-DUP", "Syrah A", "25.00"))
	w.put(simple(14, "WINE-DUP", "Syrah B", "26.00"))
	priv := simple(15, "WINE-PRIV", "Private Port", "50.00")
	priv.Status = "private"
	w.put(priv)
	private := variation(22, "WINE-CABR-2019-375", "375ml", "25.00")
	private.Status = "private"
	w.put(variable(20, "WINE-CABR", "Cabernet Reserve"),
		variation(21, "WINE-CABR-2019-750", "750ml", "45.00"),
		private,
		variation(23, "WINE-CABR", "1.5L", "90.00"), // no own SKU: REST reports the parent's
		variation(24, "", "3L", "180.00"),
	)
	dv := variable(30, "WINE-DRAFTV", "Draft Variable")
	dv.Status = "draft"
	w.put(dv, variation(31, "WINE-DRAFTV-750", "750ml", "10.00"))
}

func TestFullSyncAppliesTheRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	job := h.runSync()
	if job.Progress.Done != 8 || job.Progress.Total != 8 {
		t.Errorf("progress = %+v, want 8/8 products", job.Progress)
	}

	variants, _, received := h.ocw.snapshot()
	if got, want := len(variants), 2; got != want || received != 2 {
		t.Fatalf("OnCloudWine has %d variants (received %d), want %d: %v", got, received, want, variants)
	}
	wantPin := oncloudwine.Variant{SKU: "WINE-PIN-2022-750", WooProductID: 10, ProductName: "Pinot Noir 2022", VariantName: "Pinot Noir 2022",
		Attributes: map[string]string{"Vintage": "2022"}, Status: "publish", Price: "30.50", RegularPrice: "30.50",
		Currency: "USD", Weight: "1.3", WeightUnit: "kg", WooModifiedAt: t0}
	if diff := cmp.Diff(wantPin, variants["WINE-PIN-2022-750"]); diff != "" {
		t.Errorf("simple variant (-want +got):\n%s", diff)
	}
	wantCab := oncloudwine.Variant{SKU: "WINE-CABR-2019-750", WooProductID: 20, WooVariationID: 21, ProductName: "Cabernet Reserve", VariantName: "750ml",
		Attributes: map[string]string{"Size": "750ml"}, Status: "publish", Price: "45.00", RegularPrice: "45.00",
		Currency: "USD", Weight: "1.4", WeightUnit: "kg", WooModifiedAt: t0}
	if diff := cmp.Diff(wantCab, variants["WINE-CABR-2019-750"]); diff != "" {
		t.Errorf("variation variant (-want +got):\n%s", diff)
	}

	tests := []struct {
		key, status, errContains string
		wooID                    int64
	}{
		{"WINE-PIN-2022-750", store.StatusSynced, "", 10},
		{"woo-11", store.StatusFailed, failMissingSKU, 11},
		{"woo-13", store.StatusFailed, "SKU WINE-DUP is also used by product 14", 13},
		{"woo-14", store.StatusFailed, "SKU WINE-DUP is also used by product 13", 14},
		{"WINE-CABR-2019-750", store.StatusSynced, "", 21},
		{"WINE-CABR-2019-375", store.StatusFailed, "variation is Private — publish it in WooCommerce", 22},
		{"woo-23", store.StatusFailed, "give this variation its own SKU", 23},
		{"woo-24", store.StatusFailed, failMissingSKU, 24},
	}
	for _, tc := range tests {
		it, ok := h.item(tc.key)
		if !ok {
			t.Errorf("item %s missing", tc.key)
			continue
		}
		if it.Status != tc.status || !strings.Contains(it.Error, tc.errContains) || it.WooID != tc.wooID {
			t.Errorf("item %s = %s %q (woo %d), want %s %q (woo %d)", tc.key, it.Status, it.Error, it.WooID, tc.status, tc.errContains, tc.wooID)
		}
	}
	for _, key := range []string{"WINE-DRAFT", "WINE-PRIV", "WINE-DRAFTV-750", "WINE-DUP"} {
		if _, ok := h.item(key); ok {
			t.Errorf("item %s exists; unpublished products and shared SKUs are not synced", key)
		}
	}
	counts, err := h.store.ItemCounts()
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.StatusSynced] != 2 || counts[store.StatusFailed] != 6 || counts[store.StatusPending] != 0 {
		t.Errorf("item counts = %v", counts)
	}
	acts, err := h.store.ListActivity(50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, a := range acts {
		lines = append(lines, a.Message)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"SYNC_WOOCOMMERCE_PRODUCTS: started", "SYNC_WOOCOMMERCE_PRODUCTS: 8 / 8 products read", "SYNC_WOOCOMMERCE_PRODUCTS finished in ", ": 8 products, 2 variants synced, 6 failed"} {
		if !strings.Contains(all, want) {
			t.Errorf("activity lacks %q:\n%s", want, all)
		}
	}
}

func TestSecondFullSyncSendsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	_, _, before := h.ocw.snapshot()
	h.runSync()
	_, _, after := h.ocw.snapshot()
	if after != before {
		t.Errorf("second sync sent %d variants, want 0", after-before)
	}
	// A stock-only change moves date_modified but not the variant.
	h.woo.edit(10, func(p *woo.Product) { p.DateModifiedGMT = at(5); q := int64(3); p.StockQuantity = &q })
	h.runSync()
	if _, _, n := h.ocw.snapshot(); n != before {
		t.Errorf("stock-only change sent %d variants, want 0", n-before)
	}
}

func TestFullSyncRenamesTrashesAndDeletes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()

	h.woo.edit(10, func(p *woo.Product) { p.SKU = "WINE-PIN-2022-750-NEW"; p.DateModifiedGMT = at(1) })
	h.woo.remove(20) // deleted permanently: no webhook, the full sync notices
	h.runSync()

	variants, archived, _ := h.ocw.snapshot()
	if !archived["WINE-PIN-2022-750"] || !archived["WINE-CABR-2019-750"] {
		t.Errorf("archived = %v, want the renamed SKU and the deleted product's", archived)
	}
	if _, ok := variants["WINE-PIN-2022-750-NEW"]; !ok || archived["WINE-PIN-2022-750-NEW"] {
		t.Errorf("new SKU not upserted: %v", variants)
	}
	if _, ok := h.item("WINE-PIN-2022-750"); ok {
		t.Error("item of the old SKU still listed")
	}
	if it, _ := h.item("WINE-PIN-2022-750-NEW"); it.Status != store.StatusSynced {
		t.Errorf("new SKU item = %+v", it)
	}
	if _, ok := h.item("woo-23"); ok {
		t.Error("FAILED item of a deleted product still listed")
	}

	// Put the deleted product back: its SKU is un-archived.
	h.woo.put(variable(20, "WINE-CABR", "Cabernet Reserve"), variation(21, "WINE-CABR-2019-750", "750ml", "45.00"))
	h.runSync()
	if _, archived, _ := h.ocw.snapshot(); archived["WINE-CABR-2019-750"] {
		t.Error("restored product still archived")
	}
}

func TestDuplicateResolvedWhenOneSKUChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	h.runSync()
	h.woo.edit(14, func(p *woo.Product) { p.SKU = "WINE-DUP-B"; p.DateModifiedGMT = at(2) })
	h.runSync()
	variants, _, _ := h.ocw.snapshot()
	if variants["WINE-DUP"].WooProductID != 13 || variants["WINE-DUP-B"].WooProductID != 14 {
		t.Errorf("after the fix: WINE-DUP=%+v WINE-DUP-B=%+v", variants["WINE-DUP"], variants["WINE-DUP-B"])
	}
	for _, key := range []string{"woo-13", "woo-14"} {
		if _, ok := h.item(key); ok {
			t.Errorf("FAILED item %s still listed after the fix", key)
		}
	}
}

// countingWoo is a fakeWoo whose client can count the catalog (like
// *woo.Client's CatalogTotal).
type countingWoo struct{ *fakeWoo }

func (c countingWoo) CatalogTotal(context.Context) (int, error) { return len(c.sorted()), nil }

func TestJobProgressAndActivityLines(t *testing.T) {
	t.Parallel()
	fw := newFakeWoo()
	for i := range 1500 {
		fw.put(simple(int64(100+i), fmt.Sprintf("WINE-%04d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	h := newHarness(t, countingWoo{fw}, newFakeOCW())
	var seen []store.Progress
	job, err := h.eng.RunJob(t.Context(), store.JobSyncProducts, func(j store.Job) { seen = append(seen, j.Progress) })
	if err != nil || job.State != store.JobSucceeded || job.Progress != (store.Progress{Done: 1500, Total: 1500}) {
		t.Fatalf("job = %+v, %v", job, err)
	}
	if len(seen) < 2 || seen[0] != (store.Progress{Total: 1500}) {
		t.Errorf("progress reports = %v, want a first 0/1500 then more", seen)
	}
	stored, _, _ := h.store.GetJob(job.ID)
	if stored.State != store.JobSucceeded || stored.FinishedAt == nil || stored.StartedAt == nil {
		t.Errorf("stored job = %+v", stored)
	}
	acts, _ := h.store.ListActivity(100, 0)
	var msgs []string
	for _, a := range acts {
		msgs = append(msgs, a.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"SYNC_WOOCOMMERCE_PRODUCTS: 200 / 1,500 products", "SYNC_WOOCOMMERCE_PRODUCTS: 1,400 / 1,500 products"} {
		if !strings.Contains(all, want) {
			t.Errorf("activity lacks %q:\n%s", want, all)
		}
	}
}

func TestStartJobDedupesAndRejectsUnknownTypes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	if _, err := h.eng.StartJob(t.Context(), "SYNC_EVERYTHING"); !errors.Is(err, ErrUnknownJobType) {
		t.Errorf("unknown type: err = %v", err)
	}
	a, err := h.eng.StartJob(t.Context(), store.JobSyncProducts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.eng.StartJob(t.Context(), store.JobSyncProducts)
	if err != nil || b.ID != a.ID {
		t.Errorf("second StartJob = %s, %v; want the queued %s", b.ID, err, a.ID)
	}
	h.start()
	testutil.Eventually(t, "queued job run by the started engine", func() bool {
		j, _, _ := h.store.GetJob(a.ID)
		return j.State == store.JobSucceeded
	})
	// Stop twice, and on a never-started engine, is fine.
	h.eng.Stop()
	h.eng.Stop()
	fresh := h.newEngine(h.woo, h.ocw)
	fresh.Stop()
}

func TestSyncRefusedBeforeTheStoreIsConnected(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	wineCatalog(h.woo)
	if err := h.store.PutConnection(store.Connection{Status: store.ConnDisconnected}); err != nil {
		t.Fatal(err)
	}
	job, err := h.eng.RunJob(t.Context(), store.JobSyncProducts, nil)
	if !errors.Is(err, errNotConnected) || job.State != store.JobFailed || !strings.Contains(job.Error, "connect the store first") {
		t.Errorf("job = %+v, err = %v", job, err)
	}
	if _, _, n := h.ocw.snapshot(); n != 0 {
		t.Errorf("%d variants sent without a currency", n)
	}
}
