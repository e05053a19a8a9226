package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// benchLatency sends o.deliveries paid-order deliveries, one every o.every,
// and returns the 99th percentile of "delivery accepted → its orders:upsert
// answered", in milliseconds.
func benchLatency(ctx context.Context, o options, stderr io.Writer, logger *slog.Logger) (float64, error) {
	w, err := newWorld(woosim.Options{}, o.ocwLatency, logger)
	if err != nil {
		return 0, err
	}
	defer w.close()

	var (
		mu       sync.Mutex
		accepted = map[int64]time.Time{} // delivery answered 200, upsert not yet answered
		early    = map[int64]time.Time{} // upsert answered before the 200 was read
		lat      []time.Duration
		all      = make(chan struct{})
	)
	record := func(d time.Duration) { // mu held
		lat = append(lat, max(0, d))
		if len(lat) == o.deliveries {
			close(all)
		}
	}
	w.answered = func(ids []int64) {
		now := time.Now()
		mu.Lock()
		defer mu.Unlock()
		for _, id := range ids {
			if t, ok := accepted[id]; ok {
				delete(accepted, id)
				record(now.Sub(t))
			} else {
				early[id] = now
			}
		}
	}
	if err := w.eng.Start(ctx); err != nil {
		return 0, err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	paid := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	for i := range o.deliveries {
		id := int64(100000 + i)
		body, err := json.Marshal(paidOrder(id, paid))
		if err != nil {
			return 0, err
		}
		if err := w.deliver(client, "order.updated", body, i); err != nil {
			return 0, err
		}
		at := time.Now()
		mu.Lock()
		if done, ok := early[id]; ok {
			delete(early, id)
			record(done.Sub(at))
		} else {
			accepted[id] = at
		}
		mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
		}
	}
	select {
	case <-all:
	case <-time.After(60 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		return 0, fmt.Errorf("%d of %d orders reached OnCloudWine within 60 s", len(lat), o.deliveries)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	fmt.Fprintf(stderr, "order_to_ocw: %d deliveries, one every %s: p50 %s p90 %s p99 %s max %s (OnCloudWine latency %s)\n",
		len(lat), o.every, p(0.5).Round(time.Microsecond), p(0.9).Round(time.Microsecond), p(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), o.ocwLatency)
	return float64(p(0.99).Microseconds()) / 1000, nil
}

// paidOrder is a paid guest order as an order.updated delivery carries it.
func paidOrder(id int64, paid time.Time) woo.Order {
	return woo.Order{
		ID: id, Number: fmt.Sprint(id), Status: "processing", Currency: "USD", Total: woo.MustDecimal("70.00"),
		Billing:        woo.Address{FirstName: "Bench", LastName: "Shopper", Email: "bench@example.test", Country: "PT"},
		DateCreatedGMT: woo.GMTTime{Time: paid}, DateModifiedGMT: woo.GMTTime{Time: paid}, DatePaidGMT: woo.GMTTime{Time: paid},
		LineItems: []woo.LineItem{{ID: id, Name: "Pinot Noir 2022", ProductID: 12, Quantity: 2, SKU: "WINE-PIN-2022-750",
			Subtotal: woo.MustDecimal("70.00"), Total: woo.MustDecimal("70.00")}},
	}
}
