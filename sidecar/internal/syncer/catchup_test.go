package syncer

import (
	"net/http"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// A block-checkout sale on WooCommerce ≥ 9.2 delivers rest_no_route in place
// of the product (issue 9 item 1): the change reaches OnCloudWine at once
// through the catch-up, not with the 5-minute poll (an hour here).
func TestE2ERESTErrorDeliveryCatchesUpAtOnce(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	lab := learnLab(t, x.woo)
	x.runSync()
	x.start()
	testutil.Eventually(t, "start-up reconcile read the trash", func() bool { return reconcileReads(x.woo, "status=trash") > 0 })
	if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.RegularPrice = "36.00" }); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`)
	if code := x.deliver("product.updated", body); code != http.StatusOK {
		t.Fatalf("REST error delivery answered %d, want 200", code)
	}
	testutil.Eventually(t, "price 36.00 caught up", func() bool { return x.ocw.Variants()[labPinotSKU].Price == "36.00" })
	if x.store.InboxDepth() != 0 {
		t.Error("the REST error was queued as a product")
	}
}

// The reconcile reads what changed through the plugin's catalog route
// (modified_after) when the store has it — no request per variable product —
// and through REST v3 when it has not; both deliver the changes, and the
// status shows the run.
func TestE2EReconcileViaCatalogRouteOrREST(t *testing.T) {
	t.Parallel()
	for _, noPlugin := range []bool{false, true} {
		t.Run(map[bool]string{false: "plugin", true: "rest"}[noPlugin], func(t *testing.T) {
			t.Parallel()
			x := newE2E(t, e2eOptions{sim: woosimOptions(noPlugin)})
			lab := learnLab(t, x.woo)
			x.runSync()
			x.start()
			testutil.Eventually(t, "start-up reconcile done", func() bool { return x.eng.SyncStatus().Reconcile.FinishedAt != nil })
			before := len(x.woo.Requests())
			if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) { p.RegularPrice = "58.00" }); err != nil {
				t.Fatal(err)
			}
			if err := x.woo.UpdateProduct(lab.pinotID, func(p *woosim.Product) { p.RegularPrice = "39.00" }); err != nil {
				t.Fatal(err)
			}
			x.eng.RequestReconcile()
			testutil.Eventually(t, "changes delivered by the reconcile", func() bool {
				return x.ocw.Variants()[labPinotSKU].Price == "39.00" && x.ocw.Variants()[lab.cabVarSKU].Price == "58.00"
			})
			testutil.Eventually(t, "reconcile finished", func() bool { return !x.eng.SyncStatus().Reconcile.Running })
			rs := x.eng.SyncStatus().Reconcile
			want := "plugin"
			if noPlugin {
				want = "rest"
			}
			if rs.Via != want || rs.Products < 2 || rs.Error != "" || rs.StartedAt == nil {
				t.Errorf("reconcile status = %+v, want via %s with the 2 changed products", rs, want)
			}
			variationReads := 0
			for _, r := range x.woo.Requests()[before:] {
				if strings.Contains(r.Route, "/variations") {
					variationReads++
				}
			}
			if !noPlugin && variationReads != 0 {
				t.Errorf("the reconcile read variations one product at a time (%d requests) although the catalog route is there", variationReads)
			}
			if noPlugin && variationReads == 0 {
				t.Error("the REST reconcile did not read the changed variable product's variations")
			}
		})
	}
}

// A block-checkout order's order.created arrives as rest_no_route: the stock
// the sale took reaches OnCloudWine at once (the catch-up queues the stock
// sync), not with the next scheduled stock run.
func TestE2ERESTErrorOrderDeliveryCatchesUpStock(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.runSync()
	if job, err := x.eng.RunJob(t.Context(), store.JobSyncStock, nil); err != nil || job.State != store.JobSucceeded {
		t.Fatalf("stock job = %+v, %v", job, err)
	}
	pinot, _ := x.woo.ProductBySKU(labPinotSKU)
	before := *pinot.StockQuantity
	if x.ocw.Stock()[labPinotSKU].OnHand != before {
		t.Fatalf("OnCloudWine stock %+v, want %d before the sale", x.ocw.Stock()[labPinotSKU], before)
	}
	x.start()
	if _, err := x.woo.PlaceOrder(woosim.NewOrder{Lines: []woosim.OrderLine{{SKU: labPinotSKU, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`)
	if code := x.deliver("order.created", body); code != http.StatusOK {
		t.Fatalf("order.created REST error answered %d, want 200", code)
	}
	testutil.Eventually(t, "the sale's stock in OnCloudWine", func() bool { return x.ocw.Stock()[labPinotSKU].OnHand == before-2 })
}
