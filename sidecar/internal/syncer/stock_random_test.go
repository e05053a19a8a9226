package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// TestStockNeverOversellsRandomized interleaves WooCommerce sales and stock
// edits, OnCloudWine reservation changes, dropped, duplicated, replayed and
// reordered deliveries, kill -9 restarts (the engine abandoned mid-call, the
// store reopened), reconcile polls, reservation polls and stock runs, and
// checks after every step, for every SKU: OnCloudWine's available is never
// above WooCommerce's true stock minus the current reservations by more
// than the changes still in flight; once quiet (every delivery in, one
// poll of each kind) it is exactly that. Seeds are reproducible:
// OCW_STOCK_SEED=<n> runs one, OCW_STOCK_STEPS the steps per seed.
func TestStockNeverOversellsRandomized(t *testing.T) {
	t.Parallel()
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if s := os.Getenv("OCW_STOCK_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("OCW_STOCK_SEED=%q: %v", s, err)
		}
		seeds = []uint64{n}
	}
	steps := 400
	if s := os.Getenv("OCW_STOCK_STEPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("OCW_STOCK_STEPS=%q: %v", s, err)
		}
		steps = n
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			r := newStockRun(t, seed)
			for range steps {
				r.randomStep()
				r.check(false)
				if r.step%100 == 0 {
					r.quiet()
				}
			}
			r.quiet()
			t.Logf("seed %d: %d steps, %d restarts, %d stock writes", seed, r.step, r.restarts, r.w.stockWrites)
		})
	}
}

// stockRun is one seeded run.
type stockRun struct {
	t        *testing.T
	seed     uint64
	rng      *rand.Rand
	step     int
	actions  []string // the last actions, for the failure message
	restarts int

	w   *stockWorld
	dir string
	st  *store.Store
	eng *Engine

	pending   []worldDelivery // sent by WooCommerce, not arrived yet
	delivered []worldDelivery // arrived (replays come from here)
	inInbox   []worldDelivery // arrived, not applied yet

	settle    map[int64]int // holder → newest version a completed step applied
	resSettle int           // newest reservation version a completed step applied
}

func newStockRun(t *testing.T, seed uint64) *stockRun {
	r := &stockRun{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), dir: t.TempDir(),
		w: newStockWorld(time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)), settle: map[int64]int{}}
	r.w.addSimple(101, int64(r.rng.IntN(20)))
	r.w.addSimple(102, int64(r.rng.IntN(20)))
	r.w.addSimple(103, -1)                            // stock not managed: its status only
	r.w.addVariable(200, 2, int64(r.rng.IntN(20)), 0) // two variations sharing the parent's stock
	r.w.addVariable(210, 2, int64(r.rng.IntN(20)), 0)
	r.w.addVariable(220, 2, -1, int64(r.rng.IntN(20))) // variations with their own stock
	r.open()
	if err := r.st.PutConnection(store.Connection{Status: store.ConnActive, Currency: "EUR", WeightUnit: "kg"}); err != nil {
		t.Fatal(err)
	}
	if job, err := r.eng.RunJob(t.Context(), store.JobSyncProducts, nil); err != nil || job.State != store.JobSucceeded {
		t.Fatalf("product sync: %+v %v", job, err)
	}
	if job, err := r.eng.RunJob(t.Context(), store.JobSyncStock, nil); err != nil || job.State != store.JobSucceeded {
		t.Fatalf("stock sync: %+v %v", job, err)
	}
	for _, h := range r.w.managedHolders() {
		r.settle[h] = r.w.version(h)
	}
	r.resSettle = len(r.w.resHist) - 1
	r.check(true)
	return r
}

func (r *stockRun) open() {
	st, err := store.Open(r.dir, store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	r.st = st
	r.t.Cleanup(func() { _ = st.Close() })
	e, err := New(Config{
		Store: st, Woo: r.w, OCW: r.w, Senders: 1, RetryMin: time.Millisecond, RetryMax: 4 * time.Millisecond,
		ReconcileInterval: time.Hour, IdlePoll: time.Hour,
		Now: func() time.Time { return r.w.now },
		After: func(d time.Duration) <-chan time.Time {
			if d >= time.Minute {
				return nil // idle polls: the fake clock only moves between steps
			}
			c := make(chan time.Time, 1)
			c <- r.w.now.Add(d) // backoff: the fake clock jumps
			return c
		},
	})
	if err != nil {
		r.t.Fatal(err)
	}
	r.eng = e
}

func (r *stockRun) fail(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("seed %d, step %d: %s\nreproduce: OCW_STOCK_SEED=%d go test -race -run 'TestStockNeverOversellsRandomized' ./sidecar/internal/syncer/\nlast actions:\n  %s",
		r.seed, r.step, fmt.Sprintf(format, args...), r.seed, strings.Join(r.actions, "\n  "))
}

func (r *stockRun) note(format string, args ...any) {
	r.actions = append(r.actions, fmt.Sprintf("%d: ", r.step)+fmt.Sprintf(format, args...))
	if len(r.actions) > 25 {
		r.actions = r.actions[1:]
	}
}

// randomStep moves the fake clock and does one thing.
func (r *stockRun) randomStep() {
	r.step++
	r.w.now = r.w.now.Add(time.Duration(r.rng.IntN(1500)) * time.Millisecond)
	holders := r.w.managedHolders()
	switch n := r.rng.IntN(100); {
	case n < 20: // a sale
		h := holders[r.rng.IntN(len(holders))]
		q := r.w.hist[h][r.w.version(h)]
		k := int64(1 + r.rng.IntN(3))
		if q >= k {
			r.note("sale: holder %d %d → %d", h, q, q-k)
			r.pending = append(r.pending, r.w.setStock(h, q-k)...)
		}
	case n < 28: // a stock edit
		h := holders[r.rng.IntN(len(holders))]
		q := int64(r.rng.IntN(26))
		r.note("edit: holder %d → %d", h, q)
		r.pending = append(r.pending, r.w.setStock(h, q)...)
	case n < 31:
		r.note("status of 103 toggled")
		r.pending = append(r.pending, r.w.toggleStatus(103)...)
	case n < 41: // OnCloudWine: a release order paid, a reservation released
		skus := r.managedSKUs()
		sku, q := skus[r.rng.IntN(len(skus))], r.rng.IntN(5)
		r.note("reservation %s = %d", sku, q)
		r.w.setReservation(sku, q)
	case n < 61:
		r.network()
	case n < 73:
		r.sidecar("inbox", r.processInbox)
	case n < 79:
		r.sidecar("reconcile", r.eng.Reconcile)
	case n < 87:
		r.sidecar("reservation poll", r.eng.RefreshReservations)
	case n < 91:
		r.sidecar("stock run", r.stockRun)
	case n < 95: // kill -9 somewhere in the next API calls
		r.w.mu.Lock()
		r.w.crashIn, r.w.crashApply = 1+r.rng.IntN(4), r.rng.IntN(2) == 0
		r.w.mu.Unlock()
		r.note("kill -9 armed: at the %d-th API call (write applied: %v)", r.w.crashIn, r.w.crashApply)
	case n < 98:
		r.w.mu.Lock()
		r.w.down = 1 + r.rng.IntN(3)
		r.w.mu.Unlock()
		r.note("OnCloudWine down for %d stock writes", r.w.down)
	default:
		r.note("idle")
	}
}

func (r *stockRun) managedSKUs() []string {
	var out []string
	for sku, h := range r.w.holder {
		if _, ok := r.w.hist[h]; ok {
			out = append(out, sku)
		}
	}
	slices.Sort(out)
	return out
}

// network delivers, duplicates, drops or replays one delivery; picking any
// pending one reorders them.
func (r *stockRun) network() {
	if len(r.pending) == 0 {
		if len(r.delivered) > 0 && r.rng.IntN(3) == 0 {
			d := r.delivered[r.rng.IntN(len(r.delivered))]
			r.note("replay of an old delivery %s", short(d))
			r.ingest(d)
		}
		return
	}
	i := r.rng.IntN(len(r.pending))
	d := r.pending[i]
	switch n := r.rng.IntN(10); {
	case n < 7:
		r.note("delivered %s", short(d))
		r.pending = append(r.pending[:i], r.pending[i+1:]...)
		r.ingest(d)
	case n < 8:
		r.note("delivered twice (a retry) %s", short(d))
		r.ingest(d)
	case n < 9:
		r.note("dropped %s", short(d))
		r.pending = append(r.pending[:i], r.pending[i+1:]...)
	default:
		if len(r.delivered) > 0 {
			old := r.delivered[r.rng.IntN(len(r.delivered))]
			r.note("replay of an old delivery %s", short(old))
			r.ingest(old)
		}
	}
}

func short(d worldDelivery) string {
	var head struct {
		ID  int64  `json:"id"`
		Qty *int64 `json:"stock_quantity"`
		Mod string `json:"date_modified_gmt"`
	}
	_ = json.Unmarshal(d.body, &head)
	q := "-"
	if head.Qty != nil {
		q = strconv.FormatInt(*head.Qty, 10)
	}
	return fmt.Sprintf("#%d qty %s modified %s", head.ID, q, head.Mod)
}

// ingest stores a delivery the way the HTTP edge does.
func (r *stockRun) ingest(d worldDelivery) {
	var probe struct {
		ID       int64  `json:"id"`
		Modified string `json:"date_modified_gmt"`
	}
	if err := json.Unmarshal(d.body, &probe); err != nil {
		r.t.Fatal(err)
	}
	sum := sha256.Sum256(d.body)
	res, action, _ := cutTopic(d.topic)
	if _, err := r.st.Ingest(r.t.Context(), &store.Event{Topic: d.topic, Resource: res, Action: action, ResourceID: probe.ID,
		ModifiedGMT: probe.Modified, BodyHash: hex.EncodeToString(sum[:]), ReceivedAt: r.w.now, Body: d.body}); err != nil {
		r.t.Fatal(err)
	}
	r.delivered = append(r.delivered, d)
	r.inInbox = append(r.inInbox, d)
}

func (r *stockRun) processInbox(ctx context.Context) error {
	for {
		n, err := r.eng.handleInbox(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (r *stockRun) stockRun(ctx context.Context) error {
	job, err := r.eng.RunJob(ctx, store.JobSyncStock, nil)
	if err == nil && job.State != store.JobSucceeded {
		err = fmt.Errorf("stock job %s: %s", job.State, job.Error)
	}
	return err
}

// sidecar runs one step of the sidecar. A kill -9 injected during it
// abandons the engine and reopens the store; a step that completes counts
// as having applied every version it read.
func (r *stockRun) sidecar(name string, fn func(context.Context) error) {
	r.note("sidecar: %s", name)
	ctx, cancel := context.WithCancel(r.t.Context())
	defer cancel()
	r.w.mu.Lock()
	r.w.crash = cancel
	r.w.mu.Unlock()
	r.w.resetReads()
	inbox := r.inInbox
	err := fn(ctx)
	r.w.mu.Lock()
	crashed := r.w.crashed
	reads, resRead := r.w.reads, r.w.resRead
	r.w.mu.Unlock()
	if crashed {
		r.restart()
		return
	}
	if err != nil {
		r.fail("%s failed: %v", name, err)
	}
	if name == "inbox" {
		for _, d := range inbox {
			for h, v := range d.versions {
				reads[h] = max(reads[h], v)
			}
		}
		r.inInbox = nil
	}
	for h, v := range reads {
		r.settle[h] = max(r.settle[h], v)
	}
	r.resSettle = max(r.resSettle, resRead)
}

// restart is kill -9 and a new process on the same data directory: the
// engine is abandoned as it is, the store file reopened; a stock job left
// running is resumed (as Start does).
func (r *stockRun) restart() {
	r.restarts++
	r.note("restart after kill -9")
	if err := r.st.Close(); err != nil {
		r.t.Fatal(err)
	}
	r.w.mu.Lock()
	r.w.crashed, r.w.crashIn, r.w.crash = false, 0, nil
	r.w.mu.Unlock()
	r.open()
	active, err := r.st.ActiveJobs()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, j := range active {
		if j.Type == store.JobSyncStock {
			r.sidecar("stock run resumed", r.stockRun)
			return
		}
	}
}

// quiet delivers everything still on its way, applies the inbox, and polls
// once of each kind; then every level must be exact.
func (r *stockRun) quiet() {
	r.w.mu.Lock()
	r.w.crashIn, r.w.down = 0, 0
	r.w.mu.Unlock()
	for len(r.pending) > 0 {
		i := r.rng.IntN(len(r.pending))
		r.ingest(r.pending[i])
		r.pending = append(r.pending[:i], r.pending[i+1:]...)
	}
	r.w.now = r.w.now.Add(time.Second)
	r.sidecar("inbox (quiet)", r.processInbox)
	r.check(false)
	r.sidecar("reconcile (quiet)", r.eng.Reconcile)
	r.check(false)
	r.sidecar("reservation poll (quiet)", r.eng.RefreshReservations)
	r.check(true)
}

// check holds the invariant of issue 13 for every SKU.
func (r *stockRun) check(quiet bool) {
	r.t.Helper()
	w := r.w
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, sku := range slices.Sorted(maps.Keys(w.holder)) {
		h := w.holder[sku]
		lvl, ok := w.stock[sku]
		if !ok {
			r.fail("SKU %s has no stock level in OnCloudWine", sku)
		}
		hist, managed := w.hist[h]
		if !managed {
			if quiet && (lvl.ManageStock || lvl.StockStatus != w.products[h].StockStatus) {
				r.fail("quiet: SKU %s (not managed) = %+v, WooCommerce status %s", sku, lvl, w.products[h].StockStatus)
			}
			continue
		}
		group := func(res map[string]int) int {
			n := 0
			for _, m := range w.members[h] {
				n += res[m]
			}
			return n
		}
		minRes := group(w.res)
		for _, res := range w.resHist[r.resSettle:] {
			minRes = min(minRes, group(res))
		}
		bound := 0
		for _, q := range hist[r.settle[h]:] {
			bound = max(bound, max(0, int(q)-minRes))
		}
		if lvl.Available > bound {
			r.fail("SKU %s: OnCloudWine available %d > %d (true stock %d, reserved %d; in flight: stock versions %v, reservations since version %d)",
				sku, lvl.Available, bound, hist[len(hist)-1], group(w.res), hist[r.settle[h]:], r.resSettle)
		}
		if quiet {
			q, g := int(hist[len(hist)-1]), group(w.res)
			if !lvl.ManageStock || lvl.OnHand != q || lvl.Reserved != g || lvl.Available != max(0, q-g) {
				r.fail("quiet: SKU %s = on hand %d reserved %d available %d, want %d, %d, %d", sku, lvl.OnHand, lvl.Reserved, lvl.Available, q, g, max(0, q-g))
			}
		}
	}
}
