package syncer

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
)

func TestE2EStockSync(t *testing.T) {
	t.Parallel()
	for _, noPlugin := range []bool{false, true} {
		x := newE2E(t, e2eOptions{sim: woosimOptions(noPlugin)})
		lab := learnLab(t, x.woo)
		x.runSync()
		pinot, _ := x.woo.ProductBySKU(labPinotSKU)
		if pinot.StockQuantity == nil || *pinot.StockQuantity < 3 {
			t.Fatalf("lab Pinot has no managed stock: %+v", pinot.StockQuantity)
		}
		onHand := *pinot.StockQuantity
		x.ocw.SetReservation(labPinotSKU, 2)
		x.ocw.SetReservation(lab.cabVarSKU, 1000) // more than on hand: available 0

		run := func() {
			t.Helper()
			job, err := x.eng.RunJob(t.Context(), store.JobSyncStock, nil)
			if err != nil || job.State != store.JobSucceeded {
				t.Fatalf("stock job = %+v, %v", job, err)
			}
		}
		run()
		stock := x.ocw.Stock()
		if got := stock[labPinotSKU]; got.OnHand != onHand || got.Reserved != 2 || got.Available != onHand-2 || !got.ManageStock {
			t.Errorf("noPlugin=%v: Pinot stock = %+v, on hand %d", noPlugin, got, onHand)
		}
		if got := stock[lab.cabVarSKU]; got.Available != 0 || got.Reserved != 1000 {
			t.Errorf("noPlugin=%v: over-reserved stock = %+v", noPlugin, got)
		}
		if _, ok := stock["WINE-SABC"]; ok {
			t.Errorf("noPlugin=%v: the parent's SKU reported by a variation got a stock level", noPlugin)
		}
		if len(stock) != len(lab.variants) {
			t.Errorf("noPlugin=%v: %d stock levels, want one per synced variant (%d)", noPlugin, len(stock), len(lab.variants))
		}

		calls := x.ocw.Calls("/v1/woocommerce/stock:update")
		run()
		if got := x.ocw.Calls("/v1/woocommerce/stock:update"); got != calls {
			t.Errorf("noPlugin=%v: unchanged stock sent again (%d calls)", noPlugin, got-calls)
		}
		if err := x.woo.SetStock(pinot.ID, 5); err != nil {
			t.Fatal(err)
		}
		run()
		if got := x.ocw.Stock()[labPinotSKU]; got.OnHand != 5 || got.Available != 3 {
			t.Errorf("noPlugin=%v: after SetStock, Pinot = %+v", noPlugin, got)
		}
	}
}

func TestStockSyncIsScheduled(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	fire := make(chan time.Time)
	e, err := New(Config{Store: h.store, Woo: h.woo, OCW: h.ocw, StockSyncInterval: 10 * time.Minute, ReconcileInterval: time.Hour,
		After: func(d time.Duration) <-chan time.Time {
			if d == 10*time.Minute {
				return fire
			}
			return time.After(d)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Stop)
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	fire <- time.Now()
	testutil.Eventually(t, "scheduled stock job finished", func() bool {
		jobs, _ := h.store.LatestJobs()
		j, ok := jobs[store.JobSyncStock]
		// the fakes cannot sync stock: the job runs and fails with that reason
		return ok && j.State == store.JobFailed && strings.Contains(j.Error, "cannot sync stock")
	})
}

func TestStockIntervalFollowsSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	var interval atomic.Int64
	interval.Store(int64(10 * time.Minute))
	asked := make(chan time.Duration, 4)
	fire := make(chan time.Time)
	e, err := New(Config{Store: h.store, Woo: h.woo, OCW: h.ocw, ReconcileInterval: time.Hour,
		StockInterval: func() time.Duration { return time.Duration(interval.Load()) },
		After: func(d time.Duration) <-chan time.Time {
			if d == 10*time.Minute || d == 7*time.Minute {
				asked <- d
				return fire
			}
			return time.After(d)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Stop)
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if d := <-asked; d != 10*time.Minute {
		t.Fatalf("first wait %s, want 10m", d)
	}
	interval.Store(int64(7 * time.Minute)) // PUT /v1/settings {"stock_sync_interval":"7m"}
	fire <- time.Now()
	if d := <-asked; d != 7*time.Minute {
		t.Fatalf("after the settings change the schedule waits %s, want 7m", d)
	}
}
