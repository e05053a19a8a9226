package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Stock benchmark parameters (issue 13).
const (
	stockChangedEvery = 50               // 2 % of the levels change between two runs
	pushRate          = 50               // stock deliveries a second
	reservationWait   = 90 * time.Second // longest wait for a reservation change to reach OnCloudWine
	pushWait          = 60 * time.Second // longest wait for every timed delivery
	reservedSKUQty    = 3                // the reservation set during the benchmark
	pushSpacing       = time.Second / pushRate
)

// benchStock measures, in one process (its VmHWM is the figure): a product
// sync then the first stock run (every level new), a stock run with 2 % of
// the levels changed, the latency of stock deliveries (accepted → their
// OnCloudWine call done, 50 a second) and the time from a reservation
// change in OnCloudWine to the new available pushed (default interval,
// changed just after a poll: the worst case). It prints:
//
//	bench: stock_sync_first_20k_s <s> s
//	bench: sync_then_first_stock_peak_rss_mb <MB> MB
//	bench: stock_push_latency_p99_ms <ms> ms
//	bench: reservation_to_available_s <s> s
//	bench: stock_sync_20k_s <s> s
func benchStock(ctx context.Context, o options, stdout, stderr io.Writer, logger *slog.Logger) error {
	dir, err := os.MkdirTemp("", "ocw-bench-stock-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	caFile := filepath.Join(dir, "woo-ca.pem")
	sm, err := startSims(ctx, o, false, caFile, stderr)
	if err != nil {
		return err
	}
	defer sm.stop()
	st, wc, _, err := connectStore(ctx, dir, sm.wooURL, caFile, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	oc, err := oncloudwine.New(oncloudwine.Config{BaseURL: sm.ocwURL, Token: benchToken, Logger: logger})
	if err != nil {
		return err
	}
	probe := newStockProbe(oc)
	eng, err := syncer.New(syncer.Config{Store: st, Woo: wc, OCW: probe, Logger: logger, ReservationInterval: o.reservationInterval})
	if err != nil {
		return err
	}
	defer eng.Stop()

	if _, err := runJob(ctx, eng, store.JobSyncProducts); err != nil {
		return err
	}
	if rss, err := peakRSSMB(); err == nil {
		fmt.Fprintf(stderr, "peak RSS after the product sync: %.1f MB\n", rss)
	}
	first, err := runJob(ctx, eng, store.JobSyncStock)
	if err != nil {
		return err
	}
	want := o.products * o.variations
	if n := probe.levelsSent(); n < want {
		return fmt.Errorf("first stock run sent %d levels, want at least %d", n, want)
	}
	rss, err := peakRSSMB()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench: stock_sync_first_20k_s %.2f s\n", first.Seconds())
	fmt.Fprintf(stdout, "bench: sync_then_first_stock_peak_rss_mb %.1f MB\n", rss)

	managed, err := managedVariations(ctx, wc, st, o.pushes)
	if err != nil {
		return err
	}
	deliveries, err := stockDeliveries(ctx, wc, managed, o.pushes)
	if err != nil {
		return err
	}
	reserved := managed[len(managed)-1].SKU // not among the timed deliveries
	probe.drainReads()
	if err := eng.Start(ctx); err != nil {
		return err
	}
	// The poller reads at start; the change comes right after that read.
	if err := probe.waitRead(ctx, reservationWait); err != nil {
		return err
	}
	hit := probe.watch(func(l oncloudwine.StockLevel) bool { return l.SKU == reserved && l.Reserved == reservedSKUQty })
	changed := time.Now()
	if err := sm.command(ctx, fmt.Sprintf("reserve %s %d", reserved, reservedSKUQty)); err != nil {
		return err
	}
	probe.reset()
	p99, err := timePushes(ctx, st, probe, deliveries, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench: stock_push_latency_p99_ms %.1f ms\n", float64(p99.Microseconds())/1000)
	select {
	case at := <-hit:
		fmt.Fprintf(stdout, "bench: reservation_to_available_s %.1f s\n", at.Sub(changed).Seconds())
	case <-time.After(reservationWait):
		return fmt.Errorf("a reservation change did not reach OnCloudWine in %s", reservationWait)
	case <-ctx.Done():
		return ctx.Err()
	}

	// 2 % of the levels change (none of the ones above), then a stock run.
	rest := managed[o.pushes+1 : len(managed)-1]
	changes := o.products * o.variations / stockChangedEvery
	step := max(1, len(rest)/changes)
	var pairs []string
	for i := 0; i < len(rest) && len(pairs) < changes; i += step {
		l := rest[i]
		pairs = append(pairs, fmt.Sprintf("%d:%d", l.ID, *l.StockQuantity+1))
	}
	if err := sm.command(ctx, "stock "+strings.Join(pairs, " ")); err != nil {
		return err
	}
	probe.reset()
	steady, err := runJob(ctx, eng, store.JobSyncStock)
	if err != nil {
		return err
	}
	if n := probe.levelsSent(); n != len(pairs) {
		return fmt.Errorf("stock run after %d changes sent %d levels", len(pairs), n)
	}
	fmt.Fprintf(stdout, "bench: stock_sync_20k_s %.2f s\n", steady.Seconds())
	return nil
}

// connectStore opens a store in dir and records the connection to the
// WooCommerce simulator.
func connectStore(ctx context.Context, dir, wooURL, caFile string, logger *slog.Logger) (*store.Store, *woo.Client, woo.StoreInfo, error) {
	st, err := store.Open(filepath.Join(dir, "data"), store.Options{Logger: logger})
	if err != nil {
		return nil, nil, woo.StoreInfo{}, err
	}
	wc, err := woo.New(woo.Config{StoreURL: wooURL, ConsumerKey: benchKey, ConsumerSecret: benchSecret, CAFile: caFile, Logger: logger})
	if err != nil {
		st.Close()
		return nil, nil, woo.StoreInfo{}, err
	}
	info, err := wc.CheckConnection(ctx)
	if err != nil {
		st.Close()
		return nil, nil, woo.StoreInfo{}, fmt.Errorf("connect: %w", err)
	}
	if info.WeightUnit == "" {
		info.WeightUnit = "kg"
	}
	if err := st.PutConnection(store.Connection{Status: store.ConnActive, StoreURL: wooURL, WCVersion: info.WCVersion,
		Currency: info.Currency, WeightUnit: info.WeightUnit, PluginRoutes: info.PluginRoutes}); err != nil {
		st.Close()
		return nil, nil, woo.StoreInfo{}, err
	}
	return st, wc, info, nil
}

func runJob(ctx context.Context, eng *syncer.Engine, typ string) (time.Duration, error) {
	start := time.Now()
	job, err := eng.RunJob(ctx, typ, nil)
	elapsed := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", typ, err)
	}
	if job.State != store.JobSucceeded {
		return 0, fmt.Errorf("%s: %s: %s", typ, job.State, job.Error)
	}
	return elapsed, nil
}

// managedVariations lists the variations that manage their own stock and
// are synced as variants of their own.
func managedVariations(ctx context.Context, wc *woo.Client, st *store.Store, pushes int) ([]woo.StockLevel, error) {
	var out []woo.StockLevel
	err := wc.StockLevels(ctx, func(l woo.StockLevel) error {
		if l.ParentID == 0 || l.ManageStock != woo.ManageStockYes || l.StockQuantity == nil || l.SKU == "" {
			return nil
		}
		it, ok, err := st.GetItem(syncer.ItemKind, l.SKU)
		if err != nil {
			return err
		}
		if ok && it.WooID == l.ID && it.Status == store.StatusSynced {
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) < 2*pushes {
		return nil, fmt.Errorf("only %d variations manage their stock", len(out))
	}
	return out, nil
}

// delivery is a product.updated body for one variation.
type delivery struct {
	sku  string
	id   int64
	mod  string
	body []byte
}

// stockDeliveries builds n variation deliveries as WooCommerce sends them
// after a sale (the variation as REST shows it, stock moved, saved an hour
// later), one per variation.
func stockDeliveries(ctx context.Context, wc *woo.Client, managed []woo.StockLevel, n int) ([]delivery, error) {
	parents := map[int64]bool{}
	for _, l := range managed[1 : 1+n] {
		parents[l.ParentID] = true
	}
	var (
		mu   sync.Mutex
		vars []woo.Variation
		wg   sync.WaitGroup
		errs []error
	)
	for id := range parents {
		wg.Go(func() {
			var got []woo.Variation
			err := wc.Variations(ctx, id, func(v woo.Variation) error {
				got = append(got, v)
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			vars = append(vars, got...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, l := range managed[1 : 1+n] {
		want[l.ID] = true
	}
	var out []delivery
	for _, v := range vars {
		if !want[v.ID] {
			continue
		}
		q := *v.StockQuantity + 5
		v.StockQuantity = &q
		v.DateModifiedGMT.Time = v.DateModifiedGMT.Add(time.Hour)
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		m["type"] = "variation"
		body, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		out = append(out, delivery{sku: v.SKU, id: v.ID, mod: v.DateModifiedGMT.UTC().Format("2006-01-02T15:04:05"), body: body})
	}
	if len(out) != n {
		return nil, fmt.Errorf("built %d deliveries, want %d", len(out), n)
	}
	return out, nil
}

// timePushes stores the deliveries as the HTTP edge does, pushRate a
// second, and returns the 99th percentile of accepted → OnCloudWine call
// done.
func timePushes(ctx context.Context, st *store.Store, probe *stockProbe, ds []delivery, stderr io.Writer) (time.Duration, error) {
	accepted := make(map[string]time.Time, len(ds))
	tick := time.NewTicker(pushSpacing)
	defer tick.Stop()
	for _, d := range ds {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
		}
		sum := sha256.Sum256(d.body)
		_, err := st.Ingest(ctx, &store.Event{Topic: "product.updated", Resource: "product", Action: "updated", ResourceID: d.id,
			ModifiedGMT: d.mod, BodyHash: hex.EncodeToString(sum[:]), ReceivedAt: time.Now().UTC(), Body: d.body})
		if err != nil {
			return 0, err
		}
		accepted[d.sku] = time.Now()
	}
	deadline := time.Now().Add(pushWait)
	for {
		lat, missing := probe.latencies(accepted)
		if missing == 0 {
			slices.Sort(lat)
			fmt.Fprintf(stderr, "stock push latency: p50 %s, p99 %s, max %s over %d deliveries\n", lat[len(lat)/2].Round(100*time.Microsecond),
				lat[(len(lat)*99+99)/100-1].Round(100*time.Microsecond), lat[len(lat)-1].Round(100*time.Microsecond), len(lat))
			return lat[(len(lat)*99+99)/100-1], nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d of %d stock deliveries never reached OnCloudWine (%v)", missing, len(ds), probe.missing(accepted))
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-probe.changed():
		case <-time.After(time.Second):
		}
	}
}

// stockProbe is the OnCloudWine client with a stopwatch on the stock calls.
type stockProbe struct {
	*oncloudwine.Client
	mu      sync.Mutex
	sent    int
	done    map[string]time.Time // SKU → when a call carrying it completed
	notify  chan struct{}
	reads   chan struct{}
	matches func(oncloudwine.StockLevel) bool
	hit     chan time.Time
}

func newStockProbe(c *oncloudwine.Client) *stockProbe {
	return &stockProbe{Client: c, done: map[string]time.Time{}, notify: make(chan struct{}, 1), reads: make(chan struct{}, 1)}
}

func (p *stockProbe) UpdateStock(ctx context.Context, levels []oncloudwine.StockLevel) error {
	err := p.Client.UpdateStock(ctx, levels)
	if err != nil {
		return err
	}
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent += len(levels)
	for _, l := range levels {
		if _, seen := p.done[l.SKU]; !seen {
			p.done[l.SKU] = now
		}
		if p.matches != nil && p.matches(l) {
			p.hit <- now
			p.matches = nil
		}
	}
	select {
	case p.notify <- struct{}{}:
	default:
	}
	return nil
}

func (p *stockProbe) Reservations(ctx context.Context) ([]oncloudwine.Reservation, error) {
	res, err := p.Client.Reservations(ctx)
	if err == nil {
		select {
		case p.reads <- struct{}{}:
		default:
		}
	}
	return res, err
}

func (p *stockProbe) levelsSent() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent
}

func (p *stockProbe) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent, p.done = 0, map[string]time.Time{}
}

func (p *stockProbe) changed() <-chan struct{} { return p.notify }

func (p *stockProbe) drainReads() {
	select {
	case <-p.reads:
	default:
	}
}

func (p *stockProbe) waitRead(ctx context.Context, limit time.Duration) error {
	select {
	case <-p.reads:
		return nil
	case <-time.After(limit):
		return fmt.Errorf("no reservation poll in %s", limit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watch returns a channel that receives the time a call carrying a level
// that matches completed.
func (p *stockProbe) watch(matches func(oncloudwine.StockLevel) bool) <-chan time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.matches, p.hit = matches, make(chan time.Time, 1)
	return p.hit
}

func (p *stockProbe) missing(accepted map[string]time.Time) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for sku, at := range accepted {
		if done, ok := p.done[sku]; !ok || done.Before(at) {
			out = append(out, fmt.Sprintf("%s done %v accepted %v", sku, done.Format(time.StampMicro), at.Format(time.StampMicro)))
		}
	}
	return out
}

// latencies are done − accepted of the SKUs done; missing counts the others.
func (p *stockProbe) latencies(accepted map[string]time.Time) (lat []time.Duration, missing int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for sku, at := range accepted {
		done, ok := p.done[sku]
		if !ok || done.Before(at) {
			missing++
			continue
		}
		lat = append(lat, done.Sub(at))
	}
	return lat, missing
}
