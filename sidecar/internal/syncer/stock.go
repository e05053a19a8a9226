package syncer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// stockSource reads every stock level; *woo.Client satisfies it.
type stockSource interface {
	StockLevels(ctx context.Context, fn func(woo.StockLevel) error) error
}

// stockSink takes stock levels and tells reservations; *oncloudwine.Client
// satisfies it.
type stockSink interface {
	UpdateStock(ctx context.Context, levels []oncloudwine.StockLevel) error
	Reservations(ctx context.Context) ([]oncloudwine.Reservation, error)
}

var (
	_ stockSource = (*woo.Client)(nil)
	_ stockSink   = (*oncloudwine.Client)(nil)
)

// errNoStock: the clients given to the engine cannot sync stock.
var errNoStock = errors.New("the WooCommerce or OnCloudWine client given to the engine cannot sync stock")

// syncStock is SYNC_WOOCOMMERCE_STOCK: every stock level of a SKU the engine
// synced is sent with OnCloudWine's reservations (read now) deducted
// (available = max(0, on_hand − reserved), the reservations of every SKU
// sharing a parent's stock deducted from it); a level identical to the one
// last accepted is not sent again, a reading older than one already applied
// is not sent at all. Levels go in full batches of 100, Senders at a time.
func (e *Engine) syncStock(ctx context.Context, job *store.Job, report func(store.Job)) error {
	src, ok1 := e.woo.(stockSource)
	dst, ok2 := e.ocw.(stockSink)
	if !ok1 || !ok2 {
		return errNoStock
	}
	start := e.now().UTC()
	res, err := readReservations(ctx, dst)
	if err != nil {
		return err
	}
	e.stock.mu.Lock()
	err = e.applyReservations(ctx, dst, res)
	e.stock.mu.Unlock()
	if err != nil {
		return err
	}

	var (
		read, sent, stale int
		lastSave          time.Time
	)
	err = e.eachStockRound(ctx, src, func(rs []stockReading) error {
		e.stock.mu.Lock()
		stats, err := e.stockRoundRecorded(ctx, dst, rs)
		e.stock.mu.Unlock()
		read += len(rs)
		sent += stats.sent
		stale += stats.stale
		job.Progress = store.Progress{Done: read}
		if now := e.now(); now.Sub(lastSave) >= progressEvery {
			lastSave = now
			report(*job)
		}
		return err
	})
	if err != nil {
		return err
	}
	job.Progress = store.Progress{Done: read, Total: read}
	report(*job)
	msg := fmt.Sprintf("%s finished in %s: %s stock levels read, %s sent to OnCloudWine (%s unchanged or not synced)",
		job.Type, e.now().UTC().Sub(start).Round(100*time.Millisecond), num(read), num(sent), num(read-sent))
	if stale > 0 {
		msg += fmt.Sprintf("; %s older than what webhooks already applied", num(stale))
	}
	e.activity("info", msg)
	return nil
}

// stockRoundReadings is how many readings one stock run round decides
// (the plugin's stock route reads 5,000 a page). The round holds the stock
// lock while its levels are sent (100 a call, Senders calls in flight), a
// fraction of a second even when every level is new; a small round keeps
// the run's memory small.
const stockRoundReadings = 2000

// eachStockRound reads every stock level and hands them to round in rounds
// of about stockRoundReadings; the next readings are fetched while a round
// runs. A round ends between two holders, so SKUs sharing a parent's stock
// are decided together. A variation reporting its parent's stock is ordered
// by the parent's date (the parent is listed first, ids ascending).
func (e *Engine) eachStockRound(ctx context.Context, src stockSource, round func([]stockReading) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rounds := make(chan []stockReading, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(rounds)
		parentModified := map[int64]time.Time{}
		var pending []stockReading
		err := src.StockLevels(ctx, func(l woo.StockLevel) error {
			if l.ParentID == 0 {
				parentModified[l.ID] = l.DateModifiedGMT.Time
			}
			r := ownReading(l)
			if r.Holder != l.ID {
				r.Modified = parentModified[r.Holder] // zero when the parent was not listed: read again
			}
			if len(pending) >= stockRoundReadings && pending[len(pending)-1].Holder != r.Holder {
				select {
				case rounds <- pending:
				case <-ctx.Done():
					return ctx.Err()
				}
				pending = make([]stockReading, 0, stockRoundReadings)
			}
			pending = append(pending, r)
			return nil
		})
		if err == nil && len(pending) > 0 {
			select {
			case rounds <- pending:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		readErr <- err
	}()
	for rs := range rounds {
		if err := round(rs); err != nil {
			cancel()
			for range rounds { // let the reader finish
			}
			return err
		}
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("read WooCommerce stock: %w", err)
	}
	return nil
}

// sendStockLevels sends levels in batches of at most 100, up to Senders in
// flight, all with one observed_at; it returns the levels OnCloudWine
// accepted. Callers hold e.stock.mu.
func (e *Engine) sendStockLevels(ctx context.Context, dst stockSink, levels []holderLevel) ([]holderLevel, error) {
	at := e.stock.observedAt(e.now())
	for i := range levels {
		levels[i].ObservedAt = at
	}
	var (
		mu       sync.Mutex
		accepted []holderLevel
		errs     []error
		wg       sync.WaitGroup
		slots    = make(chan struct{}, e.cfg.Senders)
	)
	for start := 0; start < len(levels); start += batchMax {
		batch := levels[start:min(len(levels), start+batchMax)]
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			ok, err := e.sendStock(ctx, dst, batch)
			mu.Lock()
			defer mu.Unlock()
			accepted = append(accepted, ok...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	return accepted, errors.Join(errs...)
}

// sendStock sends levels (≤ 100), retrying with backoff while OnCloudWine
// is unreachable, and returns those it accepted. A batch OnCloudWine
// refuses is sent level by level so one bad SKU does not hold back the
// others.
func (e *Engine) sendStock(ctx context.Context, dst stockSink, levels []holderLevel) ([]holderLevel, error) {
	plain := make([]oncloudwine.StockLevel, len(levels))
	for i, l := range levels {
		plain[i] = l.StockLevel
	}
	for failures := 0; ; {
		err := dst.UpdateStock(ctx, plain)
		switch {
		case err == nil:
			e.noteRecoveredIf(failures)
			return levels, nil
		case permanent(err) && len(levels) > 1:
			var accepted []holderLevel
			for i := range levels {
				ok, err := e.sendStock(ctx, dst, levels[i:i+1])
				accepted = append(accepted, ok...)
				if err != nil {
					return accepted, err
				}
			}
			return accepted, nil
		case permanent(err):
			e.activity("warn", fmt.Sprintf("SKU %s: stock not accepted: %s", levels[0].SKU, err.Error()))
			return nil, nil
		}
		failures++
		wait := e.retryWait(failures)
		e.noteOutage(err, wait)
		if err := backoff.Sleep(ctx, wait, e.after); err != nil {
			return nil, err
		}
	}
}

func (e *Engine) noteRecoveredIf(failures int) {
	if failures > 0 {
		e.noteRecovered()
	}
}
