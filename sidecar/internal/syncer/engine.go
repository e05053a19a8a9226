package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// Config builds an Engine. Store, Woo and OCW are required.
type Config struct {
	Store  *store.Store
	Woo    Woo // *woo.Client
	OCW    OCW // *oncloudwine.Client
	Logger *slog.Logger
	Now    func() time.Time
	// ReconcileInterval is OCW_RECONCILE_INTERVAL (default 5m).
	ReconcileInterval time.Duration
	// StockSyncInterval queues SYNC_WOOCOMMERCE_STOCK this often
	// (OCW_STOCK_SYNC_INTERVAL); 0 = only on demand.
	StockSyncInterval time.Duration
	// StockInterval, when set, is asked before each wait for the interval in
	// force, so a change made through the admin API's settings applies
	// without a restart; it wins over StockSyncInterval.
	StockInterval func() time.Duration
	// ReservationInterval is how often OnCloudWine's reservations are read
	// (OCW_RELEASE_POLL_INTERVAL, default 1m); the levels of SKUs whose
	// reservation changed are sent again.
	ReservationInterval time.Duration
	// ReconcileOverlap is subtracted from the cursor on every poll (default
	// 2m); what it re-reads is deduplicated by content.
	ReconcileOverlap time.Duration
	// Senders is how many OnCloudWine batches may be in flight (default 4).
	Senders int
	// RetryMin and RetryMax bound the backoff while OnCloudWine is
	// unreachable (defaults 1s and 1m).
	RetryMin, RetryMax time.Duration
	// IdlePoll is how often idle workers look again without being woken
	// (default 5s); a safety net, the store and senders notify.
	IdlePoll time.Duration
	// After returns a channel that fires after d (default time.After); tests
	// may drive it.
	After func(d time.Duration) <-chan time.Time
	// OnWooTrouble, when set, hears of WooCommerce failing the engine in a
	// way a connection test would see (no answer, TLS, 401/403, 5xx): the
	// connection checker then tests the connection (and re-tests it with
	// backoff while it fails). It must not block.
	OnWooTrouble func(err error)
}

// Engine syncs WooCommerce products into OnCloudWine variants. Start runs
// its workers; RunJob and StartJob run the full sync.
type Engine struct {
	cfg   Config
	store *store.Store
	woo   Woo
	ocw   OCW
	log   *slog.Logger
	now   func() time.Time
	after func(time.Duration) <-chan time.Time

	flightMu sync.Mutex
	inFlight map[string]bool

	queued *broadcast // something was queued in the outbox
	sent   *broadcast // a batch was sent

	stock  stockState // stock rounds, one at a time
	orders *orderSync // online orders (orders_*.go)

	statsMu   sync.Mutex
	sendStats sendStats
	ocwDown   bool

	stateMu sync.Mutex
	state   syncState

	jobLocks  map[string]chan struct{}
	jobKick   chan struct{}
	reconcile chan struct{}

	runMu   sync.Mutex
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running bool
}

// JobTypes are the jobs the engine runs.
var jobTypes = []string{store.JobSyncProducts, store.JobSyncStock, store.JobSyncOrders}

// ErrUnknownJobType is returned by StartJob and RunJob for a type the engine
// does not run.
var ErrUnknownJobType = errors.New("unknown job type")

// New checks cfg and builds an Engine.
func New(cfg Config) (*Engine, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("syncer.New: Store is required")
	case cfg.Woo == nil:
		return nil, errors.New("syncer.New: Woo is required")
	case cfg.OCW == nil:
		return nil, errors.New("syncer.New: OCW is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = 5 * time.Minute
	}
	if cfg.ReservationInterval <= 0 {
		cfg.ReservationInterval = time.Minute
	}
	if cfg.ReconcileOverlap <= 0 {
		cfg.ReconcileOverlap = 2 * time.Minute
	}
	if cfg.Senders <= 0 {
		cfg.Senders = 4
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = time.Second
	}
	if cfg.RetryMax < cfg.RetryMin {
		cfg.RetryMax = max(time.Minute, cfg.RetryMin)
	}
	if cfg.IdlePoll <= 0 {
		cfg.IdlePoll = 5 * time.Second
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	e := &Engine{
		cfg: cfg, store: cfg.Store, woo: cfg.Woo, ocw: cfg.OCW, log: cfg.Logger, now: cfg.Now, after: cfg.After,
		inFlight: map[string]bool{}, queued: newBroadcast(), sent: newBroadcast(), orders: newOrderSync(),
		jobLocks: map[string]chan struct{}{}, jobKick: make(chan struct{}, 1), reconcile: make(chan struct{}, 1),
	}
	for _, t := range jobTypes {
		e.jobLocks[t] = make(chan struct{}, 1)
	}
	return e, nil
}

// Start runs the inbox consumer, the outbox senders, the reconcile poller,
// the reservation poller and the job runner until Stop (or until ctx ends: a soft stop). Jobs left
// queued or running by a previous process are resumed. Starting a started
// engine is an error.
func (e *Engine) Start(ctx context.Context) error {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if e.running {
		return errors.New("syncer: already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	e.cancel, e.running = cancel, true
	for range e.cfg.Senders {
		e.wg.Go(func() { e.sendLoop(ctx) })
	}
	e.startOrderSenders(ctx, &e.wg)
	e.wg.Go(func() { e.inboxLoop(ctx) })
	e.wg.Go(func() { e.reconcileLoop(ctx) })
	e.wg.Go(func() { e.jobLoop(ctx) })
	if _, ok := e.ocw.(stockSink); ok {
		e.wg.Go(func() { e.reservationLoop(ctx) })
	}
	if e.cfg.StockSyncInterval > 0 || e.cfg.StockInterval != nil {
		e.wg.Go(func() { e.stockSchedule(ctx) })
	}
	e.log.Info("syncer: started", "senders", e.cfg.Senders, "reconcile_interval", e.cfg.ReconcileInterval)
	return nil
}

// Stop stops every worker and waits for them. A job interrupted stays
// "running" in the store and is resumed by the next Start. Stop tolerates a
// never-started engine and a second call.
func (e *Engine) Stop() {
	e.runMu.Lock()
	cancel, running := e.cancel, e.running
	e.cancel, e.running = nil, false
	e.runMu.Unlock()
	if !running {
		return
	}
	cancel()
	e.wg.Wait()
	e.log.Info("syncer: stopped")
}

func (e *Engine) started() bool {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	return e.running
}

// RequestReconcile asks for a modified_after catch-up now (POST
// /v1/reconcile). It never blocks; requests made while one is pending
// merge.
func (e *Engine) RequestReconcile() {
	select {
	case e.reconcile <- struct{}{}:
	default:
	}
}

// activity writes a line to the activity log a person reads.
func (e *Engine) activity(level, msg string) {
	if err := e.store.LogActivity(level, msg); err != nil {
		e.log.Warn("syncer: activity log", "err", err, "message", msg)
	}
}

// errNotConnected: the store's currency is unknown until the connection
// check (POST /v1/connection) has read it; variants cannot be built.
var errNotConnected = errors.New("the store's currency is unknown: connect the store first (POST /v1/connection)")

// units reads the store's currency and weight unit from the connection.
func (e *Engine) units() (storeUnits, error) {
	c, err := e.store.Connection()
	if err != nil {
		return storeUnits{}, fmt.Errorf("syncer: read connection: %w", err)
	}
	if c.Currency == "" {
		return storeUnits{}, errNotConnected
	}
	return storeUnits{Currency: c.Currency, WeightUnit: c.WeightUnit}, nil
}

// commit applies fn inside one write transaction and wakes the senders when
// something was queued.
func (e *Engine) commit(pass *passState, fn func(a *applier) error) (applyStats, error) {
	var stats applyStats
	err := e.store.Update(func(tx *store.Tx) error {
		var err error
		stats, err = e.applyIn(tx, pass, fn)
		return err
	})
	if err != nil {
		return applyStats{}, fmt.Errorf("syncer: commit: %w", err)
	}
	if stats.Queued > 0 || stats.Archived > 0 {
		e.queued.Notify()
	}
	return stats, nil
}

// applyIn applies fn inside tx, a write transaction the caller commits
// (and then wakes the senders when something was queued).
func (e *Engine) applyIn(tx *store.Tx, pass *passState, fn func(a *applier) error) (applyStats, error) {
	a := newApplier(tx, e.now(), pass)
	if err := fn(a); err != nil {
		return applyStats{}, err
	}
	stats := a.stats
	stats.NewFailures = a.newFailures
	return stats, nil
}

// stockSchedule queues the full stock sync every StockSyncInterval (or the
// StockInterval in force).
func (e *Engine) stockSchedule(ctx context.Context) {
	for {
		interval := e.cfg.StockSyncInterval
		if e.cfg.StockInterval != nil {
			interval = e.cfg.StockInterval()
		}
		if backoff.Sleep(ctx, interval, e.after) != nil {
			return
		}
		if _, err := e.StartJob(ctx, store.JobSyncStock); err != nil && ctx.Err() == nil {
			e.log.Warn("syncer: scheduled stock sync not queued", "err", err)
		}
	}
}
