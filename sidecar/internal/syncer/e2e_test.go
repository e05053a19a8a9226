package syncer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// labFacts is what the rules should make of the simulator's catalog,
// computed from its own model (an oracle independent of the engine).
type labFacts struct {
	variants    map[string]bool // SKUs that must reach OnCloudWine
	failed      map[string]string
	notSynced   []string // SKUs that must not reach OnCloudWine
	pinotID     int64
	cabParentID int64
	cabVarID    int64
	cabVarSKU   string
	cabOtherSKU string
}

const labPinotSKU = "WINE-PIN-2022-750"

func learnLab(t *testing.T, sim *woosim.Sim) labFacts {
	t.Helper()
	f := labFacts{variants: map[string]bool{}, failed: map[string]string{}}
	nProducts, nVariations := sim.Counts()
	seen, misses := 0, 0
	for id := int64(1); seen < nProducts+nVariations && misses < 10000; id++ {
		p, ok := sim.Product(id)
		if !ok {
			misses++
			continue
		}
		seen++
		parent, _ := sim.Product(p.ParentID)
		switch {
		case p.Type == "simple" && p.Status == "publish" && p.SKU != "":
			f.variants[p.SKU] = true
		case p.Type == "simple" && p.Status == "publish":
			f.failed[idItemKey(p.ID)] = failMissingSKU
		case p.Type == "simple" && p.SKU != "":
			f.notSynced = append(f.notSynced, p.SKU)
		case p.Type == "variation" && parent.Status == "publish" && p.Status != "publish" && p.SKU != "":
			f.failed[p.SKU] = "variation is Private — publish it in WooCommerce"
			f.notSynced = append(f.notSynced, p.SKU)
		case p.Type == "variation" && parent.Status == "publish" && p.SKU == "" && parent.SKU != "":
			f.failed[idItemKey(p.ID)] = "give this variation its own SKU"
		case p.Type == "variation" && parent.Status == "publish" && p.Status == "publish" && p.SKU != "":
			f.variants[p.SKU] = true
			if parent.SKU == "WINE-CABR" && f.cabVarID == 0 {
				f.cabParentID, f.cabVarID, f.cabVarSKU = parent.ID, p.ID, p.SKU
			} else if parent.SKU == "WINE-CABR" {
				f.cabOtherSKU = p.SKU
			}
		}
		if p.SKU == labPinotSKU {
			f.pinotID = p.ID
		}
	}
	if f.pinotID == 0 || f.cabVarID == 0 || len(f.failed) < 3 {
		t.Fatalf("lab catalog lacks its landmarks: %+v", f)
	}
	return f
}

func catalogRouteCalls(sim *woosim.Sim) (catalog, products int) {
	for _, r := range sim.Requests() {
		switch {
		case strings.Contains(r.Route, "/oncloudwine/catalog"):
			catalog++
		case strings.HasPrefix(r.Route, "/wc/v3/products"):
			products++
		}
	}
	return catalog, products
}

// reconcileReads counts product listings with modified_after (and filter).
func reconcileReads(sim *woosim.Sim, filter string) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Route == "/wc/v3/products" && strings.Contains(r.Query, "modified_after") && strings.Contains(r.Query, filter) {
			n++
		}
	}
	return n
}

func TestE2EFullSync(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts woosim.Options
	}{
		{"10.0.2 plugin catalog route", woosim.Options{}},
		{"10.0.2 REST fallback", woosim.Options{NoPlugin: true}},
		{"6.9.0 REST fallback", woosim.Options{WCVersion: "6.9.0", NoPlugin: true}},
		{"6.9.0 plugin catalog route", woosim.Options{WCVersion: "6.9.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x := newE2E(t, e2eOptions{sim: tc.opts})
			lab := learnLab(t, x.woo)
			x.runSync()

			got := x.ocw.Variants()
			for sku := range lab.variants {
				if _, ok := got[sku]; !ok {
					t.Errorf("%s missing in OnCloudWine", sku)
				}
			}
			if len(got) != len(lab.variants) {
				t.Errorf("OnCloudWine has %d variants, want %d", len(got), len(lab.variants))
			}
			catalog, _ := catalogRouteCalls(x.woo)
			if wantCatalog := !tc.opts.NoPlugin; (catalog > 0) != wantCatalog {
				t.Errorf("catalog route used %d times (plugin routes: %v)", catalog, wantCatalog)
			}
			v := x.ocw.Variants()[lab.cabVarSKU]
			if v.WooProductID != lab.cabParentID || v.WooVariationID != lab.cabVarID || v.Attributes["Size"] != "750ml" ||
				v.Attributes["Vintage"] != "2019" || v.Currency != "USD" || v.Price == "" || v.Weight == "" || v.WeightUnit == "" {
				t.Errorf("variation variant = %+v", v)
			}
			failed := lab.failed
			for key, msg := range failed {
				if it := x.item(key); it.Status != store.StatusFailed || it.Error != msg {
					t.Errorf("item %s = %s %q, want FAILED %q", key, it.Status, it.Error, msg)
				}
			}
			for _, sku := range append(lab.notSynced, "WINE-SABC") {
				if _, ok := x.ocw.Variants()[sku]; ok {
					t.Errorf("%s (draft, trashed, private or a parent's SKU) reached OnCloudWine", sku)
				}
			}
			counts, _ := x.store.ItemCounts()
			if counts[store.StatusSynced] != len(lab.variants) || counts[store.StatusFailed] != len(failed) || counts[store.StatusPending] != 0 {
				t.Errorf("item counts = %v", counts)
			}

			// A second full sync with no changes sends 0 variants.
			before := x.ocw.VariantsReceived()
			x.runSync()
			if sent := x.ocw.VariantsReceived() - before; sent != 0 {
				t.Errorf("second full sync sent %d variants, want 0", sent)
			}
		})
	}
}

func TestE2EWebhookDeltas(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{webhooks: true})
	lab := learnLab(t, x.woo)
	x.runSync()
	x.start()
	// Let the start-up reconcile finish its reads first, so that only a
	// webhook can deliver the edits below.
	testutil.Eventually(t, "start-up reconcile read the trash", func() bool { return reconcileReads(x.woo, "status=trash") > 0 })
	catalogBefore, _ := catalogRouteCalls(x.woo)
	reconcileBefore := reconcileReads(x.woo, "")
	received := x.ocw.VariantsReceived()

	// A price change reaches OnCloudWine by webhook, without a full sync.
	if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.RegularPrice = "32.00" }); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "price 32.00 by webhook", func() bool { return x.ocw.Variants()[labPinotSKU].Price == "32.00" })
	// A variation edit delivers the variation alone.
	if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) { p.RegularPrice = "51.00" }); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "variation price by webhook", func() bool { return x.ocw.Variants()[lab.cabVarSKU].Price == "51.00" })
	if catalog, _ := catalogRouteCalls(x.woo); catalog != catalogBefore {
		t.Errorf("a full sync ran (%d catalog calls)", catalog-catalogBefore)
	}
	if got := x.ocw.VariantsReceived() - received; got != 2 {
		t.Errorf("two edits sent %d variants, want 2", got)
	}
	if n := reconcileReads(x.woo, ""); n != reconcileBefore {
		t.Errorf("the reconcile poller read products (%d requests); the edits must come by webhook", n-reconcileBefore)
	}
	testutil.Eventually(t, "two product.updated deliveries counted by the store", func() bool {
		delivered := 0
		for _, w := range x.woo.Webhooks() {
			if w.Topic == "product.updated" {
				delivered += w.Deliveries
			}
		}
		return delivered >= 2
	})

	// SKU renamed in Woo: the old SKU is archived, the new one upserted.
	if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.SKU = "WINE-PIN-2022-750-B" }); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "renamed SKU", func() bool {
		_, ok := x.ocw.Variants()["WINE-PIN-2022-750-B"]
		return ok && x.archived(labPinotSKU)
	})

	// Trash archives every variant of the product; restore (a draft, like
	// WordPress) keeps them archived until the product is published again.
	if err := x.woo.TrashProduct(lab.cabParentID); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "trashed product archived", func() bool { return x.archived(lab.cabVarSKU) && x.archived(lab.cabOtherSKU) })
	if err := x.woo.RestoreProduct(lab.cabParentID); err != nil {
		t.Fatal(err)
	}
	if err := x.woo.UpdateProduct(lab.cabParentID, func(p *woosim.Product) { p.Status = "publish" }); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "restored product back", func() bool { return !x.archived(lab.cabVarSKU) && !x.archived(lab.cabOtherSKU) })
	testutil.Eventually(t, "restored item synced", func() bool { return x.item(lab.cabVarSKU).Status == store.StatusSynced })

	// A new product arrives by product.created.
	id, err := x.woo.CreateProduct(woosim.Product{Name: "Petite Sirah 2022", SKU: "WINE-PSI-2022-750", RegularPrice: "28.00", Weight: "1.3"})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "created product upserted", func() bool { return x.ocw.Variants()["WINE-PSI-2022-750"].WooProductID == id })

	// Deleted for good: no webhook; the next full sync archives it.
	if err := x.woo.DeleteProduct(id); err != nil {
		t.Fatal(err)
	}
	x.runSync()
	if !x.archived("WINE-PSI-2022-750") {
		t.Error("permanently deleted product not archived by the full sync")
	}
	testutil.Eventually(t, "inbox drained", func() bool { return x.store.InboxDepth() == 0 })
}

func TestE2EReconcileWithoutWebhooks(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{webhooks: true})
	lab := learnLab(t, x.woo)
	x.runSync()
	cursor, _ := x.store.Cursor(CursorProducts)
	if cursor == "" {
		t.Fatal("no cursor after the full sync")
	}
	for _, w := range x.woo.Webhooks() { // WooCommerce disabled them after failures
		if err := x.woo.SetWebhookStatus(w.ID, "disabled"); err != nil {
			t.Fatal(err)
		}
	}
	x.start()
	if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.RegularPrice = "34.00" }); err != nil {
		t.Fatal(err)
	}
	if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) { p.RegularPrice = "53.00" }); err != nil {
		t.Fatal(err)
	}
	received := x.ocw.VariantsReceived()
	x.eng.RequestReconcile()
	testutil.Eventually(t, "price delivered by the reconcile poller", func() bool {
		return x.ocw.Variants()[labPinotSKU].Price == "34.00" && x.ocw.Variants()[lab.cabVarSKU].Price == "53.00"
	})
	testutil.Eventually(t, "cursor moved", func() bool { c, _ := x.store.Cursor(CursorProducts); return c > cursor })
	testutil.Eventually(t, "outbox empty", func() bool { n, _ := x.eng.OutboxDepth(); return n == 0 })
	if got := x.ocw.VariantsReceived() - received; got != 2 {
		t.Errorf("reconcile sent %d variants, want 2 (the overlap is deduplicated)", got)
	}
	if x.store.InboxDepth() != 0 {
		t.Error("webhooks were delivered although disabled")
	}
}

func TestE2EOnCloudWineDown(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	lab := learnLab(t, x.woo)
	if err := x.ocw.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultDown, Path: "/v1/woocommerce/variants:upsert", Requests: 8}); err != nil {
		t.Fatal(err)
	}
	x.runSync()
	if got := len(x.ocw.Variants()); got != len(lab.variants) {
		t.Errorf("after an outage OnCloudWine has %d variants, want %d", got, len(lab.variants))
	}
	if x.ocw.Calls("/v1/woocommerce/variants:upsert") <= 8 {
		t.Error("the outage was not retried")
	}
}

// A crash in the middle of a full sync (no Stop, the context dies), then a
// restart on the same file: the job resumes and finishes, no SKU is created
// twice, and the cursor of the previous sync is kept until the new one ends.
func TestE2ECrashMidSyncResume(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{sim: woosim.Options{NoPlugin: true, Products: 150, Variations: 4, Latency: time.Millisecond}})
	x.runSync()
	cursor, _ := x.store.Cursor(CursorProducts)
	base := x.ocw.VariantsReceived()
	total := len(x.ocw.Variants())

	// Change every generated variation's price (no webhooks configured).
	changed := 0
	for sku := range learnLab(t, x.woo).variants {
		p, _ := x.woo.ProductBySKU(sku)
		if err := x.woo.UpdateProduct(p.ID, func(p *woosim.Product) { p.RegularPrice = "99.00" }); err != nil {
			t.Fatal(err)
		}
		changed++
	}
	if changed < 500 {
		t.Fatalf("only %d variations changed", changed)
	}

	ctx, crash := context.WithCancel(t.Context())
	go func() { // crash once 200 variants of the second sync reached OnCloudWine
		testutil.Within(testutil.DefaultWait, func() bool { return x.ocw.VariantsReceived()-base >= 200 || ctx.Err() != nil })
		crash()
	}()
	if _, err := x.eng.RunJob(ctx, store.JobSyncProducts, nil); err == nil {
		t.Fatal("the job finished before the crash; make the catalog bigger")
	}
	x.eng.Stop()
	if err := x.store.Close(); err != nil {
		t.Fatal(err)
	}
	if got := x.ocw.VariantsReceived() - base; got >= changed {
		t.Fatalf("crash came after everything was sent (%d)", got)
	}

	x.store = openTestStore(t, x.dir)
	// The cursor is never lost: it is the previous sync's, or (when the pull
	// had committed everything to the outbox before the crash) newer.
	if c, _ := x.store.Cursor(CursorProducts); c == "" || c < cursor {
		t.Errorf("cursor after the crash = %q, previous sync's %q", c, cursor)
	} else if c != cursor {
		if n, _ := x.newEngine().OutboxDepth(); n == 0 {
			t.Errorf("cursor moved to %q but the outbox is empty although not everything was sent", c)
		}
	}
	x.eng = x.newEngine()
	x.start()
	testutil.Eventually(t, "resumed job succeeded", func() bool {
		jobs, _ := x.store.LatestJobs()
		return jobs[store.JobSyncProducts].State == store.JobSucceeded
	})
	variants := x.ocw.Variants()
	if len(variants) != total {
		t.Errorf("OnCloudWine has %d variants, want %d (none created twice, none lost)", len(variants), total)
	}
	stale := 0
	for sku, v := range variants {
		if v.RegularPrice != "99.00" {
			stale++
			t.Logf("stale: %s", sku)
		}
	}
	if stale > 0 {
		t.Errorf("%d changed variations not delivered after the restart", stale)
	}
	sent := x.ocw.VariantsReceived() - base
	if sent < changed || sent > changed+4*batchMax {
		t.Errorf("sent %d variants for %d changes (at most the in-flight batches may repeat)", sent, changed)
	}
	if c, _ := x.store.Cursor(CursorProducts); c < cursor {
		t.Errorf("cursor went back: %q < %q", c, cursor)
	}
}
