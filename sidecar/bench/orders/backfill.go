package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// benchBackfill seeds o.orders paid orders in the WooCommerce simulator and
// times SYNC_WOOCOMMERCE_ORDERS from an empty store until OnCloudWine
// accepted every one, in seconds.
func benchBackfill(ctx context.Context, o options, stderr io.Writer, logger *slog.Logger) (float64, error) {
	w, err := newWorld(woosim.Options{Latency: o.wooLatency}, o.ocwLatency, logger)
	if err != nil {
		return 0, err
	}
	defer w.close()
	p, ok := w.woo.ProductBySKU("WINE-PIN-2022-750")
	if !ok {
		return 0, fmt.Errorf("the lab catalog has no WINE-PIN-2022-750")
	}
	for i := range o.orders {
		no := woosim.NewOrder{Billing: woosim.Address{FirstName: "Bench", LastName: fmt.Sprint(i), Email: "bench@example.test"},
			Lines: []woosim.OrderLine{{ProductID: p.ID, Quantity: 1 + i%3}}}
		if _, err := w.woo.PlaceOrder(no); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	job, err := w.eng.RunJobSince(ctx, store.JobSyncOrders, start.Add(-24*time.Hour), nil)
	elapsed := time.Since(start)
	if err != nil {
		return 0, err
	}
	sent := len(w.ocw.Orders())
	if sent < o.orders {
		return 0, fmt.Errorf("%d orders in OnCloudWine, want at least %d", sent, o.orders)
	}
	fmt.Fprintf(stderr, "order_backfill: %s read %d orders, %d in OnCloudWine in %d orders:upsert calls, %d WooCommerce requests, in %s\n",
		job.Type, job.Progress.Done, sent, w.ocw.Calls("/v1/woocommerce/orders:upsert"), w.woo.RequestCount("/wc/v3/orders"), elapsed.Round(time.Millisecond))
	return elapsed.Seconds(), nil
}
