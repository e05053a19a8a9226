package syncer

import (
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// TestE2EWebhookPushesStock: product.updated fires on every stock change
// (docs/woocommerce-webhooks.md), so a stock edit reaches OnCloudWine by webhook, with
// the reservation deducted, without waiting for the scheduled stock sync.
func TestE2EWebhookPushesStock(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{webhooks: true})
	lab := learnLab(t, x.woo)
	x.runSync()
	if job, err := x.eng.RunJob(t.Context(), store.JobSyncStock, nil); err != nil || job.State != store.JobSucceeded {
		t.Fatalf("stock sync = %+v, %v", job, err)
	}
	x.ocw.SetReservation(lab.cabVarSKU, 5)
	x.start() // the reservation poller reads the new reservation at start
	testutil.Eventually(t, "reservation 5 deducted by the reservation poller", func() bool {
		return x.ocw.Stock()[lab.cabVarSKU].Reserved == 5
	})
	stockCalls := x.ocw.Calls("/v1/woocommerce/stock:update")

	if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) {
		n := 77
		p.ManageStock, p.StockQuantity = true, &n
	}); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "stock 77 − 5 reserved by webhook", func() bool {
		l := x.ocw.Stock()[lab.cabVarSKU]
		return l.OnHand == 77 && l.Reserved == 5 && l.Available == 72
	})
	if n := x.ocw.Calls("/v1/woocommerce/stock:update") - stockCalls; n != 1 {
		t.Errorf("one stock edit made %d stock:update calls, want 1", n)
	}
	// A price edit leaves the stock as it is: nothing is sent again.
	if err := x.woo.UpdateProduct(lab.cabVarID, func(p *woosim.Product) { p.RegularPrice = "52.00" }); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "price by webhook", func() bool { return x.ocw.Variants()[lab.cabVarSKU].Price == "52.00" })
	testutil.Eventually(t, "inbox drained", func() bool { return x.store.InboxDepth() == 0 })
	if n := x.ocw.Calls("/v1/woocommerce/stock:update") - stockCalls; n != 1 {
		t.Errorf("an unchanged stock level was sent again (%d stock:update calls)", n)
	}
}
