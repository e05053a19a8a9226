package syncer

import (
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// Variations whose parent manages the stock (the lab's Rioja: manage_stock
// "parent", 60 bottles on the parent) reach OnCloudWine as managed with the
// parent's quantity, through the plugin's stock route and through REST v3.
// They share one level: a reservation on one of them is deducted from every
// one (issue 13: the 60 bottles are 56 for all of them once 4 are reserved).
func TestE2EParentManagedStockKeepsItsQuantity(t *testing.T) {
	t.Parallel()
	for _, noPlugin := range []bool{false, true} {
		x := newE2E(t, e2eOptions{sim: woosimOptions(noPlugin)})
		x.runSync()
		x.ocw.SetReservation("WINE-RIOG-2021-750", 4)
		job, err := x.eng.RunJob(t.Context(), store.JobSyncStock, nil)
		if err != nil || job.State != store.JobSucceeded {
			t.Fatalf("noPlugin=%v: stock job = %+v, %v", noPlugin, job, err)
		}
		n := 0
		for sku, lvl := range x.ocw.Stock() {
			if !strings.HasPrefix(sku, "WINE-RIOG-") {
				continue
			}
			n++
			if !lvl.ManageStock || lvl.OnHand != 60 || lvl.Reserved != 4 || lvl.Available != 56 {
				t.Errorf("noPlugin=%v: parent-managed %s = %+v, want managed, 60 on hand, 4 reserved (the shared level's), 56 available", noPlugin, sku, lvl)
			}
		}
		if _, ok := x.ocw.Stock()["WINE-RIOG-2021-750"]; !ok {
			t.Errorf("noPlugin=%v: the reserved Rioja variation has no stock level", noPlugin)
		}
		if n != 6 {
			t.Errorf("noPlugin=%v: %d Rioja variations got a stock level, want 6", noPlugin, n)
		}
	}
}
