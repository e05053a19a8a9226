package mirror

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// Customer mappings (OCW_CUSTOMER_MAPPING).
const (
	MappingCreate = "create"
	MappingSingle = "single"
)

// Config builds a Mirror. Store, Woo and OCW are required.
type Config struct {
	Store Store
	// Woo returns the WooCommerce client in use, or nil while the store is
	// not connected (the mirror then waits).
	Woo    func() Woo
	OCW    OCW
	Logger *slog.Logger
	// Now and After are the clock (defaults time.Now and time.After); tests
	// drive them.
	Now   func() time.Time
	After func(d time.Duration) <-chan time.Time
	// Enabled tells whether mirroring is on (OCW_MIRROR_RELEASE_ORDERS or
	// the stored setting), asked before every poll and every order.
	Enabled func() bool
	// Mapping is the customer mapping in force: MappingCreate or
	// MappingSingle (default create).
	Mapping func() string
	// PollInterval is OCW_RELEASE_POLL_INTERVAL (default 1m).
	PollInterval time.Duration
	// Workers is how many release orders are mirrored at once (default 4,
	// the WooCommerce client's concurrency).
	Workers int
	// RetryMin and RetryMax bound the backoff of a FAILED or ambiguous
	// release order (defaults 5s and 10m).
	RetryMin, RetryMax time.Duration
	// PageLimit is the release orders asked per page (default 100).
	PageLimit int
	// SingleCustomerEmail is the e-mail of the one "OnCloudWine" customer
	// of MappingSingle (default release-orders@oncloudwine.invalid).
	SingleCustomerEmail string
}

// Mirror polls OnCloudWine's release orders and mirrors them into
// WooCommerce. Start runs it; Stop stops it.
type Mirror struct {
	cfg Config
	log *slog.Logger

	wake chan struct{} // something became due
	poll chan struct{} // poll now

	custLocks keyedMutex
	skus      skuCache

	flightMu sync.Mutex
	inFlight map[string]bool

	runMu   sync.Mutex
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running bool
}

// New checks cfg and builds a Mirror.
func New(cfg Config) (*Mirror, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("mirror.New: Store is required")
	case cfg.Woo == nil:
		return nil, errors.New("mirror.New: Woo is required")
	case cfg.OCW == nil:
		return nil, errors.New("mirror.New: OCW is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Enabled == nil {
		cfg.Enabled = func() bool { return true }
	}
	if cfg.Mapping == nil {
		cfg.Mapping = func() string { return MappingCreate }
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Minute
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = 5 * time.Second
	}
	if cfg.RetryMax < cfg.RetryMin {
		cfg.RetryMax = max(10*time.Minute, cfg.RetryMin)
	}
	if cfg.PageLimit <= 0 || cfg.PageLimit > 100 {
		cfg.PageLimit = 100
	}
	if cfg.SingleCustomerEmail == "" {
		cfg.SingleCustomerEmail = "release-orders@oncloudwine.invalid"
	}
	return &Mirror{
		cfg: cfg, log: cfg.Logger,
		wake: make(chan struct{}, 1), poll: make(chan struct{}, 1),
		custLocks: keyedMutex{locks: map[string]*keyedEntry{}},
		skus:      skuCache{refs: map[string]skuRef{}},
		inFlight:  map[string]bool{},
	}, nil
}

// Start runs the poller and the workers until Stop or until ctx ends.
func (m *Mirror) Start(ctx context.Context) error {
	m.runMu.Lock()
	defer m.runMu.Unlock()
	if m.running {
		return errors.New("mirror: already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	m.cancel, m.running = cancel, true
	work := make(chan string)
	for range m.cfg.Workers {
		m.wg.Go(func() { m.worker(ctx, work) })
	}
	m.wg.Go(func() { m.dispatch(ctx, work) })
	m.wg.Go(func() { m.pollLoop(ctx) })
	m.log.Info("mirror: started", "poll_interval", m.cfg.PollInterval, "workers", m.cfg.Workers)
	return nil
}

// Stop stops the poller and the workers and waits for them. A release order
// interrupted in CREATING is looked up first by the next Start.
func (m *Mirror) Stop() {
	m.runMu.Lock()
	cancel, running := m.cancel, m.running
	m.cancel, m.running = nil, false
	m.runMu.Unlock()
	if !running {
		return
	}
	cancel()
	m.wg.Wait()
	m.log.Info("mirror: stopped")
}

// PollNow asks for a poll at once (it never blocks).
func (m *Mirror) PollNow() { notify(m.poll) }

func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// backoff is the wait before try number attempts+1: exponential from
// RetryMin, capped at RetryMax, half fixed and half random.
func (m *Mirror) backoff(attempts int) time.Duration {
	return backoff.EqualJitter(backoff.Exponential(m.cfg.RetryMin, m.cfg.RetryMax, max(attempts-1, 0)), nil)
}

// activity writes a line to the activity log a person reads.
func (m *Mirror) activity(level, msg string) {
	if err := m.cfg.Store.LogActivity(level, msg); err != nil {
		m.log.Warn("mirror: activity log", "err", err, "message", msg)
	}
}

// woo returns the WooCommerce client, or nil while not connected.
func (m *Mirror) woo() Woo { return m.cfg.Woo() }

// keyedMutex serialises work per key (a customer's e-mail).
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
