package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// storm is the crash storm's plan and bookkeeping.
type storm struct {
	w   *world
	rng *rand.Rand

	hookSKUs  []string // changed by webhook deliveries only (WooCommerce's copy stays older)
	hookIDs   map[string]int64
	syncSKUs  []string // changed in WooCommerce during the product sync
	syncIDs   map[string]int64
	stockSKUs []string // stock changed in WooCommerce during the stock sync
	stockIDs  map[string]int64

	mu        sync.Mutex
	lastAcked map[string]change // the last acknowledged delivery per SKU
	acked     int
	attempts  int
	kills     int
}

// crashStorm kills the sidecar with SIGKILL at seeded random moments while
// senders deliver webhooks, a product sync runs, a stock sync runs and paid
// release orders are mirrored, restarts it each time, and checks that
// everything converges: every SKU's last acknowledged change is in
// OnCloudWine, no variant was applied twice with the same content, the jobs
// end succeeded, stock matches the store, every release order became exactly
// one WooCommerce order.
func crashStorm(ctx context.Context, env *suite) (string, error) {
	phase, products, hookN, syncN, stockN, senders, releases := 10*time.Second, 300, 60, 40, 40, 6, 30
	if env.short {
		phase, products, hookN, syncN, stockN, senders, releases = 3*time.Second, 40, 24, 16, 16, 4, 8
	}
	w, err := newWorld(ctx, env, worldOptions{products: products, variations: 4,
		env: []string{"OCW_RECONCILE_INTERVAL=1h", "OCW_STOCK_SYNC_INTERVAL=15m", "OCW_MIRROR_RELEASE_ORDERS=true", "OCW_RELEASE_POLL_INTERVAL=1s"}})
	if err != nil {
		return "", err
	}
	defer w.close()
	st := &storm{w: w, rng: rand.New(rand.NewPCG(uint64(env.seed), 7)), lastAcked: map[string]change{},
		hookIDs: map[string]int64{}, syncIDs: map[string]int64{}, stockIDs: map[string]int64{}}
	if err := st.seedStore(hookN, syncN, stockN); err != nil {
		return "", err
	}

	var stopping atomic.Bool // senders finish the delivery in hand, then stop
	senderErr := make(chan error, senders)
	var sendersDone sync.WaitGroup
	for i := 0; i < senders; i++ {
		sendersDone.Add(1)
		go func(i int) {
			defer sendersDone.Done()
			senderErr <- st.send(ctx, &stopping, i, senders)
		}(i)
	}
	finishSenders := func() error {
		stopping.Store(true)
		sendersDone.Wait()
		close(senderErr)
		var errs []error
		for err := range senderErr {
			if err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}

	// Phase 1: a product sync while WooCommerce prices change and webhooks arrive.
	syncJob, err := w.startJob(ctx, "SYNC_WOOCOMMERCE_PRODUCTS")
	if err != nil {
		return "", errors.Join(err, finishSenders())
	}
	editCtx, stopEdits := context.WithCancel(ctx)
	edits := make(chan int, 1)
	go func() { edits <- st.editPrices(editCtx) }()
	if err := st.killFor(ctx, phase); err != nil {
		stopEdits()
		return "", errors.Join(err, finishSenders())
	}
	stopEdits()
	priceEdits := <-edits
	if _, err := w.waitJob(ctx, syncJob.ID, 120*time.Second); err != nil {
		return "", errors.Join(fmt.Errorf("product sync after the storm: %w", err), finishSenders())
	}

	// Phase 2: a stock sync while WooCommerce stock changes and webhooks arrive.
	stockJob, err := w.startJob(ctx, "SYNC_WOOCOMMERCE_STOCK")
	if err != nil {
		return "", errors.Join(err, finishSenders())
	}
	editCtx, stopEdits = context.WithCancel(ctx)
	go func() { edits <- st.editStock(editCtx) }()
	if err := st.killFor(ctx, phase); err != nil {
		stopEdits()
		return "", errors.Join(err, finishSenders())
	}
	stopEdits()
	stockEdits := <-edits
	if _, err := w.waitJob(ctx, stockJob.ID, 120*time.Second); err != nil {
		return "", errors.Join(fmt.Errorf("stock sync after the storm: %w", err), finishSenders())
	}

	// Phase 3: paid release orders mirrored into WooCommerce while webhooks arrive.
	released, ordersBefore, err := st.mirrorStorm(ctx, releases, phase)
	if err != nil {
		return "", errors.Join(err, finishSenders())
	}
	if err := finishSenders(); err != nil {
		return "", err
	}

	// Convergence: the regular catch-ups run once more (reconcile, a stock
	// sync), then OnCloudWine must hold the last word on every SKU.
	if code, err := w.side.do(ctx, http.MethodPost, "/v1/reconcile", nil, nil); err != nil || code != http.StatusAccepted {
		return "", fmt.Errorf("POST /v1/reconcile: %d %v", code, err)
	}
	finalStock, err := w.startJob(ctx, "SYNC_WOOCOMMERCE_STOCK")
	if err != nil {
		return "", err
	}
	if _, err := w.waitJob(ctx, finalStock.ID, 60*time.Second); err != nil {
		return "", fmt.Errorf("final stock sync: %w", err)
	}
	if err := w.waitDrained(ctx, 60*time.Second); err != nil {
		return "", err
	}
	lost, missing := st.converge(ctx, 30*time.Second)
	extraOrders, mirrorErr := st.mirrorConverged(ctx, released, ordersBefore, 60*time.Second)
	if mirrorErr != nil {
		lost++
		missing = append(missing, mirrorErr.Error())
	}
	dups, dupExamples := duplicatesOf(w.ocw.AppliedVariants())
	dups += extraOrders
	env.count(st.acked, lost, dups)
	detail := fmt.Sprintf("seed %d, %d kill -9 + restarts, %d deliveries acknowledged (%d attempts) over %d SKUs by %d senders, %d price edits during the product sync, %d stock edits during the stock sync, both jobs succeeded after resuming, %d paid release orders mirrored (%d WooCommerce orders more than one each), lost = %d, duplicates = %d (of %d variants applied)",
		env.seed, st.kills, st.acked, st.attempts, len(st.hookSKUs), senders, priceEdits, stockEdits, released, extraOrders, lost, dups-extraOrders, len(w.ocw.AppliedVariants()))
	if lost > 0 || dups > 0 {
		return "", fmt.Errorf("%s; not converged: %v; duplicates: %v", detail, missing, dupExamples)
	}
	return detail, nil
}

// seedStore adds the storm's products to the store.
func (st *storm) seedStore(hookN, syncN, stockN int) error {
	add := func(prefix string, n int, ids map[string]int64, skus *[]string, stock bool) error {
		for i := 0; i < n; i++ {
			sku := fmt.Sprintf("%s-%03d", prefix, i)
			var qty *int
			if stock {
				q := 20
				qty = &q
			}
			id, err := newSimple(st.w.woo, sku, "10.00", qty)
			if err != nil {
				return err
			}
			ids[sku] = id
			*skus = append(*skus, sku)
		}
		return nil
	}
	return errors.Join(add("STORM-HOOK", hookN, st.hookIDs, &st.hookSKUs, false),
		add("STORM-SYNC", syncN, st.syncIDs, &st.syncSKUs, false),
		add("STORM-STOCK", stockN, st.stockIDs, &st.stockSKUs, true))
}

// send delivers changes of its share of the webhook SKUs until ctx ends,
// each until acknowledged. Their dates lie ahead of WooCommerce's copy, so
// only these deliveries can bring them to OnCloudWine.
func (st *storm) send(ctx context.Context, stopping *atomic.Bool, worker, workers int) error {
	client := &http.Client{Timeout: 10 * time.Second}
	future := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for version := 1; ; version++ {
		for i := worker; i < len(st.hookSKUs); i += workers {
			if stopping.Load() {
				return nil
			}
			sku := st.hookSKUs[i]
			c := change{id: st.hookIDs[sku], sku: sku, name: "Reliability " + sku,
				price: fmt.Sprintf("%d.%02d", 10+version/100, version%100), modified: future.Add(time.Duration(version) * time.Second)}
			attempts, err := deliverUntilAcknowledged(ctx, client, st.w.side, c)
			st.mu.Lock()
			st.attempts += attempts
			if err == nil {
				st.acked++
				st.lastAcked[sku] = c
			}
			st.mu.Unlock()
			if err != nil {
				return err
			}
		}
	}
}

// killFor kills and restarts the sidecar at random moments (100–700 ms
// after it is healthy again) for d.
func (st *storm) killFor(ctx context.Context, d time.Duration) error {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		wait := 100*time.Millisecond + time.Duration(st.rng.Int64N(int64(600*time.Millisecond)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		if err := st.w.restart(ctx); err != nil {
			return fmt.Errorf("restart after kill %d: %w", st.kills+1, err)
		}
		st.kills++
	}
	return nil
}

// editPrices changes prices in WooCommerce until ctx ends, like a shop
// manager during a sync; it returns how many edits it made.
func (st *storm) editPrices(ctx context.Context) int {
	n := 0
	for ctx.Err() == nil {
		sku := st.syncSKUs[n%len(st.syncSKUs)]
		price := fmt.Sprintf("%d.50", 20+n)
		_ = st.w.woo.UpdateProduct(st.syncIDs[sku], func(p *woosim.Product) { p.RegularPrice = price })
		n++
		select {
		case <-ctx.Done():
		case <-time.After(25 * time.Millisecond): // the pace of edits, not a wait for anything
		}
	}
	return n
}

// editStock changes stock in WooCommerce until ctx ends.
func (st *storm) editStock(ctx context.Context) int {
	n := 0
	for ctx.Err() == nil {
		sku := st.stockSKUs[n%len(st.stockSKUs)]
		_ = st.w.woo.SetStock(st.stockIDs[sku], 1+n%37)
		n++
		select {
		case <-ctx.Done():
		case <-time.After(25 * time.Millisecond):
		}
	}
	return n
}

// converge waits until OnCloudWine holds the last acknowledged change of
// every webhook SKU, WooCommerce's price of every SKU edited during the
// product sync and its stock of every SKU edited during the stock sync; it
// returns how many still differ at the end, with examples.
func (st *storm) converge(ctx context.Context, within time.Duration) (int, []string) {
	var missing []string
	var differ atomic.Int64
	_ = poll(ctx, within, "convergence", func() (bool, error) {
		missing = missing[:0]
		variants, stock := st.w.ocw.Variants(), st.w.ocw.Stock()
		note := func(format string, args ...any) {
			if len(missing) < 5 {
				missing = append(missing, fmt.Sprintf(format, args...))
			}
		}
		n := 0
		st.mu.Lock()
		for sku, c := range st.lastAcked {
			if v, ok := variants[sku]; !ok || !samePrice(v.Price, c.price) || !v.WooModifiedAt.Equal(c.modified) {
				n++
				note("%s: OnCloudWine %q @%s, acknowledged %q @%s", sku, v.Price, v.WooModifiedAt.Format(time.RFC3339), c.price, c.modified.Format(time.RFC3339))
			}
		}
		st.mu.Unlock()
		for _, sku := range st.syncSKUs {
			p, _ := st.w.woo.ProductBySKU(sku)
			if v, ok := variants[sku]; !ok || !samePrice(v.Price, p.RegularPrice) {
				n++
				note("%s: OnCloudWine price %q, WooCommerce %q", sku, v.Price, p.RegularPrice)
			}
		}
		for _, sku := range st.stockSKUs {
			p, _ := st.w.woo.ProductBySKU(sku)
			if l, ok := stock[sku]; !ok || p.StockQuantity == nil || l.OnHand != *p.StockQuantity {
				n++
				note("%s: OnCloudWine on hand %d, WooCommerce %v", sku, l.OnHand, p.StockQuantity)
			}
		}
		differ.Store(int64(n))
		return n == 0, nil
	})
	return int(differ.Load()), missing
}
